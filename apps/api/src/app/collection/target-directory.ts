import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '../projects/secret-box';
import { MONITORED_PROJECTS_SQL } from '../rollout/rollout.service';

export interface ProjectPollConfig {
  endpoint: string;
  hmacSecret: string | null;
  intervalS: number;
}

const REFRESH_MS = 5_000;

/**
 * Poll settings of every monitored project, refreshed every few seconds in one query, so claiming
 * a batch of jobs costs no per-job lookup and no per-poll decryption.
 */
@Injectable()
export class TargetDirectory {
  private projects = new Map<string, ProjectPollConfig>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly db: DataSource, private readonly secrets: SecretBox) {}

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
    const rows: { id: string; metrics_endpoint: string; hmac_enabled: boolean; hmac_secret_enc: string | null; poll_interval_s: number }[] = await this.db.query(
      `SELECT p.id, p.metrics_endpoint, p.hmac_enabled, p.hmac_secret_enc, p.poll_interval_s FROM projects p WHERE ${MONITORED_PROJECTS_SQL}`,
    );
    const next = new Map<string, ProjectPollConfig>();
    for (const r of rows) {
      next.set(r.id, {
        endpoint: r.metrics_endpoint,
        hmacSecret: r.hmac_enabled && r.hmac_secret_enc ? this.secrets.open(r.hmac_secret_enc) : null,
        intervalS: r.poll_interval_s,
      });
    }
    this.projects = next;
    this.loadedAt = Date.now();
  }
}
