import { ChangeDetectionStrategy, Component, effect, input, output, signal } from '@angular/core';
import {
  DEPLOYMENT_SILENCE_LIMITS,
  NotificationSettingsView,
  RENOTIFY_LIMITS,
  UpdateNotificationSettingsRequest,
  WEBHOOK_FORMATS,
  WebhookFormat,
} from '@seqpulse/contracts';

const FORMAT_HELP: Record<WebhookFormat, string> = {
  seqpulse: 'SeqPulse JSON, signed (verify with @seqpulse/hmac)',
  alertmanager: "Alertmanager's webhook payload (version 4): receivers written for Alertmanager work unchanged",
};

/** The form's body for `PUT /projects/:id/notifications`, or the first problem (bounds from the contract). */
export function notificationBody(
  settings: NotificationSettingsView,
  form: {
    sendResolved: boolean;
    renotify: boolean;
    renotifyMin: string;
    renotifyMax: string;
    format: WebhookFormat;
    deploySilence: boolean;
    deploySilenceMax: string;
  },
): { body: UpdateNotificationSettingsRequest | null; problem: string | null } {
  // PUT replaces everything: the channel URLs, which this form does not edit, are sent back unchanged, else they
  // would be turned off.
  const body: UpdateNotificationSettingsRequest = {
    webhook_url: settings.webhook_url,
    slack_webhook_url: settings.slack_webhook_url,
    send_resolved: form.sendResolved,
    webhook_format: form.format,
    renotify_min: null,
  };
  if (form.deploySilence) {
    const cap = Number(form.deploySilenceMax);
    if (!Number.isInteger(cap) || cap < 1 || cap > DEPLOYMENT_SILENCE_LIMITS.maxMinutes) {
      return { body: null, problem: `The deployment silence lasts 1–${DEPLOYMENT_SILENCE_LIMITS.maxMinutes} minutes (a whole number).` };
    }
    Object.assign(body, { silence_during_deployments: true, deployment_silence_max_min: cap });
  }
  if (!form.renotify) return { body, problem: null };
  const min = Number(form.renotifyMin);
  const max = Number(form.renotifyMax);
  if (!Number.isInteger(min) || min < RENOTIFY_LIMITS.minMinutes || min > RENOTIFY_LIMITS.maxMinutes) {
    return { body: null, problem: `Re-notify every ${RENOTIFY_LIMITS.minMinutes}–${RENOTIFY_LIMITS.maxMinutes} minutes (a whole number).` };
  }
  if (!Number.isInteger(max) || max < 1 || max > RENOTIFY_LIMITS.maxCount) {
    return { body: null, problem: `The cap is a whole number from 1 to ${RENOTIFY_LIMITS.maxCount}.` };
  }
  return { body: { ...body, renotify_min: min, renotify_max: max }, problem: null };
}

