import { ChangeDetectionStrategy, Component, DestroyRef, inject, OnInit, signal } from '@angular/core';
import { AdminProjectView, SchedulerFailure, SchedulerHealthView } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { formatDateTime, formatNumber } from '../../core/format';

const REFRESH_MS = 15_000;

@Component({
  selector: 'app-scheduler-health-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="section-head">
      <h2>Scheduler health</h2>
      <button type="button" class="btn" (click)="load()" [disabled]="loading()">Refresh</button>
    </div>
    @if (!health() && loading()) {
      <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading scheduler health…</p>
    } @else if (error(); as err) {
      <p class="alert-box error" role="alert">{{ err }}</p>
    }
    @if (health(); as h) {
      <p role="status">
        <span class="pill tone-{{ h.status === 'ok' ? 'ok' : 'bad' }}" data-testid="scheduler-status">
          <span class="dot {{ h.status === 'ok' ? 'ok' : 'bad' }}" aria-hidden="true"></span
          >{{ h.status === 'ok' ? 'Healthy' : 'Degraded' }}
        </span>
        <span class="muted small">as of {{ date(h.timestamp) }} · refreshes every 15 s</span>
      </p>
      <dl class="stats">
        <div class="card stat">
          <dt>Pending jobs</dt>
          <dd>{{ h.jobs.pending }}</dd>
        </div>
        <div class="card stat">
          <dt>Running jobs</dt>
          <dd>{{ h.jobs.running }}</dd>
        </div>
        <div class="card stat" [class.bad]="h.jobs.failed > 0">
          <dt>Failed jobs</dt>
          <dd>{{ h.jobs.failed }}</dd>
        </div>
        <div class="card stat" [class.bad]="h.stuck_running > 0">
          <dt>Stuck running</dt>
          <dd>{{ h.stuck_running }}</dd>
        </div>
        <div class="card stat">
          <dt>Avg collection (15 min)</dt>
          <dd>{{ ms(h.avg_collection_ms) }}</dd>
        </div>
        <div class="card stat">
          <dt>Avg analysis (15 min)</dt>
          <dd>{{ ms(h.avg_analysis_ms) }}</dd>
        </div>
        <div class="card stat">
          <dt>Heartbeat age</dt>
          <dd>{{ h.heartbeat_age_s === null ? '—' : h.heartbeat_age_s + ' s' }}</dd>
        </div>
        @if (h.polls_last_15m; as polls) {
          <div class="card stat" [class.bad]="polls.failed > 0">
            <dt>Polls (15 min) ok / failed</dt>
            <dd>{{ polls.succeeded }} / {{ polls.failed }}</dd>
          </div>
        }
        @if (h.schedule_lag_p99_ms !== undefined) {
          <div class="card stat">
            <dt>Schedule lag p99 (5 min)</dt>
            <dd>{{ ms(h.schedule_lag_p99_ms) }}</dd>
          </div>
        }
        @if (h.requeued_last_15m !== undefined) {
          <div class="card stat" [class.bad]="h.requeued_last_15m > 0">
            <dt>Re-queued jobs (15 min)</dt>
            <dd>{{ h.requeued_last_15m }}</dd>
          </div>
        }
      </dl>
      @if (h.workers) {
        <p class="small">
          <strong>Workers:</strong>
          @for (w of h.workers; track w.id) {
            <span class="badge">{{ w.id }} · {{ w.role }} · {{ w.heartbeat_age_s }} s</span>{{ ' ' }}
          } @empty {
            <span class="badge tone-bad">no live worker</span>
          }
        </p>
      }
      @if (reasons(h).length) {
        <p class="small">
          <strong>Failures by reason (15 min):</strong>
          @for (r of reasons(h); track r[0]) {
            <span class="badge tone-bad">{{ r[0] }}: {{ r[1] }}</span
            >{{ ' ' }}
          }
        </p>
      }
      <h3>Recent failures</h3>
      @if (!h.recent_failures?.length) {
        <p class="state empty">No recent collection failure.</p>
      } @else {
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">
              Recent collection failures
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Project</th>
                <th scope="col">Env</th>
                <th scope="col">Reason</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              @for (f of h.recent_failures; track $index) {
                <tr>
                  <td class="small nowrap">{{ date(f.at) }}</td>
                  <td class="small">{{ projectName(f.project_id) }}</td>
                  <td class="small">{{ f.env }}</td>
                  <td>
                    <span class="badge tone-bad">{{ f.reason }}</span>
                  </td>
                  <td class="small mono">{{ detail(f.detail) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    }
  `,
})
export class SchedulerHealthPage implements OnInit {
  private readonly api = inject(ApiService);
  protected readonly health = signal<SchedulerHealthView | null>(null);
  protected readonly projects = signal<AdminProjectView[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly date = formatDateTime;

  constructor() {
    const timer = setInterval(() => void this.load(), REFRESH_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  ngOnInit(): void {
    this.api
      .listAllProjects()
      .then((list) => this.projects.set(list))
      .catch(() => this.projects.set([]));
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    try {
      this.health.set(await this.api.schedulerHealth());
      this.error.set(null);
    } catch (err) {
      this.error.set(isApiError(err) ? err.message : 'Scheduler health could not be loaded.');
    } finally {
      this.loading.set(false);
    }
  }

  protected ms(value: number | null): string {
    return value === null || value === undefined ? '—' : `${formatNumber(value)} ms`;
  }

  protected reasons(h: SchedulerHealthView): [string, number][] {
    return Object.entries(h.failures_by_reason ?? {});
  }

  protected detail(d: SchedulerFailure['detail']): string {
    if (d === null || d === undefined) return '—';
    if (typeof d === 'string') return d;
    const parts = Object.entries(d).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    return parts.length ? parts.join(' ') : '—';
  }

  protected projectName(id: string): string {
    return this.projects().find((p) => p.id === id)?.name ?? id;
  }
}
