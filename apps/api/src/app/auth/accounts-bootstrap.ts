import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig, DEMO_ADMIN, StartRefusedError } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { UserEntity } from './user.entity';
import { AuthService } from './auth.service';

/**
 * Accounts at start-up: the first administrator from SEQPULSE_ADMIN_EMAIL / _PASSWORD, the break-glass reset
 * (SEQPULSE_ADMIN_RESET=true), the refusal to start a real deployment that nobody can administer, and what
 * happens to demo accounts when the demo is off.
 */
@Injectable()
export class AccountsBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly config: AppConfig,
    private readonly auth: AuthService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdministrator();
    await this.reportDemoAccounts();
  }

  private async ensureAdministrator(): Promise<void> {
    const { SEQPULSE_ADMIN_EMAIL: email, SEQPULSE_ADMIN_PASSWORD: password } = this.config;
    if (email && password) {
      const existing = await this.auth.findByEmail(email);
      if (!existing) {
        const demo = this.config.demo && email.toLowerCase() === DEMO_ADMIN.email;
        await this.auth.createUser(email, password, 'admin', { demo }).catch((error) => {
          // Another process of the same deployment created it first.
          if (!(error instanceof ApiError && error.code === 'email_taken')) throw error;
        });
        this.logger.log({ email }, 'Created the first administrator');
      } else if (this.config.SEQPULSE_ADMIN_RESET) {
        await this.users.update({ id: existing.id }, { role: 'admin', disabledAt: null });
        await this.auth.setPassword(existing.id, password);
        this.logger.warn(
          { email },
          'Break-glass: SEQPULSE_ADMIN_RESET=true reset this administrator (password from SEQPULSE_ADMIN_PASSWORD, re-enabled, sessions revoked); remove SEQPULSE_ADMIN_RESET now',
        );
      }
    }
    if (this.config.demo) return;
    const admins = await this.users.createQueryBuilder('u').where(`u.role = 'admin' AND u.disabled_at IS NULL AND NOT u.demo`).getCount();
    if (admins === 0) {
      throw new StartRefusedError(
        'SeqPulse refuses to start: this database has no enabled administrator. Set SEQPULSE_ADMIN_EMAIL and SEQPULSE_ADMIN_PASSWORD ' +
          '(at least 12 characters) to create one, add SEQPULSE_ADMIN_RESET=true to restore an existing one, or set SEQPULSE_DEMO=true for a demo.',
      );
    }
  }

  private async reportDemoAccounts(): Promise<void> {
    if (this.config.demo) return;
    const demo = await this.users.count({ where: { demo: true } });
    if (demo > 0) {
      this.logger.warn(
        { accounts: demo },
        'The demo is off: the demo accounts in this database can no longer sign in, and their sessions and API keys are refused',
      );
    }
  }
}
