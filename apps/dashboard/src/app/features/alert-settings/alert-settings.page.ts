import { ChangeDetectionStrategy, Component, effect, inject, input, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AlertRuleName } from '@seqpulse/contracts';
import { AlertSettingsStore } from './alert-settings.store';
import { MaintenanceWindowsComponent } from './maintenance-windows.component';
import { NotificationOptionsComponent } from './notification-options.component';
import { RuleSettingsComponent } from './rule-settings.component';
import { SilencesComponent } from './silences.component';

/** Alert settings of one project: rules per env, silences, maintenance windows, notification options. */
@Component({
  selector: 'app-alert-settings-page',
  imports: [RouterLink, RuleSettingsComponent, SilencesComponent, MaintenanceWindowsComponent, NotificationOptionsComponent],
  providers: [AlertSettingsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  styles: `
    .alert-settings > .card {
      margin-bottom: 1rem;
    }
  `,
  template: `
    <section class="page alert-settings">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a routerLink="/app/projects">Projects</a> <span aria-hidden="true">›</span>
        <a [routerLink]="['/app/projects', id()]">{{ store.project()?.name ?? 'Project' }}</a> <span aria-hidden="true">›</span>
      </nav>
      <div class="page-head"><h1>Alert settings</h1></div>
      @if (store.readOnly()) {
        <p class="alert-box warn" role="status">Read-only: your access cannot change alert settings.</p>
      }

      <section class="card" aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <p class="muted small">
          Empty fields keep their default: no warning level, recovery at the threshold, a 5-minute mean, one sample. An env follows the
          project-wide rules unless it overrides one.
        </p>
        <div class="btn-group" role="group" aria-label="Scope">
          <button type="button" class="btn btn-seg" [attr.aria-pressed]="scope() === null" (click)="scope.set(null)">Project-wide</button>
          @for (e of store.envs(); track e) {
            <button type="button" class="btn btn-seg" [attr.aria-pressed]="scope() === e" (click)="scope.set(e)">{{ e }}</button>
          }
        </div>
        @if (store.rulesError(); as err) {
          <p class="alert-box error" role="alert">
            {{ err.message }} <button type="button" class="btn btn-small" (click)="store.loadRules()">Retry</button>
          </p>
        } @else if (store.rulesLoading() && store.drafts().length === 0) {
          <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading rules…</p>
        } @else {
          <app-rule-settings
            [scope]="scope()"
            [drafts]="store.drafts()"
            [problems]="store.problems()"
            [readOnly]="store.readOnly()"
            (edit)="store.updateDraft($event.key, $event.patch)"
            (override)="setOverride($event.rule, $event.on)"
          />
          @if (!store.readOnly()) {
            <div class="actions">
              <button
                type="button"
                class="btn btn-primary"
                [disabled]="!store.dirty() || !store.valid() || store.saving()"
                (click)="store.saveRules()"
              >
                {{ store.saving() ? 'Saving…' : 'Save rules' }}
              </button>
              <button type="button" class="btn btn-ghost" [disabled]="!store.dirty() || store.saving()" (click)="store.discard()">
                Discard changes
              </button>
              @if (store.saveError(); as err) {
                <span class="field-error" role="alert">{{ err.message }}</span>
              } @else if (!store.valid()) {
                <span class="field-error">Fix the fields marked above.</span>
              } @else if (store.savedAt()) {
                <span class="muted small" role="status">Rules saved.</span>
              }
            </div>
          }
        }
      </section>

      <app-silences
        [silences]="store.silences()"
        [envs]="store.envs()"
        [readOnly]="store.readOnly()"
        [busy]="store.busy() === 'silences'"
        [error]="store.silencesError()?.message ?? null"
        [serverError]="store.writeErrors().silences?.message ?? null"
        (create)="store.createSilence($event)"
        (end)="store.endSilence($event)"
      />
      <app-maintenance-windows
        [windows]="store.windows()"
        [envs]="store.envs()"
        [readOnly]="store.readOnly()"
        [busy]="store.busy() === 'windows'"
        [error]="store.windowsError()?.message ?? null"
        [serverError]="store.writeErrors().windows?.message ?? null"
        (create)="store.createWindow($event)"
        (remove)="store.deleteWindow($event)"
      />
      <app-notification-options
        [settings]="store.notifications()"
        [readOnly]="store.readOnly()"
        [busy]="store.busy() === 'notifications'"
        [error]="store.notificationsError()?.message ?? null"
        [serverError]="store.writeErrors().notifications?.message ?? null"
        [saved]="store.notificationsSaved()"
        (save)="store.saveNotifications($event)"
      />
    </section>
  `,
})
export class AlertSettingsPage {
  protected readonly store = inject(AlertSettingsStore);
  /** Route parameter `:id` (component input binding). */
  readonly id = input.required<string>();
  /** The rules shown: project-wide (null) or one env's. */
  protected readonly scope = signal<string | null>(null);

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.store.load(id));
    });
  }

  protected setOverride(rule: AlertRuleName, on: boolean): void {
    const env = this.scope();
    if (env) this.store.setOverride(rule, env, on);
  }
}
