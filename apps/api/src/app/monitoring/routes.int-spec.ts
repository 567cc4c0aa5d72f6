import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { REQUIRED_SCOPES } from '../auth/decorators';
import { startTestApp, TestApp } from '../../testing/test-app';
import { ENTERPRISE_GATE, ENTERPRISE_GATE_EACH, ENTERPRISE_PREFIX } from './enterprise-gate';
import { EnterpriseGateGuard } from './enterprise-gate.guard';
import { auditOf, Fixture, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';

interface FoundRoute {
  method: string;
  path: string;
  handler: (...args: unknown[]) => unknown;
  controller: new (...args: unknown[]) => unknown;
}

const join = (...parts: (string | string[] | undefined)[]) =>
  '/' +
  parts
    .flatMap((p) => (Array.isArray(p) ? p[0] : p) ?? '')
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');

/** Every handler Nest registered, from the controllers' metadata. */
function nestRoutes(t: TestApp): FoundRoute[] {
  const routes: FoundRoute[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as FoundRoute['controller'];
      if (!controller?.prototype) continue;
      const base = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        routes.push({ method, path: join(base, path), handler, controller });
      }
    }
  }
  return routes;
}

/** Every route Express actually serves (whatever registered it). */
function expressRoutes(t: TestApp): { method: string; path: string }[] {
  const app = t.app.getHttpAdapter().getInstance();
  const router = app._router ?? app.router;
  return (router.stack as { route?: { path: string; methods: Record<string, boolean> } }[]).flatMap(({ route }) =>
    route
      ? Object.keys(route.methods)
          .filter((m) => m !== '_all')
          .map((m) => ({ method: m.toUpperCase(), path: route.path }))
      : [],
  );
}

describe('every route under /monitoring/enterprise is behind the Enterprise gate', () => {
  let t: TestApp;
  let f: Fixture;
  let gated: FoundRoute[];
  /** Routes over all of the caller's projects (no project_id): gated per project by the handler. */
  let eachProject: FoundRoute[];

  beforeAll(async () => {
    t = await startTestApp(MONITORING_FIXTURE_ENV);
    f = await monitoringFixture(t);
    const under = nestRoutes(t).filter((r) => r.path.startsWith(ENTERPRISE_PREFIX));
    const each = (r: FoundRoute) => Reflect.getMetadata(ENTERPRISE_GATE_EACH, r.handler) === true;
    gated = under.filter((r) => !each(r));
    eachProject = under.filter(each);
  });
  afterAll(() => t.close());

  it('finds the realtime routes, and Express serves no route under the prefix that Nest metadata does not know', () => {
    const found = [...gated, ...eachProject].map((r) => `${r.method} ${r.path}`);
    expect(found).toEqual(expect.arrayContaining(['GET /monitoring/enterprise/timeseries', 'GET /monitoring/enterprise/stream']));
    const served = expressRoutes(t).filter((r) => r.path.startsWith(ENTERPRISE_PREFIX) && !r.path.includes('*'));
    expect(served.length).toBeGreaterThanOrEqual(2);
    for (const r of served) expect(found).toContain(`${r.method} ${r.path}`);
  });

  it('each carries the gate metadata, the gate guard and the monitoring:read scope', () => {
    for (const route of gated) {
      const where = `${route.method} ${route.path}`;
      const guards = [
        ...(Reflect.getMetadata(GUARDS_METADATA, route.handler) ?? []),
        ...(Reflect.getMetadata(GUARDS_METADATA, route.controller) ?? []),
      ];
      const scopes = [
        ...(Reflect.getMetadata(REQUIRED_SCOPES, route.handler) ?? []),
        ...(Reflect.getMetadata(REQUIRED_SCOPES, route.controller) ?? []),
      ];
      expect({
        where,
        gate: Reflect.getMetadata(ENTERPRISE_GATE, route.handler) ?? Reflect.getMetadata(ENTERPRISE_GATE, route.controller),
      }).toEqual({ where, gate: true });
      expect({ where, guarded: guards.includes(EnterpriseGateGuard) }).toEqual({ where, guarded: true });
      expect({ where, scopes: scopes.includes('monitoring:read') }).toEqual({ where, scopes: true });
    }
  });

  it('a route over all projects takes no project_id but needs monitoring:read, and gates each project itself', async () => {
    expect(eachProject.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /monitoring/enterprise/overview']);
    for (const route of eachProject) {
      const scopes = Reflect.getMetadata(REQUIRED_SCOPES, route.handler) ?? [];
      expect(scopes).toContain('monitoring:read');
      expect((await t.call(route.method, route.path)).status).toBe(401);
    }
  });

  it('over HTTP, each answers 401 / 400 / 404 / 403 / 403 in the contract order, and records every refusal', async () => {
    for (const route of gated) {
      const path = route.path;
      const call = (projectId: string | null, token?: string) =>
        t.call(route.method, projectId ? `${path}?project_id=${projectId}` : path, {
          token,
          ...(route.method === 'GET' ? {} : { body: {} }),
        });
      const where = `${route.method} ${path}`;
      expect({ where, status: (await call(f.enterprise)).status }).toEqual({ where, status: 401 });
      expect({ where, body: (await call(null, f.owner.token)).body?.code }).toEqual({ where, body: 'validation_failed' });
      expect({ where, body: (await call(f.enterprise, f.stranger.token)).body?.code }).toEqual({ where, body: 'project_not_found' });
      expect({ where, body: (await call(f.free, f.owner.token)).body?.code }).toEqual({ where, body: 'plan_not_enterprise' });
      expect({ where, body: (await call(f.outside, f.owner.token)).body?.code }).toEqual({ where, body: 'monitoring_not_enabled' });
    }
    const routes = (await auditOf(t, f.admin, f.enterprise)).map((r) => `${r.route} ${r.status}`);
    for (const route of gated) {
      expect(routes).toEqual(expect.arrayContaining([`${route.method} ${route.path} 401`, `${route.method} ${route.path} 404`]));
    }
  });

  it('records requests to unknown paths under the prefix too', async () => {
    const res = await t.call('GET', `${ENTERPRISE_PREFIX}/nope?project_id=${f.enterprise}`, { token: f.owner.token });
    expect(res.status).toBe(404);
    const [rec] = await auditOf(t, f.admin, f.enterprise);
    expect(rec).toMatchObject({ route: `GET ${ENTERPRISE_PREFIX}/nope`, status: 404 });
  });
});

describe('OpenAPI documents the realtime routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(MONITORING_FIXTURE_ENV);
  });
  afterAll(() => t.close());

  it('lists every parameter and the contract errors of timeseries, stream and audit', async () => {
    const doc = (await t.call('GET', '/docs/openapi.json')).body;
    const ts = doc.paths['/monitoring/enterprise/timeseries'].get;
    expect(ts.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['env', 'from', 'phase', 'project_id', 'step', 'to']);
    expect(Object.keys(ts.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
    const stream = doc.paths['/monitoring/enterprise/stream'].get;
    expect(stream.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['env', 'phase', 'project_id']);
    const audit = doc.paths['/admin/audit'].get;
    expect(audit.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['from', 'limit', 'project_id', 'to']);
  });
});
