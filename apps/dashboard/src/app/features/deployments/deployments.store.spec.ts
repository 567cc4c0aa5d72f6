import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { DeploymentEvent, DeploymentSummary } from '@seqpulse/contracts';
import { Subject } from 'rxjs';
import { BAD_RELEASE, badReleaseDetail, badReleaseSeries } from '../../../testing/deployment-fixtures';
import { flushMicrotasks } from '../../../testing/http';
import { LoadedRange, MonitoringStore } from '../monitoring/monitoring.store';
import { DeploymentsStore } from './deployments.store';

const FROM = Date.parse('2026-11-28T10:00:00Z');
const TO = Date.parse('2026-11-28T11:00:00Z');
const GOOD: DeploymentSummary = {
  ...BAD_RELEASE,
  deployment_id: 'd-good',
  branch: 'main',
  idempotency_key: 'demo-good-1',
  started_at: '2026-11-28T10:00:00Z',
  finished_at: '2026-11-28T10:00:45Z',
  verdict: 'ok',
  verdict_final: true,
};

/** What the deployments store reads of the monitoring view: its project, env, loaded range and stream. */
function monitoringView() {
  return {
    env: signal<string | null>('staging'),
    loadedRange: signal<LoadedRange | null>({ projectId: 'p1', env: 'staging', from: FROM, to: TO, step: '60s', phase: null }),
    streamEvents: new Subject<{ event: string; data: unknown }>(),
  };
}

