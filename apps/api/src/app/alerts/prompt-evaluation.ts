import { Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { StreamHub } from '../monitoring/stream-hub';
import { SAMPLES_CHANNEL, SampleNotice } from '../samples/samples.store';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { AlertEvaluator, EnvRef } from './alert-evaluator';

const TASK = 'alert-evaluation-on-samples';
/**
 * How long announcements are gathered before an evaluation starts: one stored batch arrives as several NOTIFYs
 * (25 samples each) within a few milliseconds, and they should be one evaluation, not one each.
 */
const GATHER_MS = 20;
/**
 * Evaluations of arriving samples start at most this often: the collector writes every 250 ms, and each run pays the
 * statement's fixed part (rules, levels, silences, maintenance) again, so two runs a second instead of four. A
 * sample waits at most this long more before its evaluation; at a second, the alert-latency benchmark's p99 from
 * sample to webhook reached 2.1 s on the loaded machine (target < 2 s), hence half a second.
 */
export const EVALUATE_AT_MOST_EVERY_MS = 500;
/** The task's timer only flushes what a lost kick left behind; kicks do the work. */
const FLUSH_EVERY_MS = 5_000;

/**
 * Alert latency: the envs whose samples were just stored (the store announces every stored row on
 * `seqpulse_samples`, which this process hears through the stream hub's LISTEN session) are evaluated at once,
 * not at the next 15 s pass. Announcements are gathered into one set of envs, evaluated by one statement
 * (`AlertEvaluator.evaluateEnvs`), while the next set gathers; the scheduler never runs two at once in a process
 * and the transitions lock orders them across processes. The periodic pass stays: it sweeps, fires `no_data`
 * (no sample arrives to trigger it), and evaluates whatever an evaluation here missed (a lost LISTEN session,
 * a failed statement).
 */
@Injectable()
export class PromptAlertEvaluation implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private pending = new Map<string, EnvRef>();
  private gathering?: NodeJS.Timeout;
  private lastStartedAt = 0;
  private unlisten?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly hub: StreamHub,
    private readonly evaluator: AlertEvaluator,
  ) {}

  private get enabled(): boolean {
    return this.config.runsWorker && this.config.SEQPULSE_ALERT_EVAL_INTERVAL_S > 0 && this.config.SEQPULSE_ALERT_ON_SAMPLES;
  }

  onModuleInit(): void {
    this.tasks.register({
      name: TASK,
      everyMs: FLUSH_EVERY_MS,
      runsIn: 'worker',
      enabled: (config) => config.SEQPULSE_ALERT_EVAL_INTERVAL_S > 0 && config.SEQPULSE_ALERT_ON_SAMPLES,
      run: () => this.flush(),
    });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.unlisten = this.hub.listen(SAMPLES_CHANNEL, (notices) => {
      // `null`: the LISTEN session was re-established and announcements may have been missed; the periodic pass
      // evaluates every env anyway, so it is asked to run now.
      if (notices === null) return this.tasks.kick('alert-evaluation');
      if (Array.isArray(notices)) this.gather(notices as SampleNotice[]);
    });
  }

  onModuleDestroy(): void {
    this.unlisten?.();
    clearTimeout(this.gathering);
  }

  private gather(notices: SampleNotice[]): void {
    for (const notice of notices) {
      if (!Array.isArray(notice) || typeof notice[0] !== 'string' || typeof notice[1] !== 'string') continue;
      this.pending.set(`${notice[0]} ${notice[1]}`, { projectId: notice[0], env: notice[1] });
    }
    if (this.pending.size === 0 || this.gathering) return;
    const wait = Math.max(GATHER_MS, this.lastStartedAt + EVALUATE_AT_MOST_EVERY_MS - Date.now());
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      this.tasks.kick(TASK);
    }, wait);
    this.gathering.unref();
  }

  /** Evaluates the envs gathered so far (announcements arriving meanwhile wait for the next run). */
  private async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    this.lastStartedAt = Date.now();
    const envs = [...this.pending.values()];
    this.pending = new Map();
    await this.evaluator.evaluateEnvs(envs);
  }
}
