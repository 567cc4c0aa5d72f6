import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { DemoFleet, fleetControl, startDemoFleet, waitFor } from '../testing/fleet';
import { PgBouncer, PGBOUNCER_BINARY, pgbouncerInstalled } from '../testing/pgbouncer';
import { AutoFailoverCluster, CLUSTER_DATABASE, pgAutoFailoverMissing } from '../testing/pg-auto-failover';
import { ReconnectingStream } from '../testing/drill-stream';
import { ServerProcess } from '../testing/server-process';
import { CLAIM_EVERY_MS, maxSlotAgeS } from '../app/collection/collector';
import { AppConfig } from '../app/config/app-config';

/** Targets of the fleet; the first one is in an error burst, so an alert is firing when the primary is lost. */
const TARGETS = 6;
const INTERVAL_S = 15;
/** Where the figures land for docs/performance.md (tmp/ is not committed). */
const REPORT = resolve(__dirname, '../../../../tmp/failover-drill.json');

const missing = pgAutoFailoverMissing() ?? (pgbouncerInstalled() ? null : `${PGBOUNCER_BINARY} missing: apt-get install pgbouncer`);
if (missing) console.warn(`Failover drill skipped: ${missing}`);

/**
 * The failover drill of docs/operations.md ("Running as a cluster"): pg_auto_failover (monitor, primary, secondary
 * with synchronous streaming replication), a PgBouncer in transaction mode in front of each node, two worker and
 * two API processes on a multi-host DATABASE_URL of the poolers and a multi-host DATABASE_SESSION_URL of the nodes,
 * a fleet of real HTTP targets and a live-stream client. The primary's machine is lost (its pg_autoctl, its Postgres
 * and its PgBouncer are SIGKILLed); pg_auto_failover promotes the secondary; SeqPulse must carry on.
 */
