import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { AlertHistoryEntry, AlertRuleName, AlertTimelineEntry } from '@seqpulse/contracts';
import { formatAlertValue, formatDateTime, formatDuration, formatThreshold, ruleLabel } from '../../core/format';

/** One timeline entry in words. */
export function timelineText(e: AlertTimelineEntry, rule: AlertRuleName): string {
  const value = e.value === undefined ? '' : ` · value ${formatAlertValue(rule, e.value)}`;
  switch (e.kind) {
    case 'opened':
      return `Opened at ${e.level ?? 'critical'}${value}`;
    case 'escalated':
      return `Escalated to ${e.level ?? 'critical'}${value}`;
    case 'deescalated':
      return `Back to ${e.level ?? 'warning'}${value}`;
    case 'silenced':
      return 'Silenced: nothing is sent while it lasts';
    case 'unsilenced':
      return 'No longer silenced';
    case 'renotified':
      return `Notified again, still firing${value}`;
    case 'resolved':
      return `Resolved${value}`;
    case 'notification':
      return `Notification "${e.transition ?? 'firing'}" via ${e.channel ?? 'webhook'}: ${e.status ?? 'pending'}`;
  }
}

/** The open alert of the history screen: its facts and its timeline, oldest first. */
@Component({
  selector: 'app-alert-timeline',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card alert-timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">
        {{ title() }} <span class="badge {{ alert().level === 'warning' ? 'tone-warn' : 'tone-bad' }}">{{ alert().level }}</span>
        @if (alert().silenced) {
          <span class="badge">silenced</span>
        }
      </h2>
      <p class="muted small">
        {{ alert().env }} · {{ alert().state }} · threshold {{ threshold() }} · {{ period() }}
        @if (alert().resolution_reason) {
          · {{ alert().resolution_reason }}
        }
      </p>
      @if (alert().timeline.length === 0) {
        <p class="muted small">No timeline recorded for this alert.</p>
      } @else {
        <ol class="timeline" aria-label="Timeline">
          @for (e of alert().timeline; track $index) {
            <li class="timeline-entry kind-{{ e.kind }}" [attr.data-kind]="e.kind">
              <time [attr.datetime]="e.at">{{ when(e.at) }}</time>
              {{ text(e) }}
            </li>
          }
        </ol>
      }
      <div class="actions">
        <button type="button" class="btn btn-small" (click)="showOnCharts.emit(alert())">Show on the charts</button>
        <button type="button" class="btn btn-small" (click)="closed.emit()">Close</button>
      </div>
    </section>
  `,
})
export class AlertTimelineComponent {
  readonly alert = input.required<AlertHistoryEntry>();
  readonly now = input(Date.now());
  readonly showOnCharts = output<AlertHistoryEntry>();
  readonly closed = output<void>();

  protected readonly title = computed(() => ruleLabel(this.alert().rule));
  protected readonly threshold = computed(() => formatThreshold(this.alert().rule, this.alert().threshold));
  protected readonly period = computed(() => {
    const a = this.alert();
    const end = a.resolved_at ? Date.parse(a.resolved_at) : this.now();
    const lasted = formatDuration(end - Date.parse(a.started_at));
    return a.resolved_at
      ? `${formatDateTime(a.started_at)} → ${formatDateTime(a.resolved_at)} (${lasted})`
      : `since ${formatDateTime(a.started_at)} (${lasted})`;
  });

  protected text(e: AlertTimelineEntry): string {
    return timelineText(e, this.alert().rule);
  }
  protected when(iso: string): string {
    return formatDateTime(iso);
  }
}
