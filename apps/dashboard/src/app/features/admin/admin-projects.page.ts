import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AdminProjectView, Plan, PLANS } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { formatDateTime } from '../../core/format';
import { ProjectsStore } from '../../core/projects.store';
import { monitoringBadge } from '../projects/monitoring-status';

@Component({
  selector: 'app-admin-projects-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="section-head">
      <h2>Projects and plans</h2>
      <button type="button" class="btn" (click)="load()" [disabled]="loading()">Refresh</button>
    </div>
    @if (message(); as msg) {
      <p class="alert-box {{ msg.tone }}" role="status">{{ msg.text }}</p>
    }
    @if (loading() && !projects()) {
      <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading projects…</p>
    } @else if (error(); as err) {
      <p class="alert-box error" role="alert">{{ err }} <button type="button" class="btn btn-small" (click)="load()">Retry</button></p>
    } @else if (projects(); as list) {
      @if (list.length === 0) {
        <p class="state empty">No project exists yet.</p>
      } @else {
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">
              All projects with their plan
            </caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Owner</th>
                <th scope="col">Envs</th>
                <th scope="col">Realtime</th>
                <th scope="col">Plan</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              @for (p of list; track p.id) {
                <tr [attr.data-project]="p.name">
                  <th scope="row">
                    <a [routerLink]="['/app/projects', p.id]">{{ p.name }}</a>
                  </th>
                  <td class="mono small">{{ p.owner_id }}</td>
                  <td>{{ p.envs.join(', ') }}</td>
                  <td>
                    <span class="badge tone-{{ badge(p).tone }}">{{ badge(p).text }}</span>
                  </td>
                  <td>
                    <label class="sr-only" [for]="'plan-' + p.id">Plan of {{ p.name }}</label>
                    <select [id]="'plan-' + p.id" [disabled]="saving() === p.id" (change)="setPlan(p, $any($event.target).value)">
                      @for (plan of plans; track plan) {
                        <option [value]="plan" [selected]="plan === p.plan">{{ plan }}</option>
                      }
                    </select>
                  </td>
                  <td class="small">{{ date(p.created_at) }}</td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    }
  `,
})
export class AdminProjectsPage implements OnInit {
  private readonly api = inject(ApiService);
  private readonly store = inject(ProjectsStore);
  protected readonly plans = PLANS;
  protected readonly projects = signal<AdminProjectView[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal<string | null>(null);
  protected readonly message = signal<{ tone: 'ok' | 'error'; text: string } | null>(null);
  protected readonly badge = monitoringBadge;
  protected readonly date = formatDateTime;

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const list = await this.api.listAllProjects();
      this.projects.set([...list].sort((a, b) => a.name.localeCompare(b.name)));
    } catch (err) {
      this.error.set(isApiError(err) ? err.message : 'Projects could not be loaded.');
    } finally {
      this.loading.set(false);
    }
  }

  protected async setPlan(project: AdminProjectView, plan: Plan): Promise<void> {
    if (plan === project.plan) return;
    this.saving.set(project.id);
    this.message.set(null);
    try {
      await this.api.setPlan(project.id, plan);
      this.message.set({ tone: 'ok', text: `${project.name} is now on ${plan}.` });
      this.store.reset();
      await this.load();
    } catch (err) {
      this.message.set({ tone: 'error', text: isApiError(err) ? err.message : 'The plan could not be changed.' });
      await this.load();
    } finally {
      this.saving.set(null);
    }
  }
}
