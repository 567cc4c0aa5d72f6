/**
 * The structural rules of docs/architecture.md, checked on the source: they keep "one way to do each thing" true
 * as the code grows. Each rule names the files that break it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ALERT_RULES, METRIC_NAMES } from '@seqpulse/contracts';
import { TABLE_OWNERS } from './database/table-owners';

const ROOT = resolve(__dirname, '../../../..');
const APP = resolve(__dirname);

function filesUnder(dir: string, keep: (path: string) => boolean = () => true): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

const isTest = (path: string) => /\.(spec|int-spec|e2e|e2e-spec)\.ts$|test-helpers\.ts$|[\\/](testing|test|fixtures)[\\/]/.test(path);
const productTs = (dir: string) => filesUnder(dir, (p) => p.endsWith('.ts') && !isTest(p));
const rel = (path: string) => relative(ROOT, path);

/** The API's product code by module folder (migrations are schema history, not module code). */
function moduleFiles(): { module: string; path: string; text: string }[] {
  return productTs(APP)
    .filter((p) => !p.includes(`${join('database', 'migrations')}`))
    .map((path) => ({ module: relative(APP, path).split(/[\\/]/)[0], path, text: readFileSync(path, 'utf8') }));
}

describe('data access: each module owns its tables', () => {
  const statement = /\b(FROM|JOIN|INTO|UPDATE|TABLE(?: IF EXISTS)?|DELETE FROM)\s+(?:ONLY\s+)?([a-z_][a-z0-9_]*)\b/g;

  it('no module writes another module’s table, and reads of other modules go through published relations', () => {
    const offences: string[] = [];
    for (const { module, path, text } of moduleFiles()) {
      for (const match of text.matchAll(statement)) {
        const [, keyword, table] = match;
        const owner = TABLE_OWNERS[table];
        if (!owner || owner.module === module) continue;
        const isRead = keyword === 'FROM' || keyword === 'JOIN';
        if (owner.published && isRead) continue;
        offences.push(`${rel(path)}: ${keyword} ${table} (owned by ${owner.module}/)`);
      }
    }
    expect(offences).toEqual([]);
  });

  it('the rule catches an offence (the check itself works)', () => {
    const sample = 'SELECT 1 FROM jobs j JOIN samples s ON true; INSERT INTO alerts (id) VALUES (1)';
    const hits = [...sample.matchAll(statement)].map((m) => `${m[1]} ${m[2]}`);
    expect(hits).toEqual(['FROM jobs', 'JOIN samples', 'INTO alerts']);
  });

  it('connections and pools are created only in database/', () => {
    const offences = moduleFiles()
      .filter(
        ({ module, text }) => module !== 'database' && /new (Pool|Client)\(|createQueryRunner\(\)\.connect|new DataSource\(/.test(text),
      )
      .map(({ path }) => rel(path));
    expect(offences).toEqual([]);
  });
});

describe('catalogues drive code: nothing else names a metric or a rule', () => {
  /**
   * Where naming a metric is the point: the catalogues themselves, schema history, and the simulated customer
   * services that must produce every metric by a model of their own (typed `Record<MetricName, …>`, so a new
   * metric is a compile error there).
   */
  const allowed = [
    'libs/contracts/src/lib/metrics.ts',
    'libs/contracts/src/lib/alert-rule-catalogue.ts',
    'libs/contracts/src/lib/verdicts.ts',
    'apps/api/src/app/database/migrations/',
    'apps/demo-fleet/',
    'libs/sdk-node/',
  ];
  const sources = ['apps', 'libs']
    .flatMap((dir) => productTs(join(ROOT, dir)))
    .filter((p) => !allowed.some((a) => rel(p).startsWith(a)) && !rel(p).includes('dashboard-e2e'));

  it.each([
    ['metric', METRIC_NAMES as readonly string[]],
    ['alert rule', ALERT_RULES as readonly string[]],
  ])('no %s name is written outside its catalogue', (_kind, names) => {
    // In string literals and property accesses (prose in comments may name them between backticks).
    const pattern = new RegExp(`['".]\\b(${names.join('|')})\\b`);
    const offences = sources.filter((p) => pattern.test(readFileSync(p, 'utf8'))).map(rel);
    expect(offences).toEqual([]);
  });

  it('scans the product code (the list of sources is not empty)', () => {
    expect(sources.some((p) => rel(p).startsWith('apps/api/src/app/alerts/'))).toBe(true);
    expect(sources.some((p) => rel(p).startsWith('apps/dashboard/src/app/'))).toBe(true);
  });
});

describe('one way to run background work', () => {
  /** Timers that are not background work: a per-stream heartbeat (StreamGuard) and the scheduler itself. */
  const allowed = ['scheduler/task-scheduler.ts', 'monitoring/stream-guard.ts'];

  it('no bare setInterval or @Interval outside the TaskScheduler', () => {
    const offences = moduleFiles()
      .filter(({ path }) => !allowed.some((a) => relative(APP, path) === a))
      .filter(({ text }) => /\bsetInterval\(|@Interval\(|@Cron\(|addInterval\(/.test(text))
      .map(({ path }) => rel(path));
    expect(offences).toEqual([]);
  });

  it('no module is global but the configuration and the authentication guard’s', () => {
    const globals = moduleFiles()
      .filter(({ text }) => text.includes('@Global()'))
      .map(({ module }) => module)
      .sort();
    expect(globals).toEqual(['auth', 'config']);
  });
});
