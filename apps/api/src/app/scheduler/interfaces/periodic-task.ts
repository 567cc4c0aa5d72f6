import type { AppConfig } from '../../config/app-config';
import type { AdvisoryLockName } from '../../database/advisory-locks';

/** A piece of periodic work, registered with `TaskScheduler.register()` by the module that owns it. */
export interface PeriodicTask {
  /** Unique, kebab-case; shown in `/health/scheduler`. */
  name: string;
  everyMs: number;
  /**
   * `worker`: background work, in processes of role `worker` or `all`; `every`: in every process (for example the
   * API's own buffers).
   */
  runsIn: 'worker' | 'every';
  /** One runner across all processes: the run is skipped while another process holds this lock. */
  lock?: AdvisoryLockName;
  /**
   * After a failed run, try again this soon instead of a whole interval later (one retry waiting at a time): for
   * a long interval whose first run after an outage matters, such as the enqueue of poll slots.
   */
  retryAfterFailureMs?: number;
  /** Also run once at bootstrap, before the process starts serving. */
  runAtStart?: boolean;
  /** Off when this returns false for the configuration (for example an interval set to 0). */
  enabled?: (config: AppConfig) => boolean;
  run(): Promise<unknown>;
}

/** Timing of one task in one process, as the heartbeat publishes it. */
export interface TaskStats {
  name: string;
  every_ms: number;
  runs: number;
  failures: number;
  /** Runs not made: the previous run was still going, or another process held the task's lock. */
  skipped: number;
  last_started_at: string | null;
  last_duration_ms: number | null;
  /** Mean of the latest 50 runs. */
  mean_duration_ms: number | null;
  max_duration_ms: number | null;
  last_error: string | null;
}
