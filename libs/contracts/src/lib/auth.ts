export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['monitoring:read', 'alerts:write', 'deployments:write', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Prefix of every API key; lets secret scanners and our auth guard recognise one. */
export const API_KEY_PREFIX = 'sp_';
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export interface LoginRequest {
  email: string;
  password: string;
}
export type SignupRequest = LoginRequest;

export interface LoginResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds until the token expires. */
  expires_in: number;
}

export interface MeResponse {
  id: string;
  email: string;
  role: Role;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  role: Role;
}

export interface CreateApiKeyRequest {
  name: string;
  scopes: Scope[];
  project_ids?: string[];
}

export interface ApiKeyView {
  id: string;
  name: string;
  scopes: Scope[];
  project_ids: string[] | null;
  /** First characters of the key, enough to recognise it; never the secret. */
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Returned once by `POST /api-keys`: the only time the clear key is shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** `POST /auth/password`: every other session of the caller is revoked. */
export interface ChangePasswordRequest {
  current_password: string;
  new_password: string;
}

/** `GET /admin/users` item. */
export interface AdminUserView {
  id: string;
  email: string;
  role: Role;
  disabled: boolean;
  created_at: string;
  last_login_at: string | null;
}

/** `PATCH /admin/users/:id`. */
export interface UpdateUserRequest {
  disabled?: boolean;
  role?: Role;
}
