import { ALERT_WINDOW_SECONDS } from '@seqpulse/contracts';
import type { MetricName, MetricValues } from '@seqpulse/contracts';
import { startTestApp, TEST_ADMIN, TestApp } from './test-app';
import { AlertEvaluator } from '../app/alerts/alert-evaluator';
import { NewSample, SamplesStore } from '../app/samples/samples.store';

/** Config for alert tests: nothing runs on its own, the test drives evaluation and delivery with its clock. */
export const ALERT_TEST_ENV = {
  SEQPULSE_ALERT_EVAL_INTERVAL_S: '0',
  SEQPULSE_NOTIFY_INTERVAL_MS: '0',
  SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true',
};

export const NORMAL: MetricValues = { requests_per_sec: 10, latency_p95: 120, error_rate: 0.001, cpu_usage: 0.3, memory_usage: 0.4 };

export interface Owner {
  admin: string;
  token: string;
  email: string;
}

export async function owner(t: TestApp): Promise<Owner> {
  const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  const { token, email } = await t.signupAndLogin();
  return { admin, token, email };
}

/** What most alert specs start with: a test app on ALERT_TEST_ENV (plus `env`), its evaluator and a project owner. */
export async function startAlertTestApp(env: Record<string, string> = {}): Promise<{ t: TestApp; evaluator: AlertEvaluator; o: Owner }> {
  const t = await startTestApp({ ...ALERT_TEST_ENV, ...env });
  return { t, evaluator: t.app.get(AlertEvaluator), o: await owner(t) };
}

/** A project Realtime monitors: created, moved to Enterprise, envs set, added to the pilot list. */
export async function monitoredProject(
  t: TestApp,
  o: Owner,
  options: { envs?: string[]; hmac?: boolean } = {},
): Promise<{ id: string; secret?: string }> {
  const envs = options.envs ?? ['prod'];
  const created = await t.call('POST', '/projects', {
    token: o.token,
    body: {
      name: `Alerted ${Math.random().toString(36).slice(2, 7)}`,
      envs: [envs[0]],
      metrics_endpoint: 'http://127.0.0.1:9/metrics',
      hmac_enabled: options.hmac ?? false,
    },
  });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  const id = created.body.id as string;
  const plan = await t.call('PUT', `/admin/projects/${id}/plan`, { token: o.admin, body: { plan: 'enterprise' } });
  if (plan.status !== 200) throw new Error(`plan: ${plan.status} ${plan.text}`);
  if (envs.length > 1) {
    const patched = await t.call('PATCH', `/projects/${id}`, { token: o.token, body: { envs } });
    if (patched.status !== 200) throw new Error(`envs: ${patched.status} ${patched.text}`);
  }
  await setPilot(t, o, id, true);
  return { id, secret: created.body.hmac_secret };
}

export async function setPilot(t: TestApp, o: Owner, projectId: string, inPilot: boolean): Promise<void> {
  const current = await t.call('GET', '/admin/rollout', { token: o.admin });
  const ids = (current.body.pilot_project_ids as string[]).filter((p) => p !== projectId);
  const res = await t.call('PUT', '/admin/rollout', {
    token: o.admin,
    body: { stage: 'pilot', pilot_project_ids: inPilot ? [...ids, projectId] : ids },
  });
  if (res.status !== 200) throw new Error(`rollout: ${res.status} ${res.text}`);
}

export const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

/**
 * Test clocks sit in yesterday (UTC), `hours` after midnight: recent enough that sample retention (which a
 * worker applies at start-up) never drops them, and never in the future.
 */
export function yesterday(hours: number): Date {
  const midnight = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  return new Date(midnight - 86_400_000 + hours * 3_600_000);
}

/** `count` samples every `stepS` seconds from `from`, collected `lagMs` after their slot. */
export function series(
  projectId: string,
  env: string,
  from: Date,
  count: number,
  values: (i: number) => Partial<MetricValues>,
  stepS = 15,
  lagMs = 400,
): NewSample[] {
  return Array.from({ length: count }, (_, i) => {
    const slotAt = at(from, i * stepS);
    return { projectId, env, slotAt, collectedAt: new Date(slotAt.getTime() + lagMs), values: { ...NORMAL, ...values(i) } };
  });
}

export async function store(t: TestApp, samples: NewSample[]): Promise<void> {
  await t.app.get(SamplesStore).insertBatch(samples);
}

/** What the rule computes, computed independently: the mean of the stored samples with `now - 300 s < collected_at <= now`. */
export function windowMean(samples: NewSample[], metric: MetricName, now: Date): number | null {
  const inside = samples.filter(
    (s) => s.collectedAt.getTime() > now.getTime() - ALERT_WINDOW_SECONDS * 1000 && s.collectedAt.getTime() <= now.getTime(),
  );
  if (inside.length === 0) return null;
  return inside.reduce((sum, s) => sum + s.values[metric], 0) / inside.length;
}

export async function alertsOf(
  t: TestApp,
  projectId: string,
): Promise<
  {
    id: string;
    env: string;
    rule: string;
    state: string;
    value: number | null;
    threshold: number;
    started_at: Date;
    resolved_at: Date | null;
    resolution_reason: string | null;
  }[]
> {
  const { rows } = await t.db.query(
    `SELECT id, env, rule, state, value, threshold, started_at, resolved_at, resolution_reason FROM alerts WHERE project_id = $1 ORDER BY started_at, rule`,
    [projectId],
  );
  return rows;
}
