import { computed, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { AlertHistoryEntry } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { ProjectsStore } from '../../core/projects.store';
import { DEFAULT_FILTERS, historyApiQuery, HistoryFilters } from './history-query';

/**
 * The alert history screen of one project: the alerts matching the filters (from the URL, set by the page), each
 * with its timeline, and the one whose timeline is open. Provided by the history page.
 */
@Injectable()
export class AlertHistoryStore {
  private readonly api = inject(ApiService);
  readonly projects = inject(ProjectsStore);

  /** Set by the page from the route. */
  readonly projectId = signal('');
  readonly filters = signal<HistoryFilters>(DEFAULT_FILTERS, { equal: (a, b) => JSON.stringify(a) === JSON.stringify(b) });

  readonly project = computed(() => this.projects.projects()?.find((p) => p.id === this.projectId()) ?? null);
  readonly alerts = signal<readonly AlertHistoryEntry[]>([]);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  readonly selected = computed(() => this.alerts().find((a) => a.id === this.filters().alert) ?? null);

  /** What the list depends on: the project and the filters, not the open alert. */
  private readonly key = computed(() => {
    const { alert, ...rest } = this.filters();
    void alert;
    return JSON.stringify([this.projectId(), rest]);
  });
  private generation = 0;

  constructor() {
    effect(() => {
      this.key();
      untracked(() => void this.load());
    });
  }

  reload(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    const gen = ++this.generation;
    const projectId = this.projectId();
    if (!projectId) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      const alerts = await this.api.alertHistory(historyApiQuery(projectId, this.filters(), Date.now()));
      if (gen !== this.generation) return;
      this.alerts.set(alerts);
    } catch (err) {
      if (gen !== this.generation) return;
      this.alerts.set([]);
      this.error.set(isApiError(err) ? err.message : 'The alert history could not be loaded.');
    } finally {
      if (gen === this.generation) this.loading.set(false);
    }
  }
}
