import { computed, DestroyRef, effect, inject, Injectable, signal, untracked } from '@angular/core';
import { AlertHistoryEntry, MaintenanceWindowView, METRIC_NAMES, SilenceView } from '@seqpulse/contracts';
import { ChartRegionOverlay } from '../../charts/chart-options';
import { ApiService } from '../../core/api.service';
import { nextTaskRunner } from '../../core/next-task';
import { isoSeconds } from '../../core/format';
import { ThemeService } from '../../core/theme.service';
import { LoadedRange, MonitoringStore } from '../monitoring/monitoring.store';
import { alertRegions, mutingRegions, PerMetric } from './alert-regions';
import { HISTORY_LIMIT } from './history-query';

/** A firing region grows to the clock at most this often (each growth redraws the charts). */
const GROW_EVERY_MS = 15_000;

/**
 * What the monitoring charts shade besides deployments: the firing periods of the alerts active in the view's
 * window (from the alert history, so escalations show) and the project's silences and maintenance occurrences.
 * Provided by the monitoring page beside the MonitoringStore, whose project, env, window and stream it follows:
 * an `alert` event reads the history again, a sample lets a still-firing period grow.
 */
@Injectable()
export class AlertOverlaysStore {
  private readonly api = inject(ApiService);
  private readonly monitoring = inject(MonitoringStore);
  private readonly theme = inject(ThemeService).chartTheme;

  readonly alerts = signal<readonly AlertHistoryEntry[]>([]);
  readonly silences = signal<readonly SilenceView[]>([]);
  readonly windows = signal<readonly MaintenanceWindowView[]>([]);
  /** The instant still-firing periods reach. */
  readonly drawnAt = signal(Date.now());

  /** Per metric: muted regions first (drawn under), then the firing periods. */
  readonly regions = computed<PerMetric<readonly ChartRegionOverlay[]>>(() => {
    const muting = mutingRegions(this.silences(), this.windows(), this.monitoring.env(), this.theme());
    const firing = alertRegions(this.alerts(), this.theme(), this.drawnAt());
    const out = {} as PerMetric<readonly ChartRegionOverlay[]>;
    for (const m of METRIC_NAMES) out[m] = [...muting[m], ...firing[m]];
    return out;
  });

  /** The view's loaded range: a new range's regions are read once its series are drawn. */
  private readonly key = this.monitoring.loadedRange;
  private generation = 0;
  /** The project whose silences are held: they do not depend on the range, a new range of the same project keeps them. */
  private silencesOf: string | null = null;

  constructor() {
    // a new range's history is read in a task of its own, after the change detection that saw the range change
    const loadSoon = nextTaskRunner(inject(DestroyRef));
    effect(() => {
      const key = this.key();
      untracked(() => loadSoon(() => void this.load(key, false)));
    });
    const subscription = this.monitoring.streamEvents.subscribe(({ event }) => {
      if (event === 'alert' || event === 'reconnected') void this.load(this.key(), true);
      else if (event === 'sample') this.grow();
    });
    inject(DestroyRef).onDestroy(() => subscription.unsubscribe());
  }

  private grow(): void {
    const now = Date.now();
    if (now - this.drawnAt() >= GROW_EVERY_MS && this.alerts().some((a) => a.state === 'firing')) this.drawnAt.set(now);
  }

  /**
   * Reads the history of the window, the silences (unless `allAgain` is false and they are the project's already)
   * and the maintenance windows (three small requests).
   */
  private async load(key: LoadedRange | null, allAgain: boolean): Promise<void> {
    const gen = ++this.generation;
    if (!key) {
      this.alerts.set([]);
      this.silences.set([]);
      this.silencesOf = null;
      this.windows.set([]);
      return;
    }
    const history = this.api.alertHistory({
      project_id: key.projectId,
      ...(key.env ? { env: key.env } : {}),
      from: isoSeconds(key.from),
      // a live window slides: what opened since the series were loaded is read up to now
      to: isoSeconds((this.monitoring.following() ? Math.max(key.to, Date.now()) : key.to) + 1000),
      limit: HISTORY_LIMIT,
    });
    const [alerts, silences, windows] = await Promise.all([
      history.catch(() => null),
      allAgain || key.projectId !== this.silencesOf ? this.api.silences(key.projectId).catch(() => null) : null,
      this.api.maintenanceWindows(key.projectId, { from: isoSeconds(key.from), to: isoSeconds(key.to + 1000) }).catch(() => null),
    ]);
    if (gen !== this.generation) return;
    // a failed read keeps what is drawn: the shading is context, the alerts panel reports the errors
    if (alerts) this.alerts.set(alerts);
    if (silences) {
      this.silences.set(silences);
      this.silencesOf = key.projectId;
    }
    if (windows) this.windows.set(windows);
    this.drawnAt.set(Date.now());
  }
}
