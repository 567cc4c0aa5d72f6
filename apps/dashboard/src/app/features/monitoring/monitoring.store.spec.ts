import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { ProjectView, SampleEvent } from '@seqpulse/contracts';
import { sampleResponse, sampleRules } from '../../../testing/fixtures';
import { flushMicrotasks } from '../../../testing/http';
import { ChartFrameScheduler } from '../../charts/frame-scheduler';
import { EventStreamOptions } from '../../core/event-stream';
import { ProjectsStore } from '../../core/projects.store';
import { StreamService } from '../../core/stream.service';
import { MonitoringStore } from './monitoring.store';
import { DEFAULT_VIEW } from './view-state';

const PROJECT: ProjectView = {
  id: 'p1',
  name: 'Checkout API',
  plan: 'enterprise',
  envs: ['prod'],
  metrics_endpoint: 'http://x/metrics',
  hmac_enabled: false,
  created_at: '2026-11-01T00:00:00Z',
  poll_interval_s: 15,
  monitoring: { enabled: true },
};

class FakeStreams {
  handlers: Pick<EventStreamOptions, 'onMessage' | 'onState' | 'onOpen'> | null = null;
  open = jest.fn((_q: unknown, handlers: Pick<EventStreamOptions, 'onMessage' | 'onState' | 'onOpen'>) => {
    this.handlers = handlers;
    handlers.onState?.({ status: 'open', attempt: 0, retryAt: null, error: null });
    return { stop: jest.fn() };
  });
  sample(t: number, cpu: number) {
    const sample: SampleEvent = {
      t: new Date(t).toISOString(),
      env: 'prod',
      phase: 'pre',
      values: { requests_per_sec: 10, latency_p95: 100, error_rate: 0.001, cpu_usage: cpu, memory_usage: 0.5 },
    };
    this.handlers?.onMessage({ event: 'sample', data: JSON.stringify(sample) });
  }
}

