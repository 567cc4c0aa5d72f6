import { ChangeDetectionStrategy, Component, computed, inject, input, OnInit, signal } from '@angular/core';
import { ApiKeyView, CreatedApiKey, ProjectView, Scope, SCOPES } from '@seqpulse/contracts';
import { isApiError } from '../../core/api-error';
import { ApiService } from '../../core/api.service';
import { AuthService } from '../../core/auth.service';
import { formatDateTime } from '../../core/format';

const SCOPE_HELP: Record<Scope, string> = {
  'monitoring:read': 'read time series, alerts and the live stream',
  'alerts:write': 'change alert thresholds',
  'deployments:write': 'report deployments from CI',
  admin: 'administration (admins only)',
};

@Component({
  selector: 'app-api-keys-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section [class.page]="!embedded()">
      @if (embedded()) {
        <div class="section-head"><h2>API keys</h2></div>
      } @else {
        <div class="page-head"><h1>API keys</h1></div>
        <p class="muted">Keys let CI pipelines and integrations call the API. Each key carries scopes and may be limited to projects.</p>
      }

      @if (created(); as key) {
        <div class="card secret" role="alert" aria-labelledby="secret-title">
          <h3 id="secret-title">Key “{{ key.name }}” created — copy it now</h3>
          <p>This is the only time the secret is shown. Store it in your CI secrets; SeqPulse keeps only a hash.</p>
          <div class="secret-row">
            <label class="sr-only" for="new-key">New API key</label>
            <input id="new-key" class="mono" readonly [value]="key.key" (focus)="$any($event.target).select()" data-testid="new-key" />
            <button type="button" class="btn btn-primary" (click)="copy(key.key)">{{ copied() ? 'Copied' : 'Copy' }}</button>
          </div>
          <button type="button" class="btn btn-ghost" (click)="dismiss()">I have stored it — hide the key</button>
        </div>
      }

      <form class="card form" aria-labelledby="create-title" (submit)="create($event)">
        <h3 id="create-title">Create a key</h3>
        <div class="field">
          <label for="k-name">Name</label>
          <input
            id="k-name"
            type="text"
            maxlength="100"
            placeholder="e.g. github-actions"
            required
            [value]="name()"
            (input)="name.set($any($event.target).value)"
          />
        </div>
        <fieldset class="field">
          <legend>Scopes</legend>
          @for (s of availableScopes(); track s) {
            <label class="check">
              <input
                type="checkbox"
                [checked]="scopes().has(s)"
                (change)="toggleScope(s, $any($event.target).checked)"
                [attr.data-scope]="s"
              />
              <span class="mono">{{ s }}</span> <span class="muted small">— {{ help[s] }}</span>
            </label>
          }
        </fieldset>
        <fieldset class="field">
          <legend>Projects</legend>
          <label class="radio">
            <input type="radio" name="k-limit" [checked]="!limitToProjects()" (change)="limitToProjects.set(false)" />
            <span>All projects I can see</span>
          </label>
          <label class="radio">
            <input type="radio" name="k-limit" [checked]="limitToProjects()" (change)="limitToProjects.set(true)" />
            <span>Only these projects:</span>
          </label>
          @if (limitToProjects()) {
            <div class="indent">
              @for (p of projects(); track p.id) {
                <label class="check">
                  <input
                    type="checkbox"
                    [checked]="projectIds().has(p.id)"
                    (change)="toggleProject(p.id, $any($event.target).checked)"
                    [attr.data-project]="p.name"
                  />
                  <span>{{ p.name }}</span>
                </label>
              } @empty {
                <p class="muted small">No project to choose from.</p>
              }
            </div>
          }
        </fieldset>
        @if (formError(); as fe) {
          <p class="alert-box error" role="alert">{{ fe }}</p>
        }
        <div class="actions">
          <button type="submit" class="btn btn-primary" [disabled]="creating()">{{ creating() ? 'Creating…' : 'Create key' }}</button>
        </div>
      </form>

      <h3>Your keys</h3>
      @if (loading() && !keys()) {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading keys…</p>
      } @else if (error(); as err) {
        <p class="alert-box error" role="alert">{{ err }} <button type="button" class="btn btn-small" (click)="load()">Retry</button></p>
      } @else if (keys(); as list) {
        @if (list.length === 0) {
          <p class="state empty">No API key yet. Create one above for your CI.</p>
        } @else {
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">
                API keys
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Scopes</th>
                  <th scope="col">Projects</th>
                  <th scope="col">Created</th>
                  <th scope="col">Last used</th>
                  <th scope="col"><span class="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                @for (k of list; track k.id) {
                  <tr [class.revoked]="k.revoked_at" [attr.data-key]="k.name">
                    <th scope="row">{{ k.name }}</th>
                    <td class="mono small">{{ k.prefix }}…</td>
                    <td class="small">{{ k.scopes.join(', ') }}</td>
                    <td class="small">{{ projectsOf(k) }}</td>
                    <td class="small nowrap">{{ date(k.created_at) }}</td>
                    <td class="small nowrap">{{ k.last_used_at ? date(k.last_used_at) : 'never' }}</td>
                    <td>
                      @if (k.revoked_at) {
                        <span class="badge tone-muted">revoked</span>
                      } @else if (confirming() === k.id) {
                        <span class="confirm">
                          <button type="button" class="btn btn-danger btn-small" (click)="revoke(k)" [disabled]="revoking() === k.id">
                            Confirm revoke
                          </button>
                          <button type="button" class="btn btn-ghost btn-small" (click)="confirming.set(null)">Cancel</button>
                        </span>
                      } @else {
                        <button
                          type="button"
                          class="btn btn-small"
                          (click)="confirming.set(k.id)"
                          [attr.aria-label]="'Revoke key ' + k.name"
                        >
                          Revoke
                        </button>
                      }
                    </td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      }
      @if (message(); as msg) {
        <p class="alert-box {{ msg.tone }}" role="status">{{ msg.text }}</p>
      }
    </section>
  `,
})
export class ApiKeysPage implements OnInit {
  /** Inside the admin screens (route data `embedded: true`) the page drops its own frame. */
  readonly embedded = input(false);
  private readonly api = inject(ApiService);
  private readonly auth = inject(AuthService);
  protected readonly help = SCOPE_HELP;
  protected readonly availableScopes = computed(() => SCOPES.filter((s) => s !== 'admin' || this.auth.isAdmin()));
  protected readonly keys = signal<ApiKeyView[] | null>(null);
  protected readonly projects = signal<ProjectView[]>([]);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly name = signal('');
  protected readonly scopes = signal<Set<Scope>>(new Set<Scope>(['monitoring:read']));
  protected readonly limitToProjects = signal(false);
  protected readonly projectIds = signal<Set<string>>(new Set());
  protected readonly creating = signal(false);
  protected readonly formError = signal<string | null>(null);
  protected readonly created = signal<CreatedApiKey | null>(null);
  protected readonly copied = signal(false);
  protected readonly confirming = signal<string | null>(null);
  protected readonly revoking = signal<string | null>(null);
  protected readonly message = signal<{ tone: 'ok' | 'error'; text: string } | null>(null);
  protected readonly date = formatDateTime;

  ngOnInit(): void {
    void this.load();
    this.api
      .listProjects(this.auth.isAdmin())
      .then((list) => this.projects.set([...list].sort((a, b) => a.name.localeCompare(b.name))))
      .catch(() => this.projects.set([]));
  }

  protected async load(): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const list = await this.api.listApiKeys();
      this.keys.set([...list].sort((a, b) => Number(!!a.revoked_at) - Number(!!b.revoked_at) || b.created_at.localeCompare(a.created_at)));
    } catch (err) {
      this.error.set(isApiError(err) ? err.message : 'Keys could not be loaded.');
    } finally {
      this.loading.set(false);
    }
  }

  protected toggleScope(scope: Scope, on: boolean): void {
    const next = new Set(this.scopes());
    if (on) next.add(scope);
    else next.delete(scope);
    this.scopes.set(next);
  }

  protected toggleProject(id: string, on: boolean): void {
    const next = new Set(this.projectIds());
    if (on) next.add(id);
    else next.delete(id);
    this.projectIds.set(next);
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    const name = this.name().trim();
    if (!name) return this.formError.set('Give the key a name.');
    if (this.scopes().size === 0) return this.formError.set('Choose at least one scope.');
    if (this.limitToProjects() && this.projectIds().size === 0) return this.formError.set('Choose at least one project.');
    this.formError.set(null);
    this.creating.set(true);
    try {
      const key = await this.api.createApiKey({
        name,
        scopes: SCOPES.filter((s) => this.scopes().has(s)),
        ...(this.limitToProjects() ? { project_ids: [...this.projectIds()] } : {}),
      });
      this.created.set(key);
      this.copied.set(false);
      this.name.set('');
      this.message.set(null);
      await this.load();
    } catch (err) {
      this.formError.set(isApiError(err) ? err.message : 'The key could not be created.');
    } finally {
      this.creating.set(false);
    }
  }

  protected async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied.set(true);
    } catch {
      // no clipboard permission: the field is focused and selected so Ctrl+C works
      const input = document.getElementById('new-key') as HTMLInputElement | null;
      input?.focus();
      input?.select();
    }
  }

  /** Forgets the clear key: it can never be shown again. */
  protected dismiss(): void {
    this.created.set(null);
    this.copied.set(false);
  }

  protected async revoke(key: ApiKeyView): Promise<void> {
    this.revoking.set(key.id);
    try {
      await this.api.revokeApiKey(key.id);
      this.message.set({ tone: 'ok', text: `Key “${key.name}” revoked. It stops working at once.` });
      if (this.created()?.id === key.id) this.dismiss();
      await this.load();
    } catch (err) {
      this.message.set({ tone: 'error', text: isApiError(err) ? err.message : 'The key could not be revoked.' });
    } finally {
      this.revoking.set(null);
      this.confirming.set(null);
    }
  }

  protected projectsOf(key: ApiKeyView): string {
    if (!key.project_ids || key.project_ids.length === 0) return 'all';
    return key.project_ids.map((id) => this.projects().find((p) => p.id === id)?.name ?? id).join(', ');
  }
}
