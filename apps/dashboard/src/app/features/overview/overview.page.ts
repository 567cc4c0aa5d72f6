import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { METRIC_NAMES, METRICS, MetricName } from '@seqpulse/contracts';
import { SparklineComponent } from '../../charts/sparkline/sparkline.component';
import { formatDuration, formatMetric } from '../../core/format';
import { ThemeService } from '../../core/theme.service';
import { HEALTH_LABEL, OverviewRow, OverviewSort } from './overview-rows';
import { OverviewStore } from './overview.store';

const NOT_MONITORED: Record<string, string> = {
  plan_not_enterprise: 'Needs the Enterprise plan',
  monitoring_not_enabled: 'Not in the Realtime rollout yet',
};

/** Every project at a glance, worst first: the landing page. */
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

  protected value(row: OverviewRow, metric: MetricName): string {
    return formatMetric(metric, row.values?.[metric] ?? null);
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
