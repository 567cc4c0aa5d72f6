import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { flushMicrotasks } from '../testing/http';
import { App } from './app';
import { appRoutes } from './app.routes';
import { AuthService, TOKEN_STORAGE_KEY } from './core/auth.service';

@Component({ selector: 'app-stub', template: '' })
class Stub {}

describe('App shell', () => {
  beforeEach(() => localStorage.clear());

  it('redirects / to the overview and keeps every client route under /app', () => {
    expect(appRoutes.find((r) => r.path === '')?.redirectTo).toBe('app/overview');
    const clientPaths = appRoutes.map((r) => r.path ?? '').filter((path) => path !== '' && path !== '**');
    expect(clientPaths.length).toBeGreaterThan(0);
    expect(clientPaths.filter((path) => !path.startsWith('app'))).toEqual([]);
  });

  it('shows the navigation, the admin link for admins, and signs out', async () => {
    localStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify({ token: 't', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      imports: [App],
      providers: [provideRouter([{ path: '**', component: Stub }]), provideHttpClient(), provideHttpClientTesting()],
    });
    const http = TestBed.inject(HttpTestingController);
    const auth = TestBed.inject(AuthService);
    const me = auth.loadMe();
    http.expectOne('/auth/me').flush({ id: 'a', email: 'admin@seqpulse.local', role: 'admin' });
    await me;
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.skip-link')?.getAttribute('href')).toBe('#main');
    const links = [...el.querySelectorAll('nav[aria-label="Main"] a')].map((a) => a.textContent?.trim());
    expect(links).toEqual(['Overview', 'Projects', 'API keys', 'Admin']);
    expect(el.textContent).toContain('admin@seqpulse.local');
    const nav = jest.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    (el.querySelector('.user button') as HTMLButtonElement).click();
    http.expectOne('/auth/logout').flush({});
    await flushMicrotasks();
    await fixture.whenStable();
    expect(auth.isSignedIn()).toBe(false);
    expect(nav).toHaveBeenCalledWith(['/app/login']);
    expect(el.querySelector('nav[aria-label="Main"]')).toBeNull();
  });
});
