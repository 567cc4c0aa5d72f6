import { alertRange } from './alert-range';
import { DEFAULT_FILTERS, historyApiQuery, historyQueryParams, parseHistoryFilters } from './history-query';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('alert history filters ↔ URL ↔ API', () => {
  it('reads every filter from the URL and writes them back, defaults left out', () => {
    const query = {
      rule: 'error_rate_high',
      env: 'staging',
      level: 'critical',
      state: 'resolved',
      from: '2026-11-27T00:00:00Z',
      to: '2026-11-28T00:00:00Z',
      alert: '6f1c2a9e-0000-4000-8000-000000000001',
    };
    const filters = parseHistoryFilters(query);
    expect(filters).toEqual({ ...query, range: 'custom' });
    expect(historyQueryParams(filters)).toEqual(query);
    expect(historyQueryParams(DEFAULT_FILTERS)).toEqual({});
    expect(historyQueryParams({ ...DEFAULT_FILTERS, range: '30d' })).toEqual({ range: '30d' });
  });

  it('an unknown value is no filter; a range whose end is not after its start is the default range', () => {
    expect(parseHistoryFilters({ rule: 'disk_full', env: 'Prod!', level: 'info', state: 'open', range: '1y', alert: '../x' })).toEqual(
      DEFAULT_FILTERS,
    );
    expect(parseHistoryFilters({ from: '2026-11-28T00:00:00Z', to: '2026-11-27T00:00:00Z' }).range).toBe('7d');
  });

  it('maps the filters to the history route: a preset ends now, a custom range is sent as is', () => {
    expect(historyApiQuery('p1', DEFAULT_FILTERS, NOW)).toEqual({
      project_id: 'p1',
      from: '2026-11-21T12:00:00Z',
      to: '2026-11-28T12:00:00Z',
      limit: 200,
    });
    const custom = parseHistoryFilters({ level: 'warning', state: 'firing', from: '2026-11-27T00:00:00Z', to: '2026-11-28T00:00:00Z' });
    expect(historyApiQuery('p1', { ...custom, rule: 'cpu_high', env: 'prod', alert: 'x' }, NOW)).toEqual({
      project_id: 'p1',
      rule: 'cpu_high',
      env: 'prod',
      level: 'warning',
      state: 'firing',
      from: '2026-11-27T00:00:00Z',
      to: '2026-11-28T00:00:00Z',
      limit: 200,
    });
  });
});

describe('the range around an alert', () => {
  it('a resolved alert: 15 minutes before it opened to 15 minutes after it resolved, never past now', () => {
    expect(alertRange({ started_at: '2026-11-28T10:00:00Z', resolved_at: '2026-11-28T10:20:00Z' }, NOW)).toEqual({
      from: '2026-11-28T09:45:00Z',
      to: '2026-11-28T10:35:00Z',
    });
    expect(alertRange({ started_at: '2026-11-28T11:50:00Z', resolved_at: '2026-11-28T11:55:00Z' }, NOW).to).toBe('2026-11-28T12:00:00Z');
  });

  it('a firing alert reaches now; a just-opened one still gets a range after its start', () => {
    expect(alertRange({ started_at: '2026-11-28T11:00:00Z', resolved_at: null }, NOW)).toEqual({
      from: '2026-11-28T10:45:00Z',
      to: '2026-11-28T12:00:00Z',
    });
    expect(alertRange({ started_at: '2026-11-28T12:00:00Z', resolved_at: null }, NOW).to).toBe('2026-11-28T12:01:00Z');
  });
});
