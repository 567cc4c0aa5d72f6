import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { DataSource } from 'typeorm';
import { DEPLOYMENTS_NOTIFY_CHANNEL, METRIC_NAMES } from '@seqpulse/contracts';
import type { DeploymentDetail, DeploymentStreamNotice, DeploymentSummary, Verdict, VerdictResponse } from '@seqpulse/contracts';
import { isoOrNull, isoSeconds } from '../common/time';
import { AppConfig } from '../config/app-config';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { DeploymentRow, DeploymentsRepository } from '../deployments/deployments.repository';
import { StreamHub } from '../monitoring/stream-hub';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import { VerdictNoticeEvent, VerdictNotifications } from '../notifications/verdict-notifications';
import {
  MAX_COLLECTION_LAG_S,
  SAMPLES_CHANNEL,
  SampleNotice,
  SampleWindow,
  SamplesStore,
  SeriesSample,
  WindowSamples,
} from '../samples/samples.store';
import { DeploymentVerdictsRepository } from './deployment-verdicts.repository';
import {
  computeVerdict,
  elapsedPost,
  FINAL_AFTER_CLOSE_S,
  ObservationWindows,
  PreparedPreWindow,
  preparePreWindow,
  summaryOf,
  windowsOf,
} from './impact-calculator';
import type { ComputedVerdict, SavedVerdict, VerdictRow } from './interfaces/verdict-row';
import { DEFAULT_VERDICT_SETTINGS, VERDICT_SETTING_NAMES, VerdictSettingName, withOverrides } from './verdict-rules';

/** Windows that closed this long ago without a final verdict (workers were down) are still finalised. */
const CATCH_UP_S = 6 * 3600;
const TICK = 'deployment-verdicts';
/** A pass re-reads this much before the previous one's clock: samples stored a little after they were collected. */
const CATCH_UP_OVERLAP_MS = 60_000;

interface PostCache {
  samples: WindowSamples;
  /** The clock of the pass that read it. */
  readUntilMs: number;
}

/** Where `value` goes in an ascending list (after equal values). */
function sortedIndex(list: readonly number[], value: number): number {
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  return i;
}

export interface PassReport {
  ran: boolean;
  /** Deployments whose verdict was recomputed. */
  computed: number;
  /** Verdicts whose value or finality changed. */
  changed: number;
  durationMs: number;
  /** Where the time went: reading deployments and samples, the statistics, storing and announcing. */
  phasesMs?: { read: number; compute: number; write: number };
}

/**
 * Deployment impact and verdicts. `recompute(now)` is one set-based pass over every deployment whose
 * observation window is open (or closed and not yet final): one query for their deployments, one for their
 * samples (pre and post windows together; a pre window, complete once the trigger is past, is read once and
 * kept), the statistics in memory, and one upsert of the verdicts with their announcements (SSE NOTIFY,
 * webhook/Slack outbox) in one transaction. Worker processes run it every SEQPULSE_VERDICT_INTERVAL_S and
 * soon after a post sample or a finish is announced.
 */
