import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, ParamMap, Router, RouterLink } from '@angular/router';
import { METRIC_NAMES } from '@seqpulse/contracts';
import { MetricChartComponent } from '../../charts/metric-chart/metric-chart.component';
import { AuthService } from '../../core/auth.service';
import { ThemeService } from '../../core/theme.service';
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
  imports: [RouterLink, MetricChartComponent, AlertsPanelComponent, RefusalComponent, LiveStatusComponent, MonitoringToolbarComponent],
  providers: [MonitoringStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './monitoring.page.html',
})
export class MonitoringPage {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthService);
  protected readonly store = inject(MonitoringStore);
  protected readonly chartTheme = inject(ThemeService).chartTheme;

  /** Route parameter `:id` (component input binding). */
  readonly id = input.required<string>();

  protected readonly metrics = METRIC_NAMES;
  private readonly query = toSignal(this.route.queryParamMap, { initialValue: this.route.snapshot.queryParamMap });
  protected readonly view = computed<ViewState>(() => parseViewState(paramsToRecord(this.query())));
  protected readonly group = computed(() => `seqpulse-${this.id()}`);
  protected readonly copied = signal(false);
  protected readonly deploymentsText = computed(() => {
    const n = this.store.deploymentsInView().length;
    return n === 0 ? 'No deployment in this range' : n === 1 ? '1 deployment in this range' : `${n} deployments in this range`;
  });

  constructor() {
    // fetch the chart library while the project and the series load (it is needed right after)
    void import('../../charts/echarts');
    void this.store.projects.load();
    effect(() => {
      this.store.projectId.set(this.id());
      this.store.view.set(this.view());
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

  protected onChartReady(): void {
    void import('../../charts/echarts').then((m) => m.echarts.connect(this.group()));
  }
}
