import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AuthService } from '../auth/auth.service';
import { TaskScheduler } from '../scheduler/task-scheduler';

const PURGE_EVERY_MS = 15 * 60_000;

/**
 * The accounts' periodic work in worker processes: sessions past their absolute or idle lifetime, or revoked, are
 * deleted. (A folder of its own: auth/ is imported by database/, which the scheduler imports, so auth/ cannot import
 * the scheduler without a cycle.)
 */
@Injectable()
export class AccountTasks implements OnModuleInit {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly auth: AuthService,
    private readonly tasks: TaskScheduler,
  ) {}

  onModuleInit(): void {
    this.tasks.register({ name: 'session-purge', everyMs: PURGE_EVERY_MS, runsIn: 'worker', run: () => this.purgeSessions() });
  }

  /** One purge pass (what the task runs); returns how many sessions were deleted. */
  async purgeSessions(now = new Date()): Promise<number> {
    const purged = await this.auth.purgeSessions(now);
    if (purged) this.logger.log({ purged }, 'Purged expired and revoked sessions');
    return purged;
  }
}
