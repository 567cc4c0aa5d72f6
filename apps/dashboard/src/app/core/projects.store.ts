import { inject, Injectable, signal } from '@angular/core';
import { ProjectView } from '@seqpulse/contracts';
import { ApiError } from './api-error';
import { ApiService } from './api.service';
import { AuthService } from './auth.service';

/** The projects the signed-in user may open (all projects for an admin), cached per session. */
@Injectable({ providedIn: 'root' })
export class ProjectsStore {
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);
  readonly projects = signal<ProjectView[] | null>(null);
  readonly error = signal<ApiError | null>(null);
  readonly loading = signal(false);
  private pending: Promise<ProjectView[] | null> | null = null;
  private loadedFor: string | null = null;

  /** Loads once per user; `force` reloads (after a plan or rollout change). */
  load(force = false): Promise<ProjectView[] | null> {
    const me = this.auth.user();
    const key = me ? `${me.id}:${me.role}` : null;
    if (!force && this.projects() && this.loadedFor === key) return Promise.resolve(this.projects());
    if (!force && this.pending) return this.pending;
    this.loading.set(true);
    this.error.set(null);
    const run = this.api
      .listProjects(this.auth.isAdmin())
      .then((list) => {
        const sorted = [...list].sort((a, b) => a.name.localeCompare(b.name));
        this.projects.set(sorted);
        this.loadedFor = key;
        return sorted;
      })
      .catch((err: ApiError) => {
        this.error.set(err);
        return null;
      })
      .finally(() => {
        this.loading.set(false);
        if (this.pending === run) this.pending = null;
      });
    this.pending = run;
    return run;
  }

  reset(): void {
    this.projects.set(null);
    this.loadedFor = null;
  }
}
