import { randomBytes } from 'node:crypto';
import { TEST_ADMIN, TestApp } from '../../testing/test-app';

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
export async function monitoringFixture(t: TestApp, envs = ['prod', 'staging']): Promise<Fixture> {
  const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  const owner = await t.signupAndLogin();
  const stranger = await t.signupAndLogin();
  const create = async (name: string, plan: string) => {
    const res = await t.call('POST', '/projects', { token: owner.token, body: { name, envs: [envs[0]], metrics_endpoint: 'https://8.8.8.8/metrics' } });
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
    const res = await t.call('POST', '/api-keys', { token: owner.token, body: { name: `k-${randomBytes(3).toString('hex')}`, scopes, ...(projectIds ? { project_ids: projectIds } : {}) } });
    if (res.status !== 201) throw new Error(`api key: ${res.status} ${res.text}`);
    return res.body.key as string;
  };
  return { admin, owner, stranger, enterprise, outside, free, key };
}
