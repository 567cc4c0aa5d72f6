import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { LoginResponse, MeResponse, Role } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { UserEntity } from './user.entity';
import { SessionEntity } from './session.entity';
import { dummyPasswordHash, hashPassword, hashToken, randomToken, verifyPassword } from './secrets';
import { Principal, sessionScopes } from './principal';

const SESSION_TOKEN_PREFIX = 'sps_';

@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly config: AppConfig,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {}

  /** The first admin comes from SEQPULSE_ADMIN_EMAIL / SEQPULSE_ADMIN_PASSWORD. */
  async onApplicationBootstrap(): Promise<void> {
    const email = this.config.SEQPULSE_ADMIN_EMAIL;
    const password = this.config.SEQPULSE_ADMIN_PASSWORD;
    if (!email || !password) return;
    if (await this.findByEmail(email)) return;
    await this.createUser(email, password, 'admin').catch((error) => {
      // Another process of the same deployment created it first.
      if (!(error instanceof ApiError && error.code === 'email_taken')) throw error;
    });
    this.logger.log({ email }, 'Created the first administrator');
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async createUser(email: string, password: string, role: Role): Promise<UserEntity> {
    if (await this.findByEmail(email)) {
      throw new ApiError(409, 'email_taken', 'An account with this email already exists.');
    }
    try {
      return await this.users.save(this.users.create({ email, passwordHash: await hashPassword(password), role }));
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
    const token = randomToken(SESSION_TOKEN_PREFIX);
    const ttl = this.config.SEQPULSE_SESSION_TTL_S;
    await this.sessions.insert({
      userId: user.id,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + ttl * 1000),
      revokedAt: null,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: ttl };
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.sessionId) await this.sessions.update({ id: principal.sessionId }, { revokedAt: new Date() });
  }

  async authenticateSession(token: string): Promise<Principal | null> {
    if (!token.startsWith(SESSION_TOKEN_PREFIX)) return null;
    // Every authenticated request comes through here: one round trip for the session and its user.
    const [row]: { session_id: string; user_id: string; email: string; role: Role }[] = await this.sessions.query(
      `SELECT s.id AS session_id, u.id AS user_id, u.email, u.role
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`,
      [hashToken(token)],
    );
    if (!row) return null;
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
}

export function toMe(user: Pick<UserEntity, 'id' | 'email' | 'role'>): MeResponse {
  return { id: user.id, email: user.email, role: user.role };
}
