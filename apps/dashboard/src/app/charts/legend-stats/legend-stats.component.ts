import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { MetricName } from '@seqpulse/contracts';
import { formatDisplay } from '../../core/format';
import { SeriesStats } from '../series-stats';

/** The statistics of a chart's visible range, under the chart: last, min, mean, max, p95 and the empty buckets. */
@Component({
  selector: 'app-legend-stats',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dl class="legend-stats" [attr.aria-label]="'Statistics of the visible range'">
      @for (item of items(); track item.label) {
        <div>
          <dt>{{ item.label }}</dt>
          <dd>{{ item.value }}</dd>
        </div>
      }
      <div>
        <dt>empty</dt>
        <dd>{{ stats().empty }} of {{ stats().empty + stats().count }}</dd>
      </div>
    </dl>
  `,
})
export class LegendStatsComponent {
  readonly metric = input.required<MetricName>();
  readonly stats = input.required<SeriesStats>();

  protected readonly items = computed(() => {
    const s = this.stats();
    const f = (v: number | null) => formatDisplay(this.metric(), v);
    return [
      { label: 'last', value: f(s.last) },
      { label: 'min', value: f(s.min) },
      { label: 'mean', value: f(s.mean) },
      { label: 'max', value: f(s.max) },
      { label: 'p95', value: f(s.p95) },
    ];
  });
}
