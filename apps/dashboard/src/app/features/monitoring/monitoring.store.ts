import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import {
  AlertRuleView,
  AlertView,
  DeploymentMarker,
  METRIC_NAMES,
  METRICS,
  MetricName,
  Phase,
  SampleEvent,
  Step,
  STEP_SECONDS,
  TimeseriesResponse,
} from '@seqpulse/contracts';
import { Subject } from 'rxjs';
import { ChartOverlay, ChartPoint, deploymentsInWindow, pointsFromResponse, thresholdFor, TimeWindow } from '../../charts/chart-options';
import { ChartFrameScheduler } from '../../charts/frame-scheduler';
import { LiveSeries } from '../../charts/live-series';
import { SeriesFrame } from '../../charts/metric-chart/metric-chart.component';
import { ApiError, isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { EventStreamClient, StreamState } from '../../core/event-stream';
import { isoSeconds } from '../../core/format';
import { nextTaskRunner } from '../../core/next-task';
import { ProjectsStore } from '../../core/projects.store';
import { StreamService } from '../../core/stream.service';
import { upsertAlert } from './alerts-panel.component';
import { RefusalReason } from './refusal.component';
import { RangeHistory } from './range-math';
import { COMPARE_OFFSETS, DEFAULT_RANGE, DEFAULT_VIEW, RangePresetId, resolveWindow, ResolvedWindow, ViewState } from './view-state';

/** A range as the history keeps it: a preset, or a custom window. */
export type RangeEntry = Pick<ViewState, 'range' | 'from' | 'to'>;

/** A loaded range of the view: what its other reads (alert overlays, deployments, the compared period) follow. */
export interface LoadedRange {
  projectId: string;
  env: string | null;
  from: number;
  to: number;
  /** What the series were read with (the compared period is read with the same). */
  step: Step;
  phase: Phase | null;
}

function sameRange(a: LoadedRange | null, b: LoadedRange | null): boolean {
  return (
    a === b ||
    (!!a &&
      !!b &&
      a.projectId === b.projectId &&
      a.env === b.env &&
      a.from === b.from &&
      a.to === b.to &&
      a.step === b.step &&
      a.phase === b.phase)
  );
}

const RESOLVED_ALERTS_WINDOW_MS = 24 * 3600 * 1000;
/** A finished deployment is looked up at most this often (a burst of `post` samples makes one request). */
const DEPLOYMENT_REFRESH_MIN_MS = 20_000;
/** The live window slides between samples this often. */
const SLIDE_EVERY_S = 5;
/**
 * …but only once it moved by this share of the range: less is under a pixel on any screen (7 days: 5 minutes), and
 * each slide merges the five charts again (tens of milliseconds each for a week of buckets, a long task under load).
 */
const SLIDE_MIN_SHARE = 1 / 2000;
/**
 * A range replacing drawn charts reads its alerts, alert overlays and deployments once its series are drawn, or after
 * this long at the latest (a slow answer, frames held back in a hidden tab).
 */
const SECONDARY_READS_BOUND_MS = 1000;
const IDLE_STREAM: StreamState = { status: 'idle', attempt: 0, retryAt: null, error: null };

function perMetric<T>(fn: (m: MetricName) => T): Record<MetricName, T> {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, fn(m)])) as Record<MetricName, T>;
}

/**
 * The state of one monitoring view: which project, env and window (from the URL, set by the page), the
 * series loaded for it, the live stream and its buckets, the alerts. Provided by the monitoring page; the
 * page and its components only read its signals and call its methods.
 */
@Injectable()
export class MonitoringStore {
  private readonly api = inject(ApiService);
  private readonly streams = inject(StreamService);
  readonly projects = inject(ProjectsStore);

