import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { flushMicrotasks } from '../../../testing/http';
import { AdminProjectsPage } from './admin-projects.page';
import { AuditPage } from './audit.page';
import { SchedulerHealthPage } from './scheduler-health.page';

const PROJECTS = [
  {
    id: 'p1',
    name: 'Checkout API',
    plan: 'enterprise',
    envs: ['prod'],
    owner_id: 'u1',
    monitoring: { enabled: true },
    created_at: '2026-11-01T00:00:00Z',
  },
  {
    id: 'p4',
    name: 'Blog',
    plan: 'free',
    envs: ['prod'],
    owner_id: 'u1',
    monitoring: { enabled: false, reason: 'plan_not_enterprise' },
    created_at: '2026-11-01T00:00:00Z',
  },
];

function setup() {
  TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  return TestBed.inject(HttpTestingController);
}

describe('AdminProjectsPage', () => {
  it('lists every project with its plan and changes a plan', async () => {
    const http = setup();
    const fixture = TestBed.createComponent(AdminProjectsPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/admin/projects').flush(PROJECTS);
    await flushMicrotasks();
    await fixture.whenStable();
    const row = el.querySelector('tr[data-project="Blog"]') as HTMLElement;
    expect(row.textContent).toContain('Needs Enterprise');
    const select = row.querySelector('select') as HTMLSelectElement;
    expect(el.querySelector(`label[for="${select.id}"]`)?.textContent).toContain('Plan of Blog');
    select.value = 'enterprise';
    select.dispatchEvent(new Event('change'));
    const put = http.expectOne('/admin/projects/p4/plan');
    expect(put.request.body).toEqual({ plan: 'enterprise' });
    put.flush({ ...PROJECTS[1], plan: 'enterprise' });
    await flushMicrotasks();
    http.expectOne('/admin/projects').flush(PROJECTS);
    await flushMicrotasks();
    expect(el.textContent).toContain('Blog is now on enterprise');
  });
});

describe('AuditPage', () => {
  it('loads the newest records and filters by project and time', async () => {
    const http = setup();
    const fixture = TestBed.createComponent(AuditPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/admin/projects').flush(PROJECTS);
    const first = http.expectOne((r) => r.url === '/admin/audit');
    expect(first.request.params.get('limit')).toBe('100');
    first.flush([
      {
        id: 'r1',
        at: '2026-11-28T10:00:00Z',
        user_id: 'u1',
        api_key_id: null,
        project_id: 'p4',
        route: '/monitoring/enterprise/timeseries',
        params: { project_id: 'p4', env: 'prod' },
        status: 403,
        client_ip: '127.0.0.1',
      },
    ]);
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.querySelector('tbody tr')?.textContent).toContain('Blog');
    expect(el.querySelector('tbody tr')?.textContent).toContain('403');
    expect(el.querySelector('tbody tr')?.textContent).toContain('env=prod');
    (el.querySelector('#a-project') as HTMLSelectElement).value = 'p1';
    (el.querySelector('#a-from') as HTMLInputElement).value = '2026-11-28T09:00';
    (el.querySelector('form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const second = http.expectOne((r) => r.url === '/admin/audit');
    expect(second.request.params.get('project_id')).toBe('p1');
    expect(second.request.params.get('from')).toMatch(/^2026-11-28T\d\d:00:00Z$/);
    second.flush([]);
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.textContent).toContain('No access record matches');
  });
});

describe('SchedulerHealthPage', () => {
  it('shows the job counts and the recent failures, even from a 503 degraded answer', async () => {
    const http = setup();
    const fixture = TestBed.createComponent(SchedulerHealthPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    http.expectOne('/admin/projects').flush(PROJECTS);
    http.expectOne('/health/scheduler').flush(
      {
        status: 'degraded',
        timestamp: '2026-11-28T10:00:00Z',
        jobs: { pending: 2, running: 1, failed: 3 },
        stuck_running: 0,
        avg_collection_ms: 42.5,
        avg_analysis_ms: null,
        heartbeat_age_s: 4,
        recent_failures: [
          { project_id: 'p1', env: 'prod', reason: 'timeout', detail: 'no answer in 5 s', at: '2026-11-28T09:59:00Z' },
          {
            project_id: 'p4',
            env: 'prod',
            reason: 'invalid_payload',
            detail: { metric: 'cpu_usage', value: 1.5 },
            at: '2026-11-28T09:58:00Z',
          },
        ],
        polls_last_15m: { succeeded: 118, failed: 2 },
        failures_by_reason: { invalid_payload: 1, timeout: 1 },
        workers: [{ id: 'vm:1:a', role: 'all', heartbeat_age_s: 4 }],
      },
      { status: 503, statusText: 'Service Unavailable' },
    );
    await flushMicrotasks();
    await fixture.whenStable();
    expect(el.querySelector('[data-testid="scheduler-status"]')?.textContent).toContain('Degraded');
    expect(el.textContent).toContain('42.5 ms');
    const failure = el.querySelector('tbody tr') as HTMLElement;
    expect(failure.textContent).toContain('Checkout API');
    expect(failure.textContent).toContain('timeout');
    expect(failure.textContent).toContain('no answer in 5 s');
    expect(el.querySelectorAll('tbody tr')[1].textContent).toContain('metric=cpu_usage value=1.5');
    expect(el.textContent).toContain('118 / 2');
    expect(el.textContent).toContain('invalid_payload: 1');
    expect(el.textContent).toContain('vm:1:a');
    fixture.destroy();
  });
});
