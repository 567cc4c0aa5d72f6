import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { METRIC_NAMES, MetricName } from '@seqpulse/contracts';
import { ChartTheme } from '../../charts/chart-theme';
import { SparklineComponent } from '../../charts/sparkline/sparkline.component';
import { formatMetric } from '../../core/format';
import { HEALTH_LABEL, OverviewRow } from './overview-rows';
import { TimeAgoComponent } from './time-ago.component';

const NOT_MONITORED: Record<string, string> = {
  plan_not_enterprise: 'Needs the Enterprise plan',
  monitoring_not_enabled: 'Not in the Realtime rollout yet',
};

/**
 * One line of the overview. A component of its own (OnPush) so that a page with hundreds of lines only checks the
 * lines whose data changed: the row objects stay the same between two answers of the API.
 */
@Component({
  // an attribute selector: a table row must stay a <tr>
  selector: 'tr[app-overview-row]',
  imports: [RouterLink, SparklineComponent, TimeAgoComponent],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { '[class]': "'health-' + row().health", '[attr.data-project]': 'row().name' },
  template: `
    @let r = row();
    <th scope="row">
      @if (r.env) {
        <a [routerLink]="['/app/projects', r.projectId]" [queryParams]="{ env: r.env }"
          >{{ r.name }} <span class="muted">· {{ r.env }}</span></a
        >
      } @else {
        <a [routerLink]="['/app/projects', r.projectId]">{{ r.name }}</a>
        <span class="badge plan-{{ r.plan }}">{{ r.plan }}</span>
      }
    </th>
    <td>
      <span class="pill health tone-{{ r.health }}">{{ status() }}</span>
    </td>
    @for (m of metrics; track m) {
      <td class="metric-cell">
        @if (r.spark) {
          <app-sparkline [values]="r.spark[m]" [colour]="theme().line[m]" />
          <span class="value">{{ values()[m] }}</span>
        } @else {
          <span class="muted">—</span>
        }
      </td>
    }
    <td>
      @if (r.firing.critical) {
        <span class="badge tone-bad">{{ r.firing.critical }} critical</span>
      }
      @if (r.firing.warning) {
        <span class="badge tone-warn">{{ r.firing.warning }} warning</span>
      }
      @if (!r.firing.critical && !r.firing.warning) {
        <span class="muted">none</span>
      }
    </td>
    <td>
      @if (r.lastDeployment; as d) {
        {{ deploymentOutcome() }}
        @if (deploymentFinishedAt(); as at) {
          <app-time-ago [at]="at" />
        }
      } @else {
        —
      }
    </td>
    <td>
      @if (!r.env) {
        —
      } @else if (r.lastSampleAt === null) {
        never
      } @else {
        <app-time-ago [at]="r.lastSampleAt" />
      }
    </td>
  `,
})
export class OverviewRowComponent {
  readonly row = input.required<OverviewRow>();
  readonly theme = input.required<ChartTheme>();
  protected readonly metrics = METRIC_NAMES;

  protected readonly status = computed(() => {
    const row = this.row();
    if (row.health !== 'off') return HEALTH_LABEL[row.health];
    return NOT_MONITORED[row.monitoring.reason ?? ''] ?? 'No Realtime';
  });
  protected readonly values = computed(() => {
    const values = this.row().values;
    return Object.fromEntries(METRIC_NAMES.map((m) => [m, formatMetric(m, values?.[m] ?? null)])) as Record<MetricName, string>;
  });
  protected readonly deploymentOutcome = computed(() => {
    const d = this.row().lastDeployment;
    if (!d) return '';
    const outcome = d.result === 'success' ? '✓ success' : d.result === 'failed' ? '✗ failed' : '… in progress';
    return `${outcome}${d.verdict ? ` (${d.verdict})` : ''}`;
  });
  protected readonly deploymentFinishedAt = computed(() => {
    const finished = this.row().lastDeployment?.finished_at;
    return finished ? Date.parse(finished) : null;
  });
}
