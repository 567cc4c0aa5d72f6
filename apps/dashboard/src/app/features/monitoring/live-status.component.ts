import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { StreamState } from '../../core/event-stream';
import { formatDuration, isoSeconds } from '../../core/format';

type Tone = 'ok' | 'warn' | 'bad' | 'muted';

/** The live indicator of the monitoring page: stream state, reconnection countdown, age of the last sample. */
@Component({
  selector: 'app-live-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (status().text) {
      <div class="live-status">
        <span class="pill stream-status tone-{{ status().tone }}" role="status" aria-live="polite" [attr.data-status]="stream().status">
          <span class="dot {{ status().tone }}" aria-hidden="true"></span>{{ status().text }}
        </span>
        @if (!live() && !custom()) {
          <span class="badge tone-warn arrivals" aria-live="polite">{{ arrivedText() }}</span>
        }
        @if (retryText()) {
          <span class="small retry-in">{{ retryText() }}</span>
        }
        @if (lastSampleAt(); as t) {
          <span class="muted small last-sample"
            >Last sample <time [attr.datetime]="iso(t)">{{ age() }}</time> ago</span
          >
        } @else {
          <span class="muted small last-sample">No sample yet</span>
        }
      </div>
    }
  `,
})
export class LiveStatusComponent {
  readonly stream = input.required<StreamState>();
  /** The view follows the clock (a live preset). */
  readonly live = input(false);
  /** A fixed custom range (never live). */
  readonly custom = input(false);
  readonly loading = input(false);
  readonly lastSampleAt = input<number | null>(null);
  readonly now = input(Date.now());
  /** Samples received while paused. */
  readonly arrived = input(0);

  protected readonly iso = isoSeconds;
  protected readonly status = computed<{ tone: Tone; text: string }>(() => {
    const s = this.stream();
    if (!this.live()) return { tone: 'muted', text: this.custom() ? 'Fixed range (not live)' : 'Live paused' };
    switch (s.status) {
      case 'open':
        return { tone: 'ok', text: 'Live' };
      case 'connecting':
        return { tone: 'warn', text: 'Connecting to the live stream…' };
      case 'reconnecting':
        return { tone: 'bad', text: 'Stream down — reconnecting' };
      case 'refused':
        return { tone: 'bad', text: `Live stream refused: ${s.error?.message ?? 'access denied'}` };
      default:
        return { tone: 'muted', text: this.loading() ? 'Loading…' : 'Live off' };
    }
  });

  /** Countdown to the next reconnection attempt (outside the live region: it changes every second). */
  protected readonly retryText = computed(() => {
    const s = this.stream();
    if (s.status !== 'reconnecting' || !s.retryAt) return '';
    const secs = Math.max(0, Math.ceil((s.retryAt - this.now()) / 1000));
    return secs ? `next try in ${secs} s` : 'trying now…';
  });

  protected readonly arrivedText = computed(() => {
    const n = this.arrived();
    return n === 1 ? '1 new sample' : `${n} new samples`;
  });

  protected readonly age = computed(() => formatDuration(Math.max(0, this.now() - (this.lastSampleAt() ?? this.now()))));
}
