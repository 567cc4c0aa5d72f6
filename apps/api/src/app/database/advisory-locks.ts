/**
 * Every Postgres advisory lock id SeqPulse takes, in one place so two kinds of work can never share an id by
 * accident. Every lock is transaction-scoped (`pg_try_advisory_xact_lock`, held by an open transaction: by
 * `TaskScheduler` around a single-runner task, by the statements named here), so locks also work through a
 * transaction-mode pooler and a lost connection frees them. The values are frozen: older
 * processes of a rolling upgrade take the same ids.
 */
export const ADVISORY_LOCKS = {
  /** Schema migrations at start-up (database/run-migrations.ts). */
  migrations: 7_301_001,
  /** Creating the samples table's day partitions (samples repository). */
  samplePartitions: 7_301_002,
  /** Dropping expired sample partitions: one process at a time. */
  samplesRetention: 7_301_003,
  /** `samples_rollup_catch_up()` (taken inside the SQL function). */
  rollupCatchUp: 7_301_004,
  /** The periodic alert evaluation: one pass at a time across processes (transaction lock, try). */
  alertEvaluation: 7_301_005,
  /**
   * Every statement that applies alert transitions (the periodic pass and the evaluations of the envs that just
   * received samples) holds this one, waiting for it: two evaluations never decide the same env at once.
   */
  alertTransitions: 7_301_013,
  /** `PUT alert-rules` of one project (two-key form: this id and the hash of the project id). */
  alertRuleSet: 7_301_011,
  /** The demo's simulated CI. */
  demoDeployments: 7_301_010,
  /** Deployment verdicts: one recomputation pass at a time across processes (transaction lock). */
  deploymentVerdicts: 7_301_012,
  /** Compaction of closed days into the archive tables and the tiered retention: one process at a time. */
  samplesCompaction: 7_301_021,
} as const;

export type AdvisoryLockName = keyof typeof ADVISORY_LOCKS;
