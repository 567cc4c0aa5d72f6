import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { ALERT_RULES, AlertRuleName, CreateSilenceRequest, SILENCE_MAX_DURATION_S, SilenceView } from '@seqpulse/contracts';
import { formatDateTime, ruleLabel } from '../../core/format';
import { localInputValue } from './maintenance-schedule';

const MAX_DAYS = SILENCE_MAX_DURATION_S / 86_400;

/** The form's problem with a silence before it is sent (the server checks the same and more). */
export function silenceProblem(startsAt: string, endsAt: string, comment: string, now = Date.now()): string | null {
  const start = Date.parse(startsAt);
  const end = Date.parse(endsAt);
  if (Number.isNaN(start) || Number.isNaN(end)) return 'Enter a start and an end.';
  if (end <= start) return 'The end must be after the start.';
  if (end <= now) return 'The end must be in the future.';
  if (end - start > SILENCE_MAX_DURATION_S * 1000) return `A silence lasts at most ${MAX_DAYS} days; disable the rule instead.`;
  if (!comment.trim()) return 'Say why (the comment is shown to whoever sees the silence).';
  return null;
}

/** Silences of the project with their state; a form to create one; active and pending ones can end now. */
@Component({
  selector: 'app-silences',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './alert-settings.css',
  template: `
    <section class="card" aria-labelledby="silences-title">
      <h2 id="silences-title">Silences</h2>
      <p class="muted small">
        A silenced alert still opens and resolves (its history is complete) but sends nothing. At most {{ maxDays }} days.
      </p>
      @if (!readOnly()) {
        <form class="form-grid" aria-label="New silence" (submit)="submit($event)">
          <div class="field">
            <label for="s-env">Environment</label>
            <select id="s-env" (change)="env.set($any($event.target).value)">
              <option value="" [selected]="env() === ''">Every env</option>
              @for (e of envs(); track e) {
                <option [value]="e" [selected]="env() === e">{{ e }}</option>
              }
            </select>
          </div>
          <div class="field">
            <label for="s-rule">Rule</label>
            <select id="s-rule" (change)="rule.set($any($event.target).value)">
              <option value="" [selected]="rule() === ''">Every rule</option>
              @for (r of rules; track r) {
                <option [value]="r" [selected]="rule() === r">{{ label(r) }}</option>
              }
            </select>
          </div>
          <div class="field">
            <label for="s-start">Starts (local time)</label>
            <input id="s-start" type="datetime-local" [value]="startsAt()" (input)="startsAt.set($any($event.target).value)" />
          </div>
          <div class="field">
            <label for="s-end">Ends (local time)</label>
            <input id="s-end" type="datetime-local" [value]="endsAt()" (input)="endsAt.set($any($event.target).value)" />
          </div>
          <div class="field wide">
            <label for="s-comment">Comment</label>
            <input id="s-comment" type="text" maxlength="500" [value]="comment()" (input)="comment.set($any($event.target).value)" />
          </div>
          <div class="actions wide">
            <button type="submit" class="btn btn-primary" [disabled]="busy()">Create silence</button>
            @if (formError() ?? serverError(); as fe) {
              <span class="field-error" role="alert">{{ fe }}</span>
            }
          </div>
        </form>
      }
      @if (error(); as err) {
        <p class="alert-box error" role="alert">{{ err }}</p>
      } @else if (!silences()) {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading silences…</p>
      } @else if (silences()?.length === 0) {
        <p class="state empty">No silence.</p>
      } @else {
        <div class="table-wrap">
          <table class="table silences-table">
            <caption class="sr-only">
              Silences
            </caption>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Matches</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Comment</th>
                <th scope="col">By</th>
                <th scope="col"><span class="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              @for (s of silences(); track s.id) {
                <tr [attr.data-state]="s.state" [attr.data-id]="s.id">
                  <td>
                    <span class="badge" [class]="tone[s.state]">{{ s.state }}</span>
                  </td>
                  <td>{{ s.env ?? 'every env' }} · {{ s.rule ? label(s.rule) : 'every rule' }}</td>
                  <td class="nowrap">{{ when(s.starts_at) }}</td>
                  <td class="nowrap">{{ when(s.ends_at) }}</td>
                  <td>{{ s.comment }}</td>
                  <td class="small">
                    {{ s.created_by ?? '—' }}
                    @if (s.ended_by) {
                      <div class="muted">ended by {{ s.ended_by }}</div>
                    }
                  </td>
                  <td>
                    @if ((s.state === 'active' || s.state === 'pending') && !readOnly()) {
                      <button type="button" class="btn btn-small" [disabled]="busy()" (click)="end.emit(s.id)">End now</button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
})
export class SilencesComponent {
  readonly silences = input<readonly SilenceView[] | null>(null);
  readonly envs = input<readonly string[]>([]);
  readonly readOnly = input(false);
  readonly busy = input(false);
  /** The list's load error. */
  readonly error = input<string | null>(null);
  /** The server's refusal of the last write (its message), shown by the form. */
  readonly serverError = input<string | null>(null);
  readonly create = output<CreateSilenceRequest>();
  readonly end = output<string>();

  protected readonly maxDays = MAX_DAYS;
  protected readonly rules = ALERT_RULES;
  protected readonly tone: Record<string, string> = {
    active: 'badge tone-warn',
    pending: 'badge tone-muted',
    expired: 'badge',
    ended: 'badge',
  };
  protected readonly env = signal('');
  protected readonly rule = signal('');
  protected readonly startsAt = signal(localInputValue(Date.now()));
  protected readonly endsAt = signal(localInputValue(Date.now() + 2 * 3600_000));
  protected readonly comment = signal('');
  protected readonly formError = signal<string | null>(null);
  protected label = ruleLabel;
  protected when = formatDateTime;

  protected submit(event: Event): void {
    event.preventDefault();
    const startsAt = new Date(this.startsAt()).toISOString();
    const endsAt = new Date(this.endsAt()).toISOString();
    const problem = this.startsAt() && this.endsAt() ? silenceProblem(startsAt, endsAt, this.comment()) : 'Enter a start and an end.';
    this.formError.set(problem);
    if (problem) return;
    this.create.emit({
      env: this.env() || null,
      rule: (this.rule() || null) as AlertRuleName | null,
      starts_at: startsAt,
      ends_at: endsAt,
      comment: this.comment().trim(),
    });
  }
}
