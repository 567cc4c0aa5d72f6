import { clone } from 'zrender/lib/core/util';
import { METRIC_NAMES, METRICS, MetricName } from '@seqpulse/contracts';
import {
  buildChartOptions,
  buildMetricOption,
  niceCeil,
  plotGrid,
  pointsFromResponse,
  SERIES_ID,
  seriesPatch,
  thresholdFor,
  toSeriesData,
  yLabelWidth,
} from './chart-options';
import { echarts } from './echarts';
import { LIGHT_CHART_THEME } from './chart-theme';
import { FIXTURE_T0, sampleResponse, sampleRules } from '../../testing/fixtures';

type AnyOption = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const input = (points: [number, number | null][]) => ({
  metric: 'cpu_usage' as const,
  points,
  deployments: [],
  threshold: null,
  window: { from: 0, to: points.length },
  theme: LIGHT_CHART_THEME,
});

describe('chart options builder', () => {
  const response = sampleResponse();
  const rules = sampleRules().rules;
  const options = buildChartOptions(response, rules, LIGHT_CHART_THEME) as Record<string, AnyOption>;

  it('builds one line chart per metric', () => {
    expect(Object.keys(options).sort()).toEqual([...METRIC_NAMES].sort());
    for (const m of METRIC_NAMES) {
      expect(options[m]['series'][0]).toMatchObject({ id: SERIES_ID, type: 'line', connectNulls: false });
    }
  });

  it('keeps empty buckets as null (a gap), never 0, and never drops them', () => {
    for (const m of METRIC_NAMES) {
      const data = (options[m]['series'][0].data as AnyOption[]).map((d) => (Array.isArray(d) ? d : d['value']));
      expect(data).toHaveLength(4);
      expect(data[2]).toEqual([FIXTURE_T0 + 30_000, null]);
      expect(data.filter((p) => p[1] === 0)).toHaveLength(0);
    }
  });

  it('gives an isolated point (empty buckets around it) a dot so it stays visible', () => {
    const data = options['cpu_usage']['series'][0].data as AnyOption[];
    expect(Array.isArray(data[0])).toBe(true);
    expect(data[3]).toMatchObject({ value: [FIXTURE_T0 + 45_000, 50], symbol: 'circle' });
    expect(options['cpu_usage']['series'][0].symbol).toBe('none');
    expect(
      toSeriesData([
        [0, null],
        [1, 2],
        [2, null],
      ])[1],
    ).toMatchObject({ symbol: 'circle' });
  });

  it('gives echarts series data it keeps as it is (no copy per setOption), made of copies of the live points', () => {
    const points: [number, number | null][] = [
      [0, 1],
      [1, 2],
      [2, null],
      [3, 4],
      [4, null],
    ];
    const data = toSeriesData(points);
    expect(clone(data)).toBe(data);
    expect(clone({ series: [{ data }] }).series[0].data).toBe(data);
    expect(data[0]).toEqual([0, 1]);
    expect(data[0]).not.toBe(points[0]);
    points[0][1] = 9; // a live bucket updated in place does not reach the drawn data
    expect(data[0]).toEqual([0, 1]);
    expect(data[3]).toMatchObject({ value: [3, 4], symbol: 'circle' });
  });

  it('draws symbols only on a series that has an isolated point (else echarts visits every point for nothing)', () => {
    expect(options['cpu_usage']['series'][0].showSymbol).toBe(true);
    const full: [number, number | null][] = [
      [0, 1],
      [1, 2],
      [2, null],
      [3, 4],
      [4, 5],
    ];
    expect(buildMetricOption({ ...input(full) })['series']).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: SERIES_ID, showSymbol: false })]),
    );
    expect((seriesPatch(full, { from: 0, to: 4 }, { metric: 'cpu_usage', threshold: null }) as AnyOption)['series'][0]).toMatchObject({
      id: SERIES_ID,
      showSymbol: false,
    });
    const isolated: [number, number | null][] = [...full, [5, null], [6, 7], [7, null]];
    expect((seriesPatch(isolated, { from: 0, to: 7 }, { metric: 'cpu_usage', threshold: null }) as AnyOption)['series'][0]).toMatchObject({
      showSymbol: true,
    });
  });

  it('applies the display factor: ratios are shown in %', () => {
    const err = options['error_rate']['series'][0].data as [number, number | null][];
    expect(err[0][1]).toBeCloseTo(0.2);
    expect(options['latency_p95']['series'][0].data[0][1]).toBe(180);
    expect(pointsFromResponse(response, 'cpu_usage')[3][1]).toBeCloseTo(50);
  });

  it('puts units on the axis and in the tooltip', () => {
    expect(options['latency_p95']['yAxis']).toMatchObject({ name: 'ms', axisLabel: { formatter: '{value} ms' } });
    expect(options['cpu_usage']['yAxis'].axisLabel.formatter).toBe('{value} %');
    expect(options['requests_per_sec']['yAxis'].name).toBe('req/s');
    const fmt = options['error_rate']['tooltip'].valueFormatter as (v: unknown) => string;
    expect(fmt(1.25)).toBe('1.25 %');
    expect(fmt(null)).toBe('—');
    expect(options['error_rate']['tooltip'].trigger).toBe('axis');
    // shown a task after the axis pointer (echarts' timer), not in the pointer's task
    expect(options['error_rate']['tooltip'].showDelay).toBeGreaterThan(0);
  });

  it('draws the deployment as a marker coloured by its result', () => {
    for (const m of METRIC_NAMES) {
      const marks = options[m]['series'][0].markLine.data as AnyOption[];
      const deploy = marks.find((d) => d['deployment'] === 'd1');
      expect(deploy).toMatchObject({
        xAxis: Date.parse('2026-11-28T10:00:20Z'),
        result: 'success',
        lineStyle: { color: LIGHT_CHART_THEME.success },
      });
    }
    const failed = buildMetricOption({
      metric: 'cpu_usage',
      points: [],
      deployments: [{ ...response.deployments[0], result: 'failed' }],
      threshold: null,
      window: { from: FIXTURE_T0, to: FIXTURE_T0 + 60_000 },
      theme: LIGHT_CHART_THEME,
    }) as AnyOption;
    expect(failed['series'][0].markLine.data[0].lineStyle.color).toBe(LIGHT_CHART_THEME.failed);
  });

  it('leaves out deployments outside the window', () => {
    const opt = buildMetricOption({
      metric: 'cpu_usage',
      points: [],
      deployments: response.deployments,
      threshold: null,
      window: { from: FIXTURE_T0 + 40_000, to: FIXTURE_T0 + 60_000 },
      theme: LIGHT_CHART_THEME,
    }) as AnyOption;
    expect(opt['series'][0].markLine.data).toHaveLength(0);
  });

  it('draws the alert thresholds in display units, env override first', () => {
    const threshold = (m: string) => (options[m]['series'][0].markLine.data as AnyOption[]).find((d) => d['name'] === 'Alert threshold');
    expect(threshold('error_rate')?.['yAxis']).toBeCloseTo(1);
    expect(threshold('cpu_usage')?.['yAxis']).toBeCloseTo(80);
    expect(threshold('latency_p95')?.['yAxis']).toBe(400); // prod override
    expect(threshold('memory_usage')).toBeUndefined(); // disabled rule
    expect(threshold('requests_per_sec')).toBeUndefined(); // no rule
    expect(thresholdFor('latency_p95', rules, 'staging')).toBe(500);
    expect(thresholdFor('cpu_usage', null, 'prod')).toBeNull();
  });

  it('keeps the threshold in view when values are far below it', () => {
    const max = options['error_rate']['yAxis'].max as (e: { max: number }) => number;
    expect(max({ max: 0.4 })).toBe(1.2); // threshold 1 % → 1.1 → nice 1.2
    expect(max({ max: 4.2 })).toBe(5);
    expect(max({ max: Number.NEGATIVE_INFINITY })).toBe(1.2);
    expect(options['latency_p95']['yAxis'].max({ max: 636.65 })).toBe(800);
    expect([niceCeil(0.3), niceCeil(97.7), niceCeil(88), niceCeil(0)]).toEqual([0.3, 100, 100, 1]);
  });

  it('uses the response window on a time axis', () => {
    expect(options['cpu_usage']['xAxis']).toMatchObject({
      type: 'time',
      min: Date.parse(response.from),
      max: Date.parse(response.to),
    });
  });
});

