import { ChangeDetectionStrategy, Component, computed, effect, inject, input, linkedSignal, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, ParamMap, Router, RouterLink } from '@angular/router';
import { AlertView, METRIC_NAMES, MetricName } from '@seqpulse/contracts';
import { ChartOverlay } from '../../charts/chart-options';
import type { ECharts } from 'echarts/core';
import { stackedChartsPng } from '../../charts/chart-image';
import { MetricChartComponent } from '../../charts/metric-chart/metric-chart.component';
import { AuthService } from '../../core/auth.service';
import { download } from '../../core/download';
import { isoSeconds } from '../../core/format';
import { ThemeService } from '../../core/theme.service';
import { AlertOverlaysStore } from '../alert-history/alert-overlays.store';
import { alertRange } from '../alert-history/alert-range';
import { regionTarget } from '../alert-history/alert-regions';
import { DeploymentComparisonComponent } from '../deployments/deployment-comparison.component';
import { deploymentRegions } from '../deployments/deployment-regions';
import { DeploymentsPanelComponent } from '../deployments/deployments-panel.component';
import { DeploymentsStore } from '../deployments/deployments.store';
import { toCsv } from './export';
import { ExportFormat, RangeAction, RangeControlsComponent } from './range-controls.component';
import { shift, zoomOut, zoomTo } from './range-math';
import { AlertsPanelComponent } from './alerts-panel.component';
import { LiveStatusComponent } from './live-status.component';
import { MonitoringToolbarComponent } from './monitoring-toolbar.component';
import { MonitoringStore } from './monitoring.store';
import { RefusalComponent } from './refusal.component';
import { parseViewState, QueryParams, toQueryParams, ViewState } from './view-state';

function paramsToRecord(map: ParamMap): QueryParams {
  const out: QueryParams = {};
  for (const key of map.keys) out[key] = map.get(key);
  return out;
}

