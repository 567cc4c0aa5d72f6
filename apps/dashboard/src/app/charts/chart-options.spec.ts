import { clone } from 'zrender/lib/core/util';
import { METRIC_NAMES } from '@seqpulse/contracts';
import {
  buildChartOptions,
  buildMetricOption,
  niceCeil,
  pointsFromResponse,
  SERIES_ID,
  seriesPatch,
  thresholdFor,
  toSeriesData,
} from './chart-options';
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
    expect((seriesPatch(full, { from: 0, to: 4 }) as AnyOption)['series'][0]).toMatchObject({ id: SERIES_ID, showSymbol: false });
    const isolated: [number, number | null][] = [...full, [5, null], [6, 7], [7, null]];
    expect((seriesPatch(isolated, { from: 0, to: 7 }) as AnyOption)['series'][0]).toMatchObject({ showSymbol: true });
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