/** Send resolved, re-notification interval and cap, webhook format, silence during deployments. */
@Component({
  selector: 'app-notification-options',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './alert-settings.css',
  template: `
    <section class="card" aria-labelledby="notify-title">
      <h2 id="notify-title">Notification options</h2>
      @if (error(); as err) {
        <p class="alert-box error" role="alert">{{ err }}</p>
      } @else if (settings(); as s) {
        <p class="muted small">
          Webhook: <span class="mono">{{ s.webhook_url ?? 'off' }}</span> · Slack:
          <span class="mono">{{ s.slack_webhook_url ?? 'off' }}</span>
        </p>
        <form class="form-grid" aria-label="Notification options" (submit)="submit($event, s)">
          <fieldset class="field wide" [disabled]="readOnly()">
            <label class="check">
              <input id="n-resolved" type="checkbox" [checked]="sendResolved()" (change)="sendResolved.set($any($event.target).checked)" />
              Send resolved notifications
            </label>
            <label class="check">
              <input id="n-renotify" type="checkbox" [checked]="renotify()" (change)="renotify.set($any($event.target).checked)" />
              Re-notify while an alert keeps firing (off by default)
            </label>
            <label class="check">
              <input
                id="n-deploy-silence"
                type="checkbox"
                [checked]="deploySilence()"
                (change)="deploySilence.set($any($event.target).checked)"
              />
              Silence an env's alerts while its deployment runs, trigger to finish (off by default)
            </label>
          </fieldset>
          @if (deploySilence()) {
            <div class="field">
              <label for="n-deploy-max">Deployment silence at most (min after the trigger)</label>
              <input
                id="n-deploy-max"
                type="text"
                inputmode="numeric"
                [readOnly]="readOnly()"
                [value]="deploySilenceMax()"
                (input)="deploySilenceMax.set($any($event.target).value)"
              />
            </div>
          }
          @if (renotify()) {
            <div class="field">
              <label for="n-min">Every (min)</label>
              <input
                id="n-min"
                type="text"
                inputmode="numeric"
                [readOnly]="readOnly()"
                [value]="renotifyMin()"
                (input)="renotifyMin.set($any($event.target).value)"
              />
            </div>
            <div class="field">
              <label for="n-max">At most (times per alert)</label>
              <input
                id="n-max"
                type="text"
                inputmode="numeric"
                [readOnly]="readOnly()"
                [value]="renotifyMax()"
                (input)="renotifyMax.set($any($event.target).value)"
              />
            </div>
          }
          <fieldset class="field wide" [disabled]="readOnly()">
            <legend>Webhook format</legend>
            @for (f of formats; track f) {
              <label class="radio">
                <input type="radio" name="n-format" [value]="f" [checked]="format() === f" (change)="format.set(f)" />
                <span class="mono">{{ f }}</span> <span class="muted small">— {{ help[f] }}</span>
              </label>
            }
          </fieldset>
          @if (!readOnly()) {
            <div class="actions wide">
              <button type="submit" class="btn btn-primary" [disabled]="busy()">Save notification options</button>
              @if (formError() ?? serverError(); as fe) {
                <span class="field-error" role="alert">{{ fe }}</span>
              } @else if (saved()) {
                <span class="muted small" role="status">Saved.</span>
              }
            </div>
          }
        </form>
      } @else {
        <p class="state" role="status"><span class="spinner" aria-hidden="true"></span> Loading notification options…</p>
      }
    </section>
  `,
})
export class NotificationOptionsComponent {
  readonly settings = input<NotificationSettingsView | null>(null);
  readonly readOnly = input(false);
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly serverError = input<string | null>(null);
  readonly saved = input(false);
  readonly save = output<UpdateNotificationSettingsRequest>();

  protected readonly formats = WEBHOOK_FORMATS;
  protected readonly help = FORMAT_HELP;
  protected readonly sendResolved = signal(true);
  protected readonly renotify = signal(false);
  protected readonly renotifyMin = signal('');
  protected readonly renotifyMax = signal(String(RENOTIFY_LIMITS.defaultCount));
  protected readonly format = signal<WebhookFormat>('seqpulse');
  protected readonly deploySilence = signal(false);
  protected readonly deploySilenceMax = signal(String(DEPLOYMENT_SILENCE_LIMITS.defaultMinutes));
  protected readonly formError = signal<string | null>(null);

  constructor() {
    // the form follows what the server holds (after load and after each save); absent = the default
    effect(() => {
      const s = this.settings();
      if (!s) return;
      this.sendResolved.set(s.send_resolved ?? true);
      this.renotify.set(s.renotify_min !== undefined);
      this.renotifyMin.set(s.renotify_min === undefined ? '' : String(s.renotify_min));
      this.renotifyMax.set(String(s.renotify_max ?? RENOTIFY_LIMITS.defaultCount));
      this.format.set(s.webhook_format ?? 'seqpulse');
      this.deploySilence.set(s.silence_during_deployments === true);
      this.deploySilenceMax.set(String(s.deployment_silence_max_min ?? DEPLOYMENT_SILENCE_LIMITS.defaultMinutes));
    });
  }

  protected submit(event: Event, settings: NotificationSettingsView): void {
    event.preventDefault();
    const { body, problem } = notificationBody(settings, {
      sendResolved: this.sendResolved(),
      renotify: this.renotify(),
      renotifyMin: this.renotifyMin(),
      renotifyMax: this.renotifyMax(),
      format: this.format(),
      deploySilence: this.deploySilence(),
      deploySilenceMax: this.deploySilenceMax(),
    });
    this.formError.set(problem);
    if (body) this.save.emit(body);
  }
}
