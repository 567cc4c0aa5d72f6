import { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { CreateMaintenanceWindowRequest, CreateSilenceRequest, UpdateNotificationSettingsRequest } from '@seqpulse/contracts';
import { MaintenanceWindowsComponent } from './maintenance-windows.component';
import { notificationBody, NotificationOptionsComponent } from './notification-options.component';
import { defaultDraft, draftProblems, RuleDraft } from './rule-form';
import { RuleSettingsComponent } from './rule-settings.component';
import { silenceProblem, SilencesComponent } from './silences.component';

async function render<T>(component: Type<T>, inputs: Record<string, unknown>) {
  await TestBed.configureTestingModule({ imports: [component] }).compileComponents();
  const fixture = TestBed.createComponent(component);
  for (const [k, v] of Object.entries(inputs)) fixture.componentRef.setInput(k, v);
  await fixture.whenStable();
  return { fixture, el: fixture.nativeElement as HTMLElement };
}

function type(el: HTMLElement, selector: string, value: string): void {
  const input = el.querySelector(selector) as HTMLInputElement | HTMLSelectElement;
  input.value = value;
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input'));
}

describe('RuleSettingsComponent', () => {
  it('shows defaults as defaults and a problem next to its field', async () => {
    const cpu: RuleDraft = { ...defaultDraft('cpu_high'), recoveryCritical: '90' };
    const drafts = [defaultDraft('error_rate_high'), cpu, defaultDraft('no_data')];
    const { fixture, el } = await render(RuleSettingsComponent, {
      drafts,
      problems: new Map([['|cpu_high', draftProblems(cpu)]]),
    });
    const card = el.querySelector('[data-rule="cpu_high"]') as HTMLElement;
    expect((card.querySelector('#r-all-cpu_high-threshold') as HTMLInputElement).value).toBe('80');
    expect(card.querySelector('[data-field="threshold"]')?.textContent).toContain('default 80 %');
    expect(card.querySelector('[data-field="warning"]')?.textContent).toContain('off by default');
    expect(card.querySelector('[data-field="aggregation"] option')?.textContent).toContain('Default (mean)');
    const recovery = card.querySelector('#r-all-cpu_high-recovery-critical') as HTMLInputElement;
    expect(recovery.getAttribute('aria-invalid')).toBe('true');
    expect(card.querySelector('[data-field="recovery.critical"] [role="alert"]')?.textContent).toContain(
      'Recovery must be at or below the critical threshold (80 %).',
    );
    // no_data has a single level and no window: the catalogue says so, the form follows
    const noData = el.querySelector('[data-rule="no_data"]') as HTMLElement;
    expect([...noData.querySelectorAll('[data-field]')].map((f) => f.getAttribute('data-field'))).toEqual(['threshold']);

    const edits: unknown[] = [];
    fixture.componentInstance.edit.subscribe((e) => edits.push(e));
    type(card, '#r-all-cpu_high-warning', '70');
    expect(edits).toEqual([{ key: '|cpu_high', patch: { warning: '70' } }]);
  });

  it('shows an env following the project-wide rule until it overrides it; read-only disables editing', async () => {
    const drafts = [defaultDraft('cpu_high'), { ...defaultDraft('error_rate_high'), env: 'prod', threshold: '2' }];
    const { fixture, el } = await render(RuleSettingsComponent, { drafts, scope: 'prod', readOnly: true });
    const cpu = el.querySelector('[data-rule="cpu_high"]') as HTMLElement;
    expect(cpu.textContent).toContain('Follows the project-wide rule: critical 80 %');
    expect(cpu.querySelector('input')).toBeNull();
    const errorRate = el.querySelector('[data-rule="error_rate_high"]') as HTMLElement;
    expect(errorRate.textContent).toContain('override for prod');
    expect((errorRate.querySelector('#r-prod-error_rate_high-threshold') as HTMLInputElement).readOnly).toBe(true);
    expect((cpu.querySelector('button') as HTMLButtonElement).disabled).toBe(true);

    fixture.componentRef.setInput('readOnly', false);
    await fixture.whenStable();
    const overrides: unknown[] = [];
    fixture.componentInstance.override.subscribe((e) => overrides.push(e));
    (cpu.querySelector('button') as HTMLButtonElement).click();
    expect(overrides).toEqual([{ rule: 'cpu_high', on: true }]);
  });
});

describe('SilencesComponent', () => {
  it('refuses a silence longer than the maximum, an end in the past and an empty comment', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(silenceProblem('2026-11-30T12:00:00Z', '2027-01-05T12:00:00Z', 'x', now)).toBe(
      'A silence lasts at most 30 days; disable the rule instead.',
    );
    expect(silenceProblem('2026-11-30T10:00:00Z', '2026-11-30T11:00:00Z', 'x', now)).toBe('The end must be in the future.');
    expect(silenceProblem('2026-11-30T12:00:00Z', '2026-11-30T14:00:00Z', ' ', now)).toContain('Say why');
    expect(silenceProblem('2026-11-30T12:00:00Z', '2026-11-30T14:00:00Z', 'deploy', now)).toBeNull();
  });

  it('lists silences with their state, ends one, and emits a new one', async () => {
    const silence = {
      id: 's1',
      project_id: 'p1',
      env: null,
      rule: 'cpu_high' as const,
      starts_at: '2026-11-30T10:00:00Z',
      ends_at: '2099-11-30T12:00:00Z',
      comment: 'load test',
      created_by: 'demo@seqpulse.local',
      created_at: '2026-11-30T10:00:00Z',
      state: 'active' as const,
      ended_by: null,
    };
    const expired = { ...silence, id: 's0', state: 'expired' as const };
    const endedEarly = { ...silence, id: 's2', state: 'ended' as const, ended_by: 'oncall@example.com' };
    const { fixture, el } = await render(SilencesComponent, { silences: [silence, expired, endedEarly], envs: ['prod'] });
    const rows = el.querySelectorAll('tbody tr');
    expect(rows[0].textContent).toContain('active');
    expect(rows[0].textContent).toContain('every env · CPU high');
    expect(rows[1].querySelector('button')).toBeNull(); // an expired silence cannot end again
    expect(rows[2].querySelector('button')).toBeNull();
    expect(rows[2].textContent).toContain('ended by oncall@example.com');
    expect(rows[1].textContent).not.toContain('ended by');
    const ended: string[] = [];
    const created: CreateSilenceRequest[] = [];
    fixture.componentInstance.end.subscribe((id) => ended.push(id));
    fixture.componentInstance.create.subscribe((b) => created.push(b));
    (rows[0].querySelector('button') as HTMLButtonElement).click();
    expect(ended).toEqual(['s1']);

    type(el, '#s-env', 'prod');
    type(el, '#s-comment', 'database failover drill');
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ env: 'prod', rule: null, comment: 'database failover drill' });
    expect(Date.parse(created[0].ends_at) - Date.parse(created[0].starts_at)).toBe(2 * 3600_000);
  });
});

