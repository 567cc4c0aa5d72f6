import { defaultStepFor, MAX_POINTS_PER_SERIES, Phase, PHASES, Step, STEP_SECONDS, STEPS } from '@seqpulse/contracts';
import { isoSeconds } from '../../core/format';

/** Time-range presets of the monitoring screen. */
export const RANGE_PRESETS = [
  { id: '15m', label: '15 min', seconds: 15 * 60 },
  { id: '1h', label: '1 h', seconds: 3600 },
  { id: '6h', label: '6 h', seconds: 6 * 3600 },
  { id: '24h', label: '24 h', seconds: 24 * 3600 },
  { id: '7d', label: '7 days', seconds: 7 * 86400 },
] as const;
export type RangePresetId = (typeof RANGE_PRESETS)[number]['id'];
export const DEFAULT_RANGE: RangePresetId = '1h';

/** Everything a link must carry to reopen the same view (the project is in the path). */
export interface ViewState {
  /** `null`: the project's first env. */
  env: string | null;
  /** `null`: both phases. */
  phase: Phase | null;
  range: RangePresetId | 'custom';
  /** ISO-8601, only for `custom`. */
  from: string | null;
  to: string | null;
  /** `null`: automatic (`defaultStepFor` the range). */
  step: Step | null;
  /** Live stream on (default) or paused. Custom ranges are never live. */
  live: boolean;
  /** Time zone of axes, tooltips, pickers and exports. */
  tz: TimeZoneMode;
  /** Overlay of the same range one day or one week earlier; `null`: none. */
  compare: CompareOffset | null;
  /** The deployment whose comparison view is open (`?deployment=<id>`, the link notifications carry); `null`: none. */
  deployment: string | null;
}

export const TIME_ZONES = ['local', 'utc'] as const;
export type TimeZoneMode = (typeof TIME_ZONES)[number];
/** Compared periods and how far back they are. */
export const COMPARE_OFFSETS = {
  '1d': { label: '1 day earlier', ms: 86_400_000 },
  '1w': { label: '1 week earlier', ms: 7 * 86_400_000 },
} as const;
export type CompareOffset = keyof typeof COMPARE_OFFSETS;

export const DEFAULT_VIEW: ViewState = {
  env: null,
  phase: null,
  range: DEFAULT_RANGE,
  from: null,
  to: null,
  step: null,
  live: true,
  tz: 'local',
  compare: null,
  deployment: null,
};

export type QueryParams = Record<string, string | null | undefined>;

const ENV_RE = /^[a-z0-9-]{1,32}$/;
const DEPLOYMENT_ID_RE = /^[A-Za-z0-9-]{1,64}$/;

function isPreset(value: string | null | undefined): value is RangePresetId {
  return RANGE_PRESETS.some((p) => p.id === value);
}

function parseInstant(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  return Number.isFinite(ms) ? isoSeconds(ms) : null;
}

/** URL query → view state; anything invalid falls back to the default for that field. */
export function parseViewState(query: QueryParams): ViewState {
  const state: ViewState = { ...DEFAULT_VIEW };
  const env = query['env'];
  if (env && ENV_RE.test(env)) state.env = env;
  const phase = query['phase'];
  if (phase && (PHASES as readonly string[]).includes(phase)) state.phase = phase as Phase;
  const from = parseInstant(query['from']);
  const to = parseInstant(query['to']);
  if (from && to && Date.parse(from) < Date.parse(to)) {
    state.range = 'custom';
    state.from = from;
    state.to = to;
  } else if (isPreset(query['range'])) {
    state.range = query['range'];
  }
  const step = query['step'];
  if (step && (STEPS as string[]).includes(step)) state.step = step as Step;
  const live = query['live'];
  if (live === 'off' || live === '0' || live === 'false') state.live = false;
  if (state.range === 'custom') state.live = false;
  if (query['tz'] === 'utc') state.tz = 'utc';
  const compare = query['compare'];
  if (compare && compare in COMPARE_OFFSETS) state.compare = compare as CompareOffset;
  const deployment = query['deployment'];
  if (deployment && DEPLOYMENT_ID_RE.test(deployment)) state.deployment = deployment;
  return state;
}

/** View state → URL query, defaults left out so links stay short. */
export function toQueryParams(state: ViewState): Record<string, string> {
  const q: Record<string, string> = {};
  if (state.env) q['env'] = state.env;
  if (state.phase) q['phase'] = state.phase;
  if (state.range === 'custom' && state.from && state.to) {
    q['from'] = state.from;
    q['to'] = state.to;
  } else if (state.range !== 'custom' && state.range !== DEFAULT_RANGE) {
    q['range'] = state.range;
  }
  if (state.step) q['step'] = state.step;
  if (!state.live && state.range !== 'custom') q['live'] = 'off';
  if (state.tz === 'utc') q['tz'] = 'utc';
  if (state.compare) q['compare'] = state.compare;
  if (state.deployment) q['deployment'] = state.deployment;
  return q;
}

export interface ResolvedWindow {
  from: number;
  to: number;
  rangeSeconds: number;
  step: Step;
  autoStep: Step;
  /** True when a manual step was asked for but is too fine for the range. */
  stepAdjusted: boolean;
  live: boolean;
}

export function rangeSecondsOf(state: ViewState): number {
  if (state.range === 'custom' && state.from && state.to) {
    return Math.max(1, (Date.parse(state.to) - Date.parse(state.from)) / 1000);
  }
  const preset = RANGE_PRESETS.find((p) => p.id === state.range) ?? RANGE_PRESETS[1];
  return preset.seconds;
}

export function stepFits(step: Step, rangeSeconds: number): boolean {
  return rangeSeconds / STEP_SECONDS[step] <= MAX_POINTS_PER_SERIES;
}

/** The absolute window and the effective step of a view at `now`. */
export function resolveWindow(state: ViewState, now: number): ResolvedWindow {
  const rangeSeconds = rangeSecondsOf(state);
  const custom = state.range === 'custom' && state.from && state.to;
  const to = custom ? Date.parse(state.to as string) : now;
  const from = custom ? Date.parse(state.from as string) : now - rangeSeconds * 1000;
  const autoStep = defaultStepFor(rangeSeconds);
  const manualOk = state.step !== null && stepFits(state.step, rangeSeconds);
  return {
    from,
    to,
    rangeSeconds,
    step: manualOk ? (state.step as Step) : autoStep,
    autoStep,
    stepAdjusted: state.step !== null && !manualOk,
    live: state.live && !custom,
  };
}

/** Step choices for the override select; too fine for the range → disabled. */
export function stepOptions(rangeSeconds: number): { step: Step; disabled: boolean }[] {
  return STEPS.map((step) => ({ step, disabled: !stepFits(step, rangeSeconds) }));
}

/**
 * `2026-11-28T10:15:00.000Z` → `2026-11-28T11:15` for `<input type=datetime-local>`, in local time or in UTC.
 */
export function toLocalInput(iso: string | null, tz: TimeZoneMode = 'local'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  if (tz === 'utc') return d.toISOString().slice(0, 16);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (local time, or UTC) → ISO-8601 UTC, or null when empty/invalid. */
export function fromLocalInput(value: string, tz: TimeZoneMode = 'local'): string | null {
  if (!value) return null;
  const ms = tz === 'utc' ? Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`) : new Date(value).getTime();
  return Number.isNaN(ms) ? null : isoSeconds(ms);
}
