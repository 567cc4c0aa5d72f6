import { AlertHistoryEntry, AlertLevel, MaintenanceWindowView, METRIC_NAMES, MetricName, SilenceView } from '@seqpulse/contracts';
import { ChartRegionOverlay } from '../../charts/chart-options';
import { ChartTheme } from '../../charts/chart-theme';
import { formatAlertValue, formatDateTime, ruleLabel, ruleMetric } from '../../core/format';

/** Region ids say what a region is, so a click on one can be routed (`regionTarget`). */
const ALERT_PREFIX = 'alert:';
const SILENCE_PREFIX = 'silence:';
const MAINTENANCE_PREFIX = 'maintenance:';

export type PerMetric<T> = Record<MetricName, T>;

/** One stretch of an alert at one level; `to` null: still firing. */
export interface LevelPeriod {
  level: AlertLevel;
  from: number;
  to: number | null;
}

/**
 * An alert's firing period cut by level, from its timeline: `opened` starts at its level, `escalated` and
 * `deescalated` change it, `resolved` (or `resolved_at`) ends it. An alert without timeline entries (opened before
 * the timeline was recorded) is one period at its current level.
 */
export function levelPeriods(alert: AlertHistoryEntry): LevelPeriod[] {
  const start = Date.parse(alert.started_at);
  const end = alert.resolved_at ? Date.parse(alert.resolved_at) : null;
  if (!Number.isFinite(start)) return [];
  const periods: LevelPeriod[] = [];
  let current: LevelPeriod | null = null;
  for (const e of alert.timeline) {
    const at = Date.parse(e.at);
    if (e.kind === 'opened' && !current && e.level) current = { level: e.level, from: start, to: null };
    else if ((e.kind === 'escalated' || e.kind === 'deescalated') && current && e.level && e.level !== current.level) {
      periods.push({ ...current, to: at });
      current = { level: e.level, from: at, to: null };
    }
  }
  current ??= { level: alert.level, from: start, to: null };
  periods.push({ ...current, to: end });
  return periods;
}

/** The charts a rule belongs on: its metric's, or every chart for `no_data` (no metric arrived at all). */
function chartsOf(rule: AlertHistoryEntry['rule'] | null): readonly MetricName[] {
  const metric = rule ? ruleMetric(rule) : null;
  return metric ? [metric] : METRIC_NAMES;
}

function perMetric(regions: { metrics: readonly MetricName[]; region: ChartRegionOverlay }[]): PerMetric<ChartRegionOverlay[]> {
  const out = Object.fromEntries(METRIC_NAMES.map((m) => [m, [] as ChartRegionOverlay[]])) as PerMetric<ChartRegionOverlay[]>;
  for (const { metrics, region } of regions) for (const m of metrics) out[m].push(region);
  return out;
}

/**
 * Alerts → the firing periods on the chart of their metric, one region per level period (an escalated alert shows
 * its warning part and its critical part), coloured by level; a period still firing reaches `now`.
 */
export function alertRegions(alerts: readonly AlertHistoryEntry[], theme: ChartTheme, now: number): PerMetric<ChartRegionOverlay[]> {
  const regions: { metrics: readonly MetricName[]; region: ChartRegionOverlay }[] = [];
  for (const alert of alerts) {
    const periods = levelPeriods(alert);
    periods.forEach((p, i) => {
      const escalated = i > 0 ? ` (${p.level === 'critical' ? 'escalated from' : 'back from'} ${periods[i - 1].level})` : '';
      const next = periods[i + 1];
      const state = next ? `${next.level === 'critical' ? 'escalated to' : 'back to'} ${next.level}` : alert.state;
      const tooltip = [
        `Alert ${ruleLabel(alert.rule)} · ${alert.env}`,
        `level: ${p.level}${escalated}`,
        `state: ${state}${alert.silenced ? ' (silenced)' : ''}`,
        `${formatDateTime(new Date(p.from).toISOString())} → ${p.to === null ? 'now' : formatDateTime(new Date(p.to).toISOString())}`,
        `value ${formatAlertValue(alert.rule, alert.value)}`,
      ];
      regions.push({
        metrics: chartsOf(alert.rule),
        region: {
          kind: 'region',
          id: `${ALERT_PREFIX}${alert.id}:${i}`,
          label: p.level,
          tooltip,
          from: p.from,
          to: p.to ?? Math.max(p.from, now),
          bandTo: null,
          colour: theme.alert[p.level],
          // a critical period's label before a warning's, both before a deployment that went well
          labelWeight: p.level === 'critical' ? 3 : 2,
        },
      });
    });
  }
  return perMetric(regions);
}

