import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

export type RangeAction = 'earlier' | 'later' | 'zoom-out' | 'back' | 'forward' | 'live';
export type ExportFormat = 'csv' | 'json' | 'png';

/** Zoom and pan buttons and the exports of the visible range. Reports intents; the page applies them. */
@Component({
  selector: 'app-range-controls',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="range-controls card" role="toolbar" aria-label="Time range navigation and export">
      <div class="btn-group" role="group" aria-label="Range history">
        <button type="button" class="btn btn-seg" [disabled]="!canBack()" (click)="act.emit('back')" aria-label="Previous range">
          ◀ Back
        </button>
        <button type="button" class="btn btn-seg" [disabled]="!canForward()" (click)="act.emit('forward')" aria-label="Next range">
          Forward ▶
        </button>
      </div>
      <div class="btn-group" role="group" aria-label="Pan and zoom">
        <button type="button" class="btn btn-seg" (click)="act.emit('earlier')" aria-label="Shift half a range earlier">« Earlier</button>
        <button type="button" class="btn btn-seg" (click)="act.emit('zoom-out')">Zoom out</button>
        <button
          type="button"
          class="btn btn-seg"
          [disabled]="following()"
          (click)="act.emit('later')"
          aria-label="Shift half a range later"
        >
          Later »
        </button>
      </div>
      @if (!following()) {
        <button type="button" class="btn btn-primary" (click)="act.emit('live')">Back to live ({{ livePreset() }})</button>
      }
      <span class="muted small hint">Drag across a chart to zoom.</span>
      <div class="btn-group export" role="group" aria-label="Export the visible range">
        <button type="button" class="btn btn-seg" (click)="exportAs.emit('csv')">CSV</button>
        <button type="button" class="btn btn-seg" (click)="exportAs.emit('json')">JSON</button>
        <button type="button" class="btn btn-seg" (click)="exportAs.emit('png')">PNG</button>
      </div>
    </div>
  `,
})
export class RangeControlsComponent {
  readonly canBack = input(false);
  readonly canForward = input(false);
  /** The view follows the clock: nothing later to shift to, no "back to live". */
  readonly following = input(true);
  readonly livePreset = input('1h');
  readonly act = output<RangeAction>();
  readonly exportAs = output<ExportFormat>();
}
