import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { DeploymentMarker, METRICS, MetricName } from '@seqpulse/contracts';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { formatDisplay } from '../../core/format';
import {
  AXIS_POINTER_ZLEVEL,
  buildMetricOption,
  CHART_GRID,
  ChartOverlay,
  ChartPoint,
  ChartRegionOverlay,
  isRegion,
  markLineData,
  regionAtTime,
  regionLabels,
  regionsInWindow,
  regionsPatch,
  SERIES_ID,
  seriesPatch,
  TimeWindow,
  TOOLTIP_SHOW_DELAY_MS,
} from '../chart-options';
import { CHART_RENDERER } from '../chart-renderer';
import { ChartTheme, LIGHT_CHART_THEME } from '../chart-theme';
import { CrosshairSync } from '../crosshair-sync';
import { ChartFrameScheduler } from '../frame-scheduler';
import { LegendStatsComponent } from '../legend-stats/legend-stats.component';
import { overlaysDrawnAlike } from '../overlays-in-window';
import { seriesStats } from '../series-stats';

/** A drag shorter than this is a click (tooltips, crosshair), not a zoom. */
const MIN_DRAG_PX = 6;

const stopPropagation = (event: Event) => event.stopPropagation();

/** What the region series draws in a window: its regions, and which of them are labelled (that depends on the span). */
function regionKey(regions: readonly ChartRegionOverlay[], labelled: ReadonlySet<ChartRegionOverlay>): string {
  return regions.map((r) => (labelled.has(r) ? `${r.id}+` : r.id)).join('\n');
}

/** The points of one chart and the window they are drawn in. */
export interface SeriesFrame {
  points: ChartPoint[];
  window: TimeWindow;
  /**
   * True when only new points arrived and the window moved since the previous frame (a live update): the
   * deployment markers are kept as they are. Any new frame is merged into the drawn chart (data and x-window).
   */
  live: boolean;
}

/** What a full redraw depends on besides the points; a change of any of these redraws the chart. */
interface Structure {
  metric: MetricName;
  theme: ChartTheme;
  threshold: number | null;
  overlays: readonly ChartOverlay[];
  utc: boolean;
}

/** Two structures that draw the same chart inside the window (overlay lists compared by what they draw there). */
function drawnAlike(a: Structure, b: Structure, window: TimeWindow): boolean {
  return (
    a === b ||
    (a.metric === b.metric &&
      a.theme === b.theme &&
      a.threshold === b.threshold &&
      a.utc === b.utc &&
      overlaysDrawnAlike(a.overlays, b.overlays, window))
  );
}

/**
 * One metric chart card: draws what it is given (points, window, deployments, threshold, overlays) and
 * decides how to apply a change: new points (a live frame or a new range) are merged into the drawn chart (one
 * chart per animation frame), a new deployment only replaces the markers, a change of structure redraws.
 */
