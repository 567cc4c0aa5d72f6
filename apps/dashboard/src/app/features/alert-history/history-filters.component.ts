import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { ALERT_LEVELS, ALERT_RULES } from '@seqpulse/contracts';
import { isoSeconds, ruleLabel } from '../../core/format';
import { fromLocalInput, toLocalInput } from '../monitoring/view-state';
import { ALERT_STATES, HISTORY_RANGES, HistoryFilters } from './history-query';

/** The filters of the alert history: each change is emitted as a patch (the page puts it in the URL). */
@Component({
  selector: 'app-history-filters',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="history-filters" aria-label="Alert filters" (submit)="$event.preventDefault()">
      <label
        >Rule
        <select name="rule" [value]="filters().rule ?? ''" (change)="pick('rule', $event)">
          <option value="">All rules</option>
          @for (r of rules; track r) {
            <option [value]="r" [selected]="filters().rule === r">{{ label(r) }}</option>
          }
        </select>
      </label>
      <label
        >Env
        <select name="env" [value]="filters().env ?? ''" (change)="pick('env', $event)">
          <option value="">All envs</option>
          @for (e of envs(); track e) {
            <option [value]="e" [selected]="filters().env === e">{{ e }}</option>
          }
        </select>
      </label>
      <label
        >Level
        <select name="level" [value]="filters().level ?? ''" (change)="pick('level', $event)">
          <option value="">All levels</option>
          @for (l of levels; track l) {
            <option [value]="l" [selected]="filters().level === l">{{ l }}</option>
          }
        </select>
      </label>
      <label
        >State
        <select name="state" [value]="filters().state ?? ''" (change)="pick('state', $event)">
          <option value="">All states</option>
          @for (s of states; track s) {
            <option [value]="s" [selected]="filters().state === s">{{ s }}</option>
          }
        </select>
      </label>
      <label
        >Range
        <select name="range" [value]="filters().range" (change)="pickRange($event)">
          @for (r of ranges; track r.id) {
            <option [value]="r.id" [selected]="filters().range === r.id">last {{ r.label }}</option>
          }
          <option value="custom" [selected]="filters().range === 'custom'">custom</option>
        </select>
      </label>
      @if (filters().range === 'custom') {
        <label
          >From
          <input type="datetime-local" name="from" [value]="local(filters().from)" (change)="pickInstant('from', $event)" />
        </label>
        <label
          >To
          <input type="datetime-local" name="to" [value]="local(filters().to)" (change)="pickInstant('to', $event)" />
        </label>
      }
    </form>
  `,
})
export class HistoryFiltersComponent {
  readonly filters = input.required<HistoryFilters>();
  readonly envs = input<readonly string[]>([]);
  readonly filtersChange = output<Partial<HistoryFilters>>();

  protected readonly rules = ALERT_RULES;
  protected readonly levels = ALERT_LEVELS;
  protected readonly states = ALERT_STATES;
  protected readonly ranges = HISTORY_RANGES;

  protected label(rule: (typeof ALERT_RULES)[number]): string {
    return ruleLabel(rule);
  }
  protected local(iso: string | null): string {
    return toLocalInput(iso);
  }

  protected pick(field: 'rule' | 'env' | 'level' | 'state', event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    // a new filter closes the open alert: it may not be in the new list
    this.filtersChange.emit({ [field]: value || null, alert: null });
  }

  protected pickRange(event: Event): void {
    const value = (event.target as HTMLSelectElement).value as HistoryFilters['range'];
    if (value !== 'custom') {
      this.filtersChange.emit({ range: value, from: null, to: null, alert: null });
      return;
    }
    // a custom range starts as the last 24 hours, for the pickers to adjust
    const to = Date.now();
    this.filtersChange.emit({
      range: 'custom',
      from: isoSeconds(to - 86_400_000),
      to: isoSeconds(to),
      alert: null,
    });
  }

  protected pickInstant(field: 'from' | 'to', event: Event): void {
    const iso = fromLocalInput((event.target as HTMLInputElement).value);
    if (iso) this.filtersChange.emit({ range: 'custom', [field]: iso, alert: null });
  }
}
