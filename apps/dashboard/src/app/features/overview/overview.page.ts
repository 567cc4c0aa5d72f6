import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { METRIC_NAMES, METRICS } from '@seqpulse/contracts';
import { progressiveCount } from '../../core/progressive-count';
import { ThemeService } from '../../core/theme.service';
import { OverviewRowComponent } from './overview-row.component';
import { OverviewSort } from './overview-rows';
import { OverviewStore } from './overview.store';

/** Rows drawn per animation frame while a long overview is first drawn (each row: five sparklines). */
const ROWS_PER_FRAME = 10;

/** Every project at a glance, worst first: the landing page. */
@Component({
  selector: 'app-overview-page',
  imports: [OverviewRowComponent],
  providers: [OverviewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './overview.page.html',
})
export class OverviewPage {
  protected readonly store = inject(OverviewStore);
  protected readonly lineColour = inject(ThemeService).chartTheme;
  protected readonly metrics = METRIC_NAMES;
  protected readonly defs = METRICS;
  protected readonly sorts: { id: OverviewSort; label: string }[] = [
    { id: 'worst', label: 'Worst first' },
    { id: 'name', label: 'Name' },
    { id: 'age', label: 'Oldest data first' },
  ];
  /** The rows drawn so far: a few hundred are drawn a few per frame (no long task), the first screen first. */
  private readonly shownCount = progressiveCount(
    computed(() => this.store.rows().length),
    ROWS_PER_FRAME,
  );
  protected readonly shownRows = computed(() => this.store.rows().slice(0, this.shownCount()));
}
