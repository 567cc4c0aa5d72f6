import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MaintenanceWindowView, SilenceView } from '@seqpulse/contracts';
import { sampleRules } from '../../../testing/fixtures';
import { flushMicrotasks } from '../../../testing/http';
import { AlertSettingsStore } from './alert-settings.store';

const PROJECT = { id: 'p1', name: 'Checkout API', plan: 'enterprise', envs: ['prod', 'staging'] };
const SILENCE: SilenceView = {
  id: 's1',
  project_id: 'p1',
  env: 'prod',
  rule: 'cpu_high',
  starts_at: '2026-11-30T10:00:00Z',
  ends_at: '2026-11-30T12:00:00Z',
  comment: 'load test',
  created_by: 'demo@seqpulse.local',
  created_at: '2026-11-30T10:00:00Z',
  state: 'active',
  ended_by: null,
};
const WINDOW: MaintenanceWindowView = {
  id: 'w1',
  project_id: 'p1',
  env: null,
  rrule: 'FREQ=WEEKLY;BYDAY=SU',
  starts_at: '2026-12-06T08:00:00Z',
  duration_min: 60,
  time_zone: 'Europe/Berlin',
  comment: 'patching',
  created_by: 'demo@seqpulse.local',
  created_at: '2026-11-30T10:00:00Z',
  next_occurrences: [{ starts_at: '2026-12-06T08:00:00Z', ends_at: '2026-12-06T09:00:00Z' }],
};