(missing ? describe.skip : describe)('the failover drill (pg_auto_failover + PgBouncer, 2 API + 2 worker processes)', () => {
  const cluster = new AutoFailoverCluster();
  const bouncers = new Map<string, PgBouncer>();
  let fleet: DemoFleet;
  let apis: ServerProcess[] = [];
  let workers: ServerProcess[] = [];
  let projectIds: string[] = [];
  let stream: ReconnectingStream;

  /** A query on whichever node is writable now (the drill's own view, beside SeqPulse's). */
  const onPrimary = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> => {
    for (const node of cluster.nodes) {
      const client = new Client({ connectionString: cluster.nodeUrl(node.name), connectionTimeoutMillis: 2_000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        if ((await client.query('SHOW transaction_read_only')).rows[0].transaction_read_only === 'off')
          return (await client.query(text, values)).rows;
      } catch {
        /* down or not reachable: the next node */
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    throw new Error('no writable node');
  };

  beforeAll(async () => {
    await cluster.start();
    for (const node of cluster.nodes) {
      const bouncer = new PgBouncer(new URL(cluster.nodeUrl(node.name)));
      await bouncer.start();
      bouncers.set(node.name, bouncer);
    }
    const hosts = (ports: number[]) => `postgres://postgres:postgres@${ports.map((p) => `127.0.0.1:${p}`).join(',')}/${CLUSTER_DATABASE}`;
    const env = {
      DATABASE_POOL_MODE: 'transaction',
      DATABASE_SESSION_URL: hosts(cluster.nodes.map((n) => n.port)),
      SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true',
    };
    const DATABASE_URL = hosts([...bouncers.values()].map((b) => b.port));
    apis = [new ServerProcess('api', { ...env, DATABASE_URL }), new ServerProcess('api', { ...env, DATABASE_URL })];
    workers = [new ServerProcess('worker', { ...env, DATABASE_URL }), new ServerProcess('worker', { ...env, DATABASE_URL })];
    await apis[0].start(); // migrates
    await Promise.all([apis[1], ...workers].map((p) => p.start()));
    fleet = await startDemoFleet({ port: 0, incidentRules: [] });
    projectIds = await fleetProjects(apis[0], fleet.url);
    await fleetControl(fleet.url, 'drill-0', 'error_burst', 900);
  }, 240_000);

  afterAll(async () => {
    await stream?.stop();
    await Promise.all([...apis, ...workers].map((p) => p.stop()));
    await fleet?.close();
    for (const b of bouncers.values()) await b.stop();
    await cluster.stop();
  }, 90_000);

  it('carries on through the loss of the primary', async () => {
    const owner = await apis[1].login();
    await waitFor(
      'two samples of every target and the error-rate alert firing',
      async () => {
        const [{ n }] = await onPrimary<{ n: number }>(
          `SELECT count(*)::int AS n FROM (SELECT project_id FROM samples GROUP BY project_id HAVING count(*) >= 2) s`,
        );
        const firing = await onPrimary(`SELECT 1 FROM alerts WHERE rule = 'error_rate_high' AND state = 'firing'`);
        return n === TARGETS && firing.length === 1;
      },
      90_000,
      1_000,
    );
    stream = new ReconnectingStream(`${apis[1].url}/monitoring/enterprise/stream?project_id=${projectIds[1]}`, {
      authorization: `Bearer ${owner}`,
    });
    await waitFor('the stream open and fed', async () => stream.opened === 1 && stream.samples.length > 0, 60_000, 500);
    const [firingBefore] = await onPrimary<{ id: string }>(`SELECT id FROM alerts WHERE state = 'firing'`);

    const killedAt = Date.now();
    cluster.kill('node1');
    await bouncers.get('node1')?.stop('SIGKILL');

    await waitFor('node2 promoted', async () => ['wait_primary', 'primary'].includes((await cluster.states()).node2), 120_000, 500);
    const promotedAt = Date.now();
    await waitFor(
      'every target collected again',
      async () => {
        const rows = await onPrimary(`SELECT project_id FROM samples WHERE collected_at > $1 GROUP BY project_id`, [new Date(promotedAt)]);
        return rows.length === TARGETS;
      },
      90_000,
      1_000,
    );
    const schedulerOkAt = await waitFor(
      '/health/scheduler ok',
      async () => (await apis[0].call('GET', '/health/scheduler')).body?.status === 'ok' && Date.now(),
      60_000,
      500,
    );
    await waitFor('the stream client reconnected and fed', async () => stream.samples.some((s) => s.receivedAt > promotedAt), 60_000, 500);
    // The slots lost during the outage are failed by the reaper (every 2.5 s) once they are too old to poll.
    const pollTimeoutMs = new AppConfig().SEQPULSE_POLL_TIMEOUT_MS;
    const maxSlotAgeMs = maxSlotAgeS(pollTimeoutMs) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, promotedAt + maxSlotAgeMs + 5_000 - Date.now())));

    // A poll claimed just before the kill may start up to a claim's lookahead later and answer up to its timeout
    // after that; its sample waits in the worker's buffer and is stored after the promotion. Such a sample belongs
    // to the time before the outage: counting it as "collection resumed" (0.3 s after the kill, once in CI) made
    // every slot of the outage look as if it had still been pollable.
    const inFlightAtKillUntil = killedAt + CLAIM_EVERY_MS * 2 + pollTimeoutMs;
    const gaps = await onPrimary<{ project_id: string; before: Date; after: Date; slot_before: Date; slot_after: Date }>(
      `SELECT project_id, max(collected_at) FILTER (WHERE collected_at < $1) AS before, min(collected_at) FILTER (WHERE collected_at > $1) AS after,
              max(slot_at) FILTER (WHERE collected_at < $1) AS slot_before, min(slot_at) FILTER (WHERE collected_at > $1) AS slot_after
         FROM samples GROUP BY project_id`,
      [new Date(inFlightAtKillUntil)],
    );
    const lostSlots = gaps.flatMap((g) => {
      const n = Math.round((g.slot_after.getTime() - g.slot_before.getTime()) / (INTERVAL_S * 1000)) - 1;
      return Array.from({ length: n }, (_, i) => ({
        project: g.project_id,
        slot: new Date(g.slot_before.getTime() + (i + 1) * INTERVAL_S * 1000),
      }));
    });
    const visible = await onPrimary<{ project_id: string; slot_at: Date; last_error: string }>(
      `SELECT project_id, slot_at, last_error FROM jobs WHERE kind = 'poll' AND state = 'failed' AND slot_at > $1`,
      [new Date(killedAt - INTERVAL_S * 1000)],
    );
    // A slot may be polled until maxSlotAgeS after it: one whose window was still open when collection resumed was
    // lost by SeqPulse, not by the outage.
    const resumedAt = Math.min(...gaps.map((g) => g.after.getTime()));
    const savable = lostSlots.filter((l) => l.slot.getTime() + maxSlotAgeMs > resumedAt + 2_000);
    const invisible = lostSlots.filter((l) => !visible.some((v) => v.project_id === l.project && v.slot_at.getTime() === l.slot.getTime()));
    const [{ n: duplicatedSamples }] = await onPrimary<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 FROM samples GROUP BY project_id, env, slot_at HAVING count(*) > 1) d`,
    );
    const reopened = await onPrimary(`SELECT project_id, env, rule FROM alerts GROUP BY project_id, env, rule HAVING count(*) > 1`);
    const [firingAfter] = await onPrimary<{ id: string }>(`SELECT id FROM alerts WHERE state = 'firing' AND rule = 'error_rate_high'`);

    const s = (ms: number) => Math.round(ms / 100) / 10;
    const figures = {
      taken_at: new Date().toISOString(),
      targets: TARGETS,
      poll_interval_s: INTERVAL_S,
      processes: { api: apis.length, worker: workers.length },
      promotion_s: s(promotedAt - killedAt),
      seconds_without_collection: s(Math.max(...gaps.map((g) => g.after.getTime() - g.before.getTime())) - INTERVAL_S * 1000),
      first_sample_after_kill_s: s(resumedAt - killedAt),
      first_sample_after_promotion_s: s(resumedAt - promotedAt),
      samples_lost: lostSlots.length,
      samples_lost_while_still_pollable: savable.length,
      lost_slots_not_visible: invisible.length,
      missed_reasons: [...new Set(visible.map((v) => v.last_error.split(':')[0]))],
      duplicated_samples: duplicatedSamples,
      duplicated_stream_samples: stream.duplicates(),
      alerts_opened_twice: reopened.length,
      sse_reconnects: stream.reconnects,
      sse_failed_attempts: stream.failedAttempts,
      scheduler_ok_after_s: s(schedulerOkAt - killedAt),
    };
    console.log(`Failover drill: ${JSON.stringify(figures, null, 2)}`);
    mkdirSync(join(REPORT, '..'), { recursive: true });
    writeFileSync(REPORT, `${JSON.stringify(figures, null, 2)}\n`);

    expect(invisible).toEqual([]);
    expect(savable).toEqual([]);
    expect(duplicatedSamples).toBe(0);
    expect(stream.duplicates()).toBe(0);
    expect(reopened).toEqual([]);
    expect(firingAfter?.id).toBe(firingBefore.id);
    expect(stream.reconnects).toBeGreaterThanOrEqual(1);
  }, 300_000);
});

/** One owner's enterprise projects in the pilot, each polling its own target of the fleet. */
async function fleetProjects(api: ServerProcess, fleetUrl: string): Promise<string[]> {
  const admin = await api.login();
  const ids: string[] = [];
  for (let i = 0; i < TARGETS; i++) {
    const endpoint = `${fleetUrl}/targets/drill-${i}/metrics`;
    const res = await api.call('POST', '/projects', {
      token: admin,
      body: { name: `drill-${i}`, envs: ['prod'], metrics_endpoint: endpoint, poll_interval_s: INTERVAL_S },
    });
    if (res.status !== 201) throw new Error(`create project: ${res.status} ${JSON.stringify(res.body)}`);
    await api.call('PUT', `/admin/projects/${res.body.id}/plan`, { token: admin, body: { plan: 'enterprise' } });
    ids.push(res.body.id);
  }
  const rollout = await api.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: ids } });
  if (rollout.status !== 200) throw new Error(`rollout: ${rollout.status} ${JSON.stringify(rollout.body)}`);
  return ids;
}