describe('MaintenanceWindowsComponent', () => {
  it('emits a weekly window with its RRULE, start in the chosen zone, and shows the next occurrences', async () => {
    const { fixture, el } = await render(MaintenanceWindowsComponent, {
      envs: ['prod'],
      windows: [
        {
          id: 'w1',
          project_id: 'p1',
          env: 'prod',
          rrule: 'FREQ=WEEKLY;BYDAY=SU',
          starts_at: '2026-12-06T08:00:00Z',
          duration_min: 60,
          time_zone: 'Europe/Berlin',
          comment: 'patching',
          created_by: null,
          created_at: '2026-11-30T10:00:00Z',
          next_occurrences: [{ starts_at: '2026-12-06T08:00:00Z', ends_at: '2026-12-06T09:00:00Z' }],
        },
      ],
    });
    const item = el.querySelector('.window-item') as HTMLElement;
    expect(item.textContent).toContain('every week on Sunday');
    expect(item.querySelector('.occurrences')?.textContent).toContain('Sun 6 Dec 2026, 09:00–10:00');

    const created: CreateMaintenanceWindowRequest[] = [];
    fixture.componentInstance.create.subscribe((b) => created.push(b));
    type(el, '#m-repeat', 'weekly');
    await fixture.whenStable();
    const submit = () => (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    type(el, '#m-comment', 'OS patches');
    submit();
    await fixture.whenStable();
    expect(el.querySelector('form [role="alert"]')?.textContent).toContain('Choose at least one day.');
    for (const day of ['Tue', 'Sat']) {
      const box = [...el.querySelectorAll('.weekdays label')].find((l) => l.textContent?.includes(day))?.querySelector('input');
      (box as HTMLInputElement).click();
    }
    type(el, '#m-start', '2026-12-05T22:30');
    type(el, '#m-zone', 'Europe/Berlin');
    submit();
    expect(created).toEqual([
      {
        env: null,
        rrule: 'FREQ=WEEKLY;BYDAY=TU,SA',
        starts_at: '2026-12-05T21:30:00Z',
        duration_min: 60,
        time_zone: 'Europe/Berlin',
        comment: 'OS patches',
      },
    ]);
  });
});

describe('NotificationOptionsComponent', () => {
  it('starts from the server settings and sends them whole, keeping the channel URLs', async () => {
    const { fixture, el } = await render(NotificationOptionsComponent, {
      settings: {
        project_id: 'p1',
        webhook_url: 'https://hooks.example.com/x',
        slack_webhook_url: null,
        updated_at: null,
        send_resolved: false,
      },
    });
    expect((el.querySelector('#n-resolved') as HTMLInputElement).checked).toBe(false);
    expect((el.querySelector('#n-renotify') as HTMLInputElement).checked).toBe(false);
    const saved: UpdateNotificationSettingsRequest[] = [];
    fixture.componentInstance.save.subscribe((b) => saved.push(b));
    (el.querySelector('#n-renotify') as HTMLInputElement).click();
    await fixture.whenStable();
    type(el, '#n-min', '0');
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await fixture.whenStable();
    expect(saved).toEqual([]);
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Re-notify every 1–1440 minutes');
    type(el, '#n-min', '30');
    (el.querySelector('input[value="alertmanager"]') as HTMLInputElement).click();
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    expect(saved).toEqual([
      {
        webhook_url: 'https://hooks.example.com/x',
        slack_webhook_url: null,
        send_resolved: false,
        webhook_format: 'alertmanager',
        renotify_min: 30,
        renotify_max: 10,
      },
    ]);
  });

  it('shows a deployment silence the server holds and keeps it, with its cap, when saving', async () => {
    const { fixture, el } = await render(NotificationOptionsComponent, {
      settings: {
        project_id: 'p1',
        webhook_url: null,
        slack_webhook_url: null,
        updated_at: null,
        silence_during_deployments: true,
        deployment_silence_max_min: 45,
      },
    });
    expect((el.querySelector('#n-deploy-silence') as HTMLInputElement).checked).toBe(true);
    expect((el.querySelector('#n-deploy-max') as HTMLInputElement).value).toBe('45');
    const saved: UpdateNotificationSettingsRequest[] = [];
    fixture.componentInstance.save.subscribe((b) => saved.push(b));
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    expect(saved[0]).toMatchObject({ silence_during_deployments: true, deployment_silence_max_min: 45 });
  });

  it('edits the deployment silence: on with its cap, off, a cap out of range refused', () => {
    const settings = { project_id: 'p1', webhook_url: null, slack_webhook_url: null, updated_at: null };
    const form = {
      sendResolved: true,
      renotify: false,
      renotifyMin: '',
      renotifyMax: '10',
      format: 'seqpulse' as const,
      deploySilence: true,
      deploySilenceMax: '45',
    };
    expect(notificationBody(settings, form).body).toMatchObject({ silence_during_deployments: true, deployment_silence_max_min: 45 });
    expect(notificationBody(settings, { ...form, deploySilence: false }).body).not.toHaveProperty('silence_during_deployments');
    expect(notificationBody(settings, { ...form, deploySilenceMax: '241' })).toEqual({
      body: null,
      problem: expect.stringMatching(/1–240 minutes/),
    });
  });
});
