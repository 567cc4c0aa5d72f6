import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { In, Repository } from 'typeorm';
import { MAX_ENVS_BY_PLAN, POLL_INTERVAL_DEFAULT_S } from '@seqpulse/contracts';
import type { MonitoringStatus, Plan, ProjectView, ProjectWithSecret } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { isoSeconds } from '../common/time';
import { canSeeProject, Principal } from '../auth/principal';
import { TargetAddressPolicy } from '../target-address/target-address.policy';
import { monitoringStatusOf, RolloutService } from '../rollout/rollout.service';
import { ProjectEntity } from './project.entity';
import { SecretBox } from './secret-box';
import { CreateProjectDto, UpdateProjectDto } from './projects.dto';

/** A monitored project's poll settings as stored (the secret sealed). */
export interface PollSettingsRow {
  id: string;
  metrics_endpoint: string;
  hmac_enabled: boolean;
  hmac_secret_enc: string | null;
  poll_interval_s: number;
}

@Injectable()
export class ProjectsService {
  constructor(
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
    private readonly targets: TargetAddressPolicy,
    private readonly rollout: RolloutService,
    private readonly secrets: SecretBox,
  ) {}

  /** The one way to load a project for a caller: invisible and missing look the same (404). */
  async findVisible(principal: Principal, id: string): Promise<ProjectEntity> {
    const project = await this.projects.findOne({ where: { id } });
    if (!project || !canSeeProject(principal, project)) throw ApiError.projectNotFound();
    return project;
  }

