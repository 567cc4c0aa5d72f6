import { HttpClient } from '@angular/common/http';
import { computed, inject, Injectable, signal } from '@angular/core';
import { LoginRequest, LoginResponse, MeResponse } from '@seqpulse/contracts';
import { firstValueFrom } from 'rxjs';

export const TOKEN_STORAGE_KEY = 'seqpulse.session';

interface StoredSession {
  token: string;
  /** Epoch ms after which the token is known to be expired. */
  expiresAt: number;
}

function readStored(): StoredSession | null {
  try {
    const raw = localStorage.getItem(TOKEN_STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as StoredSession;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number') return null;
    if (parsed.expiresAt <= Date.now()) {
      localStorage.removeItem(TOKEN_STORAGE_KEY);
      return null;
    }
    return parsed;
  } catch {
    return null;
  }
}

/** The dashboard session: a bearer token persisted in localStorage so it survives a reload. */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly session = signal<StoredSession | null>(readStored());
  private readonly meState = signal<MeResponse | null>(null);
  private mePromise: Promise<MeResponse | null> | null = null;

  readonly user = this.meState.asReadonly();
  readonly isSignedIn = computed(() => this.session() !== null);
  readonly isAdmin = computed(() => this.meState()?.role === 'admin');

  token(): string | null {
    const s = this.session();
    if (s && s.expiresAt <= Date.now()) {
      this.clear();
      return null;
    }
    return s?.token ?? null;
  }

  async login(body: LoginRequest): Promise<MeResponse> {
    const res = await firstValueFrom(this.http.post<LoginResponse>('/auth/login', body));
    const stored: StoredSession = {
      token: res.access_token,
      expiresAt: Date.now() + Math.max(60, res.expires_in) * 1000,
    };
    localStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify(stored));
    this.session.set(stored);
    this.meState.set(null);
    this.mePromise = null;
    const me = await this.loadMe();
    if (!me) throw new Error('session refused');
    return me;
  }

  /** Loads `GET /auth/me` once per session; `null` when signed out or the token is refused. */
  loadMe(): Promise<MeResponse | null> {
    if (!this.token()) return Promise.resolve(null);
    const current = this.meState();
    if (current) return Promise.resolve(current);
    this.mePromise ??= firstValueFrom(this.http.get<MeResponse>('/auth/me'))
      .then((me) => {
        this.meState.set(me);
        return me;
      })
      .catch(() => {
        this.mePromise = null;
        return null;
      });
    return this.mePromise;
  }

  /** Revokes the session on the server (errors ignored) and forgets the token. */
  async logout(): Promise<void> {
    if (this.token()) {
      try {
        await firstValueFrom(this.http.post('/auth/logout', {}));
      } catch {
        /* the token is forgotten anyway */
      }
    }
    this.clear();
  }

  /** Forgets the token locally (a 401 or sign-out). */
  clear(): void {
    localStorage.removeItem(TOKEN_STORAGE_KEY);
    this.session.set(null);
    this.meState.set(null);
    this.mePromise = null;
  }
}
