import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { AlertView } from '@seqpulse/contracts';
import { formatAlertValue, formatDateTime, formatDuration, formatThreshold, ruleLabel } from '../../core/format';

/**
 * Firing alerts on top (level, value, threshold, duration), then the recent resolved ones. Clicking an alert
 * emits it (the page shows its time range); projected content goes under the title (a link to the history).
 */
@Component({
  selector: 'app-alerts-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card alerts-panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">
        Alerts
        @if (env()) {
          <span class="muted">· {{ env() }}</span>
        }
        @if (firing().length) {
          <span class="badge tone-bad">{{ firing().length }} firing</span>
        }
      </h2>
      <ng-content />
      @if (loading()) {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading alerts…</p>
      } @else if (error()) {
        <p class="alert-box error" role="alert">{{ error() }}</p>
      } @else {
        <div aria-live="polite">
          @if (firing().length === 0) {
            <p class="ok-line"><span aria-hidden="true">✓</span> No alert firing.</p>
          } @else {
            <ul class="alert-list" aria-label="Firing alerts">
              @for (a of firing(); track a.id) {
                <li class="alert-item firing" [attr.data-rule]="a.rule" [attr.data-level]="level(a)">
                  <button type="button" class="alert-title link-button" (click)="alertSelect.emit(a)" [attr.aria-label]="showLabel(a)">
                    <span class="dot bad" aria-hidden="true"></span>{{ label(a) }}
                    <span class="badge level-badge {{ tone(a) }}">{{ level(a) }}</span>
                    @if (a.silenced) {
                      <span class="badge muted">silenced</span>
                    }
                  </button>
                  <dl class="alert-facts">
                    <div>
                      <dt>Value</dt>
                      <dd>{{ value(a) }}</dd>
                    </div>
                    <div>
                      <dt>Threshold</dt>
                      <dd>{{ threshold(a) }}</dd>
                    </div>
                    <div>
                      <dt>Firing for</dt>
                      <dd>{{ duration(a) }}</dd>
                    </div>
                  </dl>
                  <div class="muted small">since {{ when(a.started_at) }}</div>
                </li>
              }
            </ul>
          }
        </div>
        <h3 class="subhead">Recently resolved</h3>
        @if (resolvedSorted().length === 0) {
          <p class="muted small">None in the last 24 hours.</p>
        } @else {
          <ul class="alert-list" aria-label="Resolved alerts">
            @for (a of resolvedSorted(); track a.id) {
              <li class="alert-item resolved" [attr.data-rule]="a.rule" [attr.data-level]="level(a)">
                <button type="button" class="alert-title link-button" (click)="alertSelect.emit(a)" [attr.aria-label]="showLabel(a)">
                  <span class="dot ok" aria-hidden="true"></span>{{ label(a) }}
                  <span class="badge level-badge {{ tone(a) }}">{{ level(a) }}</span>
                </button>
                <div class="muted small">
                  peak {{ value(a) }} · threshold {{ threshold(a) }} · lasted {{ duration(a) }} · resolved
                  {{ when(a.resolved_at) }}
                </div>
              </li>
            }
          </ul>
        }
      }
    </section>
  `,
})
export class AlertsPanelComponent {
  readonly alerts = input<AlertView[]>([]);
  readonly now = input(Date.now());
  readonly env = input<string | null>(null);
  readonly loading = input(false);
  readonly error = input<string | null>(null);
  readonly maxResolved = input(10);
  /** The user clicked an alert. */
  readonly alertSelect = output<AlertView>();

  readonly firing = computed(() =>
    this.alerts()
      .filter((a) => a.state === 'firing')
      .sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at)),
  );
  readonly resolvedSorted = computed(() =>
    this.alerts()
      .filter((a) => a.state === 'resolved')
      .sort((a, b) => Date.parse(b.resolved_at ?? b.started_at) - Date.parse(a.resolved_at ?? a.started_at))
      .slice(0, this.maxResolved()),
  );

  protected label(a: AlertView): string {
    return ruleLabel(a.rule);
  }
  protected level(a: AlertView): string {
    return a.level ?? 'critical';
  }
  protected tone(a: AlertView): string {
    return this.level(a) === 'warning' ? 'tone-warn' : 'tone-bad';
  }
  protected showLabel(a: AlertView): string {
    return `${ruleLabel(a.rule)} (${this.level(a)}): show its time range on the charts`;
  }
  protected value(a: AlertView): string {
    return formatAlertValue(a.rule, a.value);
  }
  protected threshold(a: AlertView): string {
    return formatThreshold(a.rule, a.threshold);
  }
  protected duration(a: AlertView): string {
    const end = a.resolved_at ? Date.parse(a.resolved_at) : this.now();
    return formatDuration(end - Date.parse(a.started_at));
  }
  protected when(iso: string | null): string {
    return formatDateTime(iso);
  }
}

/** Inserts or replaces an alert instance by id (live `alert` events). */
export function upsertAlert(list: AlertView[], alert: AlertView): AlertView[] {
  const i = list.findIndex((a) => a.id === alert.id);
  if (i === -1) return [alert, ...list];
  const copy = [...list];
  copy[i] = alert;
  return copy;
}
