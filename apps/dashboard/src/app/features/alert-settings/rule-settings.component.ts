import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { ALERT_RULE_DEFAULTS, ALERT_RULE_SETTINGS, ALERT_RULES, AlertRuleName } from '@seqpulse/contracts';
import { ruleLabel } from '../../core/format';
import {
  defaultAggregation,
  draftKey,
  DraftProblems,
  formatRuleValue,
  hasLevels,
  recoverySide,
  RuleDraft,
  RuleField,
  thresholdUnitLabel,
} from './rule-form';

interface NumberField {
  field: RuleField;
  prop: 'threshold' | 'warning' | 'recoveryCritical' | 'recoveryWarning' | 'windowMin' | 'minSamples';
  label: string;
  hint: (rule: AlertRuleName, draft: RuleDraft) => string;
  unit: (rule: AlertRuleName) => string;
  levelsOnly: boolean;
}

const NUMBER_FIELDS: NumberField[] = [
  {
    field: 'threshold',
    prop: 'threshold',
    label: 'Critical threshold',
    hint: (r) => `default ${formatRuleValue(r, ALERT_RULE_DEFAULTS[r])}`,
    unit: thresholdUnitLabel,
    levelsOnly: false,
  },
  {
    field: 'warning',
    prop: 'warning',
    label: 'Warning threshold',
    hint: () => 'off by default',
    unit: thresholdUnitLabel,
    levelsOnly: true,
  },
  {
    field: 'recovery.critical',
    prop: 'recoveryCritical',
    label: 'Critical recovery',
    hint: (r) => `resolve ${recoverySide(r)}; default the critical threshold`,
    unit: thresholdUnitLabel,
    levelsOnly: true,
  },
  {
    field: 'recovery.warning',
    prop: 'recoveryWarning',
    label: 'Warning recovery',
    hint: (r) => `resolve ${recoverySide(r)}; default the warning threshold`,
    unit: thresholdUnitLabel,
    levelsOnly: true,
  },
  {
    field: 'window_min',
    prop: 'windowMin',
    label: 'Window',
    hint: () =>
      `${ALERT_RULE_SETTINGS.windowMin.min}–${ALERT_RULE_SETTINGS.windowMin.max} min, default ${ALERT_RULE_SETTINGS.windowMin.default}`,
    unit: () => 'min',
    levelsOnly: true,
  },
  {
    field: 'min_samples',
    prop: 'minSamples',
    label: 'Min samples',
    hint: () => `stored samples before it may fire, default ${ALERT_RULE_SETTINGS.minSamples.default}`,
    unit: () => '',
    levelsOnly: true,
  },
];

/**
 * The rules of one scope (project-wide, or one env whose rules follow the project-wide ones unless overridden):
 * every field with its default, its problem next to it. It only reports edits; the store holds the drafts.
 */
