import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiKeyView } from '@seqpulse/contracts';
import { flushMicrotasks } from '../../../testing/http';
import { ApiKeysPage } from './api-keys.page';

const KEY: ApiKeyView = {
  id: 'k1',
  name: 'ci',
  scopes: ['deployments:write'],
  project_ids: null,
  prefix: 'sp_ab12',
  created_at: '2026-11-28T10:00:00Z',
  last_used_at: null,
  revoked_at: null,
};

describe('ApiKeysPage', () => {
  let http: HttpTestingController;
  let el: HTMLElement;
  let fixture: ReturnType<typeof TestBed.createComponent<ApiKeysPage>>;

  beforeEach(async () => {
    TestBed.configureTestingModule({
      imports: [ApiKeysPage],
      providers: [provideHttpClient(), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(ApiKeysPage);
    el = fixture.nativeElement;
    await fixture.whenStable();
    http.expectOne('/api-keys').flush([KEY]);
    http.expectOne('/projects').flush([
      { id: 'p1', name: 'Checkout API', plan: 'enterprise', envs: ['prod'] },
      { id: 'p2', name: 'Blog', plan: 'free', envs: ['prod'] },
    ]);
    await flushMicrotasks();
    await fixture.whenStable();
  });

  const click = (selector: string) => (el.querySelector(selector) as HTMLElement).click();
  const settle = async () => {
    await flushMicrotasks();
    await fixture.whenStable();
  };

  it('lists keys without any secret', () => {
    const row = el.querySelector('tr[data-key="ci"]');
    expect(row?.textContent).toContain('sp_ab12…');
    expect(row?.textContent).toContain('deployments:write');
    expect(row?.textContent).toContain('all');
  });

  it('creates a key with scopes and projects, shows the secret once with a copy button', async () => {
    const name = el.querySelector('#k-name') as HTMLInputElement;
    name.value = 'github-actions';
    name.dispatchEvent(new Event('input'));
    click('input[data-scope="deployments:write"]');
    (el.querySelectorAll('input[name="k-limit"]')[1] as HTMLInputElement).click();
    await settle();
    click('input[data-project="Checkout API"]');
    (el.querySelector('form.form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    const req = http.expectOne((r) => r.method === 'POST' && r.url === '/api-keys');
    expect(req.request.body).toEqual({
      name: 'github-actions',
      scopes: ['monitoring:read', 'deployments:write'],
      project_ids: ['p1'],
    });
    req.flush({ ...KEY, id: 'k2', name: 'github-actions', key: 'sp_secret_value' });
    await settle();
    http.expectOne('/api-keys').flush([KEY, { ...KEY, id: 'k2', name: 'github-actions' }]);
    await settle();
    const secret = el.querySelector('[data-testid="new-key"]') as HTMLInputElement;
    expect(secret.value).toBe('sp_secret_value');
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    (el.querySelector('.secret .btn-primary') as HTMLButtonElement).click();
    await settle();
    expect(writeText).toHaveBeenCalledWith('sp_secret_value');
    expect(el.querySelector('.secret .btn-primary')?.textContent).toContain('Copied');
    (el.querySelector('.secret .btn-ghost') as HTMLButtonElement).click();
    await settle();
    expect(el.querySelector('[data-testid="new-key"]')).toBeNull();
    expect(el.textContent).not.toContain('sp_secret_value');
  });

  it('refuses to create without a name or scope', async () => {
    (el.querySelector('form.form') as HTMLFormElement).dispatchEvent(new Event('submit'));
    await settle();
    http.expectNone((r) => r.method === 'POST');
    expect(el.querySelector('[role="alert"]')?.textContent).toContain('Give the key a name');
  });

  it('revokes after a confirmation', async () => {
    click('tr[data-key="ci"] button');
    await settle();
    const confirm = el.querySelector('tr[data-key="ci"] .btn-danger') as HTMLButtonElement;
    expect(confirm.textContent).toContain('Confirm revoke');
    confirm.click();
    http.expectOne((r) => r.method === 'DELETE' && r.url === '/api-keys/k1').flush(null);
    await settle();
    http.expectOne('/api-keys').flush([{ ...KEY, revoked_at: '2026-11-28T11:00:00Z' }]);
    await settle();
    expect(el.querySelector('tr[data-key="ci"]')?.textContent).toContain('revoked');
    expect(el.textContent).toContain('revoked. It stops working at once');
  });
});
