import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { ApiError, toApiError } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { ProjectsStore } from '../../core/projects.store';

@Component({
  selector: 'app-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page narrow login">
      <h1>Sign in</h1>
      <p class="muted">Realtime monitoring of your deployments: five live metrics, alerts and deploy markers.</p>
      <form class="card form" (submit)="submit($event)" [attr.aria-busy]="busy()" novalidate>
        <div class="field">
          <label for="login-email">Email</label>
          <input
            id="login-email"
            name="email"
            type="email"
            autocomplete="username"
            required
            [value]="email()"
            (input)="email.set($any($event.target).value)"
          />
        </div>
        <div class="field">
          <label for="login-password">Password</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
            [value]="password()"
            (input)="password.set($any($event.target).value)"
          />
        </div>
        @if (error(); as err) {
          <p class="alert-box error" role="alert">{{ err }}</p>
        }
        <button type="submit" class="btn btn-primary" [disabled]="busy()">
          {{ busy() ? 'Signing in…' : 'Sign in' }}
        </button>
      </form>
    </section>
  `,
})
export class LoginPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly projects = inject(ProjectsStore);

  protected readonly email = signal('');
  protected readonly password = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy()) return;
    if (!this.email().trim() || !this.password()) {
      this.error.set('Enter your email and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login({ email: this.email().trim(), password: this.password() });
      this.projects.reset();
      const returnUrl = this.route.snapshot.queryParamMap.get('returnUrl');
      const safe = returnUrl && returnUrl.startsWith('/app/') ? returnUrl : '/app/overview';
      await this.router.navigateByUrl(safe);
    } catch (err) {
      const apiError: ApiError = toApiError(err);
      this.error.set(
        apiError.status === 401 || apiError.code === 'unauthenticated'
          ? 'Wrong email or password.'
          : apiError.code === 'validation_failed'
            ? 'Enter a valid email and password.'
            : apiError.message,
      );
    } finally {
      this.busy.set(false);
    }
  }
}
