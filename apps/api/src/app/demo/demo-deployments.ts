import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DeploymentsService } from '../deployments/deployments.service';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { DemoSeeder } from './demo-seeder';

/** The demo's release cycle, aligned to the Unix epoch like the demo fleet's incident cycle it plays with. */
const CYCLE_S = 1800;
/** The demo project's observation window, short so a visitor sees verdicts become final. */
export const DEMO_WINDOW_MIN = 5;
const FINISH_AFTER_S = 45;
/**
 * Three releases per cycle on the pilot project's staging env. The demo fleet's `*staging*` targets play their
 * effects on the same clock (apps/demo-fleet incident-schedule.ts): none for the good one, wider noise at the
 * same levels for the noisy one (10:45–15:45), an error burst for the bad one (20:45–24:00).
 */
export const DEMO_RELEASES = [
  { kind: 'good', atS: 0, branch: 'main' },
  { kind: 'noisy', atS: 600, branch: 'feature/search-cache' },
  { kind: 'bad', atS: 1200, branch: 'feature/new-checkout' },
] as const;
const DEMO_ENV = 'staging';

/**
 * Plays the customer's CI in the demo: the pilot project's scripted releases (a good one, a harmless noisy one
 * and a bad one every 30 minutes), each finished 45 s after its trigger, so the charts and the verdicts have
 * something real to show. One process does it (the task's advisory lock); a release missed while the product
 * was down is not replayed.
 */
@Injectable()
export class DemoDeployments implements OnModuleInit {
  private readonly logger = new Logger(DemoDeployments.name);

  constructor(
    private readonly tasks: TaskScheduler,
    private readonly seeder: DemoSeeder,
    private readonly deployments: DeploymentsService,
  ) {}

  onModuleInit(): void {
    this.tasks.register({ name: 'demo-deployments', everyMs: 15_000, runsIn: 'worker', lock: 'demoDeployments', run: () => this.tick() });
  }

  async tick(now = new Date()): Promise<void> {
    const project = await this.seeder.pilotProject();
    if (!project) return;
    await this.seeder.useObservationWindow(project.id, DEMO_WINDOW_MIN);
    await this.deployments.finishOpen(project.id, FINISH_AFTER_S, 0);
    const cycleStartS = Math.floor(now.getTime() / 1000 / CYCLE_S) * CYCLE_S;
    const offsetS = now.getTime() / 1000 - cycleStartS;
    // the release due in this part of the cycle (within a minute of its slot: a late start is no replay)
    const due = DEMO_RELEASES.find((r) => offsetS >= r.atS && offsetS < r.atS + 60);
    if (!due) return;
    const id = await this.deployments.record(project.id, DEMO_ENV, {
      branch: due.branch,
      idempotencyKey: `demo-${due.kind}-${cycleStartS}`,
      startedAt: new Date((cycleStartS + due.atS) * 1000),
    });
    if (id) this.logger.log({ project: project.id, release: due.kind }, 'Demo deployment started');
  }
}
