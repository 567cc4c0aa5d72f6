import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { METRICS, MetricName } from '@seqpulse/contracts';
import { NgxEchartsDirective } from 'ngx-echarts';
import { ChartPoint } from '../chart-options';
import { CHART_RENDERER } from '../chart-renderer';
import { ChartTheme, LIGHT_CHART_THEME } from '../chart-theme';
import { windowComparisonOption } from './window-comparison-options';

/** One metric's pre and post windows over each other (minutes from each window's start). */
@Component({
  selector: 'app-window-comparison-chart',
  imports: [NgxEchartsDirective],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="window-comparison" [class.cause]="cause()" [attr.data-metric]="metric()">
      <figcaption>
        {{ label() }}
        @if (cause()) {
          <span class="verdict-badge verdict-{{ causeVerdict() }}">caused the verdict</span>
        }
      </figcaption>
      <div class="chart" echarts [options]="option()" [initOpts]="initOpts" role="img" [attr.aria-label]="summary()"></div>
    </figure>
  `,
})
export class WindowComparisonChartComponent {
  readonly metric = input.required<MetricName>();
  readonly pre = input<ChartPoint[]>([]);
  readonly post = input<ChartPoint[]>([]);
  readonly minutes = input(1);
  readonly theme = input<ChartTheme>(LIGHT_CHART_THEME);
  /** A verdict rule fired on this metric: the post line takes the verdict's colour. */
  readonly cause = input(false);
  readonly causeVerdict = input<'warning' | 'rollback_recommended' | 'inconclusive' | null>(null);

  protected readonly initOpts = { renderer: inject(CHART_RENDERER) };
  protected readonly label = computed(() => `${METRICS[this.metric()].label} (${METRICS[this.metric()].displayUnit})`);
  protected readonly option = computed(() =>
    windowComparisonOption({
      metric: this.metric(),
      pre: this.pre(),
      post: this.post(),
      minutes: this.minutes(),
      theme: this.theme(),
      postColour: this.cause() && this.causeVerdict() ? this.theme().verdict[this.causeVerdict() ?? 'warning'] : undefined,
    }),
  );
  protected readonly summary = computed(
    () => `${this.label()}: pre window (${this.pre().length} buckets) and post window (${this.post().length} buckets) overlaid`,
  );
}
