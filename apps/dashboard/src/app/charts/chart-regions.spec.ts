import {
  buildMetricOption,
  ChartOverlay,
  ChartRegionOverlay,
  REGIONS_SERIES_ID,
  regionAtTime,
  regionsInWindow,
  regionLabels,
  regionsPatch,
  SERIES_ID,
} from './chart-options';
import { LIGHT_CHART_THEME } from './chart-theme';

type AnyOption = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const region = (id: string, from: number, bandTo: number | null, tooltip = [`Deployment ${id}`]): ChartRegionOverlay => ({
  kind: 'region',
  id,
  label: 'rollback recommended',
  tooltip,
  from,
  to: from + 45_000,
  bandTo,
  colour: '#c62828',
});

function build(overlays: ChartOverlay[], window = { from: 0, to: 3600_000 }): AnyOption[] {
  const option = buildMetricOption({
    metric: 'error_rate',
    points: [[0, 1]],
    deployments: [],
    threshold: null,
    window,
    theme: LIGHT_CHART_THEME,
    overlays,
  }) as AnyOption;
  return option['series'];
}

describe('region overlays (deployments on the metric charts)', () => {
  const line: ChartOverlay = { id: 'compare-1d', label: '1 day earlier', dashed: true, points: [[0, 2]] };
  const regions = [region('a', 60_000, 60_000 + 45_000 + 300_000), region('b', 900_000, null)];

  it('draws each region as two mark areas (filled range, then its band) on one data-less series, after the lines', () => {
    const series = build([line, ...regions]);
    expect(series.map((s) => s['id'])).toEqual([SERIES_ID, 'compare-1d', REGIONS_SERIES_ID]);
    const regionSeries = series[2];
    expect(regionSeries['data']).toEqual([]);
    const areas = regionSeries['markArea']['data'] as AnyOption[][];
    expect(areas).toHaveLength(4);
    expect(areas.map(([start, end]) => [start['xAxis'], end['xAxis']])).toEqual([
      [60_000, 105_000],
      [105_000, 405_000], // the observation window after the finish
      [900_000, 945_000],
      [945_000, 945_000], // no known window: an empty band
    ]);
    expect(areas[0][0]['itemStyle']['color']).toBe('#c62828');
    expect(areas[0][0]['label']).toMatchObject({ show: true, formatter: 'rollback recommended' });
    expect(areas[1][0]['itemStyle']).toMatchObject({ borderType: 'dashed' });
    expect(areas[1][0]['itemStyle']['opacity']).toBeLessThan(areas[0][0]['itemStyle']['opacity']);
  });

  it('labels the regions and deployment lines only where the labels fit: one per fifth of the window, a failed one kept', () => {
    const HOUR = 3_600_000;
    const week = { from: 0, to: 7 * 24 * HOUR };
    // two deployments a day for a week: each a region and a line at its finish; the one of day 3 at 16:00 failed
    const times = Array.from({ length: 14 }, (_, i) => Math.floor(i / 2) * 24 * HOUR + (i % 2 ? 16 : 10) * HOUR);
    const deployed = times.map((t, i) => region(`d${i}`, t, t + HOUR));
    const deployments = times.map((t, i) => ({
      deployment_id: `d${i}`,
      env: 'prod',
      started_at: new Date(t - 45_000).toISOString(),
      finished_at: new Date(t).toISOString(),
      result: i === 5 ? ('failed' as const) : ('success' as const),
    }));
    const option = buildMetricOption({
      metric: 'error_rate',
      points: [[0, 1]],
      deployments,
      threshold: 0.01,
      window: week,
      theme: LIGHT_CHART_THEME,
      overlays: deployed,
    }) as AnyOption;
    const [metric, regionSeries] = option['series'] as AnyOption[];
    const lines = (metric['markLine']['data'] as AnyOption[]).filter((d) => d['deployment']);
    expect(lines).toHaveLength(14); // every deployment keeps its line
    const labelledLines = lines.filter((d) => d['label']['show']).map((d) => d['xAxis'] as number);
    expect(labelledLines.length).toBeGreaterThanOrEqual(4);
    expect(labelledLines.length).toBeLessThanOrEqual(5);
    expect(labelledLines).toContain(times[5]);
    const gaps = labelledLines
      .sort((a, b) => a - b)
      .slice(1)
      .map((t, i) => t - labelledLines[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(week.to / 5);
    const areas = (regionSeries['markArea']['data'] as AnyOption[][]).filter((_, i) => i % 2 === 0);
    expect(areas).toHaveLength(14);
    expect(areas.filter(([start]) => start['label']['show']).length).toBeLessThanOrEqual(5);
    // zoomed into a day: both of its deployments labelled, on the lines and on the regions
    const day = { from: 3 * 24 * HOUR, to: 4 * 24 * HOUR };
    const inDay = regionsInWindow(deployed, day);
    const patch = regionsPatch(inDay, regionLabels(inDay, day), LIGHT_CHART_THEME) as AnyOption;
    expect((patch['markArea']['data'] as AnyOption[][]).filter(([start]) => start['label']['show'])).toHaveLength(2);
  });

  it('no region, no region series; the hover text is per region, HTML-escaped', () => {
    expect(build([line]).map((s) => s['id'])).toEqual([SERIES_ID, 'compare-1d']);
    const series = build([region('x', 0, 1, ['Deployment <b>x</b>', 'verdict: ok'])]);
    const formatter = series[1]['markArea']['tooltip']['formatter'] as (p: { dataIndex: number }) => string;
    expect(series[1]['markArea']['tooltip']['trigger']).toBe('item');
    expect(formatter({ dataIndex: 1 })).toBe('Deployment &#60;b&#62;x&#60;/b&#62;<br/>verdict: ok');
  });

  it('draws only the regions reaching into the window (range or band); a moved window gets its own by a merge', () => {
    const later = region('c', 7200_000, null);
    const byBand = build([line, ...regions, later], { from: 300_000, to: 3600_000 })[2]['markArea']['data'] as AnyOption[][];
    expect(byBand.map(([start]) => start['xAxis'])).toEqual([60_000, 105_000, 900_000, 945_000]); // a by its band, b
    const after = build([line, ...regions, later], { from: 500_000, to: 3600_000 })[2]['markArea']['data'] as AnyOption[][];
    expect(after.map(([start]) => start['xAxis'])).toEqual([900_000, 945_000]); // a ended before the window
    expect(regionsInWindow([line, ...regions, later], { from: 400_000, to: 7300_000 }).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    // none in the window: the series stays (a later window merges regions into it), without areas
    const empty = build([later]);
    expect(empty.map((s) => s['id'])).toEqual([SERIES_ID, REGIONS_SERIES_ID]);
    expect(empty[1]['markArea']['data']).toEqual([]);
    const patch = regionsPatch([later], regionLabels([later], { from: 7000_000, to: 7300_000 }), LIGHT_CHART_THEME) as AnyOption;
    expect(patch['id']).toBe(REGIONS_SERIES_ID);
    expect((patch['markArea']['data'] as AnyOption[][]).map(([start]) => start['xAxis'])).toEqual([7200_000, 7245_000]);
    expect(patch['markArea']['tooltip']['formatter']({ dataIndex: 1 })).toBe('Deployment c');
  });

  it('finds the region under a click by time: its range or its band, the one drawn on top where they overlap, lines ignored', () => {
    const overlays = [line, ...regions, region('c', 300_000, 700_000)];
    expect(regionAtTime(overlays, 60_000)?.id).toBe('a'); // the trigger
    expect(regionAtTime(overlays, 200_000)?.id).toBe('a'); // its observation window
    expect(regionAtTime(overlays, 350_000)?.id).toBe('c'); // a's band and c: c is drawn over a
    // an alert that opened inside a deployment's window, listed before the deployment (as the monitoring page does):
    // the deployment is drawn on top, shows its tooltip there, and is what a click opens
    const alert = region('alert:x:0', 250_000, null);
    expect(regionAtTime([alert, region('d', 200_000, 400_000)], 260_000)?.id).toBe('d');
    expect(regionAtTime([region('d', 200_000, 400_000), alert], 260_000)?.id).toBe('alert:x:0');
    expect(regionAtTime(overlays, 920_000)?.id).toBe('b'); // no band: only trigger → finish
    expect(regionAtTime(overlays, 950_000)).toBeNull();
    expect(regionAtTime([line], 0)).toBeNull();
    // a silence that started later does not hide the alert under it from a click
    const silence: ChartRegionOverlay = { ...region('silence:s1', 920_000, null), muted: true };
    expect(regionAtTime([...overlays, silence], 930_000)?.id).toBe('b');
    expect(regionAtTime([...overlays, silence], 950_000)?.id).toBe('silence:s1');
  });

  it('where labels would overlap, the higher label weight keeps its label, then the latest; muted regions last', () => {
    const day = { from: 0, to: 24 * 3600_000 };
    const ranked = (weights: (number | undefined)[], muted: boolean[] = []) =>
      [
        ...regionLabels(
          weights.map((labelWeight, i) => ({ ...region(`r${i}`, i * 60_000, null), labelWeight, muted: muted[i] })),
          day,
        ),
      ].map((r) => r.id);
    expect(ranked([undefined, undefined])).toEqual(['r1']); // the latest
    expect(ranked([2, undefined])).toEqual(['r0']);
    expect(ranked([1, 3, 2])).toEqual(['r1']);
    expect(ranked([undefined, undefined], [false, true])).toEqual(['r0']); // a muted region: weight 0
    expect(ranked([undefined, 1], [false, true])).toEqual(['r1']); // unless its source ranks it
  });

  it('a muted region (silence, maintenance) is drawn faint with a dotted border and its label at the bottom', () => {
    const muted: ChartRegionOverlay = { ...region('silence:s1', 0, null), label: 'silenced', colour: '#5b6478', muted: true };
    const areas = build([muted, region('alert:a1:0', 100_000, null)])[1]['markArea']['data'] as AnyOption[][];
    const [silence, alert] = [areas[0][0], areas[2][0]];
    expect(silence['itemStyle']).toMatchObject({ color: '#5b6478', borderType: 'dotted' });
    expect(silence['itemStyle']['opacity']).toBeLessThan(alert['itemStyle']['opacity']);
    expect(silence['label']).toMatchObject({ formatter: 'silenced', position: 'insideBottomLeft' });
    expect(alert['label']).toMatchObject({ position: 'insideTopLeft' });
  });
});
