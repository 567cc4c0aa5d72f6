import { ALERT_RULE_CATALOGUE, ALERT_RULES, ThresholdRuleDefinition } from '@seqpulse/contracts';
import { ApiError } from '../../core/api-error';
import {
  defaultDraft,
  draftKey,
  draftProblems,
  isDefault,
  RuleDraft,
  serverProblems,
  toDraft,
  toDrafts,
  toRuleSet,
  toUpdate,
} from './rule-form';

const cpu = (patch: Partial<RuleDraft> = {}): RuleDraft => ({ ...defaultDraft('cpu_high'), ...patch });

describe('rule form', () => {
  it('shows ratios as percent and sends them back as ratios', () => {
    const draft = toDraft({
      rule: 'error_rate_high',
      env: 'prod',
      threshold: 0.05,
      enabled: true,
      warning: 0.02,
      recovery: { critical: 0.03 },
      window_min: 10,
      aggregation: 'max',
    });
    expect(draft).toMatchObject({
      threshold: '5',
      warning: '2',
      recoveryCritical: '3',
      recoveryWarning: '',
      windowMin: '10',
      minSamples: '',
    });
    expect(toUpdate(draft)).toEqual({
      rule: 'error_rate_high',
      env: 'prod',
      threshold: 0.05,
      enabled: true,
      warning: 0.02,
      recovery: { critical: 0.03 },
      window_min: 10,
      aggregation: 'max',
    });
  });

  it('sends only the settings that are set; a default rule is not sent at all', () => {
    expect(toUpdate(cpu({ threshold: '90' }))).toEqual({ rule: 'cpu_high', env: null, threshold: 0.9, enabled: true });
    expect(isDefault(defaultDraft('cpu_high'))).toBe(true);
    expect(isDefault(cpu({ warning: '70' }))).toBe(false);
    const drafts = [...toDrafts([]), { ...defaultDraft('no_data'), env: 'prod' }];
    expect(drafts).toHaveLength(ALERT_RULES.length + 1);
    // project-wide defaults are left out; an env override is always sent (it replaces the project-wide rule)
    expect(toRuleSet(drafts).map(draftKey)).toEqual(['prod|no_data']);
  });

  it('accepts a warning below critical and recoveries on the resolving side', () => {
    expect(draftProblems(cpu({ warning: '70', recoveryCritical: '75', recoveryWarning: '60' }))).toEqual({});
  });

  it('refuses a recovery on the firing side, naming the threshold in display units', () => {
    expect(draftProblems(cpu({ recoveryCritical: '85' }))).toEqual({
      'recovery.critical': 'Recovery must be at or below the critical threshold (80 %).',
    });
    expect(draftProblems(cpu({ warning: '70', recoveryWarning: '72' }))['recovery.warning']).toBe(
      'Recovery must be at or below the warning threshold (70 %).',
    );
  });

  it('refuses a warning at or past critical, and a warning recovery without a warning', () => {
    expect(draftProblems(cpu({ warning: '80' })).warning).toBe('The warning threshold must be below the critical one (80 %).');
    expect(draftProblems(cpu({ recoveryWarning: '50' }))['recovery.warning']).toBe('Set a warning threshold first.');
  });

  it('checks ranges and numbers from the catalogue and the settings bounds', () => {
    expect(draftProblems(cpu({ threshold: '120' })).threshold).toBe('Enter a value from 0 % to 100 %.');
    expect(draftProblems(cpu({ threshold: '' })).threshold).toBe('Enter a threshold.');
    expect(draftProblems(cpu({ warning: 'abc' })).warning).toBe('Enter a number.');
    expect(draftProblems(cpu({ windowMin: '61' })).window_min).toBe('Enter a whole number from 1 to 60.');
    expect(draftProblems(cpu({ minSamples: '2.5' })).min_samples).toBe('Enter a whole number from 1 to 240.');
    expect(draftProblems({ ...defaultDraft('latency_p95_high'), threshold: '0' }).threshold).toBe(
      'Enter a value above 0 ms, at most 3,600,000 ms.',
    );
    expect(draftProblems({ ...defaultDraft('no_data'), threshold: '4' }).threshold).toBe('Enter a whole number from 5 to 10 min.');
  });

  it('derives the side of every threshold rule from its comparison in the catalogue', () => {
    for (const rule of ALERT_RULES) {
      const def = ALERT_RULE_CATALOGUE[rule];
      if (def.kind !== 'threshold') continue;
      const above = (def as ThresholdRuleDefinition).comparison === 'above';
      const base = toDraft({ rule, env: null, threshold: def.defaultThreshold, enabled: true });
      const past = (factor: number) => String(Number(base.threshold) * factor);
      // a recovery past the threshold on the firing side is refused; on the other side accepted
      expect(draftProblems({ ...base, recoveryCritical: past(above ? 1.1 : 0.9) })['recovery.critical']).toContain(
        above ? 'below' : 'above',
      );
      expect(draftProblems({ ...base, recoveryCritical: past(above ? 0.9 : 1.1) })).toEqual({});
    }
  });

  it('maps the server problems of a 400 back onto the drafts that were sent', () => {
    const sent = [cpu({ env: 'prod' }), cpu({ env: 'staging' })];
    const err: ApiError = {
      status: 400,
      code: 'recovery_wrong_side',
      message: 'Invalid alert rules: …',
      details: {
        fields: [
          { field: 'rules.1.recovery.critical', problems: ['recovery.critical must be at or below the critical threshold 0.8'] },
          { field: 'rules.0', problems: ['env must be null or one of the project envs'] },
          { field: 'rules.7.warning', problems: ['no such entry'] },
        ],
      },
    };
    const problems = serverProblems(err, sent);
    expect(problems.get('staging|cpu_high')).toEqual({
      'recovery.critical': 'recovery.critical must be at or below the critical threshold 0.8',
    });
    expect(problems.get('prod|cpu_high')).toEqual({ rule: 'env must be null or one of the project envs' });
    expect(problems.size).toBe(2);
  });
});
