import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AlertHistoryEntry, AlertView, ProjectView, SampleEvent, TimeseriesResponse } from '@seqpulse/contracts';
import * as echarts from 'echarts/core';
import { provideEchartsCore } from 'ngx-echarts';
import { sampleResponse, sampleRules } from '../../../testing/fixtures';
import { giveElementsASize, settle, settleUntil } from '../../../testing/helpers';
import { CHART_RENDERER } from '../../charts/chart-renderer';
import { EventStreamOptions, StreamState } from '../../core/event-stream';
import { StreamService } from '../../core/stream.service';
import { MonitoringPage } from './monitoring.page';

jest.setTimeout(30_000);

const base: Omit<ProjectView, 'id' | 'name' | 'plan' | 'monitoring'> = {
  envs: ['prod', 'staging'],
  metrics_endpoint: 'http://x/metrics',
  hmac_enabled: false,
  created_at: '2026-11-01T00:00:00Z',
  poll_interval_s: 15,
};
const PROJECTS: ProjectView[] = [
  { ...base, id: 'p1', name: 'Checkout API', plan: 'enterprise', monitoring: { enabled: true } },
  { ...base, id: 'p2', name: 'Search API', plan: 'enterprise', monitoring: { enabled: false, reason: 'monitoring_not_enabled' } },
  { ...base, id: 'p3', name: 'Blog', plan: 'free', envs: ['prod'], monitoring: { enabled: false, reason: 'plan_not_enterprise' } },
];

class FakeStreams {
  handlers: Pick<EventStreamOptions, 'onMessage' | 'onState' | 'onOpen'> | null = null;
  query: unknown = null;
  readonly stop = jest.fn();
  open = jest.fn((query: unknown, handlers: Pick<EventStreamOptions, 'onMessage' | 'onState' | 'onOpen'>) => {
    this.query = query;
    this.handlers = handlers;
    handlers.onState?.({ status: 'open', attempt: 0, retryAt: null, error: null });
    return { stop: this.stop };
  });
  state(s: Partial<StreamState>) {
    this.handlers?.onState?.({ status: 'open', attempt: 0, retryAt: null, error: null, ...s });
  }
  send(event: string, data: unknown) {
    this.handlers?.onMessage({ event, data: JSON.stringify(data) });
  }
}

