import { TestBed } from '@angular/core/testing';
import * as echarts from 'echarts/core';
import { provideEchartsCore } from 'ngx-echarts';
import { ChartRegionOverlay, pointsFromResponse, REGIONS_SERIES_ID } from '../chart-options';
import { sampleResponse, sampleRules } from '../../../testing/fixtures';
import { giveElementsASize, settle } from '../../../testing/helpers';
import { CHART_RENDERER } from '../chart-renderer';
import { MetricChartComponent } from './metric-chart.component';
import { MetricName } from '@seqpulse/contracts';

jest.setTimeout(30_000);

describe('MetricChartComponent', () => {
  let restore: () => void;
  beforeEach(() => (restore = giveElementsASize()));
  afterEach(() => restore());

  async function render(withOption: boolean, metric: MetricName = 'latency_p95') {
    await TestBed.configureTestingModule({
      imports: [MetricChartComponent],
      providers: [
        provideEchartsCore({ echarts: () => import('../echarts').then((m) => m.echarts) }),
        { provide: CHART_RENDERER, useValue: 'svg' },
      ],
    }).compileComponents();
    const fixture = TestBed.createComponent(MetricChartComponent);
    fixture.componentRef.setInput('metric', metric);
    fixture.componentRef.setInput('group', 'g1');
    if (withOption) {
      const response = sampleResponse();
      const window = { from: Date.parse(response.from), to: Date.parse(response.to) };
      fixture.componentRef.setInput('frame', { points: pointsFromResponse(response, metric), window, live: false });
      fixture.componentRef.setInput('deployments', response.deployments);
      fixture.componentRef.setInput('threshold', sampleRules().rules.find((r) => r.rule === 'latency_p95_high')?.threshold ?? null);
    }
    return fixture;
  }

  it('uses the canvas renderer unless told otherwise', () => {
    expect(TestBed.inject(CHART_RENDERER)).toBe('canvas');
  });

  it('shows a labelled loading state before data arrives', async () => {
    const fixture = await render(false);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('h2')?.textContent).toContain('Latency P95');
    expect(el.querySelector('h2')?.textContent).toContain('(ms)');
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Loading');
  });

  it('draws a real SVG line chart and reports the instance', async () => {
    const fixture = await render(true);
    const ready = jest.fn();
    fixture.componentInstance.chartReady.subscribe(ready);
    await fixture.whenStable();
    await settle();
    const el = fixture.nativeElement as HTMLElement;
    const div = el.querySelector('.chart') as HTMLElement;
    expect(div.getAttribute('aria-label')).toContain('latest value 190 ms');
    const chart = echarts.getInstanceByDom(div);
    expect(chart).toBeDefined();
    const option = chart?.getOption() as { series: { type: string; connectNulls: boolean }[] };
    expect(option.series[0].type).toBe('line');
    expect(option.series[0].connectNulls).toBe(false);
    expect(div.querySelectorAll('svg path').length).toBeGreaterThan(0);
    expect(ready).toHaveBeenCalledWith(expect.objectContaining({ metric: 'latency_p95' }));
  });

  /** A one-second region labelled with its id. */
  const region = (id: string, from: number): ChartRegionOverlay => ({
    kind: 'region',
    id,
    label: id,
    tooltip: [id],
    from,
    to: from + 1_000,
    bandTo: null,
    colour: '#c62828',
  });

  it('a new window merged into the drawn chart draws the regions that reach into it, and only those', async () => {
    const fixture = await render(true);
    const response = sampleResponse();
    const window = { from: Date.parse(response.from), to: Date.parse(response.to) };
    fixture.componentRef.setInput('overlays', [region('inside', window.from + 1_000), region('later', window.to + 60_000)]);
    await fixture.whenStable();
    await settle();
    const div = (fixture.nativeElement as HTMLElement).querySelector('.chart') as HTMLElement;
    const chart = echarts.getInstanceByDom(div) as echarts.ECharts;
    const drawn = () => {
      const option = chart.getOption() as { series: { id: string; markArea?: { data: { name?: string }[][] } }[] };
      return (option.series.find((s) => s.id === REGIONS_SERIES_ID)?.markArea?.data ?? []).map(([start]) => start.name);
    };
    expect(drawn()).toEqual(['inside', 'inside']); // the region and its (empty) band
    const points = pointsFromResponse(response, 'latency_p95');
    fixture.componentRef.setInput('frame', { points, window: { from: window.from + 30_000, to: window.to + 120_000 }, live: false });
    fixture.detectChanges();
    await settle(40);
    expect(drawn()).toEqual(['later', 'later']);
  });

  it('a zoom that keeps the same regions in the window labels those that now fit', async () => {
    const fixture = await render(true);
    const response = sampleResponse();
    const window = { from: Date.parse(response.from), to: Date.parse(response.to) };
    const span = window.to - window.from;
    // a twentieth of the window apart: one label fits the whole window, both fit a window of a tenth
    fixture.componentRef.setInput('overlays', [region('a', window.from + 0.4 * span), region('b', window.from + 0.45 * span)]);
    await fixture.whenStable();
    await settle();
    const div = (fixture.nativeElement as HTMLElement).querySelector('.chart') as HTMLElement;
    const chart = echarts.getInstanceByDom(div) as echarts.ECharts;
    const labelled = () => {
      const option = chart.getOption() as {
        series: { id: string; markArea?: { data: { name?: string; label?: { show?: boolean } }[][] } }[];
      };
      const areas = option.series.find((s) => s.id === REGIONS_SERIES_ID)?.markArea?.data ?? [];
      return areas.filter(([start]) => start.label?.show).map(([start]) => start.name);
    };
    expect(labelled()).toEqual(['b']); // the later one
    const points = pointsFromResponse(response, 'latency_p95');
    const zoomed = { from: window.from + 0.38 * span, to: window.from + 0.48 * span };
    fixture.componentRef.setInput('frame', { points, window: zoomed, live: false });
    fixture.detectChanges();
    await settle(40);
    expect(labelled()).toEqual(['a', 'b']);
  });

  it('a live frame arriving while a redraw waits for its frame does not lose the redraw', async () => {
    const fixture = await render(true);
    await fixture.whenStable();
    await settle();
    const div = (fixture.nativeElement as HTMLElement).querySelector('.chart') as HTMLElement;
    const chart = echarts.getInstanceByDom(div) as echarts.ECharts;
    const response = sampleResponse();
    const window = { from: Date.parse(response.from), to: Date.parse(response.to) + 15_000 };
    const points = pointsFromResponse(response, 'latency_p95');
    fixture.componentRef.setInput('threshold', 250); // a redraw (new alert line), waiting for its animation frame…
    fixture.detectChanges();
    fixture.componentRef.setInput('frame', { points: [...points, [window.to, 321]], window, live: true }); // …then a live point
    fixture.detectChanges();
    await settle(40);
    const option = chart.getOption() as { series: { data: unknown[]; markLine: { data: { yAxis?: number }[] } }[] };
    expect(option.series[0].markLine.data.some((d) => d.yAxis === 250)).toBe(true);
    const last = option.series[0].data[option.series[0].data.length - 1] as unknown;
    expect(JSON.stringify(last)).toContain('321');
  });

  it('the pointer on one chart draws the crosshair of the others of its group at the same time, and only there', async () => {
    const pointed = await render(true, 'latency_p95');
    const other = TestBed.createComponent(MetricChartComponent);
    other.componentRef.setInput('metric', 'error_rate');
    other.componentRef.setInput('group', 'g1');
    const response = sampleResponse();
    const window = { from: Date.parse(response.from), to: Date.parse(response.to) };
    other.componentRef.setInput('frame', { points: pointsFromResponse(response, 'error_rate'), window, live: false });
    await Promise.all([pointed.whenStable(), other.whenStable()]);
    await settle();
    const instance = (f: typeof pointed) =>
      echarts.getInstanceByDom((f.nativeElement as HTMLElement).querySelector('.chart') as HTMLElement);
    const line = (f: typeof pointed) => (f.nativeElement as HTMLElement).querySelector('.crosshair') as HTMLElement;
    const source = instance(pointed) as echarts.ECharts;
    const target = instance(other) as echarts.ECharts;
    const times: number[] = [];
    source.on('updateAxisPointer', (e) => {
      for (const axis of (e as { axesInfo?: { value: number }[] }).axesInfo ?? []) times.push(axis.value);
    });

    source.dispatchAction({ type: 'updateAxisPointer', currTrigger: 'mousemove', x: 300, y: 100 });
    await settle();
    expect(times.length).toBeGreaterThan(0);
    const x = Math.round(target.convertToPixel({ xAxisIndex: 0 }, times[times.length - 1]) as unknown as number);
    expect(x).toBeGreaterThan(0);
    expect(line(other).style.display).toBe('block');
    expect(line(other).style.transform).toBe(`translateX(${x}px)`);
    expect(line(pointed).style.display).not.toBe('block'); // the pointed chart shows echarts' own axis pointer

    source.dispatchAction({ type: 'updateAxisPointer', currTrigger: 'leave' });
    await settle();
    expect(line(other).style.display).toBe('none');

    other.componentRef.setInput('group', 'g2'); // another page's group: no longer follows
    other.detectChanges();
    source.dispatchAction({ type: 'updateAxisPointer', currTrigger: 'mousemove', x: 200, y: 100 });
    await settle();
    expect(line(other).style.display).toBe('none');
  });
});