describe('DeploymentsStore', () => {
  let store: DeploymentsStore;
  let http: HttpTestingController;
  let view: ReturnType<typeof monitoringView>;

  const deploymentEvent = (e: DeploymentEvent) => view.streamEvents.next({ event: 'deployment', data: e });
  const settle = async () => {
    TestBed.tick();
    await flushMicrotasks();
  };

  /** Loads the list (answering it with `list`) and the detail it reads to learn the observation window. */
  async function loadList(list: DeploymentSummary[]) {
    await settle();
    const req = http.expectOne((r) => r.url === '/monitoring/enterprise/deployments');
    expect(req.request.params.get('project_id')).toBe('p1');
    expect(req.request.params.get('env')).toBe('staging');
    expect(req.request.params.get('from')).toBe('2026-11-28T10:00:00Z');
    req.flush({ deployments: list });
    await flushMicrotasks();
  }

  beforeEach(() => {
    view = monitoringView();
    TestBed.configureTestingModule({
      providers: [DeploymentsStore, provideHttpClient(), provideHttpClientTesting(), { provide: MonitoringStore, useValue: view }],
    });
    store = TestBed.inject(DeploymentsStore);
    http = TestBed.inject(HttpTestingController);
  });

  it('lists the deployments of the view and learns the observation window from one finished deployment', async () => {
    await loadList([BAD_RELEASE, GOOD]);
    expect(store.list().map((d) => d.deployment_id)).toEqual(['d-bad', 'd-good']);
    http.expectOne('/deployments/d-bad').flush(badReleaseDetail());
    await flushMicrotasks();
    expect(store.windowMs()).toBe(5 * 60_000);
    // a new window (another range) reads the list again, the known window is not read again
    view.loadedRange.set({ projectId: 'p1', env: 'staging', from: FROM - 3600_000, to: TO, step: '60s', phase: null });
    await settle();
    http.expectOne((r) => r.url === '/monitoring/enterprise/deployments').flush({ deployments: [GOOD] });
    await flushMicrotasks();
    expect(store.list()).toEqual([GOOD]);
    http.verify();
  });

  it('a refused project lists nothing and asks nothing', async () => {
    view.loadedRange.set(null); // what the monitoring store sets for a refused view
    await settle();
    http.verify();
    expect(store.list()).toEqual([]);
  });

  it('live: a verdict event updates its row at once; a started deployment is read and listed first', async () => {
    await loadList([GOOD]);
    http.match('/deployments/d-good').forEach((r) => r.flush({ ...badReleaseDetail(), deployment_id: 'd-good' }));
    await flushMicrotasks();

    deploymentEvent({ deployment_id: 'd-good', env: 'staging', state: 'verdict', verdict: 'warning', final: true });
    expect(store.list()[0]).toMatchObject({ deployment_id: 'd-good', verdict: 'warning' });
    http.expectNone('/deployments/d-good');

    deploymentEvent({ deployment_id: 'd-bad', env: 'staging', state: 'started' });
    const running = { ...badReleaseDetail(), finished_at: null, result: null, window_ends_at: null, impact: null, verdict: null };
    http.expectOne('/deployments/d-bad').flush(running);
    await flushMicrotasks();
    expect(store.list().map((d) => [d.deployment_id, d.verdict])).toEqual([
      ['d-bad', null],
      ['d-good', 'warning'],
    ]);

    // another env's events are not this view's
    deploymentEvent({ deployment_id: 'x', env: 'prod', state: 'started' });
    http.expectNone('/deployments/x');
    // after a reconnection the list is read again (events may have been missed)
    view.streamEvents.next({ event: 'reconnected', data: null });
    http.expectOne((r) => r.url === '/monitoring/enterprise/deployments').flush({ deployments: [GOOD] });
    http.verify();
  });

  it('the open deployment: its impact and the samples of its windows; its events and post samples refresh it', async () => {
    await loadList([BAD_RELEASE]);
    http.match('/deployments/d-bad').forEach((r) => r.flush(badReleaseDetail()));
    await flushMicrotasks();

    store.selectedId.set('d-bad');
    await settle();
    http.expectOne('/deployments/d-bad').flush(badReleaseDetail());
    await flushMicrotasks();
    const series = http.expectOne((r) => r.url === '/monitoring/enterprise/timeseries');
    expect(series.request.params.get('env')).toBe('staging');
    expect(series.request.params.get('from')).toBe('2026-11-28T10:15:00Z'); // the pre window's start
    expect(series.request.params.get('to')).toBe('2026-11-28T10:22:16Z'); // the post window so far
    expect(series.request.params.get('step')).toBe('15s');
    series.flush(badReleaseSeries());
    await flushMicrotasks();
    expect(store.selected()?.verdict?.value).toBe('rollback_recommended');
    expect(store.selectedSeries()?.series.error_rate.length).toBeGreaterThan(0);

    // its verdict changed: read again (the comparison stays shown meanwhile)
    deploymentEvent({ deployment_id: 'd-bad', env: 'staging', state: 'verdict', verdict: 'rollback_recommended', final: true });
    expect(store.selected()).not.toBeNull();
    http.expectOne('/deployments/d-bad').flush({ ...badReleaseDetail(), verdict: { ...badReleaseDetail().verdict, final: true } });
    await flushMicrotasks();
    http.expectOne((r) => r.url === '/monitoring/enterprise/timeseries').flush(badReleaseSeries());
    await flushMicrotasks();
    expect(store.selected()?.verdict?.final).toBe(true);
    expect(store.list()[0].verdict_final).toBe(true);

    // a final verdict no longer follows post samples
    view.streamEvents.next({ event: 'sample', data: { t: '2026-11-28T10:23:00Z', env: 'staging', phase: 'post', values: {} } });
    http.expectNone('/deployments/d-bad');

    store.selectedId.set(null);
    await settle();
    expect(store.selected()).toBeNull();
    http.verify();
  });

  it('an unknown deployment in the URL shows the API error', async () => {
    await loadList([]);
    store.selectedId.set('nope');
    await settle();
    http
      .expectOne('/deployments/nope')
      .flush({ statusCode: 404, code: 'deployment_not_found', message: 'Deployment not found.' }, { status: 404, statusText: 'Not Found' });
    await flushMicrotasks();
    expect(store.selectedError()).toBe('Deployment not found.');
    expect(store.selected()).toBeNull();
  });
});
