import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { LoginPage } from './login.page';

describe('LoginPage', () => {
  beforeEach(() => {
    localStorage.clear();
    TestBed.configureTestingModule({
      imports: [LoginPage],
      providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()],
    });
  });

  function fill(el: HTMLElement, email: string, password: string) {
    const e = el.querySelector('#login-email') as HTMLInputElement;
    const p = el.querySelector('#login-password') as HTMLInputElement;
    e.value = email;
    e.dispatchEvent(new Event('input'));
    p.value = password;
    p.dispatchEvent(new Event('input'));
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
  }

  it('has labelled fields', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('label[for="login-email"]')).not.toBeNull();
    expect(el.querySelector('label[for="login-password"]')).not.toBeNull();
  });

  it('signs in and opens the overview', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    const router = TestBed.inject(Router);
    const nav = jest.spyOn(router, 'navigateByUrl').mockResolvedValue(true);
    await fixture.whenStable();
    fill(fixture.nativeElement, 'demo@seqpulse.local', 'seqpulse-demo-2026');
    const http = TestBed.inject(HttpTestingController);
    const req = http.expectOne('/auth/login');
    expect(req.request.body).toEqual({ email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' });
    req.flush({ access_token: 't', token_type: 'Bearer', expires_in: 3600 });
    await new Promise((r) => setTimeout(r));
    http.expectOne('/auth/me').flush({ id: 'u', email: 'demo@seqpulse.local', role: 'member' });
    await new Promise((r) => setTimeout(r));
    expect(nav).toHaveBeenCalledWith('/app/overview');
  });

  it('shows a plain message on wrong credentials', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    fill(fixture.nativeElement, 'demo@seqpulse.local', 'wrong-password!');
    TestBed.inject(HttpTestingController)
      .expectOne('/auth/login')
      .flush({ statusCode: 401, code: 'unauthenticated', message: 'Invalid credentials' }, { status: 401, statusText: 'x' });
    await new Promise((r) => setTimeout(r));
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role="alert"]')?.textContent).toContain('Wrong email or password');
  });

  it('asks for both fields before calling the API', async () => {
    const fixture = TestBed.createComponent(LoginPage);
    await fixture.whenStable();
    fill(fixture.nativeElement, '', '');
    await fixture.whenStable();
    TestBed.inject(HttpTestingController).expectNone('/auth/login');
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Enter your email and password');
  });
});