describe('plot margins', () => {
  /** The y-axis labels echarts draws for an option (server-side SVG rendering: no canvas in jsdom). */
  function drawnYLabels(option: AnyOption): string[] {
    const chart = echarts.init(null as never, null, { renderer: 'svg', ssr: true, width: 600, height: 220 });
    chart.setOption(option);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const axis = (chart as any).getModel().getComponent('yAxis').axis;
    const labels = axis.getViewLabels().map((l: { formattedLabel: string }) => l.formattedLabel);
    chart.dispose();
    return labels;
  }

  it('leaves room for the widest y-axis label echarts draws, whatever the values and the threshold line', () => {
    const thresholds: Record<MetricName, number> = {
      requests_per_sec: 50,
      latency_p95: 800,
      error_rate: 0.05,
      cpu_usage: 0.9,
      memory_usage: 0.85,
    };
    const cases: [MetricName, number, number | null][] = [];
    // maxima over eight orders of magnitude, with and without a threshold line
    for (const metric of METRIC_NAMES)
      for (let e = -6; e <= 2; e++)
        for (const m of [1, 1.7, 2.45, 3.5, 6.99, 9.2]) {
          const max =
            (m * 10 ** e * (metric === 'requests_per_sec' || metric === 'latency_p95' ? 1000 : 1)) / METRICS[metric].displayFactor;
          cases.push([metric, max, null], [metric, max, thresholds[metric]]);
        }
    for (const [metric, max, threshold] of cases) {
      const factor = METRICS[metric].displayFactor;
      const points: [number, number | null][] = [0, 1, 2, 3].map((i) => [i, i === 2 ? null : (max * factor * (i + 1)) / 4]);
      const option = buildMetricOption({ ...input(points), metric, threshold }) as AnyOption;
      const drawn = drawnYLabels(option);
      const widest = Math.max(...drawn.map((l) => l.length));
      // each drawn character gets its 7 px, and the estimate is at most one character too wide
      const chars = yLabelWidth({ points, metric, threshold }) / 7;
      expect({ metric, max, threshold, drawn, fits: chars >= widest && chars <= widest + 1 }).toEqual({
        metric,
        max,
        threshold,
        drawn,
        fits: true,
      });
      expect(option['grid']).toMatchObject({ left: yLabelWidth({ points, metric, threshold }) + 12, outerBoundsMode: 'none' });
    }
  });

  it('counts the values of a compared period drawn over the series (the axis runs to the larger of both)', () => {
    const today: [number, number | null][] = [
      [0, 400],
      [1, 420],
    ];
    const yesterday = {
      id: 'day',
      label: '1 day earlier',
      points: [
        [0, 5_000],
        [1, null],
      ] as [number, number | null][],
    };
    const option = buildMetricOption({ ...input(today), metric: 'requests_per_sec', overlays: [yesterday] }) as AnyOption;
    const widest = Math.max(...drawnYLabels(option).map((l) => l.length));
    expect(widest).toBe('5,000 req/s'.length);
    expect(option['grid'].left).toBe(widest * 7 + 12);
    const live = seriesPatch(
      today,
      { from: 0, to: 1 },
      { metric: 'requests_per_sec', threshold: null, overlays: [yesterday] },
    ) as AnyOption;
    expect(live['grid'].left).toBe(widest * 7 + 12);
  });

  it('moves the left margin with the values of a live update', () => {
    const small = seriesPatch([[0, 5]], { from: 0, to: 1 }, { metric: 'requests_per_sec', threshold: null }) as AnyOption;
    const large = seriesPatch([[0, 50_000]], { from: 0, to: 1 }, { metric: 'requests_per_sec', threshold: null }) as AnyOption;
    expect(large['grid'].left - small['grid'].left).toBe(5 * 7); // "50,000 req/s" against "5 req/s"
    expect(small['grid']).toEqual(plotGrid({ points: [[0, 5]], metric: 'requests_per_sec', threshold: null }));
  });
});