describe('MonitoringPage', () => {
  let http: HttpTestingController;
  let streams: FakeStreams;
  let restore: () => void;

  beforeEach(() => {
    restore = giveElementsASize();
    streams = new FakeStreams();
    TestBed.configureTestingModule({
      providers: [
        provideRouter([{ path: 'app/projects/:id', component: MonitoringPage }], withComponentInputBinding()),
        provideHttpClient(),
        provideHttpClientTesting(),
        provideEchartsCore({ echarts: () => import('../../charts/echarts').then((m) => m.echarts) }),
        { provide: StreamService, useValue: streams },
        { provide: CHART_RENDERER, useValue: 'svg' },
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => restore());

  async function open(url: string) {
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl(url);
    await settle(5);
    http.expectOne('/projects').flush(PROJECTS);
    await navigation;
    await harness.fixture.whenStable();
    await settle(5);
    return harness;
  }

  function answerData(env = 'prod', alerts: AlertView[] = [], overrides: Partial<TimeseriesResponse> = {}): TestRequest {
    const ts = http.expectOne((r) => r.url === '/monitoring/enterprise/timeseries');
    ts.flush(sampleResponse({ env, ...overrides }));
    http.expectOne((r) => r.url === '/monitoring/enterprise/alert-rules').flush(sampleRules());
    const alertReqs = http.match((r) => r.url === '/monitoring/enterprise/alerts');
    alertReqs.forEach((r) => r.flush(r.request.params.get('state') === 'firing' ? alerts : []));
    return ts;
  }

  it('explains instead of drawing for a free project, without calling the monitoring API', async () => {
    const harness = await open('/app/projects/p3');
    const el = harness.routeNativeElement as HTMLElement;
    expect(el.querySelector('app-refusal h2')?.textContent).toContain('needs the Enterprise plan');
    expect(el.querySelectorAll('app-metric-chart')).toHaveLength(0);
    http.expectNone((r) => r.url.startsWith('/monitoring'));
    expect(streams.open).not.toHaveBeenCalled();
  });

  it('says "not enabled yet" for an enterprise project outside the pilot', async () => {
    const harness = await open('/app/projects/p2');
    expect((harness.routeNativeElement as HTMLElement).textContent).toContain('not enabled for this project yet');
  });

  it('turns a 403 from the API into the explanation, never a raw error', async () => {
    const harness = await open('/app/projects/p1');
    http
      .expectOne((r) => r.url === '/monitoring/enterprise/timeseries')
      .flush({ statusCode: 403, code: 'monitoring_not_enabled', message: 'raw server text' }, { status: 403, statusText: 'Forbidden' });
    http.match(() => true).forEach((r) => r.flush(r.request.url === '/monitoring/enterprise/deployments' ? { deployments: [] } : []));
    await settle(5);
    await harness.fixture.whenStable();
    const el = harness.routeNativeElement as HTMLElement;
    expect(el.textContent).toContain('not enabled for this project yet');
    expect(el.textContent).not.toContain('raw server text');
  });

  it('requests the view of the URL and draws five charts with the alerts panel', async () => {
    const harness = await open('/app/projects/p1?env=staging&phase=post&range=24h');
    const req = answerData('staging', [
      {
        id: 'a1',
        rule: 'error_rate_high',
        env: 'staging',
        state: 'firing',
        value: 0.05,
        threshold: 0.01,
        started_at: new Date(Date.now() - 60_000).toISOString(),
        resolved_at: null,
      },
    ]);
    const p = req.request.params;
    expect(p.get('project_id')).toBe('p1');
    expect(p.get('env')).toBe('staging');
    expect(p.get('phase')).toBe('post');
    expect(p.get('step')).toBe('60s');
    expect(Date.parse(p.get('to') as string) - Date.parse(p.get('from') as string)).toBe(24 * 3600_000);
    await harness.fixture.whenStable();
    await settle();
    const el = harness.routeNativeElement as HTMLElement;
    expect(el.querySelectorAll('app-metric-chart')).toHaveLength(5);
    expect(el.querySelectorAll('app-metric-chart svg').length).toBe(5);
    expect(el.querySelector('.alert-item.firing')?.textContent).toContain('5 %');
    expect(streams.query).toEqual({ project_id: 'p1', env: 'staging', phase: 'post' });
    expect((el.querySelector('#f-env') as HTMLSelectElement).value).toBe('staging');
    expect(el.querySelector('.stream-status')?.textContent).toContain('Live');
  });

  it('changing the env puts it in the URL and requests again', async () => {
    const harness = await open('/app/projects/p1');
    answerData();
    await harness.fixture.whenStable();
    const select = (harness.routeNativeElement as HTMLElement).querySelector('#f-env') as HTMLSelectElement;
    select.value = 'staging';
    select.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    await settle(5);
    expect(TestBed.inject(Router).url).toBe('/app/projects/p1?env=staging');
    const req = answerData('staging');
    expect(req.request.params.get('env')).toBe('staging');
    expect(streams.stop).toHaveBeenCalled();
  });

  it('appends a live sample without a full redraw and shows the stream state', async () => {
    const harness = await open('/app/projects/p1?range=15m');
    answerData();
    await harness.fixture.whenStable();
    await settle();
    const el = harness.routeNativeElement as HTMLElement;
    const div = el.querySelector('[data-metric="cpu_usage"] .chart') as HTMLElement;
    const chart = echarts.getInstanceByDom(div);
    expect(chart).toBeDefined();
    const setOption = jest.spyOn(chart as echarts.ECharts, 'setOption');
    const t = new Date(Math.floor(Date.now() / 15_000) * 15_000).toISOString();
    const sample: SampleEvent = {
      t,
      env: 'prod',
      phase: 'pre',
      values: { requests_per_sec: 20, latency_p95: 150, error_rate: 0.001, cpu_usage: 0.42, memory_usage: 0.6 },
    };
    streams.send('sample', sample);
    await harness.fixture.whenStable();
    // one chart at a time, each a task and an animation frame: wait for it however loaded the machine, then a while more
    await settleUntil(() => setOption.mock.calls.length > 0);
    await settle(40);
    expect(setOption).toHaveBeenCalledTimes(1);
    const [update, opts] = setOption.mock.calls[0] as unknown as [
      {
        series: { id: string; data: ([number, number | null] | { value: [number, number | null] })[] }[];
        xAxis: { min: number; max: number };
      },
      { silent: boolean },
    ];
    expect(opts).toMatchObject({ silent: true });
    expect(opts).not.toHaveProperty('notMerge'); // merge: axes, mark lines and the rest stay
    // the points, the window, and the plot's margin for their axis labels
    expect(Object.keys(update).sort()).toEqual(['grid', 'series', 'xAxis']);
    const lastDatum = update.series[0].data[update.series[0].data.length - 1];
    const last = Array.isArray(lastDatum) ? lastDatum : lastDatum.value;
    expect(last).toEqual([Date.parse(t), 42]);
    expect(update.xAxis.max - update.xAxis.min).toBe(15 * 60_000);
    expect(el.querySelector('[data-metric="cpu_usage"] .latest')?.textContent).toContain('42 %');
    expect(el.querySelector('.last-sample')?.textContent).toMatch(/Last sample \d+ s ago/);

    streams.state({ status: 'reconnecting', attempt: 1, retryAt: Date.now() + 4000 });
    await harness.fixture.whenStable();
    expect(el.querySelector('.stream-status')?.textContent).toMatch(/Stream down — reconnecting/);
    expect(el.querySelector('.retry-in')?.textContent).toMatch(/next try in [1-5] s/);
  });

  it('shows a live alert as soon as it fires', async () => {
    const harness = await open('/app/projects/p1');
    answerData();
    await settle(5);
    await harness.fixture.whenStable();
    streams.send('alert', {
      id: 'n1',
      rule: 'latency_p95_high',
      env: 'prod',
      state: 'firing',
      value: 700,
      threshold: 500,
      started_at: new Date().toISOString(),
      resolved_at: null,
    } satisfies AlertView);
    await harness.fixture.whenStable();
    const item = (harness.routeNativeElement as HTMLElement).querySelector('.alert-item.firing');
    expect(item?.textContent).toContain('Latency P95 high');
    expect(item?.textContent).toContain('700 ms');
  });

  it('a post-deployment sample nobody explains refreshes only the deployment markers', async () => {
    const harness = await open('/app/projects/p1?range=15m');
    answerData('prod', [], { deployments: [] });
    await harness.fixture.whenStable();
    await settle();
    const el = harness.routeNativeElement as HTMLElement;
    expect(el.querySelector('.deployments-in-view')?.textContent).toContain('No deployment in this range');
    const chart = echarts.getInstanceByDom(el.querySelector('[data-metric="cpu_usage"] .chart') as HTMLElement);
    const setOption = jest.spyOn(chart as echarts.ECharts, 'setOption');
    const finished = new Date(Date.now() - 20_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    streams.send('sample', {
      t: new Date().toISOString(),
      env: 'prod',
      phase: 'post',
      values: { requests_per_sec: 20, latency_p95: 150, error_rate: 0.001, cpu_usage: 0.42, memory_usage: 0.6 },
    } satisfies SampleEvent);
    const refresh = http.expectOne((r) => r.url === '/monitoring/enterprise/timeseries');
    refresh.flush(
      sampleResponse({
        deployments: [{ deployment_id: 'd9', env: 'prod', started_at: finished, finished_at: finished, result: 'failed' }],
      }),
    );
    await harness.fixture.whenStable();
    const markerUpdates = () =>
      setOption.mock.calls
        .map((c) => c[0] as { series: { markLine?: { data: { deployment?: string }[] } }[] })
        .filter((o) => o.series?.[0]?.markLine);
    await settleUntil(() => markerUpdates().length > 0); // one chart per animation frame
    expect(el.querySelector('.deployments-in-view')?.textContent).toContain('1 deployment in this range');
    const markerUpdate = markerUpdates()[0];
    expect(markerUpdate?.series[0].markLine?.data.some((d) => d.deployment === 'd9')).toBe(true);
    // merged into the drawn chart (markers, maybe with new points), not a full redraw
    expect(Object.keys(markerUpdate ?? {}).filter((k) => !['grid', 'series', 'xAxis'].includes(k))).toEqual([]);
    // a second unexplained sample right after does not refetch again (throttled)
    streams.send('sample', {
      t: new Date().toISOString(),
      env: 'prod',
      phase: 'post',
      values: { requests_per_sec: 20, latency_p95: 150, error_rate: 0.001, cpu_usage: 0.42, memory_usage: 0.6 },
    } satisfies SampleEvent);
    http.expectNone((r) => r.url === '/monitoring/enterprise/timeseries');
  });

  it('a custom range is fixed (no stream) and sent as is', async () => {
    await open('/app/projects/p1?from=2026-11-28T10:00:00Z&to=2026-11-28T12:00:00Z&step=5m');
    const req = answerData();
    expect(req.request.params.get('from')).toBe('2026-11-28T10:00:00Z');
    expect(req.request.params.get('to')).toBe('2026-11-28T12:00:00Z');
    expect(req.request.params.get('step')).toBe('5m');
    expect(streams.open).not.toHaveBeenCalled();
  });

  it('shades the firing periods of the window on their chart; clicking an alert in the panel shows its range', async () => {
    const harness = await open('/app/projects/p1?range=6h');
    const start = Date.now() - 2 * 3600_000;
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const resolved: AlertHistoryEntry = {
      id: 'r1',
      rule: 'error_rate_high',
      env: 'prod',
      state: 'resolved',
      value: 0.002,
      threshold: 0.01,
      started_at: iso(start),
      resolved_at: iso(start + 20 * 60_000),
      level: 'critical',
      silenced: false,
      timeline: [
        { at: iso(start), kind: 'opened', level: 'warning', value: 0.006 },
        { at: iso(start + 5 * 60_000), kind: 'escalated', level: 'critical', value: 0.02 },
        { at: iso(start + 20 * 60_000), kind: 'resolved', level: 'critical', value: 0.002 },
      ],
    };
    const ts = http.expectOne((r) => r.url === '/monitoring/enterprise/timeseries');
    ts.flush(sampleResponse({ env: 'prod' }));
    http.expectOne((r) => r.url === '/monitoring/enterprise/alert-rules').flush(sampleRules());
    http
      .match((r) => r.url === '/monitoring/enterprise/alerts')
      .forEach((r) => r.flush(r.request.params.get('state') === 'resolved' ? [resolved] : []));
    await settle(5);
    const history = http.expectOne((r) => r.url === '/monitoring/enterprise/alert-history');
    expect(history.request.params.get('env')).toBe('prod');
    expect(
      Date.parse(history.request.params.get('to') as string) - Date.parse(history.request.params.get('from') as string),
    ).toBeGreaterThanOrEqual(6 * 3600_000);
    history.flush([resolved]);
    http.expectOne((r) => r.url === '/monitoring/enterprise/silences').flush([]);
    http.expectOne((r) => r.url === '/monitoring/enterprise/maintenance-windows').flush([]);
    http.match((r) => r.url === '/monitoring/enterprise/deployments').forEach((r) => r.flush({ deployments: [] }));
    await harness.fixture.whenStable();
    await settle();
    const el = harness.routeNativeElement as HTMLElement;
    const label = (metric: string) => el.querySelector(`[data-metric="${metric}"] .chart[role="img"]`)?.getAttribute('aria-label') ?? '';
    expect(label('error_rate')).toContain('Alert Error rate high · prod: warning; Alert Error rate high · prod: critical');
    expect(label('cpu_usage')).not.toContain('Alert');
    expect(el.querySelector('a[href="/app/projects/p1/alerts?env=prod"]')?.textContent).toContain('Alert history');

    (el.querySelector('.alert-item.resolved[data-rule="error_rate_high"] button') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    const url = new URL(TestBed.inject(Router).url, 'http://x');
    expect(url.searchParams.get('from')).toBe(iso(start - 15 * 60_000));
    expect(url.searchParams.get('to')).toBe(iso(start + 35 * 60_000));
  });
});
