import { ChangeDetectionStrategy, Component, computed, DestroyRef, effect, inject, input, output, signal, untracked } from '@angular/core';
import { DeploymentMarker, METRICS, MetricName } from '@seqpulse/contracts';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { formatDisplay } from '../../core/format';
import { buildMetricOption, ChartOverlay, ChartPoint, markLineData, SERIES_ID, seriesPatch, TimeWindow } from '../chart-options';
import { CHART_RENDERER } from '../chart-renderer';
import { ChartTheme, LIGHT_CHART_THEME } from '../chart-theme';
import { ChartFrameScheduler } from '../frame-scheduler';

/** The points of one chart and the window they are drawn in. */
export interface SeriesFrame {
  points: ChartPoint[];
  window: TimeWindow;
  /**
   * True when only new points arrived and the window moved since the previous frame (a live update):
   * the chart merges series data and x-window instead of redrawing.
   */
  live: boolean;
}

/** What a full redraw depends on besides the points; a change of any of these redraws the chart. */
interface Structure {
  metric: MetricName;
  theme: ChartTheme;
  threshold: number | null;
  overlays: readonly ChartOverlay[];
}

/**
 * One metric chart card: draws what it is given (points, window, deployments, threshold, overlays) and
 * decides how to apply a change: a live frame merges data into the drawn chart (one chart per animation
 * frame), a new deployment only replaces the markers, anything else redraws.
 */
@Component({
  selector: 'app-metric-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card chart-card" [attr.aria-labelledby]="'chart-title-' + metric()" [attr.data-metric]="metric()">
      <header class="chart-head">
        <h2 [id]="'chart-title-' + metric()">
          {{ def().label }} <span class="unit">({{ def().displayUnit }})</span>
        </h2>
        <span class="latest" aria-live="off">{{ latest() }}</span>
      </header>
      <div class="chart-body">
        @if (initialOption(); as opt) {
          <div
            class="chart"
            echarts
            [options]="opt"
            [initOpts]="initOpts"
            (chartInit)="onInit($event)"
            role="img"
            [attr.aria-label]="summary()"
          ></div>
          @if (empty()) {
            <p class="chart-overlay">No samples in this range</p>
          }
        } @else {
          <div class="chart chart-skeleton" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span> Loading {{ def().label }}…
          </div>
        }
      </div>
      <ng-content />
    </section>
  `,
})
export class MetricChartComponent {
  private readonly scheduler = inject(ChartFrameScheduler);

  readonly metric = input.required<MetricName>();
  readonly frame = input<SeriesFrame | null>(null);
  readonly deployments = input<readonly DeploymentMarker[]>([]);
  /** Raw alert threshold (ratio for %, ms for latency); `null`: no line. */
  readonly threshold = input<number | null>(null);
  /** Extra series drawn over the metric (a compared period, …); each has its own tooltip entry. */
  readonly overlays = input<readonly ChartOverlay[]>([]);
  readonly theme = input<ChartTheme>(LIGHT_CHART_THEME);
  /** echarts connect group: one crosshair and tooltip across the charts of a page. */
  readonly group = input('');
  readonly chartReady = output<{ metric: MetricName; chart: ECharts }>();

  protected readonly def = computed(() => METRICS[this.metric()]);
  protected readonly initOpts = { renderer: inject(CHART_RENDERER) };
  /** The option the chart is created with; later changes go to the instance (see `draw`). */
  protected readonly initialOption = signal<EChartsCoreOption | null>(null);
  protected readonly empty = computed(() => (this.frame()?.points ?? []).every((p) => p[1] === null));
  protected readonly latest = computed(() => {
    const points = this.frame()?.points ?? [];
    for (let i = points.length - 1; i >= 0; i--) if (points[i][1] !== null) return formatDisplay(this.metric(), points[i][1]);
    return '—';
  });
  protected readonly summary = computed(() => `${this.def().label} chart in ${this.def().displayUnit}; latest value ${this.latest()}`);

  private readonly structure = computed<Structure>(
    () => ({ metric: this.metric(), theme: this.theme(), threshold: this.threshold(), overlays: this.overlays() }),
    {
      equal: (a, b) => a.metric === b.metric && a.theme === b.theme && a.threshold === b.threshold && a.overlays === b.overlays,
    },
  );
  private chart: ECharts | null = null;
  private drawn: { frame: SeriesFrame; structure: Structure; deployments: readonly DeploymentMarker[] } | null = null;

  constructor() {
    effect(() => {
      const frame = this.frame();
      const structure = this.structure();
      const deployments = this.deployments();
      untracked(() => this.draw(frame, structure, deployments));
    });
    inject(DestroyRef).onDestroy(() => this.scheduler.cancel(this.key()));
  }

  private key(): string {
    return `${this.group()}:${this.metric()}`;
  }

  private build(frame: SeriesFrame, structure: Structure, deployments: readonly DeploymentMarker[]): EChartsCoreOption {
    return buildMetricOption({
      metric: structure.metric,
      points: frame.points,
      deployments,
      threshold: structure.threshold,
      window: frame.window,
      theme: structure.theme,
      overlays: structure.overlays,
    });
  }

  private draw(frame: SeriesFrame | null, structure: Structure, deployments: readonly DeploymentMarker[]): void {
    if (!frame) return;
    const chart = this.chart && !this.chart.isDisposed() ? this.chart : null;
    const previous = this.drawn;
    this.drawn = { frame, structure, deployments };
    if (!chart) {
      // not created yet: the echarts directive draws this option when it creates the chart
      this.initialOption.set(this.build(frame, structure, deployments));
      return;
    }
    const newFrame = previous?.frame !== frame;
    if (previous?.structure === structure && (!newFrame || frame.live)) {
      // merge what changed into the drawn chart: new points (live), new deployment markers, or both
      const patch = newFrame
        ? (seriesPatch(frame.points, frame.window) as { series: Record<string, unknown>[] })
        : { series: [{ id: SERIES_ID }] };
      if (previous.deployments !== deployments)
        patch.series[0]['markLine'] = { data: markLineData({ ...structure, deployments, window: frame.window }) };
      if (!newFrame) {
        chart.setOption(patch, { lazyUpdate: true });
        return;
      }
      this.scheduler.schedule(this.key(), () => {
        if (!chart.isDisposed()) chart.setOption(patch, { silent: true });
      });
      return;
    }
    this.scheduler.cancel(this.key());
    chart.setOption(this.build(frame, structure, deployments), { notMerge: true });
  }

  protected onInit(chart: ECharts): void {
    if (this.group()) chart.group = this.group();
    this.chart = chart;
    this.chartReady.emit({ metric: this.metric(), chart });
  }
}
