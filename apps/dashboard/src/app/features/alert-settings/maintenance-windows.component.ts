import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';
import { CreateMaintenanceWindowRequest, MAINTENANCE_MAX_DURATION_MIN, MaintenanceWindowView } from '@seqpulse/contracts';
import {
  browserZone,
  describeSchedule,
  formatOccurrence,
  knownZones,
  localInputValue,
  SchedulePreset,
  scheduleRrule,
  WEEKDAYS,
  WeekdayCode,
  zonedInstant,
} from './maintenance-schedule';

const PRESETS: { id: SchedulePreset; label: string }[] = [
  { id: 'once', label: 'One-off' },
  { id: 'daily', label: 'Daily' },
  { id: 'weekly', label: 'Weekly on…' },
  { id: 'custom', label: 'Custom RRULE' },
];

/** Maintenance windows: list with their next occurrences (as the API computes them), create, delete. */
@Component({
  selector: 'app-maintenance-windows',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './alert-settings.css',
  template: `
    <section class="card" aria-labelledby="windows-title">
      <h2 id="windows-title">Maintenance windows</h2>
      <p class="muted small">During each occurrence alerts are silenced. Recurring windows keep their local time in their time zone.</p>
      @if (!readOnly()) {
        <form class="form-grid" aria-label="New maintenance window" (submit)="submit($event)">
          <div class="field">
            <label for="m-env">Environment</label>
            <select id="m-env" (change)="env.set($any($event.target).value)">
              <option value="" [selected]="env() === ''">Every env</option>
              @for (e of envs(); track e) {
                <option [value]="e" [selected]="env() === e">{{ e }}</option>
              }
            </select>
          </div>
          <div class="field">
            <label for="m-repeat">Repeats</label>
            <select id="m-repeat" (change)="preset.set($any($event.target).value)">
              @for (p of presets; track p.id) {
                <option [value]="p.id" [selected]="preset() === p.id">{{ p.label }}</option>
              }
            </select>
          </div>
          @if (preset() === 'weekly') {
            <fieldset class="field wide weekdays">
              <legend>On</legend>
              @for (d of weekdays; track d.code) {
                <label class="check">
                  <input type="checkbox" [checked]="days().includes(d.code)" (change)="toggleDay(d.code, $any($event.target).checked)" />
                  {{ d.label }}
                </label>
              }
            </fieldset>
          }
          @if (preset() === 'custom') {
            <div class="field wide">
              <label for="m-rrule">RRULE</label>
              <input
                id="m-rrule"
                type="text"
                class="mono"
                placeholder="FREQ=MONTHLY;BYMONTHDAY=1"
                [value]="custom()"
                (input)="custom.set($any($event.target).value)"
              />
            </div>
          }
          <div class="field">
            <label for="m-start">{{ preset() === 'once' ? 'Starts' : 'First occurrence' }} (in the time zone)</label>
            <input id="m-start" type="datetime-local" [value]="startsAt()" (input)="startsAt.set($any($event.target).value)" />
          </div>
          <div class="field">
            <label for="m-duration">Duration (min)</label>
            <input id="m-duration" type="text" inputmode="numeric" [value]="duration()" (input)="duration.set($any($event.target).value)" />
          </div>
          <div class="field">
            <label for="m-zone">Time zone</label>
            <select id="m-zone" (change)="zone.set($any($event.target).value)">
              @for (z of zones; track z) {
                <option [value]="z" [selected]="zone() === z">{{ z }}</option>
              }
            </select>
          </div>
          <div class="field wide">
            <label for="m-comment">Comment</label>
            <input id="m-comment" type="text" maxlength="500" [value]="comment()" (input)="comment.set($any($event.target).value)" />
          </div>
          <div class="actions wide">
            <button type="submit" class="btn btn-primary" [disabled]="busy()">Create window</button>
            @if (formError() ?? serverError(); as fe) {
              <span class="field-error" role="alert">{{ fe }}</span>
            }
          </div>
        </form>
      }
      @if (error(); as err) {
        <p class="alert-box error" role="alert">{{ err }}</p>
      } @else if (!windows()) {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading maintenance windows…</p>
      } @else if (windows()?.length === 0) {
        <p class="state empty">No maintenance window.</p>
      } @else {
        <ul class="window-list">
          @for (w of windows(); track w.id) {
            <li class="window-item" [attr.data-id]="w.id">
              <div class="window-head">
                <strong>{{ w.comment }}</strong>
                <span class="muted small"
                  >{{ w.env ?? 'every env' }} · {{ schedule(w.rrule) }} · {{ w.duration_min }} min · {{ w.time_zone }}</span
                >
                @if (w.rrule) {
                  <code class="small">{{ w.rrule }}</code>
                }
                @if (!readOnly()) {
                  <button type="button" class="btn btn-small" [disabled]="busy()" (click)="remove.emit(w.id)">Delete</button>
                }
              </div>
              @if (w.next_occurrences.length) {
                <ol class="occurrences small" aria-label="Next occurrences">
                  @for (o of w.next_occurrences; track o.starts_at) {
                    <li>{{ occurrence(o.starts_at, o.ends_at, w.time_zone) }}</li>
                  }
                </ol>
              } @else {
                <p class="muted small">No occurrence to come.</p>
              }
            </li>
          }
        </ul>
      }
    </section>
  `,
})
export class MaintenanceWindowsComponent {
  readonly windows = input<readonly MaintenanceWindowView[] | null>(null);
  readonly envs = input<readonly string[]>([]);
  readonly readOnly = input(false);
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly serverError = input<string | null>(null);
  readonly create = output<CreateMaintenanceWindowRequest>();
  readonly remove = output<string>();

  protected readonly presets = PRESETS;
  protected readonly weekdays = WEEKDAYS;
  protected readonly zones = knownZones();
  protected readonly env = signal('');
  protected readonly preset = signal<SchedulePreset>('once');
  protected readonly days = signal<WeekdayCode[]>([]);
  protected readonly custom = signal('');
  protected readonly startsAt = signal(localInputValue(Date.now() + 3600_000).slice(0, 14) + '00');
  protected readonly duration = signal('60');
  protected readonly zone = signal(browserZone());
  protected readonly comment = signal('');
  protected readonly formError = signal<string | null>(null);
  protected schedule = describeSchedule;
  protected occurrence = formatOccurrence;

  protected toggleDay(code: WeekdayCode, on: boolean): void {
    this.days.update((list) => (on ? [...list.filter((d) => d !== code), code] : list.filter((d) => d !== code)));
  }

  protected submit(event: Event): void {
    event.preventDefault();
    const { rrule, problem } = scheduleRrule(this.preset(), this.days(), this.custom());
    const startsAt = zonedInstant(this.startsAt(), this.zone());
    const duration = Number(this.duration());
    const error =
      problem ??
      (!startsAt ? 'Enter the start.' : null) ??
      (!Number.isInteger(duration) || duration < 1 || duration > MAINTENANCE_MAX_DURATION_MIN
        ? `The duration is a whole number of minutes from 1 to ${MAINTENANCE_MAX_DURATION_MIN}.`
        : null) ??
      (!this.comment().trim() ? 'Say what the maintenance is.' : null);
    this.formError.set(error);
    if (error || !startsAt) return;
    this.create.emit({
      env: this.env() || null,
      rrule,
      starts_at: startsAt,
      duration_min: duration,
      time_zone: this.zone(),
      comment: this.comment().trim(),
    });
  }
}