/** The shown env's silences (every-env ones included) and its maintenance occurrences, muted, on the charts they mute. */
export function mutingRegions(
  silences: readonly SilenceView[],
  windows: readonly MaintenanceWindowView[],
  env: string | null,
  theme: ChartTheme,
): PerMetric<ChartRegionOverlay[]> {
  const regions: { metrics: readonly MetricName[]; region: ChartRegionOverlay }[] = [];
  const matches = (e: string | null) => e === null || env === null || e === env;
  for (const s of silences.filter((s) => matches(s.env))) {
    regions.push({
      metrics: chartsOf(s.rule),
      region: {
        kind: 'region',
        id: `${SILENCE_PREFIX}${s.id}`,
        label: 'silenced',
        tooltip: [
          `Silence: ${s.comment}`,
          `by ${s.created_by ?? 'unknown'} · ${s.state}`,
          `${s.rule ? ruleLabel(s.rule) : 'every rule'} · ${s.env ?? 'every env'}`,
          `${formatDateTime(s.starts_at)} → ${formatDateTime(s.ends_at)}`,
        ],
        from: Date.parse(s.starts_at),
        to: Date.parse(s.ends_at),
        bandTo: null,
        colour: theme.silence,
        muted: true,
      },
    });
  }
  for (const w of windows.filter((w) => matches(w.env))) {
    for (const o of occurrencesOf(w)) {
      regions.push({
        metrics: METRIC_NAMES,
        region: {
          kind: 'region',
          id: `${MAINTENANCE_PREFIX}${w.id}:${o.starts_at}`,
          label: 'maintenance',
          tooltip: [
            `Maintenance: ${w.comment}`,
            `by ${w.created_by ?? 'unknown'} · ${w.env ?? 'every env'}`,
            w.rrule ? `recurring ${w.rrule} (${w.time_zone})` : `one-off (${w.time_zone})`,
            `${formatDateTime(o.starts_at)} → ${formatDateTime(o.ends_at)}`,
          ],
          from: Date.parse(o.starts_at),
          to: Date.parse(o.ends_at),
          bandTo: null,
          colour: theme.maintenance,
          muted: true,
        },
      });
    }
  }
  return perMetric(regions.filter((r) => Number.isFinite(r.region.from) && Number.isFinite(r.region.to)));
}

/**
 * The occurrences of the visible range when the API was asked for them (`occurrences`, past ones included), else
 * the current or next ones; a one-off window is also its own occurrence once it is over.
 */
function occurrencesOf(w: MaintenanceWindowView): { starts_at: string; ends_at: string }[] {
  const list = [...(w.occurrences ?? w.next_occurrences)];
  if (!w.rrule && !list.some((o) => o.starts_at === w.starts_at)) {
    list.push({ starts_at: w.starts_at, ends_at: new Date(Date.parse(w.starts_at) + w.duration_min * 60_000).toISOString() });
  }
  return list;
}

/** What a clicked region is: an alert (its id), a silence or maintenance (nothing to open), else a deployment. */
export function regionTarget(id: string): { kind: 'alert' | 'deployment'; id: string } | null {
  if (id.startsWith(ALERT_PREFIX)) return { kind: 'alert', id: id.slice(ALERT_PREFIX.length).split(':')[0] };
  if (id.startsWith(SILENCE_PREFIX) || id.startsWith(MAINTENANCE_PREFIX)) return null;
  return { kind: 'deployment', id };
}