@Injectable()
export class DeploymentImpactService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeploymentImpactService.name);
  /** Pre windows of open deployments (complete once the trigger is past: read once). */
  private readonly preCache = new Map<string, PreparedPreWindow>();
  /** Post windows of open deployments as of the previous pass, brought up to date by `catchUp`. */
  private readonly postCache = new Map<string, PostCache>();
  private readonly unlisten: (() => void)[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly deployments: DeploymentsRepository,
    private readonly verdicts: DeploymentVerdictsRepository,
    private readonly samples: SamplesStore,
    private readonly hub: StreamHub,
    private readonly notifications: VerdictNotifications,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  onModuleInit(): void {
    this.tasks.register({
      name: TICK,
      everyMs: Math.max(1, this.config.SEQPULSE_VERDICT_INTERVAL_S) * 1000,
      runsIn: 'worker',
      enabled: (config) => config.SEQPULSE_VERDICT_INTERVAL_S > 0,
      run: () => this.recompute(new Date()),
    });
  }

  /** New post samples or a finish change what open verdicts are computed from: a pass soon (kicks never pile up). */
  onApplicationBootstrap(): void {
    if (!this.config.runsWorker || this.config.SEQPULSE_VERDICT_INTERVAL_S === 0) return;
    const kick = () => this.tasks.kick(TICK);
    this.unlisten.push(
      this.hub.listen(SAMPLES_CHANNEL, (notices) => {
        if (Array.isArray(notices) && (notices as SampleNotice[]).some((n) => n?.[2] === 'post')) kick();
      }),
      this.hub.listen(DEPLOYMENTS_NOTIFY_CHANNEL, (notice) => {
        if ((notice as DeploymentStreamNotice | null)?.state === 'finished') kick();
      }),
    );
  }

  onModuleDestroy(): void {
    for (const unlisten of this.unlisten) unlisten();
  }

  /** One pass at `now` over every deployment in (or just after) its observation window. */
  async recompute(now: Date = new Date()): Promise<PassReport> {
    const started = performance.now();
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let saved: SavedVerdict[] = [];
    let computed: ComputedVerdict[] = [];
    let rowsById = new Map<string, DeploymentRow>();
    const phases = { read: 0, compute: 0, write: 0 };
    try {
      await runner.startTransaction();
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [ADVISORY_LOCKS.deploymentVerdicts]);
      if (!locked) {
        await runner.rollbackTransaction();
        return { ran: false, computed: 0, changed: 0, durationMs: Math.round(performance.now() - started) };
      }
      const candidates = await this.deployments.inObservation(now, CATCH_UP_S);
      const states = await this.verdicts.statesOf(candidates.map((d) => d.id));
      const open = candidates.filter((d) => !states.get(d.id)?.final);
      rowsById = new Map(open.map((d) => [d.id, d]));
      computed = await this.computeAll(open, now, { incremental: true, phases });
      const writeStart = performance.now();
      // Only what changed is written: an open verdict's impact moves with every sample, and readers compute it
      // on the spot anyway; the stored row is the value, its finality, and the impact it was decided on.
      const changed = computed.filter(
        (c) => states.get(c.deployment_id)?.verdict !== c.verdict || states.get(c.deployment_id)?.final !== c.final,
      );
      saved = await this.verdicts.save(runner, changed);
      await this.announce(runner, saved, rowsById, now);
      phases.write = performance.now() - writeStart;
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    for (const cache of [this.preCache, this.postCache]) for (const id of cache.keys()) if (!rowsById.has(id)) cache.delete(id);
    if (saved.length) this.logger.log({ changed: saved.length, computed: computed.length }, 'Deployment verdicts changed');
    if (saved.length) this.dispatcher.kick();
    const round = (v: number) => Math.round(v);
    return {
      ran: true,
      computed: computed.length,
      changed: saved.length,
      durationMs: round(performance.now() - started),
      phasesMs: {
        read: round(performance.now() - started - phases.compute - phases.write),
        compute: round(phases.compute),
        write: round(phases.write),
      },
    };
  }

  /**
   * Impact and verdict of each finished deployment at `now`. With `incremental` (the periodic pass), windows read
   * before are brought up to date from the samples stored since the previous pass (one range read for all), and
   * only new deployments have their windows read in full (one query for all); a verdict about to become final is
   * computed from a full read of its windows, so late samples count. Without it (a single reader), a full read.
   */
  async computeAll(
    deployments: readonly DeploymentRow[],
    now: Date,
    options: { incremental?: boolean; phases?: { compute: number } } = {},
  ): Promise<ComputedVerdict[]> {
    const finished = deployments.filter((d) => d.finished_at);
    if (finished.length === 0) return [];
    const incremental = options.incremental ?? false;
    const settings = await this.verdicts.settingsOf([...new Set(finished.map((d) => d.project_id))]);
    const windows = finished.map((d) => windowsOf(d));
    const nowMs = now.getTime();
    const closing = (i: number) => nowMs >= (windows[i].closesAt as Date).getTime() + FINAL_AFTER_CLOSE_S * 1000;
    // a pre window is complete once its end is past the collection lag: read once, kept while the deployment is open
    const preComplete = (i: number) => windows[i].pre.to.getTime() < nowMs - (MAX_COLLECTION_LAG_S + 5) * 1000;
    const all = finished.map((_, i) => i);
    const preToRead = all.filter((i) => !incremental || !this.preCache.has(finished[i].id));
    const postToRead = all.filter((i) => !incremental || closing(i) || !this.postCache.has(finished[i].id));
    const warm = all.filter((i) => !postToRead.includes(i));
    const read = await this.samples.samplesInWindows([
      ...preToRead.map((i) => windows[i].pre),
      ...postToRead.map((i) => elapsedPost(windows[i], now) as SampleWindow),
    ]);
    const pre = new Map<string, PreparedPreWindow>();
    const post = new Map<string, WindowSamples>();
    preToRead.forEach((i, k) => pre.set(finished[i].id, preparePreWindow(read[k])));
    postToRead.forEach((i, k) => post.set(finished[i].id, read[preToRead.length + k]));
    if (warm.length)
      await this.catchUp(
        warm.map((i) => finished[i]),
        warm.map((i) => windows[i]),
        post,
        now,
      );

    const computeStart = performance.now();
    const result: ComputedVerdict[] = [];
    finished.forEach((d, i) => {
      const preSamples = pre.get(d.id) ?? (this.preCache.get(d.id) as PreparedPreWindow);
      const postSamples = post.get(d.id) as WindowSamples;
      const verdict = computeVerdict(d, preSamples, postSamples, withOverrides(settings.get(d.project_id) ?? {}), now);
      if (verdict) result.push(verdict);
      if (!incremental) return;
      if (preComplete(i)) this.preCache.set(d.id, preSamples);
      if (closing(i)) {
        this.preCache.delete(d.id);
        this.postCache.delete(d.id);
      } else {
        this.postCache.set(d.id, { samples: postSamples, readUntilMs: nowMs });
      }
    });
    if (options.phases) options.phases.compute += performance.now() - computeStart;
    return result;
  }

  /**
   * Verdicts of deployments recorded after the fact (the demo's past, older than the periodic pass looks back):
   * computed from their stored samples at `now` and stored as the pass would have (final once their window is long
   * closed), without stream events or notifications: they are history. Returns how many verdicts were stored.
   */
  async settle(ids: readonly string[], now: Date = new Date()): Promise<number> {
    if (ids.length === 0) return 0;
    const computed = await this.computeAll(await this.deployments.findByIds(ids), now);
    return (await this.verdicts.save(this.db, computed)).length;
  }

  /** Adds the samples stored since the previous pass to the cached post windows (`post` gets the results). */
  private async catchUp(deployments: DeploymentRow[], windows: ObservationWindows[], post: Map<string, WindowSamples>, now: Date) {
    const cached = deployments.map((d) => this.postCache.get(d.id) as PostCache);
    const since = Math.min(...cached.map((c) => c.readUntilMs)) - CATCH_UP_OVERLAP_MS;
    const series = [...new Map(deployments.map((d) => [`${d.project_id}|${d.env}`, { projectId: d.project_id, env: d.env }])).values()];
    const recent = await this.samples.samplesSince(series, new Date(since), now);
    const bySeries = new Map<string, SeriesSample[]>();
    for (const s of recent) {
      const key = `${s.project_id}|${s.env}`;
      const list = bySeries.get(key) ?? [];
      list.push(s);
      bySeries.set(key, list);
    }
    deployments.forEach((d, k) => {
      const samples = cached[k].samples;
      const window = elapsedPost(windows[k], now) as SampleWindow;
      const known = new Set(samples.slot_ms);
      for (const s of bySeries.get(`${d.project_id}|${d.env}`) ?? []) {
        if (known.has(s.slot_ms) || s.collected_ms < window.from.getTime() || s.collected_ms >= window.to.getTime()) continue;
        const at = sortedIndex(samples.slot_ms, s.slot_ms);
        samples.slot_ms.splice(at, 0, s.slot_ms);
        for (const m of METRIC_NAMES) samples[m].splice(at, 0, s.values[m]);
      }
      post.set(d.id, samples);
    });
  }

  /** NOTIFY `deployment` events for every change, and queue notifications for new warnings/rollbacks and final verdicts. */
  private async announce(
    tx: { query(sql: string, params?: unknown[]): Promise<unknown> },
    saved: SavedVerdict[],
    rows: Map<string, DeploymentRow>,
    now: Date,
  ): Promise<void> {
    if (saved.length === 0) return;
    const notices = saved.map((v) =>
      JSON.stringify({
        project_id: v.project_id,
        deployment_id: v.deployment_id,
        env: rows.get(v.deployment_id)?.env ?? '',
        state: 'verdict',
        verdict: v.verdict,
        final: v.final,
      } satisfies DeploymentStreamNotice),
    );
    await tx.query(`SELECT pg_notify($1, n) FROM unnest($2::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i`, [
      DEPLOYMENTS_NOTIFY_CHANNEL,
      notices,
    ]);
    const events: VerdictNoticeEvent[] = [];
    for (const v of saved) {
      const row = rows.get(v.deployment_id);
      if (!row) continue;
      const base = {
        projectId: v.project_id,
        deployment: summaryOf(row, v),
        verdict: { value: v.verdict, final: v.final, reasons: v.reasons, computed_at: isoSeconds(new Date(v.computed_at)) },
        impact: v.impact,
        at: now,
      };
      const alarming = v.verdict === 'warning' || v.verdict === 'rollback_recommended';
      if (alarming && v.verdict !== v.previous_verdict)
        events.push({ ...base, transition: v.verdict as 'warning' | 'rollback_recommended' });
      if (v.final && !v.previous_final) events.push({ ...base, transition: 'final' });
    }
    await this.notifications.enqueue(tx, events, now);
  }

  async settingsView(
    projectId: string,
  ): Promise<{ project_id: string; settings: Record<VerdictSettingName, { value: number; default: number; overridden: boolean }> }> {
    const overrides = (await this.verdicts.settingsOf([projectId])).get(projectId) ?? {};
    const effective = withOverrides(overrides);
    const settings = Object.fromEntries(
      VERDICT_SETTING_NAMES.map((name) => [
        name,
        { value: effective[name], default: DEFAULT_VERDICT_SETTINGS[name], overridden: overrides[name] !== undefined },
      ]),
    ) as Record<VerdictSettingName, { value: number; default: number; overridden: boolean }>;
    return { project_id: projectId, settings };
  }

  async replaceSettings(projectId: string, overrides: Partial<Record<VerdictSettingName, number | null>>, userId: string) {
    const given = Object.fromEntries(VERDICT_SETTING_NAMES.flatMap((n) => (typeof overrides[n] === 'number' ? [[n, overrides[n]]] : [])));
    await this.verdicts.replaceSettings(projectId, given, userId);
    return this.settingsView(projectId);
  }

  /**
   * The stored verdict of each deployment that has one, in one read: what the recomputation pass last decided
   * (the overview's last deployments; a deployment without a verdict yet is left out).
   */
  async storedVerdicts(ids: readonly string[]): Promise<Map<string, Verdict>> {
    const states = await this.verdicts.statesOf(ids);
    return new Map([...states].map(([id, state]) => [id, state.verdict]));
  }

  /** Deployments of a project/env that started in [from, to), newest first, with their verdicts. */
  async list(projectId: string, env: string | null, from: Date, to: Date, limit: number): Promise<DeploymentSummary[]> {
    const rows = await this.deployments.listStarted(projectId, env, from, to, limit);
    const states = await this.verdicts.statesOf(rows.map((r) => r.id));
    return rows.map((r) => summaryOf(r, states.get(r.id) ?? null));
  }

  /**
   * The current verdict of one deployment: the stored one when final, else computed now from its samples (two
   * index range scans; a reader never depends on a worker having run, and sees the latest sample). Null while it runs.
   */
  async current(d: DeploymentRow, now: Date = new Date()): Promise<VerdictRow | ComputedVerdict | null> {
    if (!d.finished_at) return null;
    const stored = (await this.verdicts.byIds([d.id])).get(d.id);
    if (stored?.final) return stored;
    const [live] = await this.computeAll([d], now);
    return live ?? null;
  }

  async detail(d: DeploymentRow, now: Date = new Date()): Promise<DeploymentDetail> {
    const v = await this.current(d, now);
    const w = windowsOf(d);
    return {
      deployment_id: d.id,
      project_id: d.project_id,
      env: d.env,
      branch: d.branch,
      idempotency_key: d.idempotency_key,
      started_at: isoSeconds(d.started_at),
      finished_at: isoOrNull(d.finished_at),
      result: d.result,
      window_ends_at: isoOrNull(w.closesAt),
      impact: v?.impact ?? null,
      verdict: v ? { value: v.verdict, final: v.final, reasons: v.reasons, computed_at: isoSeconds(new Date(v.computed_at)) } : null,
    };
  }

  /** The stored verdict as the verdict route answers it (null before the first pass stored one). */
  async storedResponse(d: DeploymentRow): Promise<VerdictResponse | null> {
    const stored = (await this.verdicts.byIds([d.id])).get(d.id);
    return stored ? { deployment_id: d.id, verdict: stored.verdict, final: stored.final, reasons: stored.reasons } : null;
  }

  async verdictResponse(d: DeploymentRow, now: Date = new Date()): Promise<VerdictResponse> {
    const v = await this.current(d, now);
    return { deployment_id: d.id, verdict: v?.verdict ?? null, final: v?.final ?? false, reasons: v?.reasons ?? [] };
  }
}

/** A long poll answers as soon as the verdict is final or calls for a rollback. */
export function verdictSettled(v: VerdictResponse): boolean {
  return v.final || v.verdict === 'rollback_recommended';
}
