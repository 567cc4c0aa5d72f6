import { ChangeDetectionStrategy, Component, inject, OnInit } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth.service';
import { ProjectsStore } from '../../core/projects.store';
import { monitoringBadge } from './monitoring-status';

@Component({
  selector: 'app-projects-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <div class="page-head">
        <h1>{{ auth.isAdmin() ? 'All projects' : 'Your projects' }}</h1>
        <button type="button" class="btn" (click)="store.load(true)" [disabled]="store.loading()">Refresh</button>
      </div>
      @if (store.loading() && !store.projects()) {
        <p class="state" role="status" aria-live="polite"><span class="spinner" aria-hidden="true"></span> Loading projects…</p>
      } @else if (store.error(); as err) {
        <div class="alert-box error" role="alert">
          {{ err.message }} <button type="button" class="btn btn-small" (click)="store.load(true)">Retry</button>
        </div>
      } @else if (store.projects(); as projects) {
        @if (projects.length === 0) {
          <div class="state empty card">
            <h2>No projects yet</h2>
            <p>Projects are created with the API (<code>POST /projects</code>) or the CI integration; they appear here.</p>
          </div>
        } @else {
          <ul class="project-grid" aria-label="Projects">
            @for (p of projects; track p.id) {
              <li class="card project-card">
                <h2>
                  <a [routerLink]="['/app/projects', p.id]" [attr.aria-label]="'Open monitoring of ' + p.name">{{ p.name }}</a>
                </h2>
                <p class="meta">
                  <span class="badge plan-{{ p.plan }}">{{ p.plan }}</span>
                  <span class="badge tone-{{ badge(p).tone }}">{{ badge(p).text }}</span>
                </p>
                <p class="muted small">Envs: {{ p.envs.join(', ') || '—' }}</p>
              </li>
            }
          </ul>
        }
      }
    </section>
  `,
})
export class ProjectsPage implements OnInit {
  protected readonly auth = inject(AuthService);
  protected readonly store = inject(ProjectsStore);
  protected readonly badge = monitoringBadge;

  ngOnInit(): void {
    void this.store.load(true);
  }
}
