import { Injectable, Logger } from '@nestjs/common';
import { ALERT_RULE_CATALOGUE, METRIC_NAMES, THRESHOLD_RULES } from '@seqpulse/contracts';
import type { MetricValues } from '@seqpulse/contracts';
import { AlertsService } from '../alerts/alerts.service';
import { AppConfig } from '../config/app-config';
import { DeploymentImpactService } from '../deployment-impact/deployment-impact.service';
import { DeploymentsService } from '../deployments/deployments.service';
import { NewSample, SamplesStore } from '../samples/samples.store';
import { TargetAddressPolicy } from '../target-address/target-address.policy';

const DAY_MS = 86_400_000;
const STEP_S = 15;
/** Days of history a first start fills. */
export const DEMO_HISTORY_DAYS = 7;
/** Past deployments per env and day (UTC hours); the one just before the incident fails. */
const DEPLOY_HOURS_UTC = [10, 16];

export interface HistoryTarget {
  projectId: string;
  env: string;
  /** The demo fleet target that plays this env. */
  target: string;
}

interface FleetHistory {
  first: number;
  metrics: string[];
  incident: { startMs: number; endMs: number } | null;
  values: number[][];
}

/**
 * The demo's past: on a first start, the last 7 days of each monitored demo env, computed by the demo fleet from
 * its own model (daily pattern, noise, a past incident on prod), written through the samples store one day per
 * statement; plus past deployments (written first, so samples after them are labelled `post`) and the past
 * incident's alert. Live collection continues from there.
 */
@Injectable()
export class DemoHistory {
  private readonly logger = new Logger(DemoHistory.name);

  constructor(
    private readonly config: AppConfig,
    private readonly targets: TargetAddressPolicy,
    private readonly samples: SamplesStore,
    private readonly deployments: DeploymentsService,
    private readonly alerts: AlertsService,
    private readonly impact: DeploymentImpactService,
  ) {}

  async fill(envs: HistoryTarget[], now = Date.now()): Promise<{ samples: number; seconds: number }> {
    const started = performance.now();
    const end = Math.floor(now / (STEP_S * 1000)) * STEP_S * 1000;
    const start = end - DEMO_HISTORY_DAYS * DAY_MS;
    const recorded = await this.deployments.recordPast(envs.flatMap((e) => pastDeployments(e, start, end)));
    let stored = 0;
    const alerts: Parameters<AlertsService['recordResolved']>[0] = [];
    const days: number[] = [];
    for (let day = start; day < end; day += DAY_MS) days.push(day);
    // every day is asked for at once: the fleet computes the next days while this process writes the first ones
    const fetched = days.map((day) => Promise.all(envs.map((e) => this.fetchHistory(e.target, day, Math.min(day + DAY_MS, end)))));
    fetched.forEach((f) => f.catch(() => undefined)); // awaited below; no unhandled rejection meanwhile
    // where the time goes: waiting for the fleet's days, building the rows, the database writes, the verdicts
    const spent = { fleet: 0, rows: 0, writes: 0, verdicts: 0 };
    const lap = (part: keyof typeof spent, since: number) => (spent[part] += performance.now() - since);
    for (const [d, day] of days.entries()) {
      const to = Math.min(day + DAY_MS, end);
      let since = performance.now();
      const histories = await fetched[d];
      lap('fleet', since);
      since = performance.now();
      const batch: NewSample[] = [];
      histories.forEach((h, i) => {
        if (h.incident && day <= h.incident.startMs && h.incident.startMs < to) alerts.push(...incidentAlerts(envs[i], h, h.incident));
        const columns = METRIC_NAMES.map((m) => [m, h.metrics.indexOf(m)] as const);
        h.values.forEach((row, k) => {
          const slot = h.first + k * STEP_S * 1000;
          const values = {} as MetricValues;
          for (const [m, c] of columns) values[m] = row[c];
          batch.push({ projectId: envs[i].projectId, env: envs[i].env, slotAt: new Date(slot), collectedAt: new Date(slot + 800), values });
        });
      });
      lap('rows', since);
      since = performance.now();
      stored += await this.samples.backfillHistory(batch);
      lap('writes', since);
    }
    await this.alerts.recordResolved(alerts);
    // the periodic verdict pass looks back 6 hours: the older deployments get their verdicts here, from these samples
    const since = performance.now();
    const verdicts = await this.impact.settle(recorded, new Date(now));
    lap('verdicts', since);
    const seconds = (performance.now() - started) / 1000;
    this.logger.log(
      {
        samples: stored,
        days: DEMO_HISTORY_DAYS,
        envs: envs.length,
        verdicts,
        seconds: Number(seconds.toFixed(2)),
        ...Object.fromEntries(Object.entries(spent).map(([part, ms]) => [`${part}_s`, Number((ms / 1000).toFixed(2))])),
      },
      'Demo history filled',
    );
    return { samples: stored, seconds };
  }

