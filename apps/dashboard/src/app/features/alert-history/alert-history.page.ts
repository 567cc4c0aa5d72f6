import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { ActivatedRoute, ParamMap, Router, RouterLink } from '@angular/router';
import { AlertHistoryEntry } from '@seqpulse/contracts';
import { formatAlertValue, formatDateTime, formatDuration, ruleLabel } from '../../core/format';
import { alertRange } from './alert-range';
import { AlertHistoryStore } from './alert-history.store';
import { AlertTimelineComponent } from './alert-timeline.component';
import { historyQueryParams, HistoryFilters, parseHistoryFilters } from './history-query';
import { HistoryFiltersComponent } from './history-filters.component';

function paramsToRecord(map: ParamMap): Record<string, string | null> {
  return Object.fromEntries(map.keys.map((k) => [k, map.get(k)]));
}

/** The alert history of one project: filters in the URL, the matching alerts, the open alert's timeline. */
@Component({
  selector: 'app-alert-history-page',
  imports: [RouterLink, HistoryFiltersComponent, AlertTimelineComponent],
  providers: [AlertHistoryStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page alert-history">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a routerLink="/app/projects">Projects</a> <span aria-hidden="true">›</span>
        <a [routerLink]="['/app/projects', id()]">{{ store.project()?.name ?? 'Project' }}</a> <span aria-hidden="true">›</span>
      </nav>
      <div class="page-head"><h1>Alert history</h1></div>
      <app-history-filters [filters]="filters()" [envs]="store.project()?.envs ?? []" (filtersChange)="update($event)" />
      @if (store.error(); as err) {
        <div class="alert-box error" role="alert">
          {{ err }} <button type="button" class="btn btn-small" (click)="store.reload()">Retry</button>
        </div>
      }
      <div class="history-layout">
        <section class="card" aria-labelledby="history-list-title" [attr.aria-busy]="store.loading()">
          <h2 id="history-list-title">
            Alerts <span class="muted small">{{ countText() }}</span>
          </h2>
          @if (store.loading() && store.alerts().length === 0) {
            <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading alerts…</p>
          } @else if (store.alerts().length === 0 && !store.error()) {
            <p class="muted">No alert matches these filters.</p>
          } @else {
            <ul class="alert-list" aria-label="Alerts">
              @for (a of store.alerts(); track a.id) {
                <li>
                  <button
                    type="button"
                    class="deployment-item history-item level-{{ a.level }}"
                    [class.selected]="a.id === filters().alert"
                    [attr.aria-pressed]="a.id === filters().alert"
                    [attr.data-rule]="a.rule"
                    [attr.data-state]="a.state"
                    (click)="select(a)"
                  >
                    <span class="deployment-line">
                      <span class="deployment-name">{{ label(a) }} · {{ a.env }}</span>
                      <span class="badge {{ a.level === 'warning' ? 'tone-warn' : 'tone-bad' }}">{{ a.level }}</span>
                    </span>
                    <span class="muted small">{{ summary(a) }}</span>
                  </button>
                </li>
              }
            </ul>
          }
        </section>
        @if (store.selected(); as alert) {
          <app-alert-timeline [alert]="alert" [now]="now()" (showOnCharts)="showOnCharts($event)" (closed)="update({ alert: null })" />
        } @else if (filters().alert && !store.loading()) {
          <p class="muted">The selected alert is not in this list (change the filters).</p>
        }
      </div>
    </section>
  `,
})
export class AlertHistoryPage {
  private readonly route = inject(ActivatedRoute);
  private readonly router = inject(Router);
  protected readonly store = inject(AlertHistoryStore);

  /** Route parameter `:id` (component input binding). */
  readonly id = input.required<string>();

  private readonly query = toSignal(this.route.queryParamMap, { initialValue: this.route.snapshot.queryParamMap });
  protected readonly filters = computed(() => parseHistoryFilters(paramsToRecord(this.query())));
  protected readonly now = signal(Date.now());
  protected readonly countText = computed(() => {
    const n = this.store.alerts().length;
    return n === 1 ? '1 alert' : `${n} alerts`;
  });

  constructor() {
    void this.store.projects.load();
    effect(() => {
      this.store.projectId.set(this.id());
      this.store.filters.set(this.filters());
    });
  }

  protected update(patch: Partial<HistoryFilters>): void {
    void this.router.navigate([], { relativeTo: this.route, queryParams: historyQueryParams({ ...this.filters(), ...patch }) });
  }

  protected select(alert: AlertHistoryEntry): void {
    this.now.set(Date.now());
    this.update({ alert: alert.id === this.filters().alert ? null : alert.id });
  }

  /** The monitoring page of the alert's env at the range around it. */
  protected showOnCharts(alert: AlertHistoryEntry): void {
    void this.router.navigate(['/app/projects', this.id()], { queryParams: { env: alert.env, ...alertRange(alert, Date.now()) } });
  }

  protected label(a: AlertHistoryEntry): string {
    return ruleLabel(a.rule);
  }

  protected summary(a: AlertHistoryEntry): string {
    const end = a.resolved_at ? Date.parse(a.resolved_at) : this.now();
    const lasted = formatDuration(end - Date.parse(a.started_at));
    const state = a.state === 'firing' ? `firing for ${lasted}` : `resolved after ${lasted}`;
    return `${formatDateTime(a.started_at)} · ${state} · value ${formatAlertValue(a.rule, a.value)}${a.silenced ? ' · silenced' : ''}`;
  }
}
