import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { DeploymentDetail, METRIC_NAMES, TimeseriesResponse } from '@seqpulse/contracts';
import { ChartTheme, LIGHT_CHART_THEME } from '../../charts/chart-theme';
import { WindowComparisonChartComponent } from '../../charts/window-comparison/window-comparison-chart.component';
import { formatDateTime } from '../../core/format';
import { causeMetrics, impactRows, reasonRows, windowComparison } from './deployment-comparison';
import { deploymentName, VERDICT_LABELS } from './deployment-regions';

/**
 * The comparison view of one deployment: its verdict and every rule that fired, the impact table (pre against
 * post per metric) and each metric's two windows overlaid on a minutes axis.
 */
@Component({
  selector: 'app-deployment-comparison',
  imports: [WindowComparisonChartComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card deployment-comparison" aria-labelledby="comparison-title">
      <header class="comparison-head">
        <h2 id="comparison-title">
          Deployment {{ name() }}
          @if (detail(); as d) {
            <span class="verdict-badge verdict-{{ state() }}">{{ verdictLabel() }}</span>
            <span class="muted small">{{ finality() }}</span>
          }
        </h2>
        <button type="button" class="btn btn-small" (click)="closed.emit()">Close</button>
      </header>
      @if (error()) {
        <p class="alert-box error" role="alert">{{ error() }}</p>
      } @else if (!detail()) {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading the deployment…</p>
      } @else if (detail(); as d) {
        <p class="muted small">
          {{ d.env }} · {{ d.idempotency_key ?? 'no idempotency key' }} · triggered {{ when(d.started_at) }} · finished
          {{ when(d.finished_at) }} · result {{ d.result ?? 'running' }}
          @if (d.impact; as impact) {
            · pre {{ when(impact.pre.from) }} → {{ when(impact.pre.to) }} · post {{ when(impact.post.from) }} →
            {{ when(impact.post.to) }}
          }
        </p>
        @if (!d.impact) {
          <p class="state">The deployment is running: its post window starts when it finishes.</p>
        } @else {
          <h3 class="subhead">Why</h3>
          @if (reasons().length === 0) {
            <p class="ok-line"><span aria-hidden="true">✓</span> No rule fired.</p>
          } @else {
            <ul class="reason-list" aria-label="Rules that fired">
              @for (r of reasons(); track $index) {
                <li class="reason verdict-{{ r.verdict }}">
                  <strong>{{ r.rule }}</strong
                  >{{ r.metric ? ' on ' + r.metric : '' }}: {{ verdictText(r.verdict) }} — value {{ r.value }}, limit {{ r.limit }}
                  <div class="muted small">{{ r.message }}</div>
                </li>
              }
            </ul>
          }
          <div class="table-wrap">
            <table class="impact-table">
              <caption class="sr-only">
                Impact per metric: pre window against post window
              </caption>
              <thead>
                <tr>
                  <th scope="col" rowspan="2">Metric</th>
                  <th scope="colgroup" colspan="3">Pre</th>
                  <th scope="colgroup" colspan="3">Post</th>
                  <th scope="col" rowspan="2">Change</th>
                  <th scope="col" rowspan="2">Relative</th>
                  <th scope="col" rowspan="2">Significant</th>
                </tr>
                <tr>
                  <th scope="col">n</th>
                  <th scope="col">mean</th>
                  <th scope="col">p95</th>
                  <th scope="col">n</th>
                  <th scope="col">mean</th>
                  <th scope="col">p95</th>
                </tr>
              </thead>
              <tbody>
                @for (row of rows(); track row.metric) {
                  <tr [class.fired]="row.fired" [attr.data-metric]="row.metric">
                    <th scope="row">{{ row.label }}</th>
                    <td>{{ row.pre.count }}</td>
                    <td>{{ row.pre.mean }}</td>
                    <td>{{ row.pre.p95 }}</td>
                    <td>{{ row.post.count }}</td>
                    <td>{{ row.post.mean }}</td>
                    <td>{{ row.post.p95 }}</td>
                    <td>{{ row.changeAbs }}</td>
                    <td>{{ row.changeRel }}</td>
                    <td>{{ row.significant }}</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          <div class="comparison-charts">
            @for (c of charts(); track c.metric) {
              <app-window-comparison-chart
                [metric]="c.metric"
                [pre]="c.pre"
                [post]="c.post"
                [minutes]="c.minutes"
                [theme]="theme()"
                [cause]="c.cause"
                [causeVerdict]="causeVerdict()"
              />
            }
          </div>
        }
      }
    </section>
  `,
})
export class DeploymentComparisonComponent {
  readonly detail = input<DeploymentDetail | null>(null);
  readonly series = input<TimeseriesResponse | null>(null);
  readonly error = input<string | null>(null);
  readonly theme = input<ChartTheme>(LIGHT_CHART_THEME);
  readonly closed = output<void>();

  protected readonly name = computed(() => {
    const d = this.detail();
    return d ? deploymentName(d) : '';
  });
  protected readonly state = computed(() => this.detail()?.verdict?.value ?? 'pending');
  protected readonly verdictLabel = computed(() => VERDICT_LABELS[this.state()]);
  protected readonly finality = computed(() => {
    const v = this.detail()?.verdict;
    if (!v) return 'no verdict yet';
    return v.final ? 'final' : `live (window open until ${formatDateTime(this.detail()?.window_ends_at)})`;
  });
  protected readonly causeVerdict = computed(() => {
    const s = this.state();
    return s === 'ok' || s === 'pending' ? null : s;
  });
  protected readonly rows = computed(() => {
    const d = this.detail();
    return d ? impactRows(d) : [];
  });
  protected readonly reasons = computed(() => reasonRows(this.detail()?.verdict ?? null));
  protected readonly charts = computed(() => {
    const d = this.detail();
    const series = this.series();
    if (!d || !series) return [];
    const causes = causeMetrics(d.verdict);
    return METRIC_NAMES.flatMap((metric) => {
      const c = windowComparison(d, series, metric);
      return c ? [{ metric, ...c, cause: causes.includes(metric) }] : [];
    });
  });

  protected when(iso: string | null): string {
    return formatDateTime(iso);
  }
  protected verdictText(v: keyof typeof VERDICT_LABELS): string {
    return VERDICT_LABELS[v];
  }
}
