import {
  DEFAULT_VIEW,
  fromLocalInput,
  parseViewState,
  resolveWindow,
  stepOptions,
  toLocalInput,
  toQueryParams,
  ViewState,
} from './view-state';

describe('URL state mapping', () => {
  it('an empty query is the default view: 1 h, both phases, first env, auto step, live', () => {
    expect(parseViewState({})).toEqual(DEFAULT_VIEW);
    expect(toQueryParams(DEFAULT_VIEW)).toEqual({});
  });

  it('round-trips every field through the URL', () => {
    const views: ViewState[] = [
      {
        env: 'staging',
        phase: 'post',
        range: '24h',
        from: null,
        to: null,
        step: '5m',
        live: false,
        tz: 'utc',
        compare: '1d',
        deployment: null,
      },
      {
        env: 'prod',
        phase: 'pre',
        range: '7d',
        from: null,
        to: null,
        step: null,
        live: true,
        tz: 'local',
        compare: '1w',
        deployment: '6f1c2b9e-8d4a-4c1e-9a55-0b1d2c3e4f50',
      },
      {
        env: null,
        phase: null,
        range: 'custom',
        from: '2026-11-28T10:00:00Z',
        to: '2026-11-28T12:00:00Z',
        step: '60s',
        live: false,
        tz: 'local',
        compare: null,
        deployment: null,
      },
    ];
    for (const v of views) expect(parseViewState(toQueryParams(v))).toEqual(v);
  });

  it('keeps the open deployment in the URL; a malformed id is ignored', () => {
    expect(parseViewState({ deployment: 'd-1' }).deployment).toBe('d-1');
    expect(toQueryParams({ ...DEFAULT_VIEW, deployment: 'd-1' })).toEqual({ deployment: 'd-1' });
    expect(parseViewState({ deployment: '../admin' }).deployment).toBeNull();
    expect(parseViewState({ deployment: '' }).deployment).toBeNull();
  });

  it('writes a readable query', () => {
    expect(toQueryParams({ ...DEFAULT_VIEW, env: 'staging', phase: 'post', range: '6h', live: false, tz: 'utc', compare: '1d' })).toEqual({
      env: 'staging',
      phase: 'post',
      range: '6h',
      live: 'off',
      tz: 'utc',
      compare: '1d',
    });
  });

  it('ignores invalid values field by field', () => {
    expect(parseViewState({ env: 'PROD!', phase: 'during', range: '3y', step: '7s', live: 'maybe', tz: 'mars', compare: '1y' })).toEqual(
      DEFAULT_VIEW,
    );
  });

  it('a custom range needs from < to and is never live', () => {
    expect(parseViewState({ from: '2026-11-28T12:00:00Z', to: '2026-11-28T10:00:00Z' }).range).toBe('1h');
    const v = parseViewState({ from: '1795860000', to: '1795863600', live: 'on' });
    expect(v).toMatchObject({ range: 'custom', from: new Date(1795860000_000).toISOString().replace('.000Z', 'Z'), live: false });
  });

  it('chooses the step automatically from the range (defaultStepFor)', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(resolveWindow({ ...DEFAULT_VIEW, range: '1h' }, now)).toMatchObject({
      step: '15s',
      from: now - 3600_000,
      to: now,
      live: true,
    });
    expect(resolveWindow({ ...DEFAULT_VIEW, range: '24h' }, now).step).toBe('60s');
    expect(resolveWindow({ ...DEFAULT_VIEW, range: '7d' }, now).step).toBe('15m');
  });

  it('honours a manual step unless it exceeds the point limit', () => {
    const now = Date.now();
    expect(resolveWindow({ ...DEFAULT_VIEW, range: '24h', step: '15s' }, now)).toMatchObject({
      step: '15s',
      stepAdjusted: false,
    });
    expect(resolveWindow({ ...DEFAULT_VIEW, range: '7d', step: '15s' }, now)).toMatchObject({
      step: '15m',
      stepAdjusted: true,
    });
    const opts = stepOptions(7 * 86400);
    expect(opts.find((o) => o.step === '15s')?.disabled).toBe(true);
    expect(opts.find((o) => o.step === '1h')?.disabled).toBe(false);
  });

  it('a custom window is absolute', () => {
    const v = parseViewState({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T12:00:00Z' });
    expect(resolveWindow(v, Date.now())).toMatchObject({
      from: Date.parse('2026-11-28T10:00:00Z'),
      to: Date.parse('2026-11-28T12:00:00Z'),
      rangeSeconds: 7200,
      live: false,
    });
  });

  it('converts datetime-local values both ways', () => {
    const iso = '2026-11-28T10:15:00Z';
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('reads and writes the pickers in UTC when the view is in UTC', () => {
    expect(toLocalInput('2026-11-28T10:15:00Z', 'utc')).toBe('2026-11-28T10:15');
    expect(fromLocalInput('2026-11-28T10:15', 'utc')).toBe('2026-11-28T10:15:00Z');
    // local time: whatever the machine's zone, the round trip is exact and differs from UTC by the zone's offset
    const local = fromLocalInput('2026-11-28T10:15', 'local') as string;
    expect(Date.parse(local) - Date.parse('2026-11-28T10:15:00Z')).toBe(new Date(local).getTimezoneOffset() * 60_000);
  });
});
