import { AlertHistoryEntry, MaintenanceWindowView, SilenceView } from '@seqpulse/contracts';
import { regionLabels } from '../../charts/chart-options';
import { LIGHT_CHART_THEME } from '../../charts/chart-theme';
import { alertRegions, levelPeriods, mutingRegions, regionTarget } from './alert-regions';

const T = (iso: string) => Date.parse(iso);
const NOW = T('2026-11-28T11:00:00Z');

/** warning at 10:00, critical at 10:04, back to warning at 10:08, resolved at 10:10. */
const ESCALATED: AlertHistoryEntry = {
  id: 'a-esc',
  rule: 'error_rate_high',
  env: 'prod',
  state: 'resolved',
  value: 0.004,
  threshold: 0.005,
  started_at: '2026-11-28T10:00:00Z',
  resolved_at: '2026-11-28T10:10:00Z',
  level: 'warning',
  silenced: false,
  timeline: [
    { at: '2026-11-28T10:00:00Z', kind: 'opened', level: 'warning', value: 0.006 },
    { at: '2026-11-28T10:00:01Z', kind: 'notification', channel: 'webhook', transition: 'firing', status: 'delivered' },
    { at: '2026-11-28T10:04:00Z', kind: 'escalated', level: 'critical', value: 0.03 },
    { at: '2026-11-28T10:06:00Z', kind: 'renotified', level: 'critical', value: 0.03 },
    { at: '2026-11-28T10:08:00Z', kind: 'deescalated', level: 'warning', value: 0.007 },
    { at: '2026-11-28T10:10:00Z', kind: 'resolved', level: 'warning', value: 0.004 },
  ],
};

const FIRING_CPU: AlertHistoryEntry = {
  id: 'a-cpu',
  rule: 'cpu_high',
  env: 'prod',
  state: 'firing',
  value: 0.93,
  threshold: 0.8,
  started_at: '2026-11-28T10:30:00Z',
  resolved_at: null,
  level: 'critical',
  silenced: true,
  timeline: [
    { at: '2026-11-28T10:30:00Z', kind: 'opened', level: 'critical', value: 0.93 },
    { at: '2026-11-28T10:30:00Z', kind: 'silenced', level: 'critical', value: 0.93 },
  ],
};

