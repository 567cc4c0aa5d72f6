import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, ParamMap, Router, RouterLink } from '@angular/router';
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
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { buildMetricOption, pointsFromResponse, SERIES_ID, thresholdFor, toSeriesData, TimeWindow } from '../../charts/chart-options';
import { LiveSeries } from '../../charts/live-series';
import { ApiError, isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { EventStreamClient, StreamState } from '../../core/event-stream';
import { formatDisplay, formatDuration, isoSeconds } from '../../core/format';
import { ProjectsStore } from '../../core/projects.store';
import { StreamService } from '../../core/stream.service';
import { ThemeService } from '../../core/theme.service';
import { AlertsPanelComponent, upsertAlert } from './alerts-panel.component';
import { MetricChartComponent } from './metric-chart.component';
import { RefusalComponent, RefusalReason } from './refusal.component';
import {
  fromLocalInput,
  parseViewState,
  QueryParams,
  RANGE_PRESETS,
  RangePresetId,
  resolveWindow,
  ResolvedWindow,
  stepOptions,
  toLocalInput,
  toQueryParams,
  ViewState,
} from './view-state';

function paramsToRecord(map: ParamMap): QueryParams {
  const out: QueryParams = {};
  for (const key of map.keys) out[key] = map.get(key);
  return out;
}

type Tone = 'ok' | 'warn' | 'bad' | 'muted';

/** User timing, read by the browser tests; a no-op where unavailable. */
function measure(name: string, start: number): void {
  try {
    performance.measure(name, { start });
  } catch {
    /* user timing unavailable */
  }
}
const RESOLVED_ALERTS_WINDOW_MS = 24 * 3600 * 1000;

@Component({
  selector: 'app-monitoring-page',
  imports: [RouterLink, MetricChartComponent, AlertsPanelComponent, RefusalComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './monitoring.page.html',
})
export class MonitoringPage {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  private readonly api = inject(ApiService);
  private readonly streams = inject(StreamService);
  private readonly theme = inject(ThemeService);
  protected readonly auth = inject(AuthService);
  protected readonly store = inject(ProjectsStore);

  /** Route parameter `:id` (component input binding). */
  readonly id = input.required<string>();

  protected readonly metrics = METRIC_NAMES;
  protected readonly presets = RANGE_PRESETS;
  protected readonly phases = [
    { v: 'both', l: 'Both' },
    { v: 'pre', l: 'Pre-deploy' },
    { v: 'post', l: 'Post-deploy' },
  ] as const;
  private readonly query = toSignal(this.route.queryParamMap, {
    initialValue: this.route.snapshot.queryParamMap,
  });
  protected readonly view = computed<ViewState>(() => parseViewState(paramsToRecord(this.query())), {
    equal: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  protected readonly project = computed(() => this.store.projects()?.find((p) => p.id === this.id()) ?? null);
  /** The env shown: the one in the URL when the project has it, else the project's first. */
  protected readonly env = computed(() => {
    const p = this.project();
    const wanted = this.view().env;
    if (!p) return wanted;
    return wanted && p.envs.includes(wanted) ? wanted : (p.envs[0] ?? null);
  });
  protected readonly group = computed(() => `seqpulse-${this.id()}`);

  protected readonly refusal = signal<RefusalReason | null>(null);
  protected readonly loadError = signal<ApiError | null>(null);
  protected readonly loading = signal(false);
  protected readonly options = signal<Record<MetricName, EChartsCoreOption> | null>(null);
  protected readonly empty = signal<Record<MetricName, boolean>>(this.perMetric(() => false));
  protected readonly latest = signal<Record<MetricName, string>>(this.perMetric(() => '—'));
  protected readonly resolved = signal<ResolvedWindow | null>(null);
  protected readonly responseStep = signal<Step | null>(null);
  protected readonly alerts = signal<AlertView[]>([]);
  protected readonly alertsLoading = signal(false);
  protected readonly alertsError = signal<string | null>(null);
  protected readonly streamState = signal<StreamState>({ status: 'idle', attempt: 0, retryAt: null, error: null });
  protected readonly lastSampleAt = signal<number | null>(null);
  /** Live samples applied since the page opened (exposed for browser tests as data-live-samples). */
  protected readonly liveSamples = signal(0);
  protected readonly now = signal(Date.now());
  protected readonly customOpen = signal(false);
  protected readonly customError = signal<string | null>(null);
  protected readonly copied = signal(false);

  protected readonly stepChoices = computed(() => stepOptions(this.resolved()?.rangeSeconds ?? 3600));
  protected readonly customFrom = computed(() => toLocalInput(this.view().from));
  protected readonly customTo = computed(() => toLocalInput(this.view().to));

  protected readonly liveStatus = computed<{ tone: Tone; text: string }>(() => {
    const win = this.resolved();
    const s = this.streamState();
    if (!win || this.refusal()) return { tone: 'muted', text: '' };
    if (!win.live) {
      return { tone: 'muted', text: this.view().range === 'custom' ? 'Fixed range (not live)' : 'Live paused' };
    }
    switch (s.status) {
      case 'open':
        return { tone: 'ok', text: 'Live' };
      case 'connecting':
        return { tone: 'warn', text: 'Connecting to the live stream…' };
      case 'reconnecting':
        return { tone: 'bad', text: 'Stream down — reconnecting' };
      case 'refused':
        return { tone: 'bad', text: `Live stream refused: ${s.error?.message ?? 'access denied'}` };
      default:
        return { tone: 'muted', text: this.loading() ? 'Loading…' : 'Live off' };
    }
  });

  /** Countdown to the next reconnection attempt (outside the live region: it changes every second). */
  protected readonly retryText = computed(() => {
    const s = this.streamState();
    if (s.status !== 'reconnecting' || !s.retryAt) return '';
    const secs = Math.max(0, Math.ceil((s.retryAt - this.now()) / 1000));
    return secs ? `next try in ${secs} s` : 'trying now…';
  });

  protected readonly lastSampleText = computed(() => {
    const t = this.lastSampleAt();
    if (t === null) return 'No sample yet';
    return `Last sample ${formatDuration(Math.max(0, this.now() - t))} ago`;
  });

  private readonly loadKey = computed(() =>
    JSON.stringify([
      this.id(),
      this.store.projects() ? 'loaded' : 'pending',
      this.project()?.plan ?? null,
      this.project()?.monitoring ?? null,
      this.view(),
      this.env(),
    ]),
  );

  private readonly charts = new Map<MetricName, ECharts>();
  private live: Record<MetricName, LiveSeries> | null = null;
  private deployments: DeploymentMarker[] = [];
  private rules: AlertRuleView[] | null = null;
  private window: TimeWindow = { from: 0, to: 0 };
  private stream: EventStreamClient | null = null;
  private generation = 0;
  private lastPhase: Phase | null = null;
  private lastDeploymentRefresh = 0;
  private readonly pendingUpdates = new Map<MetricName, EChartsCoreOption>();
  private frameScheduled = false;
  private liveStarted: number | null = null;
  /** Deployments drawn in the window (exposed as data-deployments for browser tests). */
  protected readonly deploymentCount = signal(0);

  constructor() {
    // fetch the chart library while the project and the series load (it is needed right after)
    void import('../../charts/echarts');
    void this.store.load();
    effect(() => {
      this.loadKey();
      untracked(() => void this.reload());
    });
    effect(() => {
      this.theme.chartTheme();
      untracked(() => this.rebuildOptions());
    });
    const ticker = setInterval(() => this.tick(), 1000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(ticker);
      this.generation++;
      this.stopStream();
    });
  }

  private perMetric<T>(fn: (m: MetricName) => T): Record<MetricName, T> {
    return Object.fromEntries(METRIC_NAMES.map((m) => [m, fn(m)])) as Record<MetricName, T>;
  }

  // ---- view changes (all go through the URL) ----

  protected update(patch: Partial<ViewState>): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: toQueryParams({ ...this.view(), ...patch }),
    });
  }

  protected selectProject(id: string): void {
    void this.router.navigate(['/app/projects', id], {
      queryParams: toQueryParams({ ...this.view(), env: null }),
    });
  }

  protected selectEnv(env: string): void {
    this.update({ env });
  }

  protected selectPhase(value: string): void {
    this.update({ phase: value === 'pre' || value === 'post' ? value : null });
  }

  protected selectRange(range: RangePresetId): void {
    this.customOpen.set(false);
    this.update({ range, from: null, to: null, step: null, live: this.view().range === 'custom' ? true : this.view().live });
  }

  protected selectStep(value: string): void {
    this.update({ step: value === 'auto' ? null : (value as Step) });
  }

  protected setLive(live: boolean): void {
    this.update({ live });
  }

  protected applyCustom(event: Event, fromValue: string, toValue: string): void {
    event.preventDefault();
    const from = fromLocalInput(fromValue);
    const to = fromLocalInput(toValue);
    if (!from || !to) {
      this.customError.set('Enter both a start and an end.');
      return;
    }
    if (Date.parse(from) >= Date.parse(to)) {
      this.customError.set('The start must be before the end.');
      return;
    }
    this.customError.set(null);
    this.customOpen.set(false);
    this.update({ range: 'custom', from, to, step: null, live: false });
  }

  protected async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(window.location.href);
      this.copied.set(true);
      setTimeout(() => this.copied.set(false), 2000);
    } catch {
      this.copied.set(false);
    }
  }

  protected retry(): void {
    this.loadError.set(null);
    if (!this.store.projects()) void this.store.load(true);
    else void this.reload();
  }

  // ---- charts ----

  protected onChartReady(event: { metric: MetricName; chart: ECharts }): void {
    this.charts.set(event.metric, event.chart);
    const group = this.group();
    void import('../../charts/echarts').then((m) => m.echarts.connect(group));
  }

  private thresholds(): Record<MetricName, number | null> {
    const env = this.env() ?? '';
    return this.perMetric((m) => thresholdFor(m, this.rules, env));
  }

  /** Full options from the current live data (first draw, theme change, backfill). */
  private rebuildOptions(): void {
    const live = this.live;
    if (!live) return;
    const theme = this.theme.chartTheme();
    const thresholds = this.thresholds();
    this.options.set(
      this.perMetric((metric) =>
        buildMetricOption({
          metric,
          points: live[metric].points.slice(),
          deployments: this.deployments,
          threshold: thresholds[metric],
          window: this.window,
          theme,
        }),
      ),
    );
    this.refreshFigures();
  }

  private refreshFigures(): void {
    const live = this.live;
    if (!live) return;
    this.empty.set(this.perMetric((m) => live[m].points.every((p) => p[1] === null)));
    this.latest.set(
      this.perMetric((m) => {
        const pts = live[m].points;
        for (let i = pts.length - 1; i >= 0; i--) if (pts[i][1] !== null) return formatDisplay(m, pts[i][1]);
        return '—';
      }),
    );
  }

  /** Live path: only series data and the x-window change; no full redraw. */
  private slide(): void {
    const live = this.live;
    const win = this.resolved();
    if (!live || !win?.live) return;
    const to = Date.now();
    this.window = { from: to - win.rangeSeconds * 1000, to };
    for (const metric of METRIC_NAMES) {
      live[metric].trim(this.window.from);
      this.pendingUpdates.set(metric, {
        xAxis: { min: this.window.from, max: this.window.to },
        series: [{ id: SERIES_ID, data: toSeriesData(live[metric].points) }],
      });
    }
    this.refreshFigures();
    this.scheduleChartUpdates();
  }

  /**
   * Applies the pending live updates one chart per animation frame: each frame repaints one small chart
   * instead of five at once, so a live point never makes one long task. A newer update of a chart
   * replaces a pending one.
   */
  private scheduleChartUpdates(): void {
    if (this.frameScheduled) return;
    if (typeof requestAnimationFrame !== 'function') {
      while (this.pendingUpdates.size) this.applyNextUpdate();
      return;
    }
    this.frameScheduled = true;
    const step = () => {
      this.applyNextUpdate();
      if (this.pendingUpdates.size) {
        requestAnimationFrame(step);
      } else {
        this.frameScheduled = false;
        const started = this.liveStarted;
        this.liveStarted = null;
        // one more frame: the last chart is painted
        if (started !== null) requestAnimationFrame(() => measure('seqpulse:live-frame', started));
      }
    };
    requestAnimationFrame(step);
  }

  private applyNextUpdate(): void {
    const next = this.pendingUpdates.entries().next();
    if (next.done) return;
    const [metric, update] = next.value;
    this.pendingUpdates.delete(metric);
    const chart = this.charts.get(metric);
    if (chart && !chart.isDisposed()) chart.setOption(update, { silent: true });
  }

  private tick(): void {
    const now = Date.now();
    this.now.set(now);
    // keep the window sliding between samples, every 5 s
    if (Math.floor(now / 1000) % 5 === 0) this.slide();
  }

  // ---- loading ----

  private async reload(): Promise<void> {
    const gen = ++this.generation;
    this.stopStream();
    this.pendingUpdates.clear();
    const projects = this.store.projects();
    const project = this.project();
    if (!projects) {
      if (this.store.error()) this.loadError.set(this.store.error());
      return;
    }
    if (!project) {
      this.refusal.set('project_not_found');
      return;
    }
    const m = project.monitoring;
    if (m && !m.enabled) {
      this.refusal.set(m.reason ?? 'plan_not_enterprise');
      return;
    }
    if (!m && project.plan !== 'enterprise') {
      this.refusal.set('plan_not_enterprise');
      return;
    }
    this.refusal.set(null);
    this.loadError.set(null);
    const view = this.view();
    const env = this.env() ?? undefined;
    const win = resolveWindow(view, Date.now());
    this.resolved.set(win);
    this.loading.set(true);
    void this.loadAlerts(gen);
    try {
      const [series, rules] = await Promise.all([
        this.api.timeseries({
          project_id: project.id,
          from: isoSeconds(win.from),
          to: isoSeconds(win.to),
          step: win.step,
          env,
          phase: view.phase ?? undefined,
        }),
        this.api.alertRules(project.id).catch(() => null),
      ]);
      if (gen !== this.generation) return;
      this.rules = rules?.rules ?? null;
      this.applySeries(series, win);
      this.loading.set(false);
      if (win.live) this.startStream(gen, project.id, env, view.phase);
    } catch (err) {
      if (gen !== this.generation) return;
      this.loading.set(false);
      const e = isApiError(err) ? err : { status: 0, code: 'unknown' as const, message: 'Loading failed.' };
      if (e.code === 'plan_not_enterprise' || e.code === 'monitoring_not_enabled' || e.code === 'project_not_found') {
        this.refusal.set(e.code);
      } else {
        this.loadError.set(e);
      }
    }
  }

  private applySeries(series: TimeseriesResponse, win: ResolvedWindow): void {
    const stepMs = STEP_SECONDS[series.step] * 1000;
    this.responseStep.set(series.step);
    this.pendingUpdates.clear();
    this.deployments = series.deployments ?? [];
    this.deploymentCount.set(this.deployments.length);
    this.live = this.perMetric((m) => new LiveSeries(pointsFromResponse(series, m), stepMs, METRICS[m].aggregation));
    this.window = win.live ? { from: Date.now() - win.rangeSeconds * 1000, to: Date.now() } : { from: win.from, to: win.to };
    const latest = Math.max(...METRIC_NAMES.map((m) => this.live?.[m].lastSampleAt() ?? -1));
    this.lastSampleAt.set(latest >= 0 ? latest : null);
    this.rebuildOptions();
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
    const project = this.project();
    if (!win || !project) return;
    const now = Date.now();
    try {
      const series = await this.api.timeseries({
        project_id: project.id,
        from: isoSeconds(now - win.rangeSeconds * 1000),
        to: isoSeconds(now),
        step: win.step,
        env: this.env() ?? undefined,
        phase: this.view().phase ?? undefined,
      });
      if (gen !== this.generation) return;
      this.applySeries(series, win);
      void this.loadAlerts(gen);
    } catch {
      /* the stream is up again; the next reconnection retries */
    }
  }

  /** A deployment finished (phase went pre → post): redraw only the markers. */
  private async refreshDeployments(gen: number): Promise<void> {
    const win = this.resolved();
    const project = this.project();
    if (!win || !project) return;
    try {
      const series = await this.api.timeseries({
        project_id: project.id,
        from: isoSeconds(Date.now() - win.rangeSeconds * 1000),
        to: isoSeconds(Date.now()),
        step: win.step,
        env: this.env() ?? undefined,
        phase: this.view().phase ?? undefined,
      });
      if (gen !== this.generation) return;
      this.deployments = series.deployments ?? [];
      this.deploymentCount.set(this.deployments.length);
      const thresholds = this.thresholds();
      const theme = this.theme.chartTheme();
      for (const metric of METRIC_NAMES) {
        const chart = this.charts.get(metric);
        if (!chart || chart.isDisposed()) continue;
        const opt = buildMetricOption({
          metric,
          points: [],
          deployments: this.deployments,
          threshold: thresholds[metric],
          window: this.window,
          theme,
        }) as { series: { markLine: unknown }[] };
        chart.setOption({ series: [{ id: SERIES_ID, markLine: opt.series[0].markLine }] }, { lazyUpdate: true });
      }
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
          if (gen === this.generation && reconnected) void this.backfill(gen);
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
        },
      },
    );
  }

  private stopStream(): void {
    this.stream?.stop();
    this.stream = null;
    this.streamState.set({ status: 'idle', attempt: 0, retryAt: null, error: null });
  }

  private onSample(sample: SampleEvent, gen: number): void {
    const live = this.live;
    if (!live || !sample?.values) return;
    const env = this.env();
    const phase = this.view().phase;
    if (env && sample.env && sample.env !== env) return;
    // a `post` sample after a `pre` one, or one that no known deployment explains: a deployment finished
    const t0 = Date.parse(sample.t);
    const explained = this.deployments.some((d) => d.finished_at !== null && Date.parse(d.finished_at) <= t0);
    const deploymentFinished = sample.phase === 'post' && (this.lastPhase === 'pre' || !explained);
    this.lastPhase = sample.phase ?? this.lastPhase;
    if (deploymentFinished && Date.now() - this.lastDeploymentRefresh > 20_000) {
      this.lastDeploymentRefresh = Date.now();
      void this.refreshDeployments(gen);
    }
    if (phase && sample.phase !== phase) return;
    const t = Date.parse(sample.t);
    if (!Number.isFinite(t)) return;
    for (const metric of METRIC_NAMES) {
      const raw = sample.values[metric];
      if (typeof raw === 'number' && Number.isFinite(raw)) live[metric].add(t, raw * METRICS[metric].displayFactor);
    }
    const started = performance.now();
    this.liveStarted ??= started;
    this.lastSampleAt.set(Math.max(this.lastSampleAt() ?? 0, t));
    this.liveSamples.update((n) => n + 1);
    this.slide();
    measure('seqpulse:live-apply', started);
  }

  private onAlert(alert: AlertView): void {
    const env = this.env();
    if (!alert?.id || (env && alert.env !== env)) return;
    this.alerts.update((list) => upsertAlert(list, alert));
  }
}
