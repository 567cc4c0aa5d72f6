import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { PASSWORD_MIN_LENGTH } from '@seqpulse/contracts';
import { AccountsApi } from '../../core/accounts-api';
import { isApiError } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { ProjectsStore } from '../../core/projects.store';

/** My account: change my password (other sessions end) and sign out everywhere. */
@Component({
  selector: 'app-account-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow">
      <h1>Account</h1>
      <p class="muted">Signed in as {{ auth.user()?.email }}.</p>

      <form class="card form" (submit)="changePassword($event)" [attr.aria-busy]="busy() === 'password'" novalidate>
        <h2>Change password</h2>
        <div class="field">
          <label for="current-password">Current password</label>
          <input
            id="current-password"
            type="password"
            autocomplete="current-password"
            required
            [value]="current()"
            (input)="current.set($any($event.target).value)"
          />
        </div>
        <div class="field">
          <label for="new-password">New password</label>
          <input
            id="new-password"
            type="password"
            autocomplete="new-password"
            required
            [attr.minlength]="minLength"
            aria-describedby="new-password-hint"
            [value]="next()"
            (input)="next.set($any($event.target).value)"
          />
          <small id="new-password-hint" class="muted">At least {{ minLength }} characters. Your other sessions will be signed out.</small>
        </div>
        <div class="field">
          <label for="confirm-password">Repeat the new password</label>
          <input
            id="confirm-password"
            type="password"
            autocomplete="new-password"
            required
            [value]="confirm()"
            (input)="confirm.set($any($event.target).value)"
          />
        </div>
        @if (passwordMessage(); as msg) {
          <p class="alert-box {{ msg.tone }}" [attr.role]="msg.tone === 'error' ? 'alert' : 'status'">{{ msg.text }}</p>
        }
        <button type="submit" class="btn btn-primary" [disabled]="busy() !== null">
          {{ busy() === 'password' ? 'Changing…' : 'Change password' }}
        </button>
      </form>

      <div class="card form">
        <h2>Sign out everywhere</h2>
        <p class="muted">Ends every session of your account, this one included. API keys keep working; revoke them on the API keys page.</p>
        @if (logoutError(); as err) {
          <p class="alert-box error" role="alert">{{ err }}</p>
        }
        <button type="button" class="btn" (click)="logoutAll()" [disabled]="busy() !== null">
          {{ busy() === 'logout' ? 'Signing out…' : 'Sign out everywhere' }}
        </button>
      </div>
    </section>
  `,
})
export class AccountPage {
  protected readonly auth = inject(AuthService);
  private readonly accounts = inject(AccountsApi);
  private readonly projects = inject(ProjectsStore);
  private readonly router = inject(Router);
  protected readonly minLength = PASSWORD_MIN_LENGTH;

  protected readonly current = signal('');
  protected readonly next = signal('');
  protected readonly confirm = signal('');
  protected readonly busy = signal<'password' | 'logout' | null>(null);
  protected readonly passwordMessage = signal<{ tone: 'ok' | 'error'; text: string } | null>(null);
  protected readonly logoutError = signal<string | null>(null);

  protected async changePassword(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) return;
    const problem = !this.current()
      ? 'Enter your current password.'
      : this.next().length < this.minLength
        ? `The new password needs at least ${this.minLength} characters.`
        : this.next() !== this.confirm()
          ? 'The two new passwords differ.'
          : null;
    if (problem) {
      this.passwordMessage.set({ tone: 'error', text: problem });
      return;
    }
    this.busy.set('password');
    this.passwordMessage.set(null);
    try {
      await this.accounts.changePassword({ current_password: this.current(), new_password: this.next() });
      this.current.set('');
      this.next.set('');
      this.confirm.set('');
      this.passwordMessage.set({ tone: 'ok', text: 'Password changed. Your other sessions were signed out.' });
    } catch (err) {
      const wrongCurrent = isApiError(err) && err.code === 'validation_failed' && err.message.includes('current password');
      this.passwordMessage.set({
        tone: 'error',
        text: wrongCurrent ? 'The current password is wrong.' : isApiError(err) ? err.message : 'The password could not be changed.',
      });
    } finally {
      this.busy.set(null);
    }
  }

  protected async logoutAll(): Promise<void> {
    if (this.busy()) return;
    this.busy.set('logout');
    this.logoutError.set(null);
    try {
      await this.accounts.logoutAll();
      this.auth.clear();
      this.projects.reset();
      await this.router.navigate(['/app/login']);
    } catch (err) {
      this.logoutError.set(isApiError(err) ? err.message : 'Could not sign out everywhere.');
    } finally {
      this.busy.set(null);
    }
  }
}
