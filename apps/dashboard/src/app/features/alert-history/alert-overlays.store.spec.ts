import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AlertHistoryEntry, SilenceView } from '@seqpulse/contracts';
import { Subject } from 'rxjs';
import { flushMicrotasks } from '../../../testing/http';
import { LoadedRange, MonitoringStore } from '../monitoring/monitoring.store';
import { AlertOverlaysStore } from './alert-overlays.store';

const FROM = Date.parse('2026-11-28T10:00:00Z');
const TO = Date.parse('2026-11-28T11:00:00Z');
const FIRING: AlertHistoryEntry = {
  id: 'a1',
  rule: 'latency_p95_high',
  env: 'staging',
  state: 'firing',
  value: 900,
  threshold: 500,
  started_at: '2026-11-28T10:40:00Z',
  resolved_at: null,
  level: 'critical',
  silenced: false,
  timeline: [{ at: '2026-11-28T10:40:00Z', kind: 'opened', level: 'critical', value: 900 }],
};
const SILENCE: SilenceView = {
  id: 's1',
  project_id: 'p1',
  env: null,
  rule: null,
  starts_at: '2026-11-28T10:10:00Z',
  ends_at: '2026-11-28T10:20:00Z',
  comment: 'failover drill',
  created_by: 'ops@example.com',
  created_at: '2026-11-28T10:00:00Z',
  state: 'expired',
  ended_by: null,
};

function range(patch: Partial<LoadedRange> = {}): LoadedRange {
  return { projectId: 'p1', env: 'staging', from: FROM, to: TO, step: '60s', phase: null, ...patch };
}

/** What the store reads of the monitoring view: its project, env, loaded range and stream. */
function monitoringView() {
  return {
    env: signal<string | null>('staging'),
    loadedRange: signal<LoadedRange | null>(range()),
    following: signal(false),
    streamEvents: new Subject<{ event: string; data: unknown }>(),
  };
}

describe('AlertOverlaysStore', () => {
  let store: AlertOverlaysStore;
  let http: HttpTestingController;
  let view: ReturnType<typeof monitoringView>;

  const settle = async () => {
    TestBed.tick();
    await flushMicrotasks();
  };
  async function answer(alerts: AlertHistoryEntry[], silences: SilenceView[] | null = [SILENCE]) {
    await settle();
    const history = http.expectOne((r) => r.url === '/monitoring/enterprise/alert-history');
    if (silences) http.expectOne((r) => r.url === '/monitoring/enterprise/silences').flush(silences);
    else http.expectNone((r) => r.url === '/monitoring/enterprise/silences');
    const windows = http.expectOne((r) => r.url === '/monitoring/enterprise/maintenance-windows');
    // the occurrences of the history's range are asked for, so past ones of recurring windows are shaded
    expect(windows.request.params.get('from')).toBe(history.request.params.get('from'));
    expect(windows.request.params.get('to')).toBeTruthy();
    windows.flush([]);
    const params = history.request.params;
    history.flush(alerts);
    await flushMicrotasks();
    return params;
  }

  beforeEach(() => {
    view = monitoringView();
    TestBed.configureTestingModule({
      providers: [AlertOverlaysStore, provideHttpClient(), provideHttpClientTesting(), { provide: MonitoringStore, useValue: view }],
    });
    store = TestBed.inject(AlertOverlaysStore);
    http = TestBed.inject(HttpTestingController);
  });

  it('reads the alerts active in the view window with the muting of the project, and shades them per chart', async () => {
    const params = await answer([FIRING]);
    expect(params.get('project_id')).toBe('p1');
    expect(params.get('env')).toBe('staging');
    expect(params.get('from')).toBe('2026-11-28T10:00:00Z');
    expect(params.get('to')).toBe('2026-11-28T11:00:01Z');
    const latency = store.regions().latency_p95;
    expect(latency.map((r) => r.label)).toEqual(['silenced', 'critical']); // muted first: drawn under
    expect(store.regions().cpu_usage.map((r) => r.label)).toEqual(['silenced']);
    expect(latency[1].to).toBeGreaterThan(Date.parse(FIRING.started_at)); // open-ended: up to the clock
    http.verify();
  });

  it('an alert event of the stream reads the history again; a new window too; a refused view shades nothing', async () => {
    await answer([]);
    expect(store.regions().latency_p95.map((r) => r.label)).toEqual(['silenced']);
    view.streamEvents.next({ event: 'alert', data: { ...FIRING, timeline: undefined } });
    await answer([FIRING]);
    expect(store.regions().latency_p95.map((r) => r.label)).toEqual(['silenced', 'critical']);
    view.loadedRange.set(range({ from: FROM - 3600_000 }));
    const params = await answer([], null); // the silences do not depend on the range: the project's are kept
    expect(params.get('from')).toBe('2026-11-28T09:00:00Z');
    expect(store.regions().latency_p95.map((r) => r.label)).toEqual(['silenced']);
    view.loadedRange.set(null); // what the monitoring store sets for a refused view
    await settle();
    expect(store.regions().latency_p95).toEqual([]);
    http.verify();
  });

  it("another project's range reads its silences; so does the same project's after a refused view", async () => {
    await answer([]);
    view.loadedRange.set(range({ projectId: 'p2' }));
    await answer([], []);
    expect(store.regions().latency_p95).toEqual([]);
    view.loadedRange.set(null);
    await settle();
    view.loadedRange.set(range({ projectId: 'p2', from: FROM - 3600_000 }));
    await answer([], [SILENCE]);
    expect(store.regions().latency_p95.map((r) => r.label)).toEqual(['silenced']);
    http.verify();
  });

  it('a live view reads up to now: an alert that opened after the series were loaded is in the answer', async () => {
    await answer([]);
    view.following.set(true);
    const before = Date.now();
    view.streamEvents.next({ event: 'alert', data: FIRING });
    const params = await answer([FIRING]);
    expect(Date.parse(params.get('to') as string)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
  });

  it('a failed read keeps what is drawn', async () => {
    await answer([FIRING]);
    view.streamEvents.next({ event: 'reconnected', data: null });
    await settle();
    http.expectOne((r) => r.url === '/monitoring/enterprise/alert-history').flush({ message: 'down' }, { status: 503, statusText: 'x' });
    http.expectOne((r) => r.url === '/monitoring/enterprise/silences').flush([]);
    http.expectOne((r) => r.url === '/monitoring/enterprise/maintenance-windows').flush([]);
    await flushMicrotasks();
    expect(store.regions().latency_p95.map((r) => r.label)).toEqual(['critical']);
  });
});