function setVisibility(state: 'hidden' | 'visible') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('MonitoringStore live, pause and catch-up', () => {
  let store: MonitoringStore;
  let http: HttpTestingController;
  let streams: FakeStreams;
  const timeseries = () => http.match((r) => r.url === '/monitoring/enterprise/timeseries');

  /** Loads a 15-minute live view whose series ends now (buckets every 15 s). */
  async function load(view = DEFAULT_VIEW) {
    store.projectId.set('p1');
    store.view.set({ ...view, range: '15m' });
    TestBed.tick();
    await flushMicrotasks();
    const now = Math.floor(Date.now() / 15_000) * 15_000;
    // the view's own series (ending now); any other request (the compared period) is left to the test
    const requests = timeseries();
    const main = requests.find((r) => Math.abs(Date.parse(r.request.params.get('to') as string) - Date.now()) < 5_000);
    main?.flush(sampleResponse({ from: new Date(now - 60_000).toISOString(), to: new Date(now).toISOString() }));
    http.match((r) => r.url === '/monitoring/enterprise/alert-rules').forEach((r) => r.flush(sampleRules()));
    http.match((r) => r.url === '/monitoring/enterprise/alerts').forEach((r) => r.flush([]));
    await flushMicrotasks();
    TestBed.tick();
    return requests.filter((r) => r !== main);
  }

  const lastCpu = () => {
    const points = store.frames()?.cpu_usage.points ?? [];
    return points[points.length - 1];
  };

  beforeEach(() => {
    streams = new FakeStreams();
    TestBed.configureTestingModule({
      providers: [
        MonitoringStore,
        provideRouter([]),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: StreamService, useValue: streams },
      ],
    });
    TestBed.inject(ProjectsStore).projects.set([PROJECT]);
    store = TestBed.inject(MonitoringStore);
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => setVisibility('visible'));

  it("a new range's requests start over two tasks: the series and rules, then the alerts (once for two loads)", async () => {
    const alerts = () => http.match((r) => r.url === '/monitoring/enterprise/alerts');
    store.projectId.set('p1');
    store.view.set({ ...DEFAULT_VIEW, range: '15m' });
    TestBed.tick();
    await flushMicrotasks();
    expect(timeseries()).toHaveLength(1);
    expect(http.match((r) => r.url === '/monitoring/enterprise/alert-rules')).toHaveLength(1);
    expect(alerts()).toEqual([]);
    await flushMicrotasks();
    const first = alerts();
    expect(first.map((r) => r.request.params.get('state'))).toEqual(['firing', 'resolved']);
    first.forEach((r) => r.flush([]));
    await flushMicrotasks();
    expect(store.alertsLoading()).toBe(false);

    // two loads in one task (retries): the alerts are read once, for the latest
    store.retry();
    store.retry();
    expect(timeseries()).toHaveLength(2);
    expect(alerts()).toEqual([]);
    await flushMicrotasks();
    expect(alerts()).toHaveLength(2);
    expect(store.alertsLoading()).toBe(true);
  });

  describe('a range replacing drawn charts: its other reads wait for its series to be drawn', () => {
    const ZOOM = { from: '2026-11-28T10:00:00Z', to: '2026-11-28T11:00:00Z' };
    const alerts = () => http.match((r) => r.url === '/monitoring/enterprise/alerts');
    const rules = () => http.match((r) => r.url === '/monitoring/enterprise/alert-rules');
    const loaded = (range: { from: string }) => store.loadedRange()?.from === Date.parse(range.from);
    afterEach(() => jest.restoreAllMocks());

    /**
     * Shows `range` (a custom range) in place of the drawn view and answers its series; the chart updates are left to
     * the test. Returns the alert-rules requests that went out beside the series.
     */
    async function show(range: { from: string; to: string }, charts: () => void, view: Partial<typeof DEFAULT_VIEW> = {}) {
      store.view.set({ ...DEFAULT_VIEW, range: 'custom', ...range, live: false, ...view });
      TestBed.tick();
      await flushMicrotasks();
      expect(loaded(range)).toBe(false);
      const [series, ...none] = timeseries();
      expect(none).toEqual([]);
      const besideSeries = rules();
      besideSeries.forEach((r) => r.flush(sampleRules()));
      series.flush(sampleResponse(range));
      charts(); // the chart components take the new frames (in the change detection after the answer)
      return besideSeries;
    }

    /** Zooms the loaded live view (a custom range; its stream was open) and answers its series. */
    async function zoom(charts: () => void, view: Partial<typeof DEFAULT_VIEW> = {}) {
      await load({ ...DEFAULT_VIEW, ...view });
      await flushMicrotasks();
      alerts().forEach((r) => r.flush([])); // the first load's (nothing drawn yet: they went out with its series)
      TestBed.tick();
      await flushMicrotasks();
      timeseries().forEach((r) => r.flush(sampleResponse())); // the first load's compared period, if any
      return show(ZOOM, charts, view);
    }

    /** Lets timers and animation frames run until `range` is the loaded one (or `ms` passed). */
    async function until(range: { from: string }, ms: number) {
      const start = Date.now();
      while (!loaded(range) && Date.now() - start < ms) await new Promise((r) => setTimeout(r, 5));
      return Date.now() - start;
    }

    it('the alert overlays and deployments follow once the chart updates ran, not beside them; rules and alerts are kept', async () => {
      const charts = TestBed.inject(ChartFrameScheduler);
      const seen: string[] = [];
      const besideSeries = await zoom(() => {
        for (const chart of ['latency', 'cpu']) charts.schedule(chart, () => seen.push(`${chart}: ${loaded(ZOOM) ? 'read' : 'waiting'}`));
      });
      await until(ZOOM, 900); // well inside the bound: the charts drew
      expect(loaded(ZOOM)).toBe(true);
      expect(seen).toEqual(['latency: waiting', 'cpu: waiting']);
      expect(store.loadedRange()).toEqual({
        projectId: 'p1',
        env: 'prod',
        from: Date.parse(ZOOM.from),
        to: Date.parse(ZOOM.to),
        step: '15s',
        phase: null,
      });
      // they do not depend on the range: the rules are the drawn ones, and the open stream kept the alerts current
      expect(besideSeries).toEqual([]);
      await flushMicrotasks();
      expect(alerts()).toEqual([]);
      expect(store.thresholds().latency_p95).not.toBeNull();
    });

    it('…and after a bound when the charts do not draw (a hidden tab holds animation frames back)', async () => {
      jest.spyOn(window, 'requestAnimationFrame').mockImplementation(() => 0);
      const started = Date.now();
      await zoom(() => TestBed.inject(ChartFrameScheduler).schedule('latency', () => undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(loaded(ZOOM)).toBe(false);
      await until(ZOOM, 2000);
      expect(loaded(ZOOM)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    });

    it('a custom range after a custom one (no stream kept the alerts current) reads the alerts again, once drawn', async () => {
      const charts = TestBed.inject(ChartFrameScheduler);
      await zoom(() => charts.schedule('latency', () => undefined));
      await until(ZOOM, 900);
      const ZOOM2 = { from: '2026-11-28T10:15:00Z', to: '2026-11-28T10:45:00Z' };
      const seen: number[] = [];
      const besideSeries = await show(ZOOM2, () => charts.schedule('latency', () => seen.push(alerts().length)));
      expect(besideSeries).toEqual([]); // the rules are still the drawn ones
      await until(ZOOM2, 900);
      await flushMicrotasks();
      expect(seen).toEqual([0]);
      expect(alerts().map((r) => r.request.params.get('state'))).toEqual(['firing', 'resolved']);
    });

    it('the compared period of a new range is read once its series are drawn, with its step', async () => {
      const charts = TestBed.inject(ChartFrameScheduler);
      const seen: number[] = [];
      await zoom(() => charts.schedule('latency', () => seen.push(timeseries().length)), { compare: '1d' });
      await until(ZOOM, 900);
      TestBed.tick();
      await flushMicrotasks();
      expect(seen).toEqual([0]);
      const [compared, ...more] = timeseries();
      expect(more).toEqual([]);
      expect(compared.request.params.get('from')).toBe('2026-11-27T10:00:00Z');
      expect(compared.request.params.get('to')).toBe('2026-11-27T11:00:00Z');
      expect(compared.request.params.get('step')).toBe('15s');
    });
  });

  it("another project's alerts, alert overlays and deployments are read at once, not after its charts", async () => {
    const alerts = () => http.match((r) => r.url === '/monitoring/enterprise/alerts');
    await load();
    await flushMicrotasks();
    alerts().forEach((r) => r.flush([]));
    jest.spyOn(window, 'requestAnimationFrame').mockImplementation(() => 0); // the charts never draw
    TestBed.inject(ProjectsStore).projects.set([PROJECT, { ...PROJECT, id: 'p2', name: 'Storefront' }]);
    store.projectId.set('p2');
    TestBed.tick();
    await flushMicrotasks();
    http.match((r) => r.url === '/monitoring/enterprise/alert-rules').forEach((r) => r.flush(sampleRules()));
    timeseries()[0].flush(sampleResponse()); // answered before the reads' task: they go out all the same
    TestBed.inject(ChartFrameScheduler).schedule('latency', () => undefined);
    await new Promise((r) => setTimeout(r, 50));
    expect(store.loadedRange()?.projectId).toBe('p2');
    expect(alerts().map((r) => r.request.params.get('project_id'))).toEqual(['p2', 'p2']);
    jest.restoreAllMocks();
  });

  it('live: a sample is drawn at once as a merge frame', async () => {
    await load();
    expect(streams.open).toHaveBeenCalledTimes(1);
    const t = Date.now();
    streams.sample(t, 0.42);
    const frame = store.frames()?.cpu_usage;
    expect(frame?.live).toBe(true);
    expect(lastCpu()).toEqual([Math.floor(t / 15_000) * 15_000, 42]);
    expect(store.arrivedWhilePaused()).toBe(0);
  });

  it('paused: the view stays still while samples arrive and are counted; resuming draws them without a request', async () => {
    await load({ ...DEFAULT_VIEW, live: false });
    expect(streams.open).toHaveBeenCalledTimes(1); // the stream stays open while paused
    const frozen = store.frames();
    const windowBefore = store.visibleWindow();
    const t = Date.now();
    streams.sample(t, 0.7);
    streams.sample(t + 1, 0.9);
    expect(store.frames()).toBe(frozen);
    expect(store.arrivedWhilePaused()).toBe(2);

    store.view.set({ ...DEFAULT_VIEW, range: '15m', live: true });
    TestBed.tick();
    await flushMicrotasks();
    expect(timeseries()).toEqual([]); // caught up from the buffered buckets, no refetch
    expect(store.arrivedWhilePaused()).toBe(0);
    expect(lastCpu()).toEqual([Math.floor(t / 15_000) * 15_000, 80]); // the mean of both samples of the bucket
    expect(store.visibleWindow().to).toBeGreaterThanOrEqual(windowBefore.to);
    expect(store.frames()?.cpu_usage.live).toBe(true);
  });

  it('a hidden tab draws nothing and catches up once shown', async () => {
    await load();
    setVisibility('hidden');
    const before = store.frames();
    streams.sample(Date.now(), 0.33);
    expect(store.frames()).toBe(before);
    setVisibility('visible');
    expect(store.frames()).not.toBe(before);
    expect(lastCpu()?.[1]).toBeCloseTo(33);
    expect(timeseries()).toEqual([]);
  });

  it('comparing with the previous day makes one more timeseries call and overlays it shifted by a day', async () => {
    expect(await load({ ...DEFAULT_VIEW, compare: '1d' })).toEqual([]);
    TestBed.tick();
    await flushMicrotasks();
    const [req, ...more] = timeseries();
    expect(more).toEqual([]);
    expect(req).toBeDefined();
    const from = Date.parse(req.request.params.get('from') as string);
    const to = Date.parse(req.request.params.get('to') as string);
    const dayMs = 86_400_000;
    expect(Math.abs(from - (Date.now() - 15 * 60_000 - dayMs))).toBeLessThan(5_000);
    expect(to - from).toBe(2 * 15 * 60_000); // live: one range ahead so the overlay covers the sliding window
    req.flush(sampleResponse());
    await flushMicrotasks();
    const [overlay] = store.overlays().cpu_usage;
    expect(overlay).toMatchObject({ id: 'compare-1d', label: '1 day earlier', dashed: true });
    expect(overlay.points[0]).toEqual([Date.parse(sampleResponse().from) + dayMs, 41]);
    expect(timeseries()).toEqual([]);
  });

  it('remembers the ranges shown for back/forward and the last live preset', async () => {
    await load({ ...DEFAULT_VIEW, range: '15m' });
    store.view.set({ ...DEFAULT_VIEW, range: 'custom', from: '2026-11-28T10:00:00Z', to: '2026-11-28T11:00:00Z', live: false });
    TestBed.tick();
    expect(store.canGoBack()).toBe(true);
    expect(store.lastLivePreset()).toBe('15m');
    expect(store.back()).toEqual({ range: '15m', from: null, to: null });
    expect(store.canGoForward()).toBe(true);
  });
});
