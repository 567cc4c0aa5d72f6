import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DeploymentsService } from '../deployments/deployments.service';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { DemoSeeder } from './demo-seeder';

/** A demo deployment starts this often on the pilot project's first env, and finishes a minute later. */
const EVERY_MINUTES = 4;
const FINISH_AFTER_S = 50;
const FAILED_RATIO = 0.2;

/**
 * Plays the customer's CI in the demo: deployments of the pilot project, so the charts show markers and
 * `post` samples. One process does it (the task's advisory lock); 1 in 5 deployments fails.
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
    this.tasks.register({ name: 'demo-deployments', everyMs: 60_000, runsIn: 'worker', lock: 'demoDeployments', run: () => this.tick() });
  }

  async tick(): Promise<void> {
    const project = await this.seeder.pilotProject();
    if (!project) return;
    await this.deployments.finishOpen(project.id, FINISH_AFTER_S, FAILED_RATIO);
    const last = await this.deployments.lastStartedAt(project.id);
    if (!last || Date.now() - last.getTime() >= EVERY_MINUTES * 60_000 - 5_000) {
      await this.deployments.record(project.id, project.env, { branch: 'main', idempotencyKey: `demo-${Math.floor(Date.now() / 1000)}` });
      this.logger.log({ project: project.id }, 'Demo deployment started');
    }
  }
}
