import { Injectable } from '@nestjs/common';
import type { SchedulerHealth } from '@seqpulse/contracts';
import { AlertEvaluator } from '../alerts/alert-evaluator';
import { FailureLog } from '../collection/failure-log';
import { JobQueue } from '../collection/job-queue';
import { isoSeconds } from '../common/time';
import type { TaskStats } from '../scheduler/interfaces/periodic-task';
import { ProcessRegistry } from '../scheduler/process-registry';

/** A worker whose last heartbeat is older than this is considered gone. */
export const HEARTBEAT_STALE_S = 30;
const WINDOW_MS = 15 * 60_000;

/** One task across the live workers: summed counts, the latest run, the mean of the per-process means. */
export interface TaskHealth extends TaskStats {
  /** Live workers running it. */
  processes: number;
}

/** The job system as `/health/scheduler` shows it, from the modules that own each figure. */
@Injectable()
export class SchedulerHealthService {
  constructor(
    private readonly jobs: JobQueue,
    private readonly failures: FailureLog,
    private readonly evaluator: AlertEvaluator,
    private readonly registry: ProcessRegistry,
  ) {}

  /** `forAdmin`: worker ids (host and process id) and the latest failures; others see `worker-<n>` and counts. */
  async report(forAdmin: boolean): Promise<SchedulerHealth> {
    const [jobs, avgAnalysisMs, workers, failuresByReason] = await Promise.all([
      this.jobs.figures(),
      this.evaluator.meanDurationMs(new Date(Date.now() - WINDOW_MS)),
      this.registry.workers(),
      this.failures.countsByReason(),
    ]);
    const heartbeatAge = workers.length ? round1(workers[0].age_s) : null;
    const live = workers.filter((w) => w.age_s <= HEARTBEAT_STALE_S);
    const degraded = heartbeatAge === null || heartbeatAge > HEARTBEAT_STALE_S || jobs.stuck_running > 0;
    const health: SchedulerHealth = {
      status: degraded ? 'degraded' : 'ok',
      timestamp: isoSeconds(new Date()),
      jobs: { pending: jobs.pending, running: jobs.running, failed: jobs.failed },
      stuck_running: jobs.stuck_running,
      avg_collection_ms: jobs.avg_collection_ms,
      avg_analysis_ms: avgAnalysisMs,
      heartbeat_age_s: heartbeatAge,
      requeued_last_15m: jobs.requeued,
      polls_last_15m: { succeeded: jobs.succeeded_15m, failed: jobs.failed_15m },
      schedule_lag_p99_ms: jobs.lag_p99 === null ? null : Math.round(jobs.lag_p99),
      failures_by_reason: failuresByReason,
      workers: live.map((w, i) => ({ id: forAdmin ? w.id : `worker-${i + 1}`, role: w.role, heartbeat_age_s: round1(w.age_s) })),
      tasks: mergeTasks(live.map((w) => w.tasks ?? [])),
    };
    if (forAdmin) health.recent_failures = await this.failures.recent({ limit: 20 });
    return health;
  }
}

/** The periodic tasks of several processes, one entry per task name, in name order. */
export function mergeTasks(perProcess: TaskStats[][]): TaskHealth[] {
  const byName = new Map<string, TaskStats[]>();
  for (const stats of perProcess) for (const s of stats) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, list]) => {
      const latest = list.reduce((a, b) => ((a.last_started_at ?? '') >= (b.last_started_at ?? '') ? a : b));
      const means = list.map((s) => s.mean_duration_ms).filter((m): m is number => m !== null);
      const maxes = list.map((s) => s.max_duration_ms).filter((m): m is number => m !== null);
      return {
        name,
        every_ms: latest.every_ms,
        processes: list.length,
        runs: sum(list.map((s) => s.runs)),
        failures: sum(list.map((s) => s.failures)),
        skipped: sum(list.map((s) => s.skipped)),
        last_started_at: latest.last_started_at,
        last_duration_ms: latest.last_duration_ms,
        mean_duration_ms: means.length ? round1(sum(means) / means.length) : null,
        max_duration_ms: maxes.length ? Math.max(...maxes) : null,
        last_error: latest.last_error,
      };
    });
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
