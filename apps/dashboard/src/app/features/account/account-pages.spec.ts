import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router } from '@angular/router';
import { flushMicrotasks } from '../../../testing/http';
import { UsersPage } from '../admin/users.page';
import { AccountPage } from './account.page';

const USERS = [
  {
    id: 'me',
    email: 'root@example.com',
    role: 'admin',
    disabled: false,
    created_at: '2026-11-01T00:00:00Z',
    last_login_at: '2026-11-28T10:00:00Z',
  },
  { id: 'u2', email: 'bob@example.com', role: 'member', disabled: false, created_at: '2026-11-02T00:00:00Z', last_login_at: null },
];

function setup() {
  TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  return TestBed.inject(HttpTestingController);
}

function type(el: HTMLElement, selector: string, value: string): void {
  const input = el.querySelector(selector) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('AccountPage', () => {
  it('changes the password with the current one and says the other sessions ended', async () => {
    const http = setup();
    const fixture = TestBed.createComponent(AccountPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    type(el, '#current-password', 'old-password-123');
    type(el, '#new-password', 'new-password-456');
    type(el, '#confirm-password', 'new-password-4567');
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    expect(el.textContent).toContain('The two new passwords differ');
    http.expectNone('/auth/password');

    type(el, '#confirm-password', 'new-password-456');
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const req = http.expectOne('/auth/password');
    expect(req.request.body).toEqual({ current_password: 'old-password-123', new_password: 'new-password-456' });
    req.flush(null, { status: 204, statusText: 'No Content' });
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.textContent).toContain('Your other sessions were signed out');
    expect((el.querySelector('#current-password') as HTMLInputElement).value).toBe('');
  });

  it('shows a wrong current password, and signs out everywhere to the sign-in page', async () => {
    const http = setup();
    const router = TestBed.inject(Router);
    const navigate = jest.spyOn(router, 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(AccountPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    type(el, '#current-password', 'not-my-password');
    type(el, '#new-password', 'new-password-456');
    type(el, '#confirm-password', 'new-password-456');
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    http
      .expectOne('/auth/password')
      .flush(
        { statusCode: 400, code: 'validation_failed', message: 'The current password is wrong.' },
        { status: 400, statusText: 'Bad Request' },
      );
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('The current password is wrong');

    const signOut = [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Sign out everywhere')) as HTMLButtonElement;
    signOut.click();
    http.expectOne('/auth/logout-all').flush(null, { status: 204, statusText: 'No Content' });
    await flushMicrotasks();
    expect(navigate).toHaveBeenCalledWith(['/app/login']);
  });
});

describe('UsersPage', () => {
  it('lists users with their last sign-in and disables one', async () => {
    const http = setup();
    const fixture = TestBed.createComponent(UsersPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/admin/users').flush(USERS);
    await flushMicrotasks();
    await fixture.whenStable();
    const row = el.querySelector('tr[data-user="bob@example.com"]') as HTMLElement;
    expect(row.textContent).toContain('never');
    expect(row.textContent).toContain('active');
    const disable = [...row.querySelectorAll('button')].find((b) => b.textContent?.includes('Disable')) as HTMLButtonElement;
    disable.click();
    const patch = http.expectOne('/admin/users/u2');
    expect(patch.request.method).toBe('PATCH');
    expect(patch.request.body).toEqual({ disabled: true });
    patch.flush({ ...USERS[1], disabled: true });
    await flushMicrotasks();
    http.expectOne('/admin/users').flush([USERS[0], { ...USERS[1], disabled: true }]);
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.textContent).toContain('their sessions and API keys stop working now');
    expect((el.querySelector('tr[data-user="bob@example.com"]') as HTMLElement).textContent).toContain('disabled');
  });

  it('resets a password for a user', async () => {
    const http = setup();
    const fixture = TestBed.createComponent(UsersPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/admin/users').flush(USERS);
    await flushMicrotasks();
    await fixture.whenStable();
    const row = el.querySelector('tr[data-user="bob@example.com"]') as HTMLElement;
    ([...row.querySelectorAll('button')].find((b) => b.textContent?.includes('Reset password')) as HTMLButtonElement).click();
    await fixture.whenStable();
    type(el, '#reset-u2', 'a-new-password-for-bob');
    (el.querySelector('#reset-u2')?.closest('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const post = http.expectOne('/admin/users/u2/password');
    expect(post.request.body).toEqual({ new_password: 'a-new-password-for-bob' });
    post.flush(null, { status: 204, statusText: 'No Content' });
    await flushMicrotasks();
    http.expectOne('/admin/users').flush(USERS);
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.textContent).toContain('bob@example.com has a new password');
  });
});
