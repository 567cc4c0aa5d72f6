import { Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { NewSample, SamplesStore } from '../samples/samples.store';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { AlertEvaluator, EnvRef } from './alert-evaluator';

const TASK = 'alert-evaluation-on-samples';
/**
 * Evaluations of arriving samples start at most this often: each run pays the statement's fixed part (rules, levels,
 * silences, maintenance) again, and writes close together (a backlog stored in several batches after an outage)
 * should be one evaluation, not one each. The collector writes every 500 ms, so in steady
 * state every write is evaluated at once, in the task that stored it (no timer of its own: each wake-up of the event
 * loop costs ~200 µs of CPU on this VM); a write sooner after the last start waits for the rest of the gap. A sample
 * waits at most this long more before its evaluation; at a second, the alert-latency benchmark's p99 from sample to
 * webhook reached 2.1 s on the loaded machine (target < 2 s).
 */
export const EVALUATE_AT_MOST_EVERY_MS = 400;
/** The task's timer only flushes what a lost kick left behind; kicks do the work. */
const FLUSH_EVERY_MS = 5_000;

/**
 * Alert latency: the envs whose samples this process just stored (the samples store tells its own process after
 * each write; only workers store samples) are evaluated at once, not at the next 15 s pass. Each worker evaluates
 * what it wrote: with N workers a sample is evaluated once (when every worker evaluated every worker's `NOTIFY`, it
 * was N times, serialised by the transitions lock). Stored envs are gathered into one set, evaluated by one
 * statement (`AlertEvaluator.evaluateEnvs`), while the next set gathers; the scheduler never runs two at once in a
 * process and the transitions lock orders them across processes. The periodic pass stays: it sweeps, fires
 * `no_data` (no sample arrives to trigger it), and evaluates whatever an evaluation here missed (a failed
 * statement, a worker that stopped between its write and the evaluation).
 */
@Injectable()
export class PromptAlertEvaluation implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private pending = new Map<string, EnvRef>();
  private gathering?: NodeJS.Timeout | NodeJS.Immediate;
  private lastStartedAt = 0;
  private unlisten?: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly samples: SamplesStore,
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
    this.unlisten = this.samples.onStored((batch) => this.gather(batch));
  }

  onModuleDestroy(): void {
    this.unlisten?.();
    clearTimeout(this.gathering as NodeJS.Timeout);
    clearImmediate(this.gathering as NodeJS.Immediate);
  }

  /** The envs of a stored batch join the next evaluation (one entry per env, whatever the batches). */
  private gather(batch: readonly NewSample[]): void {
    for (const s of batch) this.pending.set(`${s.projectId} ${s.env}`, { projectId: s.projectId, env: s.env });
    if (this.pending.size === 0 || this.gathering) return;
    const wait = this.lastStartedAt + EVALUATE_AT_MOST_EVERY_MS - Date.now();
    const go = () => {
      this.gathering = undefined;
      this.tasks.kick(TASK);
    };
    // after the writer's own continuation (the lease completion), in the same wake-up
    if (wait <= 0) this.gathering = setImmediate(go);
    else (this.gathering = setTimeout(go, wait)).unref();
  }

  /** Evaluates the envs gathered so far (envs stored meanwhile wait for the next run). */
  private async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    this.lastStartedAt = Date.now();
    const envs = [...this.pending.values()];
    this.pending = new Map();
    await this.evaluator.evaluateEnvs(envs);
  }
}