@Component({
  selector: 'app-metric-chart',
  imports: [NgxEchartsDirective, LegendStatsComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card chart-card" [attr.aria-labelledby]="'chart-title-' + metric()" [attr.data-metric]="metric()">
      <header class="chart-head">
        <h2 [id]="'chart-title-' + metric()">
          {{ def().label }} <span class="unit">({{ def().displayUnit }})</span>
        </h2>
        <span class="latest" aria-live="off">{{ latest() }}</span>
      </header>
      <div #body class="chart-body" (pointerdown)="dragStart($event)">
        @if (selection(); as sel) {
          <div class="zoom-selection" aria-hidden="true" [style.left.px]="sel.left" [style.width.px]="sel.width"></div>
        }
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
          <div #crosshair class="crosshair" aria-hidden="true" [style.border-left-color]="theme().muted"></div>
        } @else {
          <div class="chart chart-skeleton" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span> Loading {{ def().label }}…
          </div>
        }
      </div>
      @if (frame()) {
        <app-legend-stats [metric]="metric()" [stats]="stats()" />
      }
      @if (lineOverlays().length) {
        <ul class="overlay-legend">
          @for (o of lineOverlays(); track o.id) {
            <li [class.dashed]="o.dashed">
              <span class="swatch" [style.border-color]="o.colour ?? theme().line[metric()]"></span>{{ o.label }}
            </li>
          }
        </ul>
      }
      <ng-content />
    </section>
  `,
})
export class MetricChartComponent {
  private readonly scheduler = inject(ChartFrameScheduler);
  private readonly crosshairSync = inject(CrosshairSync);
  private readonly body = viewChild.required<ElementRef<HTMLElement>>('body');
  private readonly crosshair = viewChild<ElementRef<HTMLElement>>('crosshair');

  readonly metric = input.required<MetricName>();
  readonly frame = input<SeriesFrame | null>(null);
  readonly deployments = input<readonly DeploymentMarker[]>([]);
  /** Raw alert threshold (ratio for %, ms for latency); `null`: no line. */
  readonly threshold = input<number | null>(null);
  /** Drawn over the metric: lines (a compared period, …; each has its own tooltip entry) and regions (deployments). */
  readonly overlays = input<readonly ChartOverlay[]>([]);
  readonly theme = input<ChartTheme>(LIGHT_CHART_THEME);
  /** Axis labels and tooltip times in UTC instead of the browser's zone. */
  readonly utc = input(false);
  /** Crosshair group: the charts of a page show one crosshair (the tooltip only on the chart under the pointer). */
  readonly group = input('');
  readonly chartReady = output<{ metric: MetricName; chart: ECharts }>();
  /** The user dragged across the chart: the selected time range (epoch ms, either order). */
  readonly zoom = output<{ from: number; to: number }>();
  /** The user clicked a region overlay: its id. */
  readonly regionSelect = output<string>();

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
  protected readonly lineOverlays = computed(() => this.overlays().filter((o) => !isRegion(o)));
  protected readonly summary = computed(() => {
    const regions = this.overlays()
      .filter(isRegion)
      .map((r) => `${r.tooltip[0] ?? r.id}: ${r.label}`);
    const text = `${this.def().label} chart in ${this.def().displayUnit}; latest value ${this.latest()}`;
    return regions.length ? `${text}; ${regions.join('; ')}` : text;
  });

  protected readonly stats = computed(() => {
    const frame = this.frame();
    return frame ? seriesStats(frame.points, frame.window) : seriesStats([], { from: 0, to: 0 });
  });
  /** The drag selection drawn over the chart, in pixels of the chart body. */
  protected readonly selection = signal<{ left: number; width: number } | null>(null);
  private dragOrigin: { x: number; left: number } | null = null;
  /** The time another chart of the group points at (drawn here as a plain line), and its pending frame. */
  private crosshairTime: number | null = null;
  private crosshairFrame = 0;
  /** The time this chart's own axis pointer last reported to the group. */
  private pointedTime: number | null = null;

  private readonly structure = computed<Structure>(
    () => ({ metric: this.metric(), theme: this.theme(), threshold: this.threshold(), overlays: this.overlays(), utc: this.utc() }),
    {
      equal: (a, b) =>
        a.metric === b.metric && a.theme === b.theme && a.threshold === b.threshold && a.overlays === b.overlays && a.utc === b.utc,
    },
  );
  private chart: ECharts | null = null;
  private redrawPending = false;
  /** A scheduled merge must redraw the deployment markers too. */
  private markersStale = false;
  private drawn: { frame: SeriesFrame; structure: Structure; deployments: readonly DeploymentMarker[] } | null = null;
  /** The ids of the regions the chart draws (those in its window), to merge other ones when the window moves. */
  private drawnRegions = '';

  constructor() {
    effect(() => {
      const frame = this.frame();
      const structure = this.structure();
      const deployments = this.deployments();
      untracked(() => this.draw(frame, structure, deployments));
    });
    effect((onCleanup) => {
      const group = this.group();
      const metric = this.metric();
      if (group) onCleanup(this.crosshairSync.join(group, metric, (time) => this.showCrosshair(time)));
    });
    inject(DestroyRef).onDestroy(() => {
      this.scheduler.cancel(this.key());
      this.dragCancel();
      if (this.crosshairFrame) cancelAnimationFrame(this.crosshairFrame);
    });
  }

  private key(): string {
    return `${this.group()}:${this.metric()}`;
  }

  private build(frame: SeriesFrame, structure: Structure, deployments: readonly DeploymentMarker[]): EChartsCoreOption {
    const regions = regionsInWindow(structure.overlays, frame.window);
    this.drawnRegions = regionKey(regions, regionLabels(regions, frame.window));
    return buildMetricOption({
      metric: structure.metric,
      points: frame.points,
      deployments,
      threshold: structure.threshold,
      window: frame.window,
      theme: structure.theme,
      overlays: structure.overlays,
      utc: structure.utc,
    });
  }

  private draw(frame: SeriesFrame | null, structure: Structure, deployments: readonly DeploymentMarker[]): void {
    if (!frame) return;
    const chart = this.chart && !this.chart.isDisposed() ? this.chart : null;
    const previous = this.drawn;
    if (!chart) {
      this.drawn = { frame, structure, deployments };
      // not created yet: the echarts directive draws this option when it creates the chart
      this.initialOption.set(this.build(frame, structure, deployments));
      return;
    }
    // while a redraw waits for its frame, a merge would replace it: redraw again with the newer data instead
    const kept = previous && !this.redrawPending && drawnAlike(previous.structure, structure, frame.window) ? previous.structure : null;
    // the structure the chart holds (regionAtTime reads its overlays)
    this.drawn = { frame, structure: kept ?? structure, deployments };
    if (kept) {
      // Same axes, lines and marks: merge what changed into the drawn chart (new points and window, new deployment
      // markers). A new range (zoom, pan, preset) is merged too: rebuilding every component of five charts
      // (`notMerge`) was most of a zoom's long tasks; so is rebuilding them for overlay lists read again for the
      // new range that draw the same inside it.
      const newFrame = previous?.frame !== frame;
      const markers = previous?.deployments !== deployments || (newFrame && !frame.live);
      const patch = (withMarkers: boolean) => {
        const option = newFrame
          ? (seriesPatch(frame.points, frame.window, kept) as { series: Record<string, unknown>[] })
          : { series: [{ id: SERIES_ID }] as Record<string, unknown>[] };
        if (withMarkers) option.series[0]['markLine'] = { data: markLineData({ ...kept, deployments, window: frame.window }) };
        const regions = regionsInWindow(kept.overlays, frame.window);
        const labelled = regionLabels(regions, frame.window);
        const key = regionKey(regions, labelled);
        if (newFrame && key !== this.drawnRegions && kept.overlays.some(isRegion)) {
          option.series.push(regionsPatch(regions, labelled, kept.theme));
          this.drawnRegions = key;
        }
        return option;
      };
      if (!newFrame) {
        if (markers) chart.setOption(patch(true), { lazyUpdate: true });
        return;
      }
      // a newer frame replaces a pending one: the markers it was to redraw are redrawn with it
      this.markersStale ||= markers;
      // One chart at a time (five charts updated in one task would make one long task), and its update split in three
      // tasks: the option built and merged into echarts' model here (`lazyUpdate`), echarts' layout (axes, series,
      // marks) in the next task, zrender's paint in the animation frame after it; then the scheduler starts the next
      // chart. Layout and paint in one frame made a zoom's largest chart task 25.3 ms of thread time on average and 6
      // chart tasks over 50 ms of wall time in 12 zooms; split, 17.3 ms and none (zoom-profile.profile.ts, docs).
      // Full redraws below stay whole: a lazy `notMerge` would leave a new model without axes until its frame.
      this.scheduler.schedule(this.key(), () => {
        const withMarkers = this.markersStale;
        this.markersStale = false;
        if (chart.isDisposed()) return;
        chart.setOption(patch(withMarkers), { silent: true, lazyUpdate: true });
        // zrender's frame loop pauses until the layout's task: a frame between the two tasks would lay out and paint the
        // pending update as one task, as before (without the pause Chromium ran that frame first in all 15 updates of
        // a profiled zoom)
        const frames = chart.getZr().animation;
        frames.pause();
        return () => {
          frames.resume();
          // `resize` is echarts' one call that runs a pending lazy update without painting (it handles a
          // `setOption(…, { lazyUpdate: true })` followed by `resize()`); the size is read again, unchanged
          if (!chart.isDisposed()) chart.resize({ silent: true });
        };
      });
      return;
    }
    // a redraw (new theme, threshold, overlays, time zone) goes through the frame scheduler too, built there
    this.redrawPending = true;
    this.scheduler.schedule(this.key(), () => {
      this.redrawPending = false;
      this.markersStale = false;
      if (!chart.isDisposed()) chart.setOption(this.build(frame, structure, deployments), { notMerge: true });
    });
  }

  // ---- one crosshair across the group ----

  /** This chart's axis pointer moved (the pointer is on this chart) or hid: the other charts of the group follow. */
  private pointed(time: number | null): void {
    if (time === this.pointedTime) return;
    this.pointedTime = time;
    if (this.group()) this.crosshairSync.point(this.group(), this.metric(), time);
  }

  /** Another chart of the group points at `time`: a line drawn at the next frame (at most one per frame). */
  private showCrosshair(time: number | null): void {
    this.crosshairTime = time;
    if (this.crosshairFrame) return;
    if (typeof requestAnimationFrame !== 'function') return this.drawCrosshair();
    this.crosshairFrame = requestAnimationFrame(() => {
      this.crosshairFrame = 0;
      this.drawCrosshair();
    });
  }

  private drawCrosshair(): void {
    const line = this.crosshair()?.nativeElement;
    const chart = this.chart && !this.chart.isDisposed() ? this.chart : null;
    if (!line) return;
    const time = this.crosshairTime;
    const x = time === null || !chart ? NaN : (chart.convertToPixel({ xAxisIndex: 0 }, time) as unknown as number);
    // the bottom of the plot: the y axis starts at 0
    const bottom = chart ? (chart.convertToPixel({ yAxisIndex: 0 }, 0) as unknown as number) : NaN;
    if (!chart || !Number.isFinite(x) || x < 0 || x > chart.getWidth() || !Number.isFinite(bottom)) {
      line.style.display = 'none';
      return;
    }
    line.style.display = 'block';
    line.style.top = `${CHART_GRID.top}px`;
    line.style.height = `${Math.max(0, Math.round(bottom) - CHART_GRID.top)}px`;
    line.style.transform = `translateX(${Math.round(x)}px)`;
  }

  // ---- drag to zoom ----

  protected dragStart(event: PointerEvent): void {
    if (event.button !== 0 || !this.chart) return;
    const body = this.body().nativeElement;
    const box = body.getBoundingClientRect();
    this.dragOrigin = { x: event.clientX - box.left, left: box.left };
    body.setPointerCapture?.(event.pointerId);
    // listened to only during a drag: a template listener would run Angular's change detection at every pointer move
    body.addEventListener('pointermove', this.onDragMove);
    body.addEventListener('pointerup', this.onDragEnd);
    body.addEventListener('pointercancel', this.onDragCancel);
    // While a range is selected, echarts gets no mouse moves: each one would move the crosshair and tooltip, under a
    // selection that hides them anyway.
    const chart = this.chart;
    chart.dispatchAction({ type: 'hideTip' });
    // a tooltip still waiting for its task (it follows the pointer one task later) would show after this: hide it then
    setTimeout(() => {
      if (this.dragOrigin && !chart.isDisposed()) chart.dispatchAction({ type: 'hideTip' });
    }, TOOLTIP_SHOW_DELAY_MS);
    this.pointed(null);
    window.addEventListener('mousemove', stopPropagation, { capture: true });
  }

  private readonly onDragMove = (event: PointerEvent) => this.dragMove(event);
  private readonly onDragEnd = (event: PointerEvent) => this.dragEnd(event);
  private readonly onDragCancel = () => this.dragCancel();

  private dragMove(event: PointerEvent): void {
    const origin = this.dragOrigin;
    if (!origin) return;
    const x = event.clientX - origin.left;
    this.selection.set({ left: Math.min(origin.x, x), width: Math.abs(x - origin.x) });
  }

  private dragEnd(event: PointerEvent): void {
    const origin = this.dragOrigin;
    this.dragCancel();
    const chart = this.chart;
    if (!origin || !chart || chart.isDisposed()) return;
    const x = event.clientX - origin.left;
    if (Math.abs(x - origin.x) < MIN_DRAG_PX) {
      // a click, not a drag: on a region, select it (the drag's pointer capture keeps clicks from echarts)
      const t = chart.convertFromPixel({ xAxisIndex: 0 }, x) as unknown as number;
      const region = Number.isFinite(t) ? regionAtTime(this.drawn?.structure.overlays ?? [], t) : null;
      if (region) this.regionSelect.emit(region.id);
      return;
    }
    const from = chart.convertFromPixel({ xAxisIndex: 0 }, origin.x) as unknown as number;
    const to = chart.convertFromPixel({ xAxisIndex: 0 }, x) as unknown as number;
    if (Number.isFinite(from) && Number.isFinite(to)) this.zoom.emit({ from, to });
  }

  private dragCancel(): void {
    this.dragOrigin = null;
    this.selection.set(null);
    const body = this.body().nativeElement;
    body.removeEventListener('pointermove', this.onDragMove);
    body.removeEventListener('pointerup', this.onDragEnd);
    body.removeEventListener('pointercancel', this.onDragCancel);
    window.removeEventListener('mousemove', stopPropagation, { capture: true });
  }

  protected onInit(chart: ECharts): void {
    this.chart = chart;
    // The axis pointer's canvas made now, with the chart, not by the first hover: creating and inserting it was 16–23
    // ms of that hover's task, itself most of the zoom gesture's first long task (zoom-profile.profile.ts).
    (chart.getZr().painter as Partial<{ getLayer(zlevel: number): unknown }>).getLayer?.(AXIS_POINTER_ZLEVEL);
    chart.on('updateAxisPointer', (event) => {
      const axes = (event as { axesInfo?: { axisDim: string; value: number }[] }).axesInfo ?? [];
      this.pointed(axes.find((a) => a.axisDim === 'x')?.value ?? null);
    });

    this.chartReady.emit({ metric: this.metric(), chart });
  }
}
