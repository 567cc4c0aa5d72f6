import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, TestRequest } from '@angular/common/http/testing';
import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter, Router, withComponentInputBinding } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { AlertHistoryEntry, ProjectView } from '@seqpulse/contracts';
import { settle } from '../../../testing/helpers';
import { AlertHistoryPage } from './alert-history.page';
import { timelineText } from './alert-timeline.component';

@Component({ template: 'monitoring' })
class MonitoringStub {}

const PROJECT: ProjectView = {
  id: 'p1',
  name: 'Checkout API',
  plan: 'enterprise',
  monitoring: { enabled: true },
  envs: ['prod', 'staging'],
  metrics_endpoint: 'http://x/metrics',
  hmac_enabled: false,
  created_at: '2026-11-01T00:00:00Z',
  poll_interval_s: 15,
};
const ESCALATED: AlertHistoryEntry = {
  id: 'a-esc',
  rule: 'error_rate_high',
  env: 'staging',
  state: 'resolved',
  value: 0.004,
  threshold: 0.01,
  started_at: '2026-11-28T10:00:00Z',
  resolved_at: '2026-11-28T10:10:00Z',
  resolution_reason: 'recovered',
  level: 'critical',
  silenced: false,
  timeline: [
    { at: '2026-11-28T10:00:00Z', kind: 'opened', level: 'warning', value: 0.006 },
    { at: '2026-11-28T10:00:01Z', kind: 'notification', channel: 'webhook', transition: 'firing', status: 'delivered' },
    { at: '2026-11-28T10:04:00Z', kind: 'escalated', level: 'critical', value: 0.03 },
    { at: '2026-11-28T10:05:00Z', kind: 'silenced', level: 'critical', value: 0.03 },
    { at: '2026-11-28T10:10:00Z', kind: 'resolved', level: 'critical', value: 0.004 },
  ],
};

describe('AlertHistoryPage', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter(
          [
            { path: 'app/projects/:id/alerts', component: AlertHistoryPage },
            { path: 'app/projects/:id', component: MonitoringStub },
          ],
          withComponentInputBinding(),
        ),
        provideHttpClient(),
        provideHttpClientTesting(),
      ],
    });
    http = TestBed.inject(HttpTestingController);
  });

  async function open(url: string): Promise<{ harness: RouterTestingHarness; req: TestRequest }> {
    const harness = await RouterTestingHarness.create();
    const navigation = harness.navigateByUrl(url);
    await settle(5);
    http.match('/projects').forEach((r) => r.flush([PROJECT]));
    await navigation;
    await settle(5);
    const req = http.expectOne((r) => r.url === '/monitoring/enterprise/alert-history');
    return { harness, req };
  }
  const urlOf = () => new URL(TestBed.inject(Router).url, 'http://x');

  it('sends the filters of the URL, lists the alerts, and a filter change goes to the URL and requests again', async () => {
    const { harness, req } = await open('/app/projects/p1/alerts?env=staging&level=critical&range=24h');
    const p = req.request.params;
    expect([p.get('project_id'), p.get('env'), p.get('level'), p.get('rule'), p.get('state')]).toEqual([
      'p1',
      'staging',
      'critical',
      null,
      null,
    ]);
    expect(Date.parse(p.get('to') as string) - Date.parse(p.get('from') as string)).toBe(86_400_000);
    req.flush([ESCALATED]);
    await harness.fixture.whenStable();
    await settle(5);
    const el = harness.routeNativeElement as HTMLElement;
    const item = el.querySelector('.history-item[data-rule="error_rate_high"]');
    expect(item?.textContent).toContain('Error rate high · staging');
    expect(item?.textContent).toContain('resolved after 10 min');
    expect((el.querySelector('select[name="env"]') as HTMLSelectElement).value).toBe('staging');

    const state = el.querySelector('select[name="state"]') as HTMLSelectElement;
    state.value = 'firing';
    state.dispatchEvent(new Event('change'));
    await harness.fixture.whenStable();
    await settle(5);
    expect(urlOf().searchParams.get('state')).toBe('firing');
    expect(urlOf().searchParams.get('env')).toBe('staging');
    const again = http.expectOne((r) => r.url === '/monitoring/enterprise/alert-history');
    expect(again.request.params.get('state')).toBe('firing');
    again.flush([]);
    await settle(5);
    await harness.fixture.whenStable();
    expect(el.textContent).toContain('No alert matches these filters.');
  });

  it('an alert opens its timeline (kept in the URL); "Show on the charts" opens the monitoring page at its range', async () => {
    const { harness, req } = await open('/app/projects/p1/alerts');
    req.flush([ESCALATED]);
    await settle(5);
    await harness.fixture.whenStable();
    const el = harness.routeNativeElement as HTMLElement;
    (el.querySelector('.history-item') as HTMLButtonElement).click();
    await harness.fixture.whenStable();
    await settle(5);
    expect(urlOf().searchParams.get('alert')).toBe('a-esc');
    http.expectNone((r) => r.url === '/monitoring/enterprise/alert-history'); // opening an alert does not reload the list
    const entries = [...el.querySelectorAll('.timeline-entry')].map((e) => e.getAttribute('data-kind'));
    expect(entries).toEqual(['opened', 'notification', 'escalated', 'silenced', 'resolved']);
    expect(el.querySelector('.timeline-entry[data-kind="escalated"]')?.textContent).toContain('Escalated to critical · value 3 %');

    [...el.querySelectorAll('app-alert-timeline button')]
      .find((b) => b.textContent?.includes('Show on the charts'))
      ?.dispatchEvent(new Event('click'));
    await harness.fixture.whenStable();
    await settle(5);
    const url = urlOf();
    expect(url.pathname).toBe('/app/projects/p1');
    expect(Object.fromEntries(url.searchParams)).toEqual({ env: 'staging', from: '2026-11-28T09:45:00Z', to: '2026-11-28T10:25:00Z' });
  });
});

describe('timeline entries in words', () => {
  it('names each kind with its level, value or delivery', () => {
    const text = (e: AlertHistoryEntry['timeline'][number]) => timelineText(e, 'latency_p95_high');
    expect(text({ at: '', kind: 'opened', level: 'warning', value: 420 })).toBe('Opened at warning · value 420 ms');
    expect(text({ at: '', kind: 'deescalated', level: 'warning', value: 450 })).toBe('Back to warning · value 450 ms');
    expect(text({ at: '', kind: 'renotified', level: 'critical', value: 900 })).toBe('Notified again, still firing · value 900 ms');
    expect(text({ at: '', kind: 'unsilenced' })).toBe('No longer silenced');
    expect(text({ at: '', kind: 'notification', channel: 'slack', transition: 'resolved', status: 'failed' })).toBe(
      'Notification "resolved" via slack: failed',
    );
  });
});
