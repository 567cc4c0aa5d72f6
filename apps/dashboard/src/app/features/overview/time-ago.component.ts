import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import { formatDuration } from '../../core/format';
import { OverviewStore } from './overview.store';

/**
 * "12 s ago" against the overview's clock. Its own small view: the clock ticks every second, and only these texts
 * are checked then, not the hundreds of rows around them (values, sparklines, links).
 */
@Component({
  selector: 'app-time-ago',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `{{ text() }}`,
})
export class TimeAgoComponent {
  private readonly store = inject(OverviewStore);
  /** Epoch ms. */
  readonly at = input.required<number>();
  protected readonly text = computed(() => `${formatDuration(Math.max(0, this.store.now() - this.at()))} ago`);
}
