import { Injectable, Logger } from '@nestjs/common';
import { SecretBox } from '../projects/secret-box';
import { ProjectsService } from '../projects/projects.service';

export interface ProjectPollConfig {
  endpoint: string;
  hmacSecret: string | null;
  /** The stored secret could not be decrypted (this process has another SEQPULSE_SECRET_KEY). */
  secretUnreadable: boolean;
  intervalS: number;
}

const REFRESH_MS = 5_000;

/**
 * Poll settings of every monitored project, refreshed every few seconds in one query, so claiming
 * a batch of jobs costs no per-job lookup and no per-poll decryption.
 */
@Injectable()
export class TargetDirectory {
  private readonly logger = new Logger(TargetDirectory.name);
  private projects = new Map<string, ProjectPollConfig>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly projectsService: ProjectsService,
    private readonly secrets: SecretBox,
  ) {}

  async get(projectId: string): Promise<ProjectPollConfig | undefined> {
    if (Date.now() - this.loadedAt > REFRESH_MS || !this.projects.has(projectId)) await this.refresh(!this.projects.has(projectId));
    return this.projects.get(projectId);
  }

  private async refresh(force: boolean): Promise<void> {
    if (!force && Date.now() - this.loadedAt <= REFRESH_MS) return;
    this.loading ??= this.load().finally(() => (this.loading = null));
    await this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.projectsService.monitoredPollSettings();
    const next = new Map<string, ProjectPollConfig>();
    for (const r of rows) {
      const secret = r.hmac_enabled && r.hmac_secret_enc ? this.openSecret(r.id, r.hmac_secret_enc) : null;
      next.set(r.id, {
        endpoint: r.metrics_endpoint,
        hmacSecret: secret === false ? null : secret,
        secretUnreadable: secret === false,
        intervalS: r.poll_interval_s,
      });
    }
    this.projects = next;
    this.loadedAt = Date.now();
  }

  /** One unreadable secret must not stop the polls of every other project. */
  private openSecret(projectId: string, sealed: string): string | false {
    try {
      return this.secrets.open(sealed);
    } catch {
      this.logger.error({ project: projectId }, 'Cannot decrypt the HMAC secret: is SEQPULSE_SECRET_KEY the same on every process?');
      return false;
    }
  }
}