/** The monitoring screen of one project: wires the URL to the store and the store to the components. */
@Component({
  selector: 'app-monitoring-page',
  imports: [
    RouterLink,
    MetricChartComponent,
    AlertsPanelComponent,
    RefusalComponent,
    LiveStatusComponent,
    MonitoringToolbarComponent,
    RangeControlsComponent,
    DeploymentsPanelComponent,
    DeploymentComparisonComponent,
  ],
  providers: [MonitoringStore, DeploymentsStore, AlertOverlaysStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './monitoring.page.html',
})
export class MonitoringPage {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthService);
  protected readonly store = inject(MonitoringStore);
  protected readonly deployments = inject(DeploymentsStore);
  private readonly alertOverlays = inject(AlertOverlaysStore);
  protected readonly chartTheme = inject(ThemeService).chartTheme;

  /** Route parameter `:id` (component input binding). */
  readonly id = input.required<string>();

  protected readonly metrics = METRIC_NAMES;
  private readonly query = toSignal(this.route.queryParamMap, { initialValue: this.route.snapshot.queryParamMap });
  protected readonly view = computed<ViewState>(() => parseViewState(paramsToRecord(this.query())));
  protected readonly group = computed(() => `seqpulse-${this.id()}`);
  protected readonly copied = signal(false);
  private readonly charts = new Map<MetricName, ECharts>();
  protected readonly deploymentsText = computed(() => {
    const n = this.store.deploymentsInView().length;
    return n === 0 ? 'No deployment in this range' : n === 1 ? '1 deployment in this range' : `${n} deployments in this range`;
  });

  /** Every deployment of the list as a region on every chart, after the chart's own overlays (compared period). */
  private readonly regions = computed(() =>
    deploymentRegions(this.deployments.list(), this.deployments.windowMs(), this.chartTheme(), this.deployments.listChangedAt()),
  );
  /**
   * Per chart: its own lines, then silences and maintenance (muted), its alerts' firing periods, the deployments; kept
   * as they are while a new range loads (the lists of the new range often arrive before its series), so the charts
   * get the new series and the new lists together and compare the lists inside the new range (most of a zoom's
   * redraws were the lists of the zoomed range redrawn over the old range, then the new series merged).
   */
  protected readonly chartOverlays = linkedSignal<
    { overlays: Record<MetricName, readonly ChartOverlay[]>; loading: boolean },
    Record<MetricName, readonly ChartOverlay[]>
  >({
    source: () => ({ overlays: this.latestOverlays(), loading: this.store.loading() }),
    computation: (next, previous) => (next.loading && previous ? previous.value : next.overlays),
  });
  private readonly latestOverlays = computed(() => {
    const regions = this.regions();
    const alertRegions = this.alertOverlays.regions();
    const own = this.store.overlays();
    const overlays = {} as Record<MetricName, readonly ChartOverlay[]>;
    for (const m of METRIC_NAMES)
      overlays[m] = regions.length || alertRegions[m].length ? [...own[m], ...alertRegions[m], ...regions] : own[m];
    return overlays;
  });

  constructor() {
    // fetch the chart library while the project and the series load (it is needed right after)
    void import('../../charts/echarts');
    void this.store.projects.load();
    effect(() => {
      this.store.projectId.set(this.id());
      this.store.view.set(this.view());
      this.deployments.selectedId.set(this.view().deployment);
    });
  }

  protected update(patch: Partial<ViewState>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: toQueryParams({ ...this.view(), ...patch }) });
  }

  protected selectProject(id: string): void {
    void this.router.navigate(['/app/projects', id], { queryParams: toQueryParams({ ...this.view(), env: null }) });
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

  /** Shows an alert's firing period with a margin on each side (a custom range, so the URL keeps it). */
  protected focusAlert(alert: Pick<AlertView, 'started_at' | 'resolved_at'>): void {
    this.update({ range: 'custom', ...alertRange(alert, Date.now()), step: null, live: false });
  }

  /** A click on a region: an alert's moves the range to it, a deployment's opens its comparison. */
  protected selectRegion(id: string): void {
    const target = regionTarget(id);
    if (target?.kind === 'deployment') this.selectDeployment(target.id);
    else if (target?.kind === 'alert') {
      const alert = this.alertOverlays.alerts().find((a) => a.id === target.id);
      if (alert) this.focusAlert(alert);
    }
  }

  /** Opens a deployment's comparison (from the list or its region); the URL keeps it. */
  protected selectDeployment(id: string | null): void {
    this.update({ deployment: id });
  }

  protected onChartReady(event: { metric: MetricName; chart: ECharts }): void {
    this.charts.set(event.metric, event.chart);
  }

  // ---- zoom and pan: every change is a URL change (custom range, live off; the step follows the range) ----

  private showWindow(win: { from: number; to: number }): void {
    this.update({ range: 'custom', from: isoSeconds(win.from), to: isoSeconds(win.to), step: null, live: false });
  }

  protected onZoom(selection: { from: number; to: number }): void {
    this.showWindow(zoomTo(selection.from, selection.to));
  }

  protected onRangeAction(action: RangeAction): void {
    const now = Date.now();
    const win = this.store.visibleWindow();
    switch (action) {
      case 'zoom-out':
        return this.showWindow(zoomOut(win, now));
      case 'earlier':
        return this.showWindow(shift(win, -1, now));
      case 'later':
        return this.showWindow(shift(win, 1, now));
      case 'live':
        return this.update({ range: this.store.lastLivePreset(), from: null, to: null, step: null, live: true });
      case 'back':
      case 'forward': {
        const entry = action === 'back' ? this.store.back() : this.store.forward();
        if (entry) this.update({ ...entry, step: null, live: entry.range !== 'custom' });
        return;
      }
    }
  }

  // ---- exports of the visible range ----

  private fileStem(): string {
    const win = this.store.visibleWindow();
    const name = (this.store.project()?.name ?? 'project').toLowerCase().replace(/[^a-z0-9]+/g, '-');
    return `${name}-${this.store.env() ?? ''}-${isoSeconds(win.from)}--${isoSeconds(win.to)}`.replace(/:/g, '');
  }

  protected async onExport(format: ExportFormat): Promise<void> {
    const stem = this.fileStem();
    if (format === 'csv') {
      const points = this.store.visiblePoints();
      if (!points) return;
      download(`${stem}.csv`, new Blob([toCsv(points, this.store.visibleWindow(), this.view().tz)], { type: 'text/csv' }));
    } else if (format === 'json') {
      const answer = await this.store.fetchVisible();
      download(`${stem}.json`, new Blob([JSON.stringify(answer, null, 2)], { type: 'application/json' }));
    } else {
      const charts = this.metrics.map((m) => this.charts.get(m)).filter((c): c is ECharts => !!c && !c.isDisposed());
      const background = getComputedStyle(document.body).backgroundColor || '#ffffff';
      download(`${stem}.png`, await stackedChartsPng(charts, background));
    }
  }
}
