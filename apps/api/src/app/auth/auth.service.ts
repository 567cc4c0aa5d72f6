import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import type { LoginResponse, MeResponse, Role } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { UserEntity } from './user.entity';
import { SessionEntity } from './session.entity';
import { dummyPasswordHash, hashPassword, hashToken, randomToken, verifyPassword } from './secrets';
import { Principal, sessionScopes } from './principal';

const SESSION_TOKEN_PREFIX = 'sps_';
/** last_seen_at is written at most this often per session: the idle lifetime is counted to a minute, without a write per request. */
const LAST_SEEN_RESOLUTION_S = 60;

@Injectable()
export class AuthService {
  constructor(
    private readonly config: AppConfig,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {}

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async createUser(email: string, password: string, role: Role, options: { demo?: boolean } = {}): Promise<UserEntity> {
    if (await this.findByEmail(email)) {
      throw new ApiError(409, 'email_taken', 'An account with this email already exists.');
    }
    try {
      return await this.users.save(
        this.users.create({ email, passwordHash: await hashPassword(password), role, demo: options.demo ?? false, disabledAt: null }),
      );
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new ApiError(409, 'email_taken', 'An account with this email already exists.');
      }
      throw error;
    }
  }

  async signup(email: string, password: string): Promise<MeResponse> {
    if (!this.config.SEQPULSE_SIGNUP) {
      throw new ApiError(403, 'signup_disabled', 'Sign-up is turned off on this SeqPulse; ask an administrator for an account.');
    }
    return toMe(await this.createUser(email, password, 'member'));
  }

  async login(email: string, password: string): Promise<LoginResponse> {
    const user = await this.findByEmail(email);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) throw ApiError.unauthenticated('Wrong email or password.');
    // Told only to someone who knows the password.
    if (user.disabledAt) throw ApiError.unauthenticated('This account is disabled; ask an administrator.');
    if (user.demo && !this.config.demo) throw ApiError.unauthenticated('Demo accounts are turned off on this SeqPulse.');
    const token = randomToken(SESSION_TOKEN_PREFIX);
    const ttl = this.config.SEQPULSE_SESSION_TTL_S;
    const now = new Date();
    await this.sessions.insert({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(now.getTime() + ttl * 1000),
      lastSeenAt: now,
      revokedAt: null,
    });
    await this.users.update({ id: user.id }, { lastLoginAt: now });
    return { access_token: token, token_type: 'Bearer', expires_in: ttl };
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId) await this.sessions.update({ id: principal.sessionId }, { revokedAt: new Date() });
  }

  /** Every session of the caller, this one included. */
  async logoutAll(principal: Principal): Promise<void> {
    await this.revokeSessions(principal.userId);
  }

  /** The current password is required; every other session of the caller ends, API keys stay. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findOne({ where: { id: principal.userId } });
    if (!user || !(await verifyPassword(user.passwordHash, currentPassword))) {
      throw ApiError.validation('The current password is wrong.', {
        fields: [{ field: 'current_password', problems: ['does not match'] }],
      });
    }
    await this.setPassword(user.id, newPassword, principal.sessionId);
  }

  /** Replaces a password and revokes the user's sessions (but `keepSessionId`). */
  async setPassword(userId: string, password: string, keepSessionId: string | null = null): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash: await hashPassword(password) });
    await this.revokeSessions(userId, keepSessionId);
  }

  async revokeSessions(userId: string, keepSessionId: string | null = null): Promise<void> {
    await this.sessions.update(
      { userId, revokedAt: IsNull(), ...(keepSessionId ? { id: Not(keepSessionId) } : {}) },
      { revokedAt: new Date() },
    );
  }

  async authenticateSession(token: string): Promise<Principal | null> {
    if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
    // Every authenticated request comes through here: one round trip for the session and its user.
    const [row]: { session_id: string; user_id: string; email: string; role: Role; seen_age_s: number }[] = await this.sessions.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.email, u.role, extract(epoch FROM now() - s.last_seen_at)::float8 AS seen_age_s
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
          AND s.last_seen_at > now() - make_interval(secs => $2)
          AND u.disabled_at IS NULL AND (NOT u.demo OR $3)`,
      [hashToken(token), this.config.SEQPULSE_SESSION_IDLE_S, this.config.demo],
    );
    if (!row) return null;
    if (row.seen_age_s > LAST_SEEN_RESOLUTION_S) {
      void this.sessions.update({ id: row.session_id }, { lastSeenAt: new Date() }).catch(() => undefined);
    }
    return {
      kind: 'session',
      userId: row.user_id,
      email: row.email,
      role: row.role,
      scopes: sessionScopes(row.role),
      projectIds: null,
      apiKeyId: null,
      sessionId: row.session_id,
    };
  }

  /** Deletes sessions past their absolute or idle lifetime, or revoked, and returns how many. */
  async purgeSessions(now = new Date()): Promise<number> {
    const [, count] = await this.sessions.query(
      `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - make_interval(secs => $2) OR revoked_at IS NOT NULL`,
      [now, this.config.SEQPULSE_SESSION_IDLE_S],
    );
    return Number(count) || 0;
  }
}

export function toMe(user: Pick<UserEntity, 'id' | 'email' | 'role'>): MeResponse {
  return { id: user.id, email: user.email, role: user.role };
}
