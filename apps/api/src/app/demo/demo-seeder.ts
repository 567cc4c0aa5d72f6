import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { existsSync, readFileSync } from 'node:fs';
import { Repository } from 'typeorm';
import type { Plan } from '@seqpulse/contracts';
import { AppConfig, DEMO_MEMBER } from '../config/app-config';
import { AuthService } from '../auth/auth.service';
import { ProjectEntity } from '../projects/project.entity';
import { SecretBox } from '../projects/secret-box';
import { RolloutService } from '../rollout/rollout.service';
import { DemoHistory, HistoryTarget } from './demo-history';

interface DemoProject {
  name: string;
  plan: Plan;
  envs: string[];
  /** Demo fleet target; `{env}` is replaced per env by the collector. */
  target: string;
  hmac: boolean;
  pilot: boolean;
  /** A service of its own rather than a fleet target: its metrics endpoint. */
  endpoint?: (config: AppConfig) => string;
}

export const DEMO_PROJECTS: DemoProject[] = [
  { name: 'Checkout API', plan: 'enterprise', envs: ['prod', 'staging'], target: 'checkout-{env}', hmac: true, pilot: true },
  { name: 'Search API', plan: 'enterprise', envs: ['prod'], target: 'search-{env}', hmac: false, pilot: false },
  { name: 'Billing', plan: 'pro', envs: ['prod'], target: 'billing-{env}', hmac: false, pilot: false },
  { name: 'Blog', plan: 'free', envs: ['prod'], target: 'blog-{env}', hmac: false, pilot: false },
  {
    name: 'Storefront (Node SDK)',
    plan: 'enterprise',
    envs: ['prod'],
    target: 'storefront-{env}',
    hmac: true,
    pilot: true,
    endpoint: (config) => `${config.SEQPULSE_DEMO_STOREFRONT_URL}/seqpulse-metrics`,
  },
];

/**
 * SEQPULSE_DEMO=true: a member owning one project per situation a newcomer should see.
 * Runs once per data directory (it does nothing when the demo member exists).
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly rollout: RolloutService,
    private readonly secrets: SecretBox,
    private readonly history: DemoHistory,
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsApi || (await this.auth.findByEmail(DEMO_MEMBER.email))) return;
    const member = await this.auth.createUser(DEMO_MEMBER.email, DEMO_MEMBER.password, 'member', { demo: true });
    const fleetSecrets = this.readFleetSecrets();
    const pilotIds: string[] = [];
    const historyTargets: HistoryTarget[] = [];
    for (const demo of DEMO_PROJECTS) {
      const secret = demo.hmac ? fleetSecrets[demo.target.replace('{env}', demo.envs[0])] : undefined;
      const saved = await this.projects.save(
        this.projects.create({
          ownerId: member.id,
          name: demo.name,
          plan: demo.plan,
          envs: demo.envs,
          metricsEndpoint: demo.endpoint?.(this.config) ?? `${this.config.SEQPULSE_DEMO_FLEET_URL}/targets/${demo.target}/metrics`,
          hmacEnabled: Boolean(secret),
          hmacSecretEnc: secret ? this.secrets.seal(secret) : null,
          pollIntervalS: 15,
          demo: true,
        }),
      );
      if (demo.pilot) pilotIds.push(saved.id);
      // history for the fleet's targets: a service of its own (the SDK storefront) has no model to replay
      if (demo.plan === 'enterprise' && !demo.endpoint) {
        historyTargets.push(...demo.envs.map((env) => ({ projectId: saved.id, env, target: demo.target.replace('{env}', env) })));
      }
    }
    const admin = this.config.SEQPULSE_ADMIN_EMAIL ? await this.auth.findByEmail(this.config.SEQPULSE_ADMIN_EMAIL) : null;
    await this.rollout.set('pilot', pilotIds, admin?.id ?? member.id);
    this.logger.log({ member: DEMO_MEMBER.email, projects: DEMO_PROJECTS.length }, 'Seeded the demo');
    // every preset up to 7 days shows data at once; a fleet that cannot answer leaves a demo without history
    await this.history.fill(historyTargets).catch((err) => this.logger.warn({ err: (err as Error).message }, 'Demo history not filled'));
  }

  /** The demo's pilot project (the one its simulated CI deploys), once seeded. */
  async pilotProject(): Promise<{ id: string; env: string } | null> {
    const member = await this.auth.findByEmail(DEMO_MEMBER.email);
    const pilot = DEMO_PROJECTS.find((p) => p.pilot);
    if (!member || !pilot) return null;
    const project = await this.projects.findOne({ where: { ownerId: member.id, name: pilot.name } });
    return project ? { id: project.id, env: project.envs[0] } : null;
  }

  /** The demo project's observation window (the demo's releases use a short one, so verdicts become final soon). */
  async useObservationWindow(projectId: string, minutes: number): Promise<void> {
    await this.projects.update({ id: projectId }, { postWindowMin: minutes });
  }

  private readFleetSecrets(): Record<string, string> {
    const file = this.config.SEQPULSE_DEMO_SECRETS_FILE;
    if (!file || !existsSync(file)) return {};
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  }
}
