import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { METRIC_NAMES } from '@seqpulse/contracts';
import type { MetricValues, Phase } from '@seqpulse/contracts';

export interface NewSample {
  projectId: string;
  env: string;
  slotAt: Date;
  collectedAt: Date;
  values: MetricValues;
}

export interface StoredSample extends NewSample {
  phase: Phase;
}

/** Postgres NOTIFY payloads are limited to 8000 bytes; stay well under. */
const NOTIFY_PAYLOAD_LIMIT = 7_000;
export const SAMPLES_CHANNEL = 'seqpulse_samples';

/** Compact NOTIFY form of a sample: [project, env, phase, collected_at ms, ...five values]. */
export type SampleNotice = [string, string, Phase, number, ...number[]];

const NO_PARTITION = '23514';

/**
 * The time-series store. Writes are batched (one statement per batch), idempotent per poll slot, label the
 * `phase` in SQL from the deployments table, and announce new rows on `seqpulse_samples` for live streams.
 */
@Injectable()
export class SamplesStore {
  private readonly logger = new Logger(SamplesStore.name);

  constructor(private readonly db: DataSource) {}

  async insertBatch(samples: NewSample[]): Promise<StoredSample[]> {
    if (samples.length === 0) return [];
    try {
      return await this.insertAndNotify(samples);
    } catch (error) {
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      const times = samples.map((s) => s.slotAt.getTime());
      await this.ensurePartitions(new Date(Math.min(...times)), new Date(Math.max(...times)));
      return this.insertAndNotify(samples);
    }
  }

  private async insertAndNotify(samples: NewSample[]): Promise<StoredSample[]> {
    const columns = METRIC_NAMES.map((m) => samples.map((s) => s.values[m]));
    const rows: { project_id: string; env: string; phase: Phase; slot_at: Date; collected_at: Date }[] = await this.db.query(
      `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, ${METRIC_NAMES.join(', ')})
       SELECT u.project_id, u.env,
              CASE WHEN EXISTS (
                SELECT 1 FROM deployments d JOIN projects p ON p.id = d.project_id
                 WHERE d.project_id = u.project_id AND d.env = u.env
                   AND d.finished_at <= u.collected_at
                   AND d.finished_at > u.collected_at - make_interval(mins => p.post_window_min)
              ) THEN 'post' ELSE 'pre' END,
              u.slot_at, u.collected_at, ${METRIC_NAMES.map((m) => `u.${m}`).join(', ')}
         FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[],
                     ${METRIC_NAMES.map((_, i) => `$${i + 5}::float8[]`).join(', ')})
           AS u(project_id, env, slot_at, collected_at, ${METRIC_NAMES.join(', ')})
       ON CONFLICT (project_id, env, slot_at) DO NOTHING
       RETURNING project_id, env, phase, slot_at, collected_at`,
      [samples.map((s) => s.projectId), samples.map((s) => s.env), samples.map((s) => s.slotAt), samples.map((s) => s.collectedAt), ...columns],
    );
    const byKey = new Map(samples.map((s) => [`${s.projectId}|${s.env}|${s.slotAt.getTime()}`, s]));
    const stored = rows.map((r) => ({ ...(byKey.get(`${r.project_id}|${r.env}|${new Date(r.slot_at).getTime()}`) as NewSample), phase: r.phase }));
    await this.notify(stored);
    return stored;
  }

  /** One NOTIFY per chunk of samples, all sent in one round trip; listeners in any API process fan them out to SSE clients. */
  private async notify(samples: StoredSample[]): Promise<void> {
    const payloads: string[] = [];
    let chunk: string[] = [];
    let size = 2;
    for (const s of samples) {
      const notice: SampleNotice = [s.projectId, s.env, s.phase, s.collectedAt.getTime(), ...METRIC_NAMES.map((m) => s.values[m])];
      const json = JSON.stringify(notice);
      if (size + json.length + 1 > NOTIFY_PAYLOAD_LIMIT) {
        payloads.push(`[${chunk.join(',')}]`);
        chunk = [];
        size = 2;
      }
      chunk.push(json);
      size += json.length + 1;
    }
    if (chunk.length) payloads.push(`[${chunk.join(',')}]`);
    if (payloads.length) await this.db.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [SAMPLES_CHANNEL, payloads]);
  }

  /** Creates the daily partitions covering [from, to] (no-op on a hypertable). */
  async ensurePartitions(from: Date, to: Date): Promise<void> {
    if (!(await this.isPartitioned())) return;
    await this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(7301002)`); // two processes creating the same partition
      for (let day = startOfUtcDay(from); day <= to.getTime(); day += 86_400_000) {
        const name = `samples_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF samples FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + 86_400_000).toISOString()}')`,
        );
      }
    });
  }

  /** Drops whole partitions (or chunks) older than the retention: cheap, no row-by-row delete. */
  async dropExpired(retentionDays: number, now = new Date()): Promise<string[]> {
    const cutoff = new Date(startOfUtcDay(new Date(now.getTime() - retentionDays * 86_400_000)));
    if (!(await this.isPartitioned())) {
      const dropped: { drop_chunks: string }[] = await this.db.query(`SELECT drop_chunks('samples', older_than => $1::timestamptz)`, [cutoff]);
      return dropped.map((d) => d.drop_chunks);
    }
    const partitions: { name: string }[] = await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'samples'`,
    );
    const expired = partitions
      .map((p) => p.name)
      .filter((name) => /^samples_\d{8}$/.test(name) && partitionDay(name) + 86_400_000 <= cutoff.getTime());
    for (const name of expired) await this.db.query(`DROP TABLE IF EXISTS ${name}`);
    if (expired.length) this.logger.log({ dropped: expired }, 'Dropped expired sample partitions');
    return expired;
  }

  async isPartitioned(): Promise<boolean> {
    const [row] = await this.db.query(`SELECT relkind FROM pg_class WHERE relname = 'samples' AND relnamespace = 'public'::regnamespace`);
    return row?.relkind === 'p';
  }
}

function startOfUtcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function partitionDay(name: string): number {
  const d = name.slice(-8);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
}
