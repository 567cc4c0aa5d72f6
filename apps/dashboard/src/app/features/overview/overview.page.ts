import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { METRIC_NAMES, METRICS, MetricName } from '@seqpulse/contracts';
import { SparklineComponent } from '../../charts/sparkline/sparkline.component';
import { formatDuration, formatMetric } from '../../core/format';
import { ThemeService } from '../../core/theme.service';
import { HEALTH_LABEL, OverviewRow, OverviewSort } from './overview-rows';
import { OverviewStore } from './overview.store';
import { rowWindow } from './row-window';

/** A row's height before one is measured (the stylesheet gives every row one height: a sparkline and its value). */
const ROW_HEIGHT_PX = 52;
/** Rows drawn beyond each edge of the view: the next rows are there for Tab and a fast wheel. */
const OVERSCAN_ROWS = 8;

const NOT_MONITORED: Record<string, string> = {
  plan_not_enterprise: 'Needs the Enterprise plan',
  monitoring_not_enabled: 'Not in the Realtime rollout yet',
};

/**
 * Every project at a glance, worst first: the landing page. Only the rows in view (and a few around them) are drawn,
 * in a scrolling table whose header stays on top: with 400 rows × 5 sparklines, drawing all of them was one long
 * task of over a second, and each second's "ago" texts another of 100-250 ms. The table keeps its row count and
 * each row its index for assistive technology (aria-rowcount, aria-rowindex).
 */
@Component({
  selector: 'app-overview-page',
  imports: [RouterLink, SparklineComponent],
  providers: [OverviewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './overview.page.html',
})
export class OverviewPage {
  protected readonly store = inject(OverviewStore);
  protected readonly lineColour = inject(ThemeService).chartTheme;
  protected readonly metrics = METRIC_NAMES;
  protected readonly defs = METRICS;
  protected readonly healthLabel = HEALTH_LABEL;
  protected readonly sorts: { id: OverviewSort; label: string }[] = [
    { id: 'worst', label: 'Worst first' },
    { id: 'name', label: 'Name' },
    { id: 'age', label: 'Oldest data first' },
  ];

  private readonly scroller = viewChild.required<ElementRef<HTMLElement>>('scroller');
  private readonly rowHeight = signal(ROW_HEIGHT_PX);
  /** Index of the first row in view and the number of rows the view holds: they change a few times per screenful. */
  private readonly firstInView = signal(0);
  private readonly rowsInView = signal(Math.ceil((typeof window === 'undefined' ? 1000 : window.innerHeight) / ROW_HEIGHT_PX));
  /**
   * The first rows come in three tasks, each after the frame that shows the previous ones: the upper half of the view,
   * then the rest of it, then the rows around it (the overscan). Creating a screenful of rows (5 sparklines each) with
   * the overscan was one task of 68–89 ms on a quiet machine; the view and the overscan apart, 50–53 ms or none; with
   * one core of the machine taken by other work, the view's creation, style, layout and paint still made tasks of
   * 54–80 ms (docs/performance.md).
   */
  private readonly reveal = signal<'half' | 'view' | 'all'>('half');
  protected readonly drawn = computed(() => {
    const height = this.rowHeight();
    const reveal = this.reveal();
    const rows = reveal === 'half' ? Math.ceil(this.rowsInView() / 2) : this.rowsInView();
    return rowWindow(this.store.rows().length, this.firstInView() * height, rows * height, height, reveal === 'all' ? OVERSCAN_ROWS : 0);
  });
  protected readonly visibleRows = computed(() => {
    const { start, end } = this.drawn();
    return this.store.rows().slice(start, end);
  });

  constructor() {
    const destroyRef = inject(DestroyRef);
    effect((onCleanup) => {
      const reveal = this.reveal();
      if (reveal === 'all' || this.store.rows().length === 0) return;
      // after the frame that shows the rows drawn so far
      let timer: ReturnType<typeof setTimeout> | undefined;
      const frame = requestAnimationFrame(() => (timer = setTimeout(() => this.reveal.set(reveal === 'half' ? 'view' : 'all'))));
      onCleanup(() => {
        cancelAnimationFrame(frame);
        clearTimeout(timer);
      });
    });
    afterNextRender(() => {
      const box = this.scroller().nativeElement;
      const measure = () => {
        const row = box.querySelector('tbody tr[data-project]');
        const height = row?.getBoundingClientRect().height ?? 0;
        if (height > 0) this.rowHeight.set(height);
        this.firstInView.set(Math.floor(box.scrollTop / this.rowHeight()));
        if (box.clientHeight > 0) this.rowsInView.set(Math.ceil(box.clientHeight / this.rowHeight()));
      };
      box.addEventListener('scroll', measure, { passive: true });
      const resize = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
      resize?.observe(box);
      measure();
      destroyRef.onDestroy(() => {
        box.removeEventListener('scroll', measure);
        resize?.disconnect();
      });
    });
  }

  /** Formatted once per row (rows are new objects per answer): the clock re-checks the drawn rows every second. */
  private readonly valueTexts = new WeakMap<OverviewRow, Record<MetricName, string>>();

  protected value(row: OverviewRow, metric: MetricName): string {
    let texts = this.valueTexts.get(row);
    if (!texts) {
      texts = Object.fromEntries(this.metrics.map((m) => [m, formatMetric(m, row.values?.[m] ?? null)])) as Record<MetricName, string>;
      this.valueTexts.set(row, texts);
    }
    return texts[metric];
  }

  protected age(row: OverviewRow): string {
    return row.lastSampleAt === null ? 'never' : `${formatDuration(Math.max(0, this.store.now() - row.lastSampleAt))} ago`;
  }

  protected statusText(row: OverviewRow): string {
    if (row.health !== 'off') return this.healthLabel[row.health];
    return NOT_MONITORED[row.monitoring.reason ?? ''] ?? 'No Realtime';
  }

  protected deploymentText(row: OverviewRow): string {
    const d = row.lastDeployment;
    if (!d) return '—';
    const outcome = d.result === 'success' ? '✓ success' : d.result === 'failed' ? '✗ failed' : '… in progress';
    const when = d.finished_at ? ` ${formatDuration(Math.max(0, this.store.now() - Date.parse(d.finished_at)))} ago` : '';
    return `${outcome}${d.verdict ? ` (${d.verdict})` : ''}${when}`;
  }
}
