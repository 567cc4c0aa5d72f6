import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { METRIC_NAMES, MetricName, OverviewResponse } from '@seqpulse/contracts';
import { flushMicrotasks } from '../../../testing/http';
import { OverviewPage } from './overview.page';

const spark = Object.fromEntries(METRIC_NAMES.map((m) => [m, Array.from({ length: 60 }, (_, i) => (i % 7 ? 0.3 : null))])) as Record<
  MetricName,
  (number | null)[]
>;
const values = { requests_per_sec: 12, latency_p95: 180, error_rate: 0.002, cpu_usage: 0.41, memory_usage: 0.6 };

function response(): OverviewResponse {
  const recent = new Date(Date.now() - 20_000).toISOString();
  return {
    projects: [
      {
        project_id: 'p1',
        name: 'Checkout API',
        plan: 'enterprise',
        monitoring: { enabled: true },
        envs: [{ env: 'prod', last_sample_at: recent, values, spark, firing: { warning: 0, critical: 0 }, last_deployment: null }],
      },
      {
        project_id: 'p2',
        name: 'Billing',
        plan: 'enterprise',
        monitoring: { enabled: true },
        envs: [
          {
            env: 'prod',
            last_sample_at: recent,
            values: { ...values, error_rate: 0.08 },
            spark,
            firing: { warning: 0, critical: 1 },
            last_deployment: { deployment_id: 'd1', finished_at: recent, result: 'failed', verdict: null },
          },
        ],
      },
      { project_id: 'p3', name: 'Blog', plan: 'free', monitoring: { enabled: false, reason: 'plan_not_enterprise' }, envs: [] },
    ],
  };
}

/** `count` monitored projects with one env each, named so that the name sort is their number order. */
function manyProjects(count: number): OverviewResponse {
  const recent = new Date(Date.now() - 20_000).toISOString();
  return {
    projects: Array.from({ length: count }, (_, i) => ({
      project_id: `p${i}`,
      name: `Project ${String(i).padStart(3, '0')}`,
      plan: 'enterprise' as const,
      monitoring: { enabled: true },
      envs: [{ env: 'prod', last_sample_at: recent, values, spark, firing: { warning: 0, critical: 0 }, last_deployment: null }],
    })),
  };
}

describe('OverviewPage', () => {
  async function render(answer: OverviewResponse = response()) {
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
    const fixture = TestBed.createComponent(OverviewPage);
    const http = TestBed.inject(HttpTestingController);
    fixture.detectChanges();
    http.expectOne('/monitoring/enterprise/overview').flush(answer);
    await flushMicrotasks();
    await fixture.whenStable();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }
  const names = (el: HTMLElement) => [...el.querySelectorAll('tbody tr[data-project]')].map((r) => r.getAttribute('data-project'));

  it('lists every project worst first, with values, sparklines and status; without Realtime last', async () => {
    const { el } = await render();
    expect(names(el)).toEqual(['Billing', 'Checkout API', 'Blog']);
    const billing = el.querySelector('tr[data-project="Billing"]') as HTMLElement;
    expect(billing.textContent).toContain('Critical alert');
    expect(billing.textContent).toContain('8 %');
    expect(billing.textContent).toContain('1 critical');
    expect(billing.textContent).toContain('✗ failed');
    expect(billing.querySelectorAll('app-sparkline path')).toHaveLength(5);
    expect(billing.querySelector('app-sparkline path')?.getAttribute('d')?.match(/M/g)?.length).toBeGreaterThan(1); // gaps
    expect(el.querySelector('tr[data-project="Blog"]')?.textContent).toContain('Needs the Enterprise plan');
    expect(billing.querySelector('a')?.getAttribute('href')).toBe('/app/projects/p2?env=prod');
  });

  it('filters by name and to problems only, and sorts by name', async () => {
    const { fixture, el } = await render();
    const filter = el.querySelector('#o-filter') as HTMLInputElement;
    filter.value = 'check';
    filter.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect(names(el)).toEqual(['Checkout API']);
    filter.value = '';
    filter.dispatchEvent(new Event('input'));
    const problems = el.querySelector('#o-problems') as HTMLInputElement;
    problems.checked = true;
    problems.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(names(el)).toEqual(['Billing']);
    problems.checked = false;
    problems.dispatchEvent(new Event('change'));
    const sort = el.querySelector('#o-sort') as HTMLSelectElement;
    sort.value = 'name';
    sort.dispatchEvent(new Event('change'));
    await fixture.whenStable();
    expect(names(el)).toEqual(['Billing', 'Blog', 'Checkout API']);
  });

  it('draws the upper half of the view first, the rest of the view in a later task, then the rows just below', async () => {
    const { fixture, el } = await render(manyProjects(400));
    const drawnRows = () => [...el.querySelectorAll('tbody tr[data-project]')].map((r) => Number(r.getAttribute('aria-rowindex')));
    const afterFrame = async () => {
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 10)));
      await fixture.whenStable();
    };
    const half = drawnRows();
    await afterFrame();
    const view = drawnRows();
    await afterFrame();
    const all = drawnRows();
    // jsdom's window is 768 px high: 15 rows of 52 px in view (+1 partly), 8 in its upper half (+1)
    expect(half).toEqual(Array.from({ length: 9 }, (_, i) => i + 2));
    expect(view).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
    expect(all).toEqual(Array.from({ length: 24 }, (_, i) => i + 2));
    await afterFrame();
    expect(drawnRows()).toEqual(all); // and no further
  });

  it('draws only the rows in view of a long list, keeps the height and row count of all, and follows the scroll', async () => {
    const { fixture, el } = await render(manyProjects(400));
    const table = el.querySelector('table') as HTMLElement;
    expect(table.getAttribute('aria-rowcount')).toBe('401'); // the header row and every project
    const drawn = [...el.querySelectorAll('tbody tr[data-project]')];
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.length).toBeLessThan(60);
    expect(drawn[0].getAttribute('aria-rowindex')).toBe('2');
    const space = (el.querySelector('tbody tr.row-space:last-child') as HTMLElement).style.height;
    expect(parseFloat(space)).toBeGreaterThan(300 * 40); // the rows not drawn still take their room

    // scrolled to the 200th row (jsdom has no layout: the scroll position is set by hand)
    const box = el.querySelector('.overview-scroll') as HTMLElement;
    Object.defineProperty(box, 'scrollTop', { configurable: true, value: 200 * 52 });
    box.dispatchEvent(new Event('scroll'));
    await fixture.whenStable();
    const rows = [...el.querySelectorAll('tbody tr[data-project]')];
    const indexes = rows.map((r) => Number(r.getAttribute('aria-rowindex')));
    expect(indexes[0]).toBeLessThanOrEqual(202);
    expect(indexes[0]).toBeGreaterThan(180);
    expect(indexes).toEqual(indexes.map((_, i) => indexes[0] + i)); // consecutive
    // all Enterprise rows are OK, so worst first falls back to the name: row index n is Project n-2
    expect(rows[0].getAttribute('data-project')).toBe(`Project ${String(indexes[0] - 2).padStart(3, '0')}`);
    expect(el.querySelectorAll('tbody tr.row-space')).toHaveLength(2);
  });
});
