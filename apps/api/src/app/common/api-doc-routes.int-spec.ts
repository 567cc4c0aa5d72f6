import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../../testing/test-app';
import { documentedRoutes, openApiRoutes } from '../../testing/api-doc-routes';

const API_DOC = join(__dirname, '..', '..', '..', '..', '..', 'docs', 'api.md');

describe('docs/api.md and the OpenAPI document list the same routes', () => {
  let t: TestApp;
  let served: string[];
  const doc = documentedRoutes(readFileSync(API_DOC, 'utf8'));

  beforeAll(async () => {
    t = await startTestApp();
    served = openApiRoutes((await t.call('GET', '/docs/openapi.json')).body);
  });
  afterAll(() => t.close());

  it('finds both listings (the parser reads them)', () => {
    expect(served).toContain('GET /monitoring/enterprise/timeseries');
    expect(doc.served).toContain('GET /monitoring/enterprise/timeseries');
    // The planned table may be empty (every contract route served): the parser is checked on a sample of it.
    const sample = documentedRoutes('## Planned routes (planned: not yet served)\n| `GET /x/:id` | s |\n## Routes\n| `PUT /y` | w |');
    expect(sample).toEqual({ planned: ['GET /x/:id'], served: ['PUT /y'] });
  });

  it('documents every served route in the table of routes', () => {
    expect(served.filter((route) => !doc.served.includes(route))).toEqual([]);
  });

  it('serves every documented route not marked planned', () => {
    expect(doc.served.filter((route) => !served.includes(route))).toEqual([]);
  });

  it('moves a planned route to the served table once it is served', () => {
    expect(doc.planned.filter((route) => served.includes(route))).toEqual([]);
  });

  it('lists each route once', () => {
    const all = [...doc.served, ...doc.planned];
    expect(all.filter((route, i) => all.indexOf(route) !== i)).toEqual([]);
  });
});
