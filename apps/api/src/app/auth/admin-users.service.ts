import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { AdminUserView, UpdateUserRequest } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { isoOrNull, isoSeconds } from '../common/time';
import { AuthService } from './auth.service';
import type { Principal } from './principal';
import { UserEntity } from './user.entity';

/** What an administrator does to accounts: list, disable/enable, change role, delete, reset a password. */
@Injectable()
export class AdminUsersService {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly auth: AuthService,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
  ) {}

  async list(): Promise<AdminUserView[]> {
    const rows = await this.users.find({ order: { createdAt: 'ASC' } });
    return rows.map(toView);
  }

  async update(admin: Principal, id: string, change: UpdateUserRequest): Promise<AdminUserView> {
    const user = await this.find(id);
    if (id === admin.userId && (change.disabled === true || (change.role && change.role !== 'admin'))) {
      throw selfLockout();
    }
    const patch: Partial<UserEntity> = {};
    if (change.role !== undefined) patch.role = change.role;
    if (change.disabled !== undefined) patch.disabledAt = change.disabled ? (user.disabledAt ?? new Date()) : null;
    if (Object.keys(patch).length) await this.users.update({ id }, patch);
    // A re-enabled account starts from a fresh sign-in: sessions of the disabled period never come back.
    if (change.disabled === true) await this.auth.revokeSessions(id);
    this.logger.log({ by: admin.userId, user: id, disabled: change.disabled, role: change.role }, 'Account changed by an administrator');
    return toView(await this.find(id));
  }

  /** Deletes the account with its sessions, keys and projects (and their data). */
  async remove(admin: Principal, id: string): Promise<void> {
    if (id === admin.userId) throw selfLockout();
    await this.find(id);
    await this.users.delete({ id });
    this.logger.log({ by: admin.userId, user: id }, 'Account deleted by an administrator');
  }

  /** Sets a new password; every session of the user ends (keys stay). */
  async resetPassword(admin: Principal, id: string, password: string): Promise<void> {
    await this.find(id);
    await this.auth.setPassword(id, password);
    this.logger.log({ by: admin.userId, user: id }, 'Password reset by an administrator');
  }

  private async find(id: string): Promise<UserEntity> {
    const user = await this.users.findOne({ where: { id } });
    if (!user) throw new ApiError(404, 'not_found', 'User not found.');
    return user;
  }
}

function selfLockout(): ApiError {
  return new ApiError(409, 'conflict', 'You cannot disable, demote or delete your own account; ask another administrator.');
}

function toView(user: UserEntity): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    disabled: user.disabledAt !== null,
    created_at: isoSeconds(user.createdAt),
    last_login_at: isoOrNull(user.lastLoginAt),
  };
}
