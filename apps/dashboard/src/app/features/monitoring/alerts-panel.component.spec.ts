import { TestBed } from '@angular/core/testing';
import { AlertView } from '@seqpulse/contracts';
import { AlertsPanelComponent, upsertAlert } from './alerts-panel.component';

const NOW = Date.parse('2026-11-28T10:10:00Z');
const firing: AlertView = {
  id: 'a1',
  rule: 'cpu_high',
  env: 'prod',
  state: 'firing',
  value: 0.91,
  threshold: 0.8,
  started_at: '2026-11-28T10:06:48Z',
  resolved_at: null,
};
const resolved: AlertView = {
  id: 'a0',
  rule: 'latency_p95_high',
  env: 'prod',
  state: 'resolved',
  value: 640,
  threshold: 500,
  started_at: '2026-11-28T09:00:00Z',
  resolved_at: '2026-11-28T09:05:00Z',
};

async function render(alerts: AlertView[]) {
  await TestBed.configureTestingModule({ imports: [AlertsPanelComponent] }).compileComponents();
  const fixture = TestBed.createComponent(AlertsPanelComponent);
  fixture.componentRef.setInput('alerts', alerts);
  fixture.componentRef.setInput('now', NOW);
  fixture.componentRef.setInput('env', 'prod');
  await fixture.whenStable();
  return { fixture, el: fixture.nativeElement as HTMLElement };
}

describe('AlertsPanelComponent', () => {
  it('lists firing alerts first with value, threshold and duration', async () => {
    const { el } = await render([resolved, firing]);
    const items = el.querySelectorAll('.alert-item');
    expect(items[0].classList).toContain('firing');
    expect(items[0].textContent).toContain('CPU high');
    expect(items[0].textContent).toContain('91 %');
    expect(items[0].textContent).toContain('80 %');
    expect(items[0].textContent).toContain('3 min 12 s');
    expect(items[1].classList).toContain('resolved');
    expect(items[1].textContent).toContain('Latency P95 high');
    expect(items[1].textContent).toContain('lasted 5 min');
    expect(el.querySelector('h2')?.textContent).toContain('1 firing');
  });

  it('has an empty state', async () => {
    const { el } = await render([]);
    expect(el.textContent).toContain('No alert firing');
    expect(el.textContent).toContain('None in the last 24 hours');
  });

  it('upserts live alert events by id', () => {
    const list = upsertAlert([firing], { ...firing, state: 'resolved', resolved_at: '2026-11-28T10:12:00Z' });
    expect(list).toHaveLength(1);
    expect(list[0].state).toBe('resolved');
    expect(upsertAlert(list, { ...firing, id: 'a2' })).toHaveLength(2);
  });

  it('shows the level and the silenced flag; clicking an alert emits it (the page shows its range)', async () => {
    const { fixture, el } = await render([{ ...firing, level: 'warning', silenced: true }, resolved]);
    const picked: AlertView[] = [];
    fixture.componentInstance.alertSelect.subscribe((a) => picked.push(a));
    const [first, second] = [...el.querySelectorAll<HTMLButtonElement>('.alert-item button')];
    expect([...first.querySelectorAll('.badge')].map((b) => b.textContent?.trim())).toEqual(['warning', 'silenced']);
    expect(first.querySelector('.badge')?.classList).toContain('tone-warn');
    expect(second.querySelector('.badge')?.textContent).toBe('critical'); // no level: the contract's default
    expect(first.getAttribute('aria-label')).toBe('CPU high (warning): show its time range on the charts');
    first.click();
    second.click();
    expect(picked.map((a) => a.id)).toEqual(['a1', 'a0']);
  });
});