  /** Set by the page from the route. */
  readonly projectId = signal('');
  readonly view = signal<ViewState>(DEFAULT_VIEW, { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) });
  /** The charts follow the clock (a preset, not paused). */
  readonly following = computed(() => this.view().live && this.view().range !== 'custom');
  /** Samples received while paused (drawn when live resumes). */
  readonly arrivedWhilePaused = signal(0);
  /** The browser tab is hidden: nothing is drawn until it is shown again. */
  private readonly hidden = signal(typeof document !== 'undefined' && document.visibilityState === 'hidden');
  /** The last preset shown live: where "back to live" returns. */
  readonly lastLivePreset = signal<RangePresetId>(DEFAULT_RANGE);
  private readonly history = new RangeHistory<RangeEntry>((a, b) => a.range === b.range && a.from === b.from && a.to === b.to);
  private readonly historyVersion = signal(0);
  readonly canGoBack = computed(() => (this.historyVersion(), this.history.canBack));
  readonly canGoForward = computed(() => (this.historyVersion(), this.history.canForward));

  readonly project = computed(() => this.projects.projects()?.find((p) => p.id === this.projectId()) ?? null);
  /** The env shown: the one in the URL when the project has it, else the project's first. */
  readonly env = computed(() => {
    const p = this.project();
    const wanted = this.view().env;
    if (!p) return wanted;
    return wanted && p.envs.includes(wanted) ? wanted : (p.envs[0] ?? null);
  });

  readonly refusal = signal<RefusalReason | null>(null);
  readonly loadError = signal<ApiError | null>(null);
  readonly loading = signal(false);
  readonly resolved = signal<ResolvedWindow | null>(null);
  /**
   * The range the view's other reads follow (the alerts here, the compared period, the alert overlays, the
   * deployments): for a range replacing drawn charts, set once its series are drawn (or failed, or after
   * `SECONDARY_READS_BOUND_MS`), so that the API and its database answer those requests after the five chart updates
   * instead of beside them on the same cores; `null` when the view is refused.
   */
  readonly loadedRange = signal<LoadedRange | null>(null, { equal: sameRange });
  readonly responseStep = signal<Step | null>(null);
  /** Per metric: the points and window to draw; `null` until the first answer. */
  readonly frames = signal<Record<MetricName, SeriesFrame> | null>(null);
  readonly deployments = signal<readonly DeploymentMarker[]>([]);
  /** Per metric, the extra series drawn over it (the compared period). */
  readonly overlays = signal<Record<MetricName, readonly ChartOverlay[]>>(perMetric(() => []));
  /** The deployments drawn in the current window. */
  readonly deploymentsInView = computed(() => {
    const window = this.frames()?.[METRIC_NAMES[0]].window; // every metric shares the window
    return window ? deploymentsInWindow(this.deployments(), window) : [];
  });
  private readonly rules = signal<AlertRuleView[] | null>(null);
  readonly thresholds = computed(() => {
    const rules = this.rules();
    const env = this.env() ?? '';
    return perMetric((m) => thresholdFor(m, rules, env));
  });
  readonly alerts = signal<AlertView[]>([]);
  readonly alertsLoading = signal(false);
  readonly alertsError = signal<string | null>(null);
  readonly streamState = signal<StreamState>(IDLE_STREAM);
  /** Epoch ms of the newest sample drawn or received. */
  readonly lastSampleAt = signal<number | null>(null);
  /** The clock of the page, ticking every second (durations, countdowns). */
  readonly now = signal(Date.now());
  /**
   * Every event of the view's live stream (parsed), for the stores that follow other kinds (deployments), and
   * `reconnected` after the stream came back (events may have been missed).
   */
  readonly streamEvents = new Subject<{ event: string; data: unknown }>();

  /** What the series depend on: pausing, the time zone, the compared period and the open deployment do not refetch them. */
  private readonly loadKey = computed(() => {
    const { live, tz, compare, deployment, ...rest } = this.view();
    void live;
    void tz;
    void compare;
    void deployment;
    return JSON.stringify([
      this.projectId(),
      this.projects.projects() ? 'loaded' : 'pending',
      this.project()?.plan ?? null,
      this.project()?.monitoring ?? null,
      rest,
      this.view().range === 'custom' ? null : 'preset',
      this.env(),
    ]);
  });
  /** The compared period follows the loaded range (a new range's, once its series are drawn) and the period chosen. */
  private readonly compareKey = computed(() => JSON.stringify([this.loadedRange(), this.view().compare]));

  private live: Record<MetricName, LiveSeries> | null = null;
  private window: TimeWindow = { from: 0, to: 0 };
  private stream: EventStreamClient | null = null;
  private generation = 0;
  private lastPhase: Phase | null = null;
  private lastDeploymentRefresh = 0;
  /** Frames were skipped while the tab was hidden. */
  private stale = false;
  private compareGeneration = 0;
  private readonly secondarySoon: (work: () => void) => void;
  /** Its own runner: an answer before `secondarySoon`'s task must not replace that task's work (only the latest runs). */
  private readonly afterDrawSoon: (work: () => void) => void;
  private readonly scheduler = inject(ChartFrameScheduler);
  private secondaryBound: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    const destroyRef = inject(DestroyRef);
    // a new range's requests start in a task of their own, after the change detection that saw the view change
    const reloadSoon = nextTaskRunner(destroyRef);
    this.secondarySoon = nextTaskRunner(destroyRef);
    this.afterDrawSoon = nextTaskRunner(destroyRef);
    const compareSoon = nextTaskRunner(destroyRef);
    effect(() => {
      this.loadKey();
      untracked(() => reloadSoon(() => void this.reload()));
    });
    effect(() => {
      this.compareKey();
      untracked(() => compareSoon(() => void this.loadComparison()));
    });
    effect(() => {
      const following = this.following();
      untracked(() => (following ? this.resume() : undefined));
    });
    effect(() => {
      const view = this.view();
      untracked(() => {
        this.history.visit({ range: view.range, from: view.from, to: view.to });
        this.historyVersion.update((v) => v + 1);
        if (view.range !== 'custom' && view.live) this.lastLivePreset.set(view.range);
      });
    });
    const onVisibility = () => {
      this.hidden.set(document.visibilityState === 'hidden');
      if (!this.hidden() && this.stale) this.publish(true);
    };
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
    const ticker = setInterval(() => this.tick(), 1000);
    destroyRef.onDestroy(() => {
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
      clearInterval(ticker);
      if (this.secondaryBound !== null) clearTimeout(this.secondaryBound);
      this.generation++;
      this.stopStream();
    });
  }

  /** The range before the current one (null at the start of the history); the page navigates to it. */
  back(): RangeEntry | null {
    const entry = this.history.back();
    this.historyVersion.update((v) => v + 1);
    return entry;
  }

  forward(): RangeEntry | null {
    const entry = this.history.forward();
    this.historyVersion.update((v) => v + 1);
    return entry;
  }

  /** The window drawn now (for zoom, pan and exports). */
  visibleWindow(): TimeWindow {
    return this.window;
  }

  /** The drawn buckets of every metric (display units), for the exports. */
  visiblePoints(): Record<MetricName, readonly ChartPoint[]> | null {
    const series = this.live;
    return series ? perMetric((m) => series[m].points) : null;
  }

  /** The API's answer for the visible window at the current step (the JSON export). */
  fetchVisible(): Promise<TimeseriesResponse> {
    const step = this.responseStep() ?? this.resolved()?.step ?? '60s';
    return this.fetchSeries(this.window.from, this.window.to, step);
  }

  retry(): void {
    this.loadError.set(null);
    if (!this.projects.projects()) void this.projects.load(true);
    else void this.reload();
  }

  // ---- frames ----

  /** Publishes the current live points to the charts; `live` frames merge, others redraw. Not while hidden. */
  private publish(live: boolean): void {
    const series = this.live;
    if (!series) return;
    if (this.hidden()) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const window = this.window;
    this.frames.set(perMetric((m) => ({ points: series[m].points, window, live })));
  }

  /**
   * Live path: the window follows the clock; only series data and the x-window change. The clock's slides (`clock`)
   * are skipped while the window would move by less than a pixel; new samples and resuming always draw.
   */
  private slide(clock = false): void {
    const series = this.live;
    const win = this.resolved();
    if (!series || !win || !this.following()) return;
    const to = Date.now();
    if (clock && to - this.window.to < win.rangeSeconds * 1000 * SLIDE_MIN_SHARE) return;
    this.window = { from: to - win.rangeSeconds * 1000, to };
    for (const m of METRIC_NAMES) series[m].trim(this.window.from);
    this.publish(true);
  }

  /** Live again after a pause: draw what arrived meanwhile from the buffered buckets (no refetch). */
  private resume(): void {
    this.arrivedWhilePaused.set(0);
    this.slide();
  }

  private tick(): void {
    const now = Date.now();
    this.now.set(now);
    if (Math.floor(now / 1000) % SLIDE_EVERY_S === 0) this.slide(true);
  }

  // ---- loading ----

  private async reload(): Promise<void> {
    const gen = ++this.generation;
    const streamWasOpen = this.streamState().status === 'open';
    this.stopStream();
    const projects = this.projects.projects();
    const project = this.project();
    if (!projects) {
      if (this.projects.error()) this.loadError.set(this.projects.error());
      return;
    }
    if (!project) {
      this.refuse('project_not_found');
      return;
    }
    const m = project.monitoring;
    if (m && !m.enabled) {
      this.refuse(m.reason ?? 'plan_not_enterprise');
      return;
    }
    if (!m && project.plan !== 'enterprise') {
      this.refuse('plan_not_enterprise');
      return;
    }
    this.refusal.set(null);
    this.loadError.set(null);
    const view = this.view();
    const env = this.env() ?? undefined;
    const win = resolveWindow(view, Date.now());
    this.resolved.set(win);
    this.arrivedWhilePaused.set(0);
    this.loading.set(true);
    const range: LoadedRange = { projectId: project.id, env: env ?? null, from: win.from, to: win.to, step: win.step, phase: view.phase };
    const drawn = this.loadedRange();
    const newRangeOfDrawn = this.frames() !== null && drawn?.projectId === range.projectId && drawn.env === range.env;
    // the alert rules and the alerts panel do not depend on the range: a new range of the drawn project and env keeps
    // the rules, and the alerts when the live stream kept them current up to now and none restarts (a zoom out of a
    // live view); else they are read again (no stream follows a custom range, a restarted one may miss events)
    const keepRules = newRangeOfDrawn && this.rules() !== null;
    const keepAlerts = newRangeOfDrawn && streamWasOpen && view.range === 'custom' && !this.alertsLoading() && !this.alertsError();
    const secondary = this.secondaryReads(gen, range, newRangeOfDrawn, !keepAlerts);
    try {
      const [series, rules] = await Promise.all([
        this.fetchSeries(win.from, win.to, win.step),
        keepRules ? undefined : this.api.alertRules(project.id).catch(() => null),
      ]);
      if (gen !== this.generation) return;
      if (rules !== undefined) this.rules.set(rules?.rules ?? null);
      this.applySeries(series, win);
      this.loading.set(false);
      // the charts take the new frames in the change detection after this task, then one per animation frame
      this.afterDrawSoon(() => this.scheduler.afterUpdates(secondary));
      // presets keep the stream open even while paused: samples are buffered and counted
      if (view.range !== 'custom') this.startStream(gen, project.id, env, view.phase);
    } catch (err) {
      if (gen !== this.generation) return;
      this.loading.set(false);
      const e = isApiError(err) ? err : { status: 0, code: 'unknown' as const, message: 'Loading failed.' };
      if (e.code === 'plan_not_enterprise' || e.code === 'monitoring_not_enabled' || e.code === 'project_not_found') {
        this.refuse(e.code);
      } else {
        this.loadError.set(e);
        secondary();
      }
    }
  }

  private refuse(reason: RefusalReason): void {
    this.refusal.set(reason);
    this.loadedRange.set(null);
  }

  /**
   * Starts the other reads of load `gen`'s range (sets `loadedRange`, reads the alerts if `readAlerts`) when the
   * returned function is called (the series drawn, or failed), or by itself: for a new range of the drawn project and
   * env (`newRangeOfDrawn`) after `SECONDARY_READS_BOUND_MS`, else (a first draw, another project or env: nothing to
   * compete with, or another project's regions) in the next task.
   * Measured (zoom-profile.profile.ts, a zoom on five charts of 7 days, 9 zooms each way): started beside the series,
   * those six requests held its answer back (median 262 ms after the pointer's release, against 128 ms) and were
   * still being answered during the chart updates; chart updates over 50 ms of wall time 12 of 44 → 5 of 44.
   */
  private secondaryReads(gen: number, range: LoadedRange, newRangeOfDrawn: boolean, readAlerts: boolean): () => void {
    let started = false;
    const start = () => {
      if (started || gen !== this.generation) return;
      started = true;
      if (this.secondaryBound !== null) clearTimeout(this.secondaryBound);
      this.secondaryBound = null;
      this.loadedRange.set(range);
      if (readAlerts) void this.loadAlerts(gen);
    };
    if (this.secondaryBound !== null) clearTimeout(this.secondaryBound);
    this.secondaryBound = null;
    // the alerts' two requests in a task after the series' two even so: each `fetch()` started is 3–5 ms of thread
    // time (zoom-profile.profile.ts), four in one task made it 17.6 ms (51 ms of wall time on this machine)
    if (!newRangeOfDrawn) this.secondarySoon(start);
    else this.secondaryBound = setTimeout(start, SECONDARY_READS_BOUND_MS);
    return start;
  }

  private fetchSeries(from: number, to: number, step: Step): Promise<TimeseriesResponse> {
    return this.api.timeseries({
      project_id: this.projectId(),
      from: isoSeconds(from),
      to: isoSeconds(to),
      step,
      env: this.env() ?? undefined,
      phase: this.view().phase ?? undefined,
    });
  }

  private applySeries(series: TimeseriesResponse, win: ResolvedWindow): void {
    const stepMs = STEP_SECONDS[series.step] * 1000;
    this.responseStep.set(series.step);
    this.deployments.set(series.deployments ?? []);
    this.live = perMetric((m) => new LiveSeries(pointsFromResponse(series, m), stepMs, METRICS[m].aggregation));
    const now = Date.now();
    this.window = this.following() ? { from: now - win.rangeSeconds * 1000, to: now } : { from: win.from, to: win.to };
    const latest = Math.max(...METRIC_NAMES.map((m) => this.live?.[m].lastSampleAt() ?? -1));
    this.lastSampleAt.set(latest >= 0 ? latest : null);
    this.publish(false);
  }

  /**
   * The compared period: the loaded range one day or week earlier, in one more timeseries call, drawn dashed over
   * each chart (shifted forward by the offset). Live views fetch one range more so the overlay covers the window
   * as it slides. It follows `loadedRange`: a new range of drawn charts reads it once its series are drawn (until
   * then the charts keep the drawn overlay), not beside them.
   */
  private async loadComparison(): Promise<void> {
    const gen = ++this.compareGeneration;
    const compare = this.view().compare;
    const range = this.loadedRange();
    if (!compare || !range) {
      this.overlays.set(perMetric(() => []));
      return;
    }
    const offset = COMPARE_OFFSETS[compare];
    const ahead = this.following() ? range.to - range.from : 0;
    try {
      const series = await this.fetchSeries(range.from - offset.ms, range.to - offset.ms + ahead, range.step);
      if (gen !== this.compareGeneration) return;
      this.overlays.set(
        perMetric((m) => [
          {
            id: `compare-${compare}`,
            label: offset.label,
            dashed: true,
            points: pointsFromResponse(series, m).map(([t, v]) => [t + offset.ms, v] as ChartPoint),
          },
        ]),
      );
    } catch {
      if (gen === this.compareGeneration) this.overlays.set(perMetric(() => []));
    }
  }

  private async loadAlerts(gen: number): Promise<void> {
    const project = this.project();
    const env = this.env();
    if (!project) return;
    this.alertsLoading.set(true);
    this.alertsError.set(null);
    try {
      const [firing, resolved] = await Promise.all([
        this.api.alerts({ project_id: project.id, state: 'firing', env: env ?? undefined }),
        this.api.alerts({
          project_id: project.id,
          state: 'resolved',
          env: env ?? undefined,
          limit: 50,
          from: isoSeconds(Date.now() - RESOLVED_ALERTS_WINDOW_MS),
          to: isoSeconds(Date.now()),
        }),
      ]);
      if (gen !== this.generation) return;
      this.alerts.set([...firing, ...resolved].filter((a) => !env || a.env === env));
    } catch (err) {
      if (gen !== this.generation) return;
      this.alertsError.set(isApiError(err) ? err.message : 'Alerts could not be loaded.');
    } finally {
      if (gen === this.generation) this.alertsLoading.set(false);
    }
  }

  /** After a reconnection: fetch what was missed (one full redraw, only then). */
  private async backfill(gen: number): Promise<void> {
    const win = this.resolved();
    if (!win) return;
    const now = Date.now();
    try {
      const series = await this.fetchSeries(now - win.rangeSeconds * 1000, now, win.step);
      if (gen !== this.generation) return;
      this.applySeries(series, win);
      void this.loadAlerts(gen);
    } catch {
      /* the stream is up again; the next reconnection retries */
    }
  }

  /** A deployment finished (phase went pre → post): fetch the markers again (the charts redraw only them). */
  private async refreshDeployments(gen: number): Promise<void> {
    const win = this.resolved();
    if (!win) return;
    try {
      const series = await this.fetchSeries(Date.now() - win.rangeSeconds * 1000, Date.now(), win.step);
      if (gen !== this.generation) return;
      this.deployments.set(series.deployments ?? []);
    } catch {
      /* markers refresh on the next load */
    }
  }

  // ---- live stream ----

  private startStream(gen: number, projectId: string, env: string | undefined, phase: Phase | null): void {
    this.stopStream();
    this.lastPhase = null;
    this.stream = this.streams.open(
      { project_id: projectId, env, phase: phase ?? undefined },
      {
        onState: (state) => {
          if (gen !== this.generation) return;
          this.now.set(Date.now());
          this.streamState.set(state);
        },
        onOpen: (reconnected) => {
          if (gen !== this.generation || !reconnected) return;
          void this.backfill(gen);
          this.streamEvents.next({ event: 'reconnected', data: null });
        },
        onMessage: (message) => {
          if (gen !== this.generation) return;
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          if (message.event === 'sample') this.onSample(data as SampleEvent, gen);
          else if (message.event === 'alert') this.onAlert(data as AlertView);
          this.streamEvents.next({ event: message.event, data });
        },
      },
    );
  }

  private stopStream(): void {
    this.stream?.stop();
    this.stream = null;
    this.streamState.set(IDLE_STREAM);
  }

  private onSample(sample: SampleEvent, gen: number): void {
    const live = this.live;
    if (!live || !sample?.values) return;
    const env = this.env();
    const phase = this.view().phase;
    if (env && sample.env && sample.env !== env) return;
    // a `post` sample after a `pre` one, or one that no known deployment explains: a deployment finished
    const t = Date.parse(sample.t);
    const explained = this.deployments().some((d) => d.finished_at !== null && Date.parse(d.finished_at) <= t);
    const deploymentFinished = sample.phase === 'post' && (this.lastPhase === 'pre' || !explained);
    this.lastPhase = sample.phase ?? this.lastPhase;
    if (deploymentFinished && Date.now() - this.lastDeploymentRefresh > DEPLOYMENT_REFRESH_MIN_MS) {
      this.lastDeploymentRefresh = Date.now();
      void this.refreshDeployments(gen);
    }
    if (phase && sample.phase !== phase) return;
    if (!Number.isFinite(t)) return;
    for (const metric of METRIC_NAMES) {
      const raw = sample.values[metric];
      if (typeof raw === 'number' && Number.isFinite(raw)) live[metric].add(t, raw * METRICS[metric].displayFactor);
    }
    this.lastSampleAt.set(Math.max(this.lastSampleAt() ?? 0, t));
    if (this.following()) this.slide();
    else this.arrivedWhilePaused.update((n) => n + 1);
  }

  private onAlert(alert: AlertView): void {
    const env = this.env();
    if (!alert?.id || (env && alert.env !== env)) return;
    this.alerts.update((list) => upsertAlert(list, alert));
  }
}
