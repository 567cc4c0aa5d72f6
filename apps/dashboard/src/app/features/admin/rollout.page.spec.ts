import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { flushMicrotasks } from '../../../testing/http';
import { RolloutPage } from './rollout.page';

describe('RolloutPage', () => {
  it('adds an enterprise project to the pilot and saves', async () => {
    TestBed.configureTestingModule({ imports: [RolloutPage], providers: [provideHttpClient(), provideHttpClientTesting()] });
    const http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(RolloutPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/admin/rollout').flush({ stage: 'pilot', pilot_project_ids: ['p1'] });
    http.expectOne('/admin/projects').flush([
      { id: 'p1', name: 'Checkout API', plan: 'enterprise', envs: ['prod', 'staging'], owner_id: 'u' },
      { id: 'p2', name: 'Search API', plan: 'enterprise', envs: ['prod'], owner_id: 'u' },
      { id: 'p3', name: 'Billing', plan: 'pro', envs: ['prod'], owner_id: 'u' },
    ]);
    await flushMicrotasks();
    await fixture.whenStable();
    const checkboxes = el.querySelectorAll<HTMLInputElement>('input[type="checkbox"]');
    expect([...checkboxes].map((c) => c.dataset['project'])).toEqual(['Checkout API', 'Search API']);
    expect(checkboxes[0].checked).toBe(true);
    expect(el.textContent).toContain('cannot join the pilot: Billing');
    const save = el.querySelector('button[type="submit"]') as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    checkboxes[1].click();
    await fixture.whenStable();
    expect(save.disabled).toBe(false);
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const put = http.expectOne((r) => r.method === 'PUT' && r.url === '/admin/rollout');
    expect(put.request.body).toEqual({ stage: 'pilot', pilot_project_ids: ['p1', 'p2'] });
    put.flush({ stage: 'pilot', pilot_project_ids: ['p1', 'p2'] });
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.textContent).toContain('Rollout saved');
    expect(save.disabled).toBe(true);
  });
});
