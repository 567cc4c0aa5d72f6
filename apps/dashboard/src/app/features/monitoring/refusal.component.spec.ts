import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { RefusalComponent, RefusalReason } from './refusal.component';

async function render(reason: RefusalReason, opts: { plan?: 'free' | 'pro' | 'enterprise'; admin?: boolean } = {}) {
  await TestBed.configureTestingModule({ imports: [RefusalComponent], providers: [provideRouter([])] }).compileComponents();
  const fixture = TestBed.createComponent(RefusalComponent);
  fixture.componentRef.setInput('reason', reason);
  fixture.componentRef.setInput('projectName', 'Billing');
  fixture.componentRef.setInput('plan', opts.plan ?? null);
  fixture.componentRef.setInput('isAdmin', opts.admin ?? false);
  await fixture.whenStable();
  return fixture.nativeElement as HTMLElement;
}

describe('RefusalComponent', () => {
  it('explains Realtime and that it needs Enterprise for a pro project', async () => {
    const el = await render('plan_not_enterprise', { plan: 'pro' });
    expect(el.querySelector('h2')?.textContent).toContain('needs the Enterprise plan');
    expect(el.textContent).toContain('Billing');
    expect(el.textContent).toContain('Pro plan');
    // what Realtime is: the five metrics from the catalogue
    for (const label of ['Requests/sec', 'Latency P95', 'Error rate', 'CPU', 'Memory']) {
      expect(el.textContent).toContain(label);
    }
    expect(el.textContent).not.toMatch(/403|plan_not_enterprise/);
    expect(el.querySelector('a[href="/app/admin/projects"]')).toBeNull();
  });

  it('says "not enabled yet" for an enterprise project outside the rollout', async () => {
    const el = await render('monitoring_not_enabled', { plan: 'enterprise' });
    expect(el.querySelector('h2')?.textContent).toContain('not enabled for this project yet');
    expect(el.textContent).toContain('nothing to do on your side');
    expect(el.textContent).not.toContain('monitoring_not_enabled');
  });

  it('points admins to the rollout screen', async () => {
    const el = await render('monitoring_not_enabled', { plan: 'enterprise', admin: true });
    expect(el.querySelector('a[href="/app/admin/rollout"]')).not.toBeNull();
  });

  it('handles an unknown project without revealing anything', async () => {
    const el = await render('project_not_found');
    expect(el.querySelector('h2')?.textContent).toContain('Project not found');
    expect(el.querySelector('[data-reason="project_not_found"]')).not.toBeNull();
  });
});
