import { ChangeDetectionStrategy, Component, computed, inject, OnInit, signal } from '@angular/core';
import { AdminUserView, PASSWORD_MIN_LENGTH, Role, ROLES } from '@seqpulse/contracts';
import { AccountsApi } from '../../core/accounts-api';
import { isApiError } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { formatDateTime } from '../../core/format';

/** Every account: create, disable/enable, change role, reset a password, delete. Needs a signed-in administrator. */
@Component({
  selector: 'app-admin-users-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="section-head">
      <h2>Users</h2>
      <button type="button" class="btn" (click)="load()" [disabled]="loading()">Refresh</button>
    </div>
    @if (message(); as msg) {
      <p class="alert-box {{ msg.tone }}" [attr.role]="msg.tone === 'error' ? 'alert' : 'status'">{{ msg.text }}</p>
    }
    <form class="card toolbar" (submit)="create($event)" novalidate aria-label="Create a user">
      <div class="field">
        <label for="new-user-email">Email</label>
        <input id="new-user-email" type="email" autocomplete="off" [value]="newEmail()" (input)="newEmail.set($any($event.target).value)" />
      </div>
      <div class="field">
        <label for="new-user-password">Password</label>
        <input
          id="new-user-password"
          type="password"
          autocomplete="new-password"
          [attr.minlength]="minLength"
          [value]="newPassword()"
          (input)="newPassword.set($any($event.target).value)"
        />
      </div>
      <div class="field">
        <label for="new-user-role">Role</label>
        <select id="new-user-role" (change)="newRole.set($any($event.target).value)">
          @for (r of roles; track r) {
            <option [value]="r" [selected]="r === newRole()">{{ r }}</option>
          }
        </select>
      </div>
      <button type="submit" class="btn btn-primary" [disabled]="busy() !== null">Create user</button>
    </form>
    @if (loading() && !users()) {
      <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading users…</p>
    } @else if (error(); as err) {
      <p class="alert-box error" role="alert">{{ err }} <button type="button" class="btn btn-small" (click)="load()">Retry</button></p>
    } @else if (users(); as list) {
      <div class="table-wrap">
        <table class="table">
          <caption class="sr-only">
            Every account with its role, state and last sign-in
          </caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Created</th>
              <th scope="col"><span class="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            @for (u of list; track u.id) {
              <tr [attr.data-user]="u.email">
                <th scope="row">
                  {{ u.email }}
                  @if (u.id === me()) {
                    <span class="badge">you</span>
                  }
                </th>
                <td>
                  <label class="sr-only" [for]="'role-' + u.id">Role of {{ u.email }}</label>
                  <select
                    [id]="'role-' + u.id"
                    [disabled]="u.id === me() || busy() === u.id"
                    (change)="setRole(u, $any($event.target).value)"
                  >
                    @for (r of roles; track r) {
                      <option [value]="r" [selected]="r === u.role">{{ r }}</option>
                    }
                  </select>
                </td>
                <td>
                  <span class="badge tone-{{ u.disabled ? 'bad' : 'ok' }}">{{ u.disabled ? 'disabled' : 'active' }}</span>
                </td>
                <td class="small">{{ u.last_login_at ? date(u.last_login_at) : 'never' }}</td>
                <td class="small">{{ date(u.created_at) }}</td>
                <td class="actions">
                  @if (u.id !== me()) {
                    <button type="button" class="btn btn-small" [disabled]="busy() === u.id" (click)="toggle(u)">
                      {{ u.disabled ? 'Enable' : 'Disable' }}
                    </button>
                    <button type="button" class="btn btn-small" [disabled]="busy() === u.id" (click)="resetFor.set(u.id)">
                      Reset password
                    </button>
                    <button type="button" class="btn btn-small btn-danger" [disabled]="busy() === u.id" (click)="remove(u)">Delete</button>
                  }
                </td>
              </tr>
              @if (resetFor() === u.id) {
                <tr>
                  <td colspan="6">
                    <form class="toolbar" (submit)="reset($event, u)" novalidate>
                      <label [for]="'reset-' + u.id">New password for {{ u.email }}</label>
                      <input
                        [id]="'reset-' + u.id"
                        type="password"
                        autocomplete="new-password"
                        [attr.minlength]="minLength"
                        [value]="resetPassword()"
                        (input)="resetPassword.set($any($event.target).value)"
                      />
                      <button type="submit" class="btn btn-small btn-primary" [disabled]="busy() === u.id">Set password</button>
                      <button type="button" class="btn btn-small" (click)="resetFor.set(null)">Cancel</button>
                    </form>
                  </td>
                </tr>
              }
            }
          </tbody>
        </table>
      </div>
    }
  `,
})
export class UsersPage implements OnInit {
  private readonly accounts = inject(AccountsApi);
  private readonly auth = inject(AuthService);
  protected readonly roles = ROLES;
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  protected readonly date = formatDateTime;
  protected readonly me = computed(() => this.auth.user()?.id ?? null);

  protected readonly users = signal<AdminUserView[] | null>(null);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly busy = signal<string | null>(null);
  protected readonly message = signal<{ tone: 'ok' | 'error'; text: string } | null>(null);
  protected readonly newEmail = signal('');
  protected readonly newPassword = signal('');
  protected readonly newRole = signal<Role>('member');
  protected readonly resetFor = signal<string | null>(null);
  protected readonly resetPassword = signal('');

  ngOnInit(): void {
    void this.load();
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      this.users.set(await this.accounts.listUsers());
    } catch (err) {
      this.error.set(isApiError(err) ? err.message : 'Users could not be loaded.');
    } finally {
      this.loading.set(false);
    }
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.newEmail().trim() || this.newPassword().length < this.minLength) {
      this.message.set({ tone: 'error', text: `Enter an email and a password of at least ${this.minLength} characters.` });
      return;
    }
    await this.act('new', `${this.newEmail().trim()} was created.`, async () => {
      await this.accounts.createUser({ email: this.newEmail().trim(), password: this.newPassword(), role: this.newRole() });
      this.newEmail.set('');
      this.newPassword.set('');
    });
  }

  protected toggle(user: AdminUserView): Promise<void> {
    const disabled = !user.disabled;
    return this.act(
      user.id,
      disabled ? `${user.email} is disabled: their sessions and API keys stop working now.` : `${user.email} is enabled again.`,
      () => this.accounts.updateUser(user.id, { disabled }),
    );
  }

  protected setRole(user: AdminUserView, role: Role): Promise<void> {
    if (role === user.role) return Promise.resolve();
    return this.act(user.id, `${user.email} is now ${role}.`, () => this.accounts.updateUser(user.id, { role }));
  }

  protected async reset(event: Event, user: AdminUserView): Promise<void> {
    event.preventDefault();
    if (this.resetPassword().length < this.minLength) {
      this.message.set({ tone: 'error', text: `The new password needs at least ${this.minLength} characters.` });
      return;
    }
    await this.act(user.id, `${user.email} has a new password; their sessions were signed out.`, async () => {
      await this.accounts.resetPassword(user.id, this.resetPassword());
      this.resetFor.set(null);
      this.resetPassword.set('');
    });
  }

  protected remove(user: AdminUserView): Promise<void> {
    if (!confirm(`Delete ${user.email} with their projects and API keys? This cannot be undone.`)) return Promise.resolve();
    return this.act(user.id, `${user.email} was deleted.`, () => this.accounts.deleteUser(user.id));
  }

  private async act(id: string, success: string, work: () => Promise<unknown>): Promise<void> {
    this.busy.set(id);
    this.message.set(null);
    try {
      await work();
      this.message.set({ tone: 'ok', text: success });
    } catch (err) {
      this.message.set({ tone: 'error', text: isApiError(err) ? err.message : 'The change could not be made.' });
    } finally {
      this.busy.set(null);
      await this.load();
    }
  }
}
