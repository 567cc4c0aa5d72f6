import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { METRICS, MetricName } from '@seqpulse/contracts';
import type { ECharts, EChartsCoreOption } from 'echarts/core';
import { NgxEchartsDirective } from 'ngx-echarts';
import { CHART_RENDERER } from '../../charts/chart-renderer';

/** One metric chart card. The page owns the data; live points go through `chartReady`. */
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
        @if (option(); as opt) {
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
    </section>
  `,
})
export class MetricChartComponent {
  readonly metric = input.required<MetricName>();
  readonly option = input<EChartsCoreOption | null>(null);
  /** echarts connect group: one crosshair and tooltip across the five charts. */
  readonly group = input('');
  readonly empty = input(false);
  /** Latest value, formatted with its unit. */
  readonly latest = input('—');
  readonly chartReady = output<{ metric: MetricName; chart: ECharts }>();

  protected readonly def = computed(() => METRICS[this.metric()]);
  protected readonly initOpts = { renderer: inject(CHART_RENDERER) };
  protected readonly summary = computed(() => `${this.def().label} chart in ${this.def().displayUnit}; latest value ${this.latest()}`);

  protected onInit(chart: ECharts): void {
    if (this.group()) chart.group = this.group();
    this.chartReady.emit({ metric: this.metric(), chart });
  }
}