describe('AlertSettingsStore', () => {
  let store: AlertSettingsStore;
  let http: HttpTestingController;

  const refusal = (req: TestRequest, status: number, code: string, message: string, details?: unknown) =>
    req.flush({ statusCode: status, code, message, details }, { status, statusText: 'Refused' });

  /** Loads the page's data: rules, silences, windows, notification options and the project list. */
  async function load() {
    const done = store.load('p1');
    http.expectOne('/projects').flush([PROJECT]);
    http.expectOne((r) => r.url === '/monitoring/enterprise/alert-rules').flush(sampleRules());
    http.expectOne((r) => r.url === '/monitoring/enterprise/silences' && r.params.get('project_id') === 'p1').flush([SILENCE]);
    http.expectOne((r) => r.url === '/monitoring/enterprise/maintenance-windows').flush([WINDOW]);
    http
      .expectOne('/projects/p1/notifications')
      .flush({ project_id: 'p1', webhook_url: 'https://hooks.example.com/x', slack_webhook_url: null, updated_at: null });
    await done;
  }

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [AlertSettingsStore, provideHttpClient(), provideHttpClientTesting()] });
    store = TestBed.inject(AlertSettingsStore);
    http = TestBed.inject(HttpTestingController);
    await load();
  });

  afterEach(() => http.verify());

  it('loads every part; the rules become drafts in display units, not dirty', () => {
    expect(store.envs()).toEqual(['prod', 'staging']);
    expect(store.drafts().map((d) => `${d.env ?? '*'}:${d.rule}:${d.threshold}`)).toEqual([
      '*:error_rate_high:1',
      '*:latency_p95_high:500',
      '*:cpu_high:80',
      '*:memory_high:85',
      '*:no_data:5',
      'prod:latency_p95_high:400',
    ]);
    expect(store.dirty()).toBe(false);
    expect(store.silences()).toEqual([SILENCE]);
    expect(store.windows()).toEqual([WINDOW]);
    expect(store.notifications()?.webhook_url).toBe('https://hooks.example.com/x');
  });

  it('blocks a save with a recovery on the wrong side, then sends the corrected rule set', async () => {
    store.updateDraft('|cpu_high', { warning: '70', recoveryCritical: '90' });
    expect(store.problems().get('|cpu_high')).toEqual({
      'recovery.critical': 'Recovery must be at or below the critical threshold (80 %).',
    });
    expect(store.valid()).toBe(false);
    expect(await store.saveRules()).toBe(false); // nothing sent (verify() would fail otherwise)

    store.updateDraft('|cpu_high', { recoveryCritical: '75' });
    expect(store.valid()).toBe(true);
    const saved = store.saveRules();
    const req = http.expectOne((r) => r.method === 'PUT' && r.url === '/monitoring/enterprise/alert-rules');
    expect(req.request.params.get('project_id')).toBe('p1');
    // project-wide rules at their default are not sent; memory_high is disabled, so it is
    expect(req.request.body).toEqual({
      rules: [
        { rule: 'cpu_high', env: null, threshold: 0.8, enabled: true, warning: 0.7, recovery: { critical: 0.75 } },
        { rule: 'memory_high', env: null, threshold: 0.85, enabled: false },
        { rule: 'latency_p95_high', env: 'prod', threshold: 400, enabled: true },
      ],
    });
    const answer = sampleRules();
    answer.rules[3] = { ...answer.rules[3], warning: 0.7, recovery: { critical: 0.75 } };
    req.flush(answer);
    expect(await saved).toBe(true);
    expect(store.dirty()).toBe(false);
    expect(store.drafts().find((d) => d.rule === 'cpu_high')).toMatchObject({ warning: '70', recoveryCritical: '75' });
  });

  it("shows the server's refusal on the field it names", async () => {
    store.setOverride('cpu_high', 'staging', true);
    expect(store.drafts().find((d) => d.env === 'staging')).toMatchObject({ rule: 'cpu_high', threshold: '80' });
    const saved = store.saveRules();
    const req = http.expectOne((r) => r.method === 'PUT');
    const index = (req.request.body.rules as { env: string | null }[]).findIndex((r) => r.env === 'staging');
    refusal(req, 400, 'validation_failed', 'Invalid alert rules: rules.2: env must be …', {
      fields: [{ field: `rules.${index}`, problems: ["env must be null or one of the project's envs (prod)"] }],
    });
    expect(await saved).toBe(false);
    expect(store.saveError()?.message).toBe('Invalid alert rules: rules.2: env must be …');
    expect(store.problems().get('staging|cpu_high')).toEqual({ rule: "env must be null or one of the project's envs (prod)" });
    // removing the override makes the env follow the project-wide rule again
    store.setOverride('cpu_high', 'staging', false);
    expect(store.problems().has('staging|cpu_high')).toBe(false);
  });

  it('ends a silence in place and creates, then deletes a maintenance window', async () => {
    const ended = store.endSilence('s1');
    const del = http.expectOne((r) => r.method === 'DELETE' && r.url === '/monitoring/enterprise/silences/s1');
    del.flush({ ...SILENCE, ends_at: '2026-11-30T10:30:00Z', state: 'ended', ended_by: 'demo@seqpulse.local' });
    expect(await ended).toBeNull();
    expect(store.silences()?.[0].state).toBe('ended');

    const body = { rrule: 'FREQ=DAILY', starts_at: '2026-12-01T02:00:00Z', duration_min: 30, time_zone: 'UTC', comment: 'backups' };
    const created = store.createWindow(body);
    const post = http.expectOne((r) => r.method === 'POST' && r.url === '/monitoring/enterprise/maintenance-windows');
    expect(post.request.body).toEqual(body);
    post.flush({ ...WINDOW, ...body, id: 'w2' });
    await created;
    expect(store.windows()?.map((w) => w.id)).toEqual(['w2', 'w1']);

    const removed = store.deleteWindow('w1');
    http
      .expectOne((r) => r.method === 'DELETE' && r.url === '/monitoring/enterprise/maintenance-windows/w1')
      .flush(null, { status: 204, statusText: 'No Content' });
    await removed;
    expect(store.windows()?.map((w) => w.id)).toEqual(['w2']);
  });

  it('keeps a refused write for its form, and turns read-only on insufficient_scope', async () => {
    const tooLong = store.createSilence({ starts_at: 'a', ends_at: 'b', comment: 'x' });
    refusal(
      http.expectOne((r) => r.method === 'POST'),
      400,
      'silence_too_long',
      'A silence lasts at most 30 days.',
    );
    expect((await tooLong)?.code).toBe('silence_too_long');
    expect(store.writeErrors().silences?.message).toBe('A silence lasts at most 30 days.');
    expect(store.readOnly()).toBe(false);

    const refused = store.saveNotifications({ send_resolved: false });
    refusal(
      http.expectOne((r) => r.method === 'PUT'),
      403,
      'insufficient_scope',
      'Missing scope alerts:write.',
    );
    await refused;
    expect(store.readOnly()).toBe(true);
    // read-only: no further write is even sent
    expect(await store.createSilence({ starts_at: 'a', ends_at: 'b', comment: 'x' })).toBeNull();
    await flushMicrotasks();
  });
});