  private async fetchHistory(target: string, from: number, to: number): Promise<FleetHistory> {
    const url = `${this.config.SEQPULSE_DEMO_FLEET_URL}/control/targets/${target}/history?from=${from}&to=${to}&step_s=${STEP_S}`;
    const check = await this.targets.check(url);
    if (check.ok === false) throw new Error(`demo fleet URL refused: ${check.reason}`);
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        if (!res.ok) throw new Error(`demo fleet history: HTTP ${res.status}`);
        return (await res.json()) as FleetHistory;
      } catch (error) {
        // the fleet starts alongside the API: give it a few seconds
        if (attempt >= 10) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
}

/**
 * The alerts the past incident raised: every threshold rule whose metric's mean over the incident is above the
 * rule's default threshold, from about when the 5-minute mean crossed it until a few minutes after the end.
 */
function incidentAlerts(env: HistoryTarget, history: FleetHistory, incident: { startMs: number; endMs: number }) {
  const inside = history.values.filter((_, k) => {
    const t = history.first + k * STEP_S * 1000;
    return t >= incident.startMs && t < incident.endMs;
  });
  return THRESHOLD_RULES.flatMap((rule) => {
    const definition = ALERT_RULE_CATALOGUE[rule];
    const column = history.metrics.indexOf(definition.metric);
    const mean = inside.reduce((sum, row) => sum + row[column], 0) / Math.max(1, inside.length);
    if (!inside.length || !(mean > definition.defaultThreshold)) return [];
    return [
      {
        projectId: env.projectId,
        env: env.env,
        rule,
        value: mean,
        threshold: definition.defaultThreshold,
        startedAt: new Date(incident.startMs + 4 * 60_000),
        resolvedAt: new Date(incident.endMs + 3 * 60_000),
      },
    ];
  });
}

/** Two deployments a day per env; the prod one just before the past incident (3 days ago, 14:00 UTC) failed. */
export function pastDeployments(e: HistoryTarget, start: number, end: number) {
  const out: { projectId: string; env: string; startedAt: Date; finishedAt: Date; result: 'success' | 'failed'; key: string }[] = [];
  for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS) {
    const daysAgo = Math.round((Math.floor(end / DAY_MS) * DAY_MS - day) / DAY_MS);
    const hours = daysAgo === 3 && e.env === 'prod' ? [...DEPLOY_HOURS_UTC, 13.75] : DEPLOY_HOURS_UTC;
    for (const hour of hours) {
      const at = day + hour * 3_600_000;
      if (at < start || at + 60_000 > end) continue;
      out.push({
        projectId: e.projectId,
        env: e.env,
        startedAt: new Date(at),
        finishedAt: new Date(at + 60_000),
        result: hour === 13.75 ? 'failed' : 'success',
        key: `demo-history-${e.env}-${at}`,
      });
    }
  }
  return out;
}
