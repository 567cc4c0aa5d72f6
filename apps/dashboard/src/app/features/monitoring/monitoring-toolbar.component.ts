import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { ProjectView, Step } from '@seqpulse/contracts';
import {
  COMPARE_OFFSETS,
  fromLocalInput,
  RANGE_PRESETS,
  RangePresetId,
  ResolvedWindow,
  stepOptions,
  toLocalInput,
  ViewState,
} from './view-state';

const PHASES = [
  { v: 'both', l: 'Both' },
  { v: 'pre', l: 'Pre-deploy' },
  { v: 'post', l: 'Post-deploy' },
] as const;

/** The filters of the monitoring page. It only reports what the user picked; the page puts it in the URL. */
@Component({
  selector: 'app-monitoring-toolbar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './monitoring-toolbar.component.html',
})
export class MonitoringToolbarComponent {
  readonly projects = input<readonly ProjectView[]>([]);
  readonly projectId = input.required<string>();
  readonly envs = input<readonly string[]>([]);
  readonly env = input<string | null>(null);
  readonly view = input.required<ViewState>();
  readonly resolved = input<ResolvedWindow | null>(null);
  /** The user picked another project. */
  readonly projectChange = output<string>();
  /** The user changed the view; the page merges this into the URL. */
  readonly viewChange = output<Partial<ViewState>>();
  readonly copyLink = output<void>();
  readonly copied = input(false);

  protected readonly phases = PHASES;
  protected readonly presets = RANGE_PRESETS;
  protected readonly customOpen = signal(false);
  protected readonly customError = signal<string | null>(null);
  protected readonly stepChoices = computed(() => stepOptions(this.resolved()?.rangeSeconds ?? 3600));
  protected readonly customFrom = computed(() => toLocalInput(this.view().from, this.view().tz));
  protected readonly customTo = computed(() => toLocalInput(this.view().to, this.view().tz));
  protected readonly compareChoices = Object.entries(COMPARE_OFFSETS).map(([id, c]) => ({ id, label: c.label }));

  protected selectPhase(value: string): void {
    this.viewChange.emit({ phase: value === 'pre' || value === 'post' ? value : null });
  }

  protected selectRange(range: RangePresetId): void {
    this.customOpen.set(false);
    const view = this.view();
    this.viewChange.emit({ range, from: null, to: null, step: null, live: view.range === 'custom' ? true : view.live });
  }

  protected selectStep(value: string): void {
    this.viewChange.emit({ step: value === 'auto' ? null : (value as Step) });
  }

  protected applyCustom(event: Event, fromValue: string, toValue: string): void {
    event.preventDefault();
    const from = fromLocalInput(fromValue, this.view().tz);
    const to = fromLocalInput(toValue, this.view().tz);
    if (!from || !to) {
      this.customError.set('Enter both a start and an end.');
      return;
    }
    if (Date.parse(from) >= Date.parse(to)) {
      this.customError.set('The start must be before the end.');
      return;
    }
    this.customError.set(null);
    this.customOpen.set(false);
    this.viewChange.emit({ range: 'custom', from, to, step: null, live: false });
  }
}
