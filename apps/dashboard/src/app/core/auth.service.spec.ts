import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, UrlTree } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { authInterceptor } from './auth.interceptor';
import { adminGuard, authGuard } from './auth.guard';
import { AuthService, TOKEN_STORAGE_KEY } from './auth.service';

describe('AuthService, interceptor and guards', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  async function signIn(role: 'admin' | 'member' = 'member') {
    const auth = TestBed.inject(AuthService);
    const login = auth.login({ email: 'demo@seqpulse.local', password: 'x'.repeat(12) });
    http.expectOne('/auth/login').flush({ access_token: 'tok-1', token_type: 'Bearer', expires_in: 3600 });
    await Promise.resolve();
    const me = http.expectOne('/auth/me');
    expect(me.request.headers.get('Authorization')).toBe('Bearer tok-1');
    me.flush({ id: 'u1', email: 'demo@seqpulse.local', role });
    await login;
    return auth;
  }

  it('persists the token so the session survives a reload', async () => {
    const auth = await signIn();
    expect(auth.isSignedIn()).toBe(true);
    expect(auth.user()?.email).toBe('demo@seqpulse.local');
    const stored = JSON.parse(localStorage.getItem(TOKEN_STORAGE_KEY) as string);
    expect(stored.token).toBe('tok-1');
    expect(stored.expiresAt).toBeGreaterThan(Date.now());
    // a "reload": a fresh service reads the stored session
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    expect(TestBed.inject(AuthService).token()).toBe('tok-1');
  });

  it('forgets an expired token', () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify({ token: 'old', expiresAt: Date.now() - 1 }));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    expect(TestBed.inject(AuthService).isSignedIn()).toBe(false);
  });

  it('sign-out revokes the session on the server, ignores its errors and forgets the token', async () => {
    const auth = await signIn();
    const out = auth.logout();
    http.expectOne('/auth/logout').flush({}, { status: 500, statusText: 'x' });
    await out;
    expect(auth.isSignedIn()).toBe(false);
    expect(localStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
  });

  it('a 401 from the API clears the session and goes to the sign-in page', async () => {
    const auth = await signIn();
    const router = TestBed.inject(Router);
    const nav = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    const call = firstValueFrom(TestBed.inject(HttpClient).get('/projects')).catch((e) => e);
    http.expectOne('/projects').flush({ statusCode: 401, code: 'unauthenticated', message: 'no' }, { status: 401, statusText: 'x' });
    await call;
    expect(auth.isSignedIn()).toBe(false);
    expect(nav).toHaveBeenCalledWith(['/app/login'], expect.anything());
  });

  it('never sends the token to another origin', async () => {
    await signIn();
    void firstValueFrom(TestBed.inject(HttpClient).get('https://elsewhere.example/x')).catch(() => null);
    const req = http.expectOne('https://elsewhere.example/x');
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush({});
  });

  it('guards: signed-out users go to sign-in with a return URL; members cannot open admin', async () => {
    const run = (guard: typeof authGuard, url: string) =>
      TestBed.runInInjectionContext(() => guard({} as never, { url } as never)) as Promise<boolean | UrlTree>;
    const denied = (await run(authGuard, '/app/projects/p1')) as UrlTree;
    expect(TestBed.inject(Router).serializeUrl(denied)).toBe('/app/login?returnUrl=%2Fapp%2Fprojects%2Fp1');
    await signIn('member');
    expect(await run(authGuard, '/app/projects')).toBe(true);
    const admin = (await run(adminGuard, '/app/admin')) as UrlTree;
    expect(TestBed.inject(Router).serializeUrl(admin)).toBe('/app/projects');
  });
});
