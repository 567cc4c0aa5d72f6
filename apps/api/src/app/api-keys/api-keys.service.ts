import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { API_KEY_PREFIX } from '@seqpulse/contracts';
import type { ApiKeyView, CreatedApiKey, Role, Scope } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { isoOrNull, isoSeconds } from '../common/time';
import { hashToken, randomToken } from '../auth/secrets';
import { Principal } from '../auth/principal';
import { ProjectEntity } from '../projects/project.entity';
import { canSeeProject } from '../auth/principal';
import { ApiKeyEntity } from './api-key.entity';

// last_used_at is informative; writing it on every request would put a write on the hot path.
const LAST_USED_RESOLUTION_MS = 60_000;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly config: AppConfig,
    @InjectRepository(ApiKeyEntity) private readonly keys: Repository<ApiKeyEntity>,
    @InjectRepository(ProjectEntity) private readonly projects: Repository<ProjectEntity>,
  ) {}

  async create(owner: Principal, name: string, scopes: Scope[], projectIds?: string[]): Promise<CreatedApiKey> {
    if (scopes.includes('admin') && (owner.role !== 'admin' || owner.kind !== 'session')) {
      throw ApiError.insufficientScope('Only an administrator signed in to the dashboard can create keys with the admin scope.');
    }
    if (projectIds) await this.assertVisible(owner, projectIds);
    const key = randomToken(API_KEY_PREFIX);
    const saved = await this.keys.save(
      this.keys.create({
        userId: owner.userId,
        name,
        scopes,
        projectIds: projectIds ?? null,
        keyHash: hashToken(key),
        prefix: key.slice(0, 10),
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return { ...toView(saved), key };
  }

  async list(owner: Principal): Promise<ApiKeyView[]> {
    const rows = await this.keys.find({ where: { userId: owner.userId }, order: { createdAt: 'DESC' } });
    return rows.map(toView);
  }

  /** Revocation is immediate: every request looks the key up, nothing is cached. */
  async revoke(owner: Principal, id: string): Promise<void> {
    const result = await this.keys.update({ id, userId: owner.userId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) {
      const exists = await this.keys.exists({ where: { id, userId: owner.userId } });
      if (!exists) throw new ApiError(404, 'not_found', 'API key not found.');
    }
  }

  async authenticate(key: string): Promise<Principal | null> {
    // One round trip: the key, and its owner still enabled (and not a demo account while the demo is off).
    const [row]: {
      id: string;
      scopes: Scope[];
      project_ids: string[] | null;
      last_used_at: Date | null;
      user_id: string;
      email: string;
      role: Role;
    }[] = await this.keys.query(
      `SELECT k.id, k.scopes, k.project_ids, k.last_used_at, u.id AS user_id, u.email, u.role
         FROM api_keys k JOIN account_status u ON u.id = k.user_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND NOT u.disabled AND (NOT u.demo OR $2)`,
      [hashToken(key), this.config.demo],
    );
    if (!row) return null;
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_RESOLUTION_MS) {
      void this.keys.update({ id: row.id }, { lastUsedAt: new Date() }).catch(() => undefined);
    }
    // A key never holds more than its owner: `admin` only counts while the owner is an admin.
    const scopes = new Set(row.scopes.filter((s) => s !== 'admin' || row.role === 'admin'));
    return {
      kind: 'api_key',
      userId: row.user_id,
      email: row.email,
      role: row.role,
      scopes,
      projectIds: row.project_ids,
      apiKeyId: row.id,
      sessionId: null,
    };
  }

  private async assertVisible(owner: Principal, projectIds: string[]): Promise<void> {
    const found = await this.projects.find({ where: { id: In(projectIds) }, select: { id: true, ownerId: true } });
    const visible = new Set(found.filter((p) => canSeeProject(owner, p)).map((p) => p.id));
    if (projectIds.some((id) => !visible.has(id))) throw ApiError.projectNotFound();
  }
}

function toView(row: ApiKeyEntity): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    project_ids: row.projectIds,
    prefix: row.prefix,
    created_at: isoSeconds(row.createdAt),
    last_used_at: isoOrNull(row.lastUsedAt),
    revoked_at: isoOrNull(row.revokedAt),
  };
}
