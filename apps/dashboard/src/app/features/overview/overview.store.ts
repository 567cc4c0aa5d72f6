import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { OverviewResponse } from '@seqpulse/contracts';
import { ApiError, isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { filterRows, OverviewSort, sortRows, toRows } from './overview-rows';

/** The overview refreshes this often (one request for the whole page), except while the tab is hidden. */
export const OVERVIEW_REFRESH_MS = 15_000;

/** State of the overview page: the last answer, the filter and the sort; refreshed live. */
@Injectable()
export class OverviewStore {
  private readonly api = inject(ApiService);

  readonly response = signal<OverviewResponse | null>(null);
  readonly error = signal<ApiError | null>(null);
  readonly loading = signal(false);
  readonly filter = signal('');
  readonly problemsOnly = signal(false);
  readonly sort = signal<OverviewSort>('worst');
  readonly refreshedAt = signal<number | null>(null);

  /** Every second: the "N s ago" texts of the rows in view read it, nothing else (the rows do not depend on it). */
  readonly now = signal(Date.now());

  /** Health is judged at the time of the answer, so the 400-row list is rebuilt per answer, not per second. */
  readonly rows = computed(() => {
    const response = this.response();
    if (!response) return [];
    return sortRows(filterRows(toRows(response, this.refreshedAt() ?? Date.now()), this.filter(), this.problemsOnly()), this.sort());
  });
  readonly total = computed(() => this.response()?.projects.length ?? 0);

  private inFlight = false;

  constructor() {
    void this.refresh();
    const timer = setInterval(() => {
      if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return;
      void this.refresh();
    }, OVERVIEW_REFRESH_MS);
    const clock = setInterval(() => this.now.set(Date.now()), 1000);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void this.refresh();
    };
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      clearInterval(clock);
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility);
    });
  }

  async refresh(): Promise<void> {
    if (this.inFlight) return;
    this.inFlight = true;
    this.loading.set(true);
    try {
      const response = await this.api.overview();
      const at = Date.now();
      this.response.set(response);
      this.error.set(null);
      this.refreshedAt.set(at);
      this.now.set(at);
    } catch (err) {
      this.error.set(isApiError(err) ? err : { status: 0, code: 'unknown', message: 'The overview could not be loaded.' });
    } finally {
      this.inFlight = false;
      this.loading.set(false);
    }
  }
}