describe('alert history → firing periods by level', () => {
  it('cuts an escalated alert into its warning, critical and warning parts, one instance', () => {
    expect(levelPeriods(ESCALATED)).toEqual([
      { level: 'warning', from: T('2026-11-28T10:00:00Z'), to: T('2026-11-28T10:04:00Z') },
      { level: 'critical', from: T('2026-11-28T10:04:00Z'), to: T('2026-11-28T10:08:00Z') },
      { level: 'warning', from: T('2026-11-28T10:08:00Z'), to: T('2026-11-28T10:10:00Z') },
    ]);
  });

  it('an open alert has an open-ended period; one without a timeline is one period at its level', () => {
    expect(levelPeriods(FIRING_CPU)).toEqual([{ level: 'critical', from: T('2026-11-28T10:30:00Z'), to: null }]);
    const bare = { ...ESCALATED, timeline: [], level: 'critical' as const };
    expect(levelPeriods(bare)).toEqual([{ level: 'critical', from: T('2026-11-28T10:00:00Z'), to: T('2026-11-28T10:10:00Z') }]);
  });

  it('shades each period on its metric chart only, coloured by level, an open one up to now', () => {
    const regions = alertRegions([ESCALATED, FIRING_CPU], LIGHT_CHART_THEME, NOW);
    expect(regions.error_rate.map((r) => [r.label, r.colour, r.from, r.to])).toEqual([
      ['warning', LIGHT_CHART_THEME.alert.warning, T('2026-11-28T10:00:00Z'), T('2026-11-28T10:04:00Z')],
      ['critical', LIGHT_CHART_THEME.alert.critical, T('2026-11-28T10:04:00Z'), T('2026-11-28T10:08:00Z')],
      ['warning', LIGHT_CHART_THEME.alert.warning, T('2026-11-28T10:08:00Z'), T('2026-11-28T10:10:00Z')],
    ]);
    expect(regions.cpu_usage).toHaveLength(1);
    expect(regions.cpu_usage[0]).toMatchObject({ to: NOW, bandTo: null, label: 'critical' });
    expect(regions.latency_p95).toEqual([]);
    expect(regions.error_rate.every((r) => !r.muted)).toBe(true);
  });

  it('says what each region is: rule, env, level (and from what it escalated), state, silenced', () => {
    const [warning, critical, back] = alertRegions([ESCALATED], LIGHT_CHART_THEME, NOW).error_rate;
    expect(warning.tooltip.slice(0, 3)).toEqual(['Alert Error rate high · prod', 'level: warning', 'state: escalated to critical']);
    expect(critical.tooltip.slice(1, 3)).toEqual(['level: critical (escalated from warning)', 'state: back to warning']);
    expect(back.tooltip.slice(1, 3)).toEqual(['level: warning (back from critical)', 'state: resolved']);
    const [cpu] = alertRegions([FIRING_CPU], LIGHT_CHART_THEME, NOW).cpu_usage;
    expect(cpu.tooltip[2]).toBe('state: firing (silenced)');
    expect(cpu.tooltip[3]).toMatch(/→ now$/);
  });

  it('where labels would overlap, a critical period keeps its label before a warning one, both before the rest', () => {
    const day = { from: T('2026-11-28T00:00:00Z'), to: T('2026-11-29T00:00:00Z') };
    const [warning, critical, back] = alertRegions([ESCALATED], LIGHT_CHART_THEME, NOW).error_rate;
    // the three periods lie within ten minutes of a day: one label, the critical one's (not the latest)
    expect([...regionLabels([warning, critical, back], day)]).toEqual([critical]);
    expect([...regionLabels([warning, back], day)]).toEqual([back]);
    // an alert's label before that of a deployment that went well (verdict ok: weight 1, as any unranked region)
    const deployment = { ...back, id: 'd1', label: 'ok', labelWeight: undefined, from: back.from + 60_000 };
    expect([...regionLabels([warning, deployment], day)]).toEqual([warning]);
  });

  it('a no_data alert is shaded on every chart', () => {
    const noData: AlertHistoryEntry = { ...FIRING_CPU, id: 'a-nd', rule: 'no_data', value: null };
    const regions = alertRegions([noData], LIGHT_CHART_THEME, NOW);
    expect(Object.values(regions).map((list) => list.length)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('silences and maintenance → muted regions', () => {
  const silence = (over: Partial<SilenceView>): SilenceView => ({
    id: 's1',
    project_id: 'p1',
    env: 'prod',
    rule: 'latency_p95_high',
    starts_at: '2026-11-28T10:00:00Z',
    ends_at: '2026-11-28T12:00:00Z',
    comment: 'DB migration',
    created_by: 'ops@example.com',
    created_at: '2026-11-28T09:50:00Z',
    state: 'active',
    ended_by: null,
    ...over,
  });
  const weekly: MaintenanceWindowView = {
    id: 'w1',
    project_id: 'p1',
    env: null,
    rrule: 'FREQ=WEEKLY;BYDAY=SA',
    starts_at: '2026-11-21T10:00:00Z',
    duration_min: 60,
    time_zone: 'Europe/Berlin',
    comment: 'weekly patching',
    created_by: 'ops@example.com',
    created_at: '2026-11-20T00:00:00Z',
    next_occurrences: [{ starts_at: '2026-11-28T10:00:00Z', ends_at: '2026-11-28T11:00:00Z' }],
  };

  it("a rule's silence mutes its metric's chart, an every-rule silence every chart; another env's is left out", () => {
    const regions = mutingRegions(
      [silence({}), silence({ id: 's2', rule: null }), silence({ id: 's3', env: 'staging', rule: null })],
      [],
      'prod',
      LIGHT_CHART_THEME,
    );
    expect(regions.latency_p95.map((r) => r.id)).toEqual(['silence:s1', 'silence:s2']);
    expect(regions.cpu_usage.map((r) => r.id)).toEqual(['silence:s2']);
    const [s] = regions.latency_p95;
    expect(s).toMatchObject({ muted: true, label: 'silenced', colour: LIGHT_CHART_THEME.silence, from: T('2026-11-28T10:00:00Z') });
    expect(s.tooltip.slice(0, 3)).toEqual(['Silence: DB migration', 'by ops@example.com · active', 'Latency P95 high · prod']);
  });

  it('maintenance occurrences are muted on every chart; a past one-off window is its own occurrence', () => {
    const oneOff: MaintenanceWindowView = {
      ...weekly,
      id: 'w2',
      env: 'prod',
      rrule: null,
      starts_at: '2026-11-28T08:00:00Z',
      duration_min: 30,
      comment: 'switch upgrade',
      next_occurrences: [],
    };
    const regions = mutingRegions([], [weekly, oneOff, { ...oneOff, id: 'w3', env: 'staging' }], 'prod', LIGHT_CHART_THEME);
    expect(regions.error_rate.map((r) => [r.id, r.from, r.to])).toEqual([
      ['maintenance:w1:2026-11-28T10:00:00Z', T('2026-11-28T10:00:00Z'), T('2026-11-28T11:00:00Z')],
      ['maintenance:w2:2026-11-28T08:00:00Z', T('2026-11-28T08:00:00Z'), T('2026-11-28T08:30:00Z')],
    ]);
    expect(regions.error_rate[0]).toMatchObject({ muted: true, label: 'maintenance', colour: LIGHT_CHART_THEME.maintenance });
    expect(regions.error_rate[0].tooltip).toEqual([
      'Maintenance: weekly patching',
      'by ops@example.com · every env',
      'recurring FREQ=WEEKLY;BYDAY=SA (Europe/Berlin)',
      expect.stringContaining('→'),
    ]);
    expect(regions.memory_usage).toHaveLength(2);
  });

  it("draws a recurring window's past occurrences of the range when the API listed them", () => {
    const ranged: MaintenanceWindowView = {
      ...weekly,
      occurrences: [
        { starts_at: '2026-11-21T10:00:00Z', ends_at: '2026-11-21T11:00:00Z' },
        { starts_at: '2026-11-28T10:00:00Z', ends_at: '2026-11-28T11:00:00Z' },
      ],
    };
    const regions = mutingRegions([], [ranged], 'prod', LIGHT_CHART_THEME);
    expect(regions.cpu_usage.map((r) => r.id)).toEqual(['maintenance:w1:2026-11-21T10:00:00Z', 'maintenance:w1:2026-11-28T10:00:00Z']);
  });
});

describe('a clicked region', () => {
  it('is an alert (by its id), nothing for silences and maintenance, else a deployment', () => {
    const [region] = alertRegions([ESCALATED], LIGHT_CHART_THEME, NOW).error_rate;
    expect(regionTarget(region.id)).toEqual({ kind: 'alert', id: 'a-esc' });
    expect(regionTarget('silence:s1')).toBeNull();
    expect(regionTarget('maintenance:w1:2026-11-28T10:00:00Z')).toBeNull();
    expect(regionTarget('d-bad')).toEqual({ kind: 'deployment', id: 'd-bad' });
  });
});