  /** Names of projects by id (for notification texts). */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    const rows = await this.projects.find({ where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(rows.map((p) => [p.id, p.name]));
  }

  /** Whether the caller may see the project (404 semantics without the exception). */
  async isVisible(principal: Principal, id: string): Promise<boolean> {
    const project = await this.projects.findOne({ where: { id }, select: { id: true, ownerId: true } });
    return project !== null && canSeeProject(principal, project);
  }

  /**
   * findVisible plus whether Realtime monitors the project (rollout's `project_monitoring` view), in one round
   * trip: the Enterprise gate runs it on every realtime request.
   */
  async findVisibleWithMonitoring(principal: Principal, id: string): Promise<{ project: ProjectEntity; monitoring: MonitoringStatus }> {
    const { entities, raw } = await this.projects
      .createQueryBuilder('p')
      .addSelect('(SELECT pm.monitored FROM project_monitoring pm WHERE pm.project_id = p.id)', 'monitored')
      .where('p.id = :id', { id })
      .getRawAndEntities<{ monitored: boolean }>();
    const project = entities[0];
    if (!project || !canSeeProject(principal, project)) throw ApiError.projectNotFound();
    return { project, monitoring: monitoringStatusOf(project.plan, raw[0].monitored) };
  }

  /** Poll settings of every project Realtime monitors (the collector's target directory refreshes them). */
  monitoredPollSettings(): Promise<PollSettingsRow[]> {
    return this.projects.query(
      `SELECT p.id, p.metrics_endpoint, p.hmac_enabled, p.hmac_secret_enc, p.poll_interval_s
         FROM projects p JOIN project_monitoring pm ON pm.project_id = p.id
        WHERE pm.monitored`,
    );
  }

  async list(principal: Principal): Promise<ProjectView[]> {
    const rows = await this.projects.find({ where: { ownerId: principal.userId }, order: { createdAt: 'ASC' } });
    return this.toViews(rows.filter((p) => canSeeProject(principal, p)));
  }

  /** Every project the caller may see (all of them for an admin), with its monitoring status; oldest first. */
  async listVisible(principal: Principal): Promise<ProjectView[]> {
    const rows = await this.projects.find({
      where: principal.role === 'admin' ? {} : { ownerId: principal.userId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return this.toViews(rows.filter((p) => canSeeProject(principal, p)));
  }

  async listAll(): Promise<ProjectView[]> {
    const rows = await this.projects.find({ order: { createdAt: 'ASC' } });
    return this.toViews(rows, true);
  }

  async get(principal: Principal, id: string): Promise<ProjectView> {
    return (await this.toViews([await this.findVisible(principal, id)], principal.role === 'admin'))[0];
  }

  async create(principal: Principal, dto: CreateProjectDto): Promise<ProjectWithSecret> {
    const plan: Plan = 'free';
    assertEnvsFit(dto.envs, plan);
    await this.assertEndpointAllowed(dto.metrics_endpoint);
    const secret = dto.hmac_enabled ? newHmacSecret() : undefined;
    const saved = await this.projects.save(
      this.projects.create({
        ownerId: principal.userId,
        name: dto.name,
        plan,
        envs: dto.envs,
        metricsEndpoint: dto.metrics_endpoint,
        hmacEnabled: dto.hmac_enabled ?? false,
        hmacSecretEnc: secret ? this.secrets.seal(secret) : null,
        pollIntervalS: dto.poll_interval_s ?? POLL_INTERVAL_DEFAULT_S,
      }),
    );
    return { ...(await this.toViews([saved]))[0], ...(secret ? { hmac_secret: secret } : {}) };
  }

  async update(principal: Principal, id: string, dto: UpdateProjectDto): Promise<ProjectWithSecret> {
    const project = await this.findVisible(principal, id);
    if (dto.envs) assertEnvsFit(dto.envs, project.plan);
    if (dto.metrics_endpoint !== undefined) await this.assertEndpointAllowed(dto.metrics_endpoint);
    const changes: Partial<ProjectEntity> = {};
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.envs !== undefined) changes.envs = dto.envs;
    if (dto.metrics_endpoint !== undefined) changes.metricsEndpoint = dto.metrics_endpoint;
    if (dto.poll_interval_s !== undefined) changes.pollIntervalS = dto.poll_interval_s;
    let secret: string | undefined;
    if (dto.hmac_enabled !== undefined && dto.hmac_enabled !== project.hmacEnabled) {
      changes.hmacEnabled = dto.hmac_enabled;
      secret = dto.hmac_enabled ? newHmacSecret() : undefined;
      changes.hmacSecretEnc = secret ? this.secrets.seal(secret) : null;
    }
    if (Object.keys(changes).length) await this.projects.update({ id }, changes);
    const view = await this.get(principal, id);
    return secret ? { ...view, hmac_secret: secret } : view;
  }

  /**
   * A new secret replaces the old at once; the response is the only place it is shown. A caller-chosen secret
   * lets services accept it (beside the old one) before SeqPulse signs with it: a rotation without missed polls.
   */
  async rotateSecret(principal: Principal, id: string, chosen?: string): Promise<ProjectWithSecret> {
    await this.findVisible(principal, id);
    const secret = chosen ?? newHmacSecret();
    await this.projects.update({ id }, { hmacEnabled: true, hmacSecretEnc: this.secrets.seal(secret) });
    return { ...(await this.get(principal, id)), hmac_secret: secret };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.findVisible(principal, id);
    await this.projects.delete({ id });
  }

  async setPlan(id: string, plan: Plan): Promise<ProjectView> {
    const project = await this.projects.findOne({ where: { id } });
    if (!project) throw ApiError.projectNotFound();
    if (project.envs.length > MAX_ENVS_BY_PLAN[plan]) {
      throw ApiError.validation(
        `The project has ${project.envs.length} environments and plan ${plan} allows ${MAX_ENVS_BY_PLAN[plan]}; remove environments first.`,
        { fields: [{ field: 'plan', problems: ['too many environments for this plan'] }] },
      );
    }
    await this.projects.update({ id }, { plan });
    return (await this.toViews([{ ...project, plan }], true))[0];
  }

  /** The HMAC secret in clear, for the collector and notifiers only. */
  async hmacSecretOf(id: string): Promise<string | null> {
    const row = await this.projects.createQueryBuilder('p').addSelect('p.hmacSecretEnc').where('p.id = :id', { id }).getOne();
    return row?.hmacSecretEnc ? this.secrets.open(row.hmacSecretEnc) : null;
  }

  private async assertEndpointAllowed(url: string): Promise<void> {
    const check = await this.targets.check(url);
    if (check.ok === false) {
      throw ApiError.validation(`metrics_endpoint ${check.reason}.`, { fields: [{ field: 'metrics_endpoint', problems: [check.reason] }] });
    }
  }

  private async toViews(rows: ProjectEntity[], withOwner = false): Promise<ProjectView[]> {
    const status = await this.rollout.statusOf(rows);
    return rows.map((p) => ({
      id: p.id,
      name: p.name,
      plan: p.plan,
      envs: p.envs,
      metrics_endpoint: p.metricsEndpoint,
      hmac_enabled: p.hmacEnabled,
      poll_interval_s: p.pollIntervalS,
      created_at: isoSeconds(p.createdAt),
      monitoring: status.get(p.id),
      ...(withOwner ? { owner_id: p.ownerId } : {}),
    }));
  }
}

function assertEnvsFit(envs: string[], plan: Plan): void {
  const max = MAX_ENVS_BY_PLAN[plan];
  if (envs.length > max) {
    throw ApiError.validation(`Plan ${plan} allows at most ${max} environment${max > 1 ? 's' : ''}.`, {
      fields: [{ field: 'envs', problems: [`at most ${max} on plan ${plan}`] }],
    });
  }
}

function newHmacSecret(): string {
  return randomBytes(32).toString('base64url');
}
