import { randomBytes } from 'node:crypto';
import type { AuditRecordView } from '@seqpulse/contracts';
import { TEST_ADMIN, TestApp } from './test-app';

export interface Fixture {
  admin: string;
  owner: { token: string; email: string };
  stranger: { token: string };
  /** Enterprise, in the pilot. */
  enterprise: string;
  /** Enterprise, not in the pilot. */
  outside: string;
  free: string;
  key: (scopes: string[], projectIds?: string[]) => Promise<string>;
}

/** One owner with an enterprise project in the pilot, one outside it, a free one; and a stranger. */
/**
 * Fixture projects point at a closed loopback port: tests write their samples directly, and a collector running in
 * the test app must never call out of this machine. Apps using the fixture allow private targets
 * (`MONITORING_FIXTURE_ENV`).
 */
const LOOPBACK_ENDPOINT = 'http://127.0.0.1:9/metrics';
export const MONITORING_FIXTURE_ENV = { SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' };

export async function monitoringFixture(t: TestApp, envs = ['prod', 'staging']): Promise<Fixture> {
  const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  const owner = await t.signupAndLogin();
  const stranger = await t.signupAndLogin();
  const create = async (name: string, plan: string) => {
    const res = await t.call('POST', '/projects', {
      token: owner.token,
      body: { name, envs: [envs[0]], metrics_endpoint: LOOPBACK_ENDPOINT },
    });
    if (res.status !== 201) throw new Error(`create project: ${res.status} ${res.text}`);
    const id = res.body.id as string;
    if (plan !== 'free') {
      const p = await t.call('PUT', `/admin/projects/${id}/plan`, { token: admin, body: { plan } });
      if (p.status !== 200) throw new Error(`set plan: ${p.status} ${p.text}`);
      if (envs.length > 1) {
        const e = await t.call('PATCH', `/projects/${id}`, { token: owner.token, body: { envs } });
        if (e.status !== 200) throw new Error(`set envs: ${e.status} ${e.text}`);
      }
    }
    return id;
  };
  const enterprise = await create(`ent-${randomBytes(3).toString('hex')}`, 'enterprise');
  const outside = await create('outside', 'enterprise');
  const free = await create('free', 'free');
  const current = await t.call('GET', '/admin/rollout', { token: admin });
  const pilots = [...new Set([...(current.body.pilot_project_ids as string[]), enterprise])];
  const r = await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: pilots } });
  if (r.status !== 200) throw new Error(`rollout: ${r.status} ${r.text}`);
  const key = async (scopes: string[], projectIds?: string[]) => {
    const res = await t.call('POST', '/api-keys', {
      token: owner.token,
      body: { name: `k-${randomBytes(3).toString('hex')}`, scopes, ...(projectIds ? { project_ids: projectIds } : {}) },
    });
    if (res.status !== 201) throw new Error(`api key: ${res.status} ${res.text}`);
    return res.body.key as string;
  };
  return { admin, owner, stranger, enterprise, outside, free, key };
}

interface HandSample {
  env?: string;
  phase?: 'pre' | 'post';
  /** collected_at, ISO or epoch ms */
  at: string | number;
  /** collected_at − slot_at in seconds (0..39), default 3 */
  lagS?: number;
  values?: Partial<Record<'requests_per_sec' | 'latency_p95' | 'error_rate' | 'cpu_usage' | 'memory_usage', number>>;
}

/** Inserts hand-made samples at known times with an explicit phase (partitions created as needed). */
export async function insertSamples(t: TestApp, projectId: string, samples: HandSample[]): Promise<void> {
  const { SamplesStore } = await import('../app/samples/samples.store');
  const store = t.app.get(SamplesStore);
  const rows = samples.map((s) => {
    const collected = new Date(s.at).getTime();
    const slot = collected - (s.lagS ?? 3) * 1000;
    const v = { requests_per_sec: 10, latency_p95: 100, error_rate: 0.01, cpu_usage: 0.5, memory_usage: 0.5, ...s.values };
    return [
      projectId,
      s.env ?? 'prod',
      s.phase ?? 'pre',
      new Date(slot),
      new Date(collected),
      v.requests_per_sec,
      v.latency_p95,
      v.error_rate,
      v.cpu_usage,
      v.memory_usage,
    ];
  });
  const slots = rows.map((r) => (r[3] as Date).getTime());
  await store.ensurePartitions(new Date(Math.min(...slots)), new Date(Math.max(...slots)));
  const cols = rows[0].map((_, i) => rows.map((r) => r[i]));
  await t.db.query(
    `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, requests_per_sec, latency_p95, error_rate, cpu_usage, memory_usage)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[])`,
    cols,
  );
}

/** Waits until the buffered access records are written, then lists them for a project (newest first). */
export async function auditOf(t: TestApp, admin: string, projectId: string): Promise<AuditRecordView[]> {
  const { AccessRecordsService } = await import('../app/monitoring/access-records.service');
  await t.app.get(AccessRecordsService).flush();
  const res = await t.call('GET', `/admin/audit?project_id=${projectId}&limit=1000`, { token: admin });
  if (res.status !== 200) throw new Error(`audit: ${res.status} ${res.text}`);
  return res.body;
}

/** A member's project on plan enterprise and in the pilot, polled at `endpoint` (a real target of the test). */
export async function monitoredProject(t: TestApp, endpoint: string, pollIntervalS = 15): Promise<{ id: string; ownerToken: string }> {
  const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  const ownerToken = (await t.signupAndLogin()).token;
  const id = (
    await t.call('POST', '/projects', {
      token: ownerToken,
      body: { name: 'P', envs: ['prod'], metrics_endpoint: endpoint, poll_interval_s: pollIntervalS },
    })
  ).body.id;
  await t.call('PUT', `/admin/projects/${id}/plan`, { token: admin, body: { plan: 'enterprise' } });
  await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: [id] } });
  return { id, ownerToken };
}