@Component({
  selector: 'app-rule-settings',
  changeDetection: ChangeDetectionStrategy.OnPush,
  styleUrl: './alert-settings.css',
  template: `
    @for (row of rows(); track row.rule) {
      <section class="card rule-card" [attr.data-rule]="row.rule" [attr.aria-labelledby]="id(row.rule, 'title')">
        <div class="rule-head">
          <h3 [id]="id(row.rule, 'title')">
            {{ label(row.rule) }} <span class="muted small mono">{{ row.rule }}</span>
          </h3>
          @if (scope() !== null) {
            @if (row.draft) {
              <span class="badge tone-warn">override for {{ scope() }}</span>
              <button type="button" class="btn btn-small" [disabled]="readOnly()" (click)="override.emit({ rule: row.rule, on: false })">
                Follow project-wide
              </button>
            } @else {
              <span class="badge tone-muted">project-wide</span>
              <button type="button" class="btn btn-small" [disabled]="readOnly()" (click)="override.emit({ rule: row.rule, on: true })">
                Override for {{ scope() }}
              </button>
            }
          }
        </div>
        @if (row.draft; as d) {
          <div class="rule-fields">
            <label class="check">
              <input
                type="checkbox"
                role="switch"
                [checked]="d.enabled"
                [disabled]="readOnly()"
                (change)="edit.emit({ key: key(d), patch: { enabled: $any($event.target).checked } })"
              />
              Enabled
            </label>
            @for (f of fieldsOf(row.rule); track f.field) {
              <div class="field rule-field" [attr.data-field]="f.field">
                <label [for]="id(row.rule, f.field)">{{ f.label }}{{ f.unit(row.rule) ? ' (' + f.unit(row.rule) + ')' : '' }}</label>
                <input
                  type="text"
                  inputmode="decimal"
                  [id]="id(row.rule, f.field)"
                  [value]="d[f.prop]"
                  [placeholder]="f.field === 'threshold' ? '' : 'default'"
                  [readOnly]="readOnly()"
                  [attr.aria-invalid]="problem(d, f.field) ? true : null"
                  [attr.aria-describedby]="id(row.rule, f.field) + '-hint'"
                  (input)="editField(d, f, $any($event.target).value)"
                />
                @if (problem(d, f.field); as p) {
                  <span class="field-error" [id]="id(row.rule, f.field) + '-hint'" role="alert">{{ p }}</span>
                } @else {
                  <span class="muted small" [id]="id(row.rule, f.field) + '-hint'">{{ f.hint(row.rule, d) }}</span>
                }
              </div>
            }
            @if (levels(row.rule)) {
              <div class="field rule-field" data-field="aggregation">
                <label [for]="id(row.rule, 'aggregation')">Aggregation</label>
                <select
                  [id]="id(row.rule, 'aggregation')"
                  [disabled]="readOnly()"
                  (change)="edit.emit({ key: key(d), patch: { aggregation: $any($event.target).value } })"
                >
                  <option value="" [selected]="d.aggregation === ''">Default ({{ defaultAggregation(row.rule) }})</option>
                  @for (a of aggregations; track a) {
                    <option [value]="a" [selected]="d.aggregation === a">{{ a }}</option>
                  }
                </select>
              </div>
            }
            @if (problem(d, 'rule'); as p) {
              <p class="field-error" role="alert">{{ p }}</p>
            }
          </div>
        } @else if (row.inherited; as base) {
          <p class="muted small">
            Follows the project-wide rule: critical {{ base.threshold }} {{ unit(row.rule) }}{{ base.enabled ? '' : ', disabled' }}.
          </p>
        }
      </section>
    }
  `,
})
export class RuleSettingsComponent {
  /** null = the project-wide rules; otherwise the env whose overrides are shown. */
  readonly scope = input<string | null>(null);
  readonly drafts = input<readonly RuleDraft[]>([]);
  readonly problems = input<ReadonlyMap<string, DraftProblems>>(new Map());
  readonly readOnly = input(false);
  readonly edit = output<{ key: string; patch: Partial<RuleDraft> }>();
  readonly override = output<{ rule: AlertRuleName; on: boolean }>();

  protected readonly aggregations = ALERT_RULE_SETTINGS.aggregations;
  protected readonly rows = computed(() =>
    ALERT_RULES.map((rule) => ({
      rule,
      draft: this.drafts().find((d) => d.rule === rule && d.env === this.scope()) ?? null,
      inherited: this.drafts().find((d) => d.rule === rule && d.env === null) ?? null,
    })),
  );

  protected label = ruleLabel;
  protected key = draftKey;
  protected levels = hasLevels;
  protected unit = thresholdUnitLabel;
  protected defaultAggregation = defaultAggregation;

  protected editField(draft: RuleDraft, field: NumberField, value: string): void {
    this.edit.emit({ key: draftKey(draft), patch: { [field.prop]: value } });
  }

  protected fieldsOf(rule: AlertRuleName): NumberField[] {
    return NUMBER_FIELDS.filter((f) => hasLevels(rule) || !f.levelsOnly);
  }

  protected id(rule: AlertRuleName, field: string): string {
    return `r-${this.scope() ?? 'all'}-${rule}-${field.replace('.', '-')}`;
  }

  protected problem(draft: RuleDraft, field: RuleField | 'rule'): string | undefined {
    return this.problems().get(draftKey(draft))?.[field];
  }
}
