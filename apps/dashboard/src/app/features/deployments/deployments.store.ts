import { DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { DeploymentDetail, DeploymentEvent, DeploymentSummary, SampleEvent, TimeseriesResponse } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { nextTaskRunner } from '../../core/next-task';
import { isoSeconds } from '../../core/format';
import { LoadedRange, MonitoringStore } from '../monitoring/monitoring.store';
import { comparisonRange } from './deployment-comparison';
import { applyDeploymentEvent, observationWindowMs, summaryFromDetail, upsertDeployment } from './deployment-regions';

/** An open comparison follows its post samples: it is read again at most this often while its window is open. */
const OPEN_WINDOW_REFRESH_MS = 15_000;

function message(err: unknown, fallback: string): string {
  return isApiError(err) ? err.message : fallback;
}

/**
 * The deployments of the monitoring view: the list of its range with their verdicts (kept live by the stream's
 * `deployment` events), the observation window's length the chart regions need, and the deployment whose
 * comparison is open (its impact and the samples of its pre and post windows). Provided by the monitoring page
 * beside the MonitoringStore, whose project, env, window and stream it follows.
 */
@Injectable()
export class DeploymentsStore {
  private readonly api = inject(ApiService);
  private readonly monitoring = inject(MonitoringStore);

  readonly list = signal<readonly DeploymentSummary[]>([]);
  readonly loading = signal(false);
  readonly error = signal<string | null>(null);
  /** The project's observation window (ms), learnt from its newest finished deployment; null until known. */
  readonly windowMs = signal<number | null>(null);
  /** When the list last changed: a running deployment's region reaches this instant. */
  readonly listChangedAt = signal(Date.now());

  /** Set by the page from the URL. */
  readonly selectedId = signal<string | null>(null);
  readonly selected = signal<DeploymentDetail | null>(null);
  readonly selectedSeries = signal<TimeseriesResponse | null>(null);
  readonly selectedLoading = signal(false);
  readonly selectedError = signal<string | null>(null);

  /** What the list depends on: the view's loaded range (each reload of the series, once its series are drawn). */
  private readonly listKey = this.monitoring.loadedRange;
  private listGeneration = 0;
  private selectedGeneration = 0;
  private lastSelectedRead = 0;

  constructor() {
    // the list of a new range is read in a task of its own, after the change detection that saw the range change
    const loadListSoon = nextTaskRunner(inject(DestroyRef));
    effect(() => {
      const key = this.listKey();
      untracked(() => loadListSoon(() => void this.loadList(key)));
    });
    effect(() => {
      const id = this.selectedId();
      untracked(() => void this.loadSelected(id, true));
    });
    const subscription = this.monitoring.streamEvents.subscribe(({ event, data }) => {
      if (event === 'deployment') this.onDeploymentEvent(data as DeploymentEvent);
      else if (event === 'sample') this.onSample(data as SampleEvent);
      else if (event === 'reconnected') void this.loadList(this.listKey());
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  private setList(list: readonly DeploymentSummary[]): void {
    this.list.set(list);
    this.listChangedAt.set(Date.now());
  }

  private async loadList(key: LoadedRange | null): Promise<void> {
    const gen = ++this.listGeneration;
    if (!key) {
      this.setList([]);
      return;
    }
    this.loading.set(true);
    this.error.set(null);
    try {
      const answer = await this.api.deployments({
        project_id: key.projectId,
        env: key.env ?? undefined,
        from: isoSeconds(key.from),
        // a live view's window ends now: deployments started since arrive as events
        to: isoSeconds(key.to + 1000),
      });
      if (gen !== this.listGeneration) return;
      this.setList(answer.deployments);
      if (this.windowMs() === null) void this.learnWindow(answer.deployments);
    } catch (err) {
      if (gen === this.listGeneration) this.error.set(message(err, 'Deployments could not be loaded.'));
    } finally {
      if (gen === this.listGeneration) this.loading.set(false);
    }
  }

  /** The list does not carry the observation window: one deployment read on its own does (`window_ends_at`). */
  private async learnWindow(list: readonly DeploymentSummary[]): Promise<void> {
    const finished = list.find((d) => d.finished_at);
    if (!finished) return;
    try {
      this.windowMs.set(observationWindowMs(await this.api.deployment(finished.deployment_id)));
    } catch {
      /* regions are drawn without their window until the next load */
    }
  }

  private onDeploymentEvent(event: DeploymentEvent): void {
    if (!event?.deployment_id) return;
    const env = this.monitoring.env();
    if (!env || event.env === env) {
      const { list, fetch } = applyDeploymentEvent(this.list(), event);
      if (list !== this.list()) this.setList(list);
      if (fetch) void this.fetchOne(fetch);
    }
    if (event.deployment_id === this.selectedId()) void this.loadSelected(event.deployment_id, false);
  }

  /** A deployment the list does not know well enough (started, finished, or new to it): read it and list it. */
  private async fetchOne(id: string): Promise<void> {
    const gen = this.listGeneration;
    try {
      const detail = await this.api.deployment(id);
      if (gen !== this.listGeneration) return;
      this.setList(upsertDeployment(this.list(), summaryFromDetail(detail)));
      if (this.windowMs() === null) this.windowMs.set(observationWindowMs(detail));
    } catch {
      /* the next load lists it */
    }
  }

  /** A post sample of the open deployment's env while its window is open: its impact moved. */
  private onSample(sample: SampleEvent): void {
    const detail = this.selected();
    if (!detail?.impact || detail.verdict?.final || sample?.env !== detail.env || sample.phase !== 'post') return;
    if (Date.now() - this.lastSelectedRead < OPEN_WINDOW_REFRESH_MS) return;
    void this.loadSelected(detail.deployment_id, false);
  }

  /** Reads the open deployment and the samples of its windows; `fresh` clears the previous one first. */
  private async loadSelected(id: string | null, fresh: boolean): Promise<void> {
    const gen = ++this.selectedGeneration;
    this.lastSelectedRead = Date.now();
    if (fresh) {
      this.selected.set(null);
      this.selectedSeries.set(null);
      this.selectedError.set(null);
    }
    if (!id) {
      this.selectedLoading.set(false);
      return;
    }
    this.selectedLoading.set(true);
    try {
      const detail = await this.api.deployment(id);
      const range = comparisonRange(detail);
      const series = range
        ? await this.api.timeseries({
            project_id: detail.project_id,
            env: detail.env,
            from: isoSeconds(range.from),
            to: isoSeconds(range.to + 1000),
            step: range.step,
          })
        : null;
      if (gen !== this.selectedGeneration) return;
      this.selected.set(detail);
      this.selectedSeries.set(series);
      this.selectedError.set(null);
      if (detail.env === this.monitoring.env() && this.list().some((d) => d.deployment_id === id))
        this.setList(upsertDeployment(this.list(), summaryFromDetail(detail)));
    } catch (err) {
      if (gen === this.selectedGeneration) this.selectedError.set(message(err, 'The deployment could not be loaded.'));
    } finally {
      if (gen === this.selectedGeneration) this.selectedLoading.set(false);
    }
  }
}
