import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { AdminProjectView, AuditQuery, AuditRecordView } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { formatDateTime } from '../../core/format';
import { fromLocalInput } from '../monitoring/view-state';

@Component({
  selector: 'app-audit-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="section-head"><h2>Access records</h2></div>
    <form class="toolbar card" aria-label="Filter access records" (submit)="search($event, fp.value, ff.value, ft.value, fl.value)">
      <div class="field">
        <label for="a-project">Project</label>
        <select #fp id="a-project">
          <option value="">All projects</option>
          @for (p of projects(); track p.id) {
            <option [value]="p.id">{{ p.name }}</option>
          }
        </select>
      </div>
      <div class="field">
        <label for="a-from">From</label>
        <input #ff id="a-from" type="datetime-local" />
      </div>
      <div class="field">
        <label for="a-to">To</label>
        <input #ft id="a-to" type="datetime-local" />
      </div>
      <div class="field">
        <label for="a-limit">Limit</label>
        <select #fl id="a-limit">
          @for (l of limits; track l) {
            <option [value]="l" [selected]="l === 100">{{ l }}</option>
          }
        </select>
      </div>
      <button type="submit" class="btn btn-primary">Search</button>
    </form>
    @if (loading()) {
      <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading access records…</p>
    } @else if (error(); as err) {
      <p class="alert-box error" role="alert">{{ err }}</p>
    } @else if (records(); as list) {
      @if (list.length === 0) {
        <p class="state empty">No access record matches these filters.</p>
      } @else {
        <p class="muted small" role="status">{{ list.length }} records, newest first.</p>
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">
              Access records, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Project</th>
                <th scope="col">Route</th>
                <th scope="col">Parameters</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              @for (r of list; track r.id) {
                <tr>
                  <td class="small nowrap">{{ date(r.at) }}</td>
                  <td class="small">{{ who(r) }}</td>
                  <td class="small">{{ projectName(r.project_id) }}</td>
                  <td class="mono small">{{ r.route }}</td>
                  <td class="mono small params">{{ params(r) }}</td>
                  <td>
                    <span class="badge tone-{{ r.status < 400 ? 'ok' : 'bad' }}">{{ r.status }}</span>
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    }
  `,
})
export class AuditPage implements OnInit {
  private readonly api = inject(ApiService);
  protected readonly limits = [50, 100, 500, 1000];
  protected readonly projects = signal<AdminProjectView[]>([]);
  protected readonly records = signal<AuditRecordView[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly date = formatDateTime;

  ngOnInit(): void {
    this.api
      .listAllProjects()
      .then((list) => this.projects.set([...list].sort((a, b) => a.name.localeCompare(b.name))))
      .catch(() => this.projects.set([]));
    void this.load({ limit: 100 });
  }

  protected search(event: Event, project: string, from: string, to: string, limit: string): void {
    event.preventDefault();
    const query: AuditQuery = { limit: Number(limit) || 100 };
    if (project) query.project_id = project;
    const f = fromLocalInput(from);
    const t = fromLocalInput(to);
    if (f) query.from = f;
    if (t) query.to = t;
    if (f && t && Date.parse(f) >= Date.parse(t)) {
      this.error.set('"From" must be before "To".');
      this.records.set(null);
      return;
    }
    void this.load(query);
  }

  private async load(query: AuditQuery): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.records.set(await this.api.audit(query));
    } catch (err) {
      this.error.set(isApiError(err) ? err.message : 'Access records could not be loaded.');
    } finally {
      this.loading.set(false);
    }
  }

  protected who(r: AuditRecordView): string {
    if (r.user_id) return `user ${r.user_id}`;
    if (r.api_key_id) return `key ${r.api_key_id}`;
    return 'anonymous';
  }

  protected projectName(id: string | null): string {
    if (!id) return '—';
    return this.projects().find((p) => p.id === id)?.name ?? id;
  }

  protected params(r: AuditRecordView): string {
    const entries = Object.entries(r.params ?? {}).filter(([k]) => k !== 'project_id');
    return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(' ') : '—';
  }
}
