import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { flushMicrotasks } from '../../../testing/http';
import { monitoringBadge } from './monitoring-status';
import { ProjectsPage } from './projects.page';

describe('ProjectsPage', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] }));

  it('shows a loading state, then each project with its plan and realtime status', async () => {
    const fixture = TestBed.createComponent(ProjectsPage);
    const el = fixture.nativeElement as HTMLElement;
    await fixture.whenStable();
    expect(el.querySelector('[role="status"]')?.textContent).toContain('Loading projects');
    TestBed.inject(HttpTestingController)
      .expectOne('/projects')
      .flush([
        {
          id: 'p2',
          name: 'Search API',
          plan: 'enterprise',
          envs: ['prod'],
          monitoring: { enabled: false, reason: 'monitoring_not_enabled' },
        },
        { id: 'p1', name: 'Checkout API', plan: 'enterprise', envs: ['prod', 'staging'], monitoring: { enabled: true } },
      ]);
    await flushMicrotasks();
    await fixture.whenStable();
    const cards = el.querySelectorAll('.project-card');
    expect(cards[0].textContent).toContain('Checkout API');
    expect(cards[0].textContent).toContain('Realtime on');
    expect(cards[0].querySelector('a')?.getAttribute('href')).toBe('/app/projects/p1');
    expect(cards[1].textContent).toContain('Not enabled yet');
  });

  it('has an empty state', async () => {
    const fixture = TestBed.createComponent(ProjectsPage);
    await fixture.whenStable();
    TestBed.inject(HttpTestingController).expectOne('/projects').flush([]);
    await flushMicrotasks();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('No projects yet');
  });

  it('labels each realtime status', () => {
    const p = { plan: 'pro' } as never;
    expect(monitoringBadge(p).text).toBe('Needs Enterprise');
  });
});
