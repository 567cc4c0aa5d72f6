import { DeploymentSummary } from '@seqpulse/contracts';
import { regionAtTime, regionLabels } from '../../charts/chart-options';
import { LIGHT_CHART_THEME } from '../../charts/chart-theme';
import { BAD_RELEASE, badReleaseDetail } from '../../../testing/deployment-fixtures';
import {
  applyDeploymentEvent,
  deploymentName,
  deploymentRegions,
  observationWindowMs,
  summaryFromDetail,
  upsertDeployment,
} from './deployment-regions';

const T = (iso: string) => Date.parse(iso);
const WINDOW = 5 * 60_000;

describe('deployments → chart regions', () => {
  it('shades trigger → finish, bands the observation window after the finish, colours and names the verdict', () => {
    const [region] = deploymentRegions([BAD_RELEASE], WINDOW, LIGHT_CHART_THEME, T('2026-11-28T11:00:00Z'));
    expect(region).toMatchObject({
      kind: 'region',
      id: 'd-bad',
      from: T('2026-11-28T10:20:00Z'),
      to: T('2026-11-28T10:20:45Z'),
      bandTo: T('2026-11-28T10:25:45Z'),
      colour: LIGHT_CHART_THEME.verdict.rollback_recommended,
      label: 'rollback recommended',
    });
    expect(region.tooltip).toEqual([
      'Deployment feature/new-checkout',
      'key demo-bad-1',
      'result: success',
      'verdict: rollback recommended (live)',
      expect.stringMatching(/^started /),
    ]);
  });

  it('a running deployment is pending, reaches now and has no window yet; an unknown window draws no band', () => {
    const running: DeploymentSummary = { ...BAD_RELEASE, finished_at: null, result: null, verdict: null, branch: null };
    const now = T('2026-11-28T10:20:30Z');
    const [r] = deploymentRegions([running], WINDOW, LIGHT_CHART_THEME, now);
    expect(r).toMatchObject({ to: now, bandTo: null, label: 'pending', colour: LIGHT_CHART_THEME.verdict.pending });
    expect(r.tooltip[0]).toBe('Deployment demo-bad-1');
    expect(r.tooltip).toContain('result: running');
    expect(r.tooltip).toContain('verdict: pending');
    const [noWindow] = deploymentRegions([BAD_RELEASE], null, LIGHT_CHART_THEME, now);
    expect(noWindow.bandTo).toBeNull();
  });

  it('each verdict has its own colour; a final verdict says so; bad dates are skipped', () => {
    const list: DeploymentSummary[] = (['ok', 'warning', 'inconclusive'] as const).map((verdict, i) => ({
      ...BAD_RELEASE,
      deployment_id: `d${i}`,
      verdict,
      verdict_final: true,
    }));
    const regions = deploymentRegions(
      [...list, { ...BAD_RELEASE, deployment_id: 'broken', started_at: 'nope' }],
      WINDOW,
      LIGHT_CHART_THEME,
      0,
    );
    expect(regions.map((r) => r.colour)).toEqual([
      LIGHT_CHART_THEME.verdict.ok,
      LIGHT_CHART_THEME.verdict.warning,
      LIGHT_CHART_THEME.verdict.inconclusive,
    ]);
    expect(new Set(regions.map((r) => r.colour)).size).toBe(3);
    expect(regions[0].tooltip).toContain('verdict: ok (final)');
  });

  it('where their labels would overlap, the verdict that needs attention keeps its label, else the latest', () => {
    const at = (id: string, minute: number, verdict: DeploymentSummary['verdict']): DeploymentSummary => ({
      ...BAD_RELEASE,
      deployment_id: id,
      started_at: new Date(T('2026-11-20T10:00:00Z') + minute * 60_000).toISOString(),
      finished_at: new Date(T('2026-11-20T10:00:45Z') + minute * 60_000).toISOString(),
      verdict,
    });
    const week = { from: T('2026-11-15T00:00:00Z'), to: T('2026-11-22T00:00:00Z') };
    const labelled = (list: DeploymentSummary[]) =>
      [...regionLabels(deploymentRegions(list, WINDOW, LIGHT_CHART_THEME, 0), week)].map((r) => r.id);
    // ten minutes apart in a week: one label between them
    expect(labelled([at('bad', 0, 'rollback_recommended'), at('fine', 10, 'ok')])).toEqual(['bad']);
    expect(labelled([at('warned', 0, 'warning'), at('fine', 10, 'ok')])).toEqual(['warned']);
    expect(labelled([at('bad', 0, 'rollback_recommended'), at('warned', 10, 'warning')])).toEqual(['bad']);
    expect(labelled([at('earlier', 0, 'ok'), at('later', 10, null)])).toEqual(['later']);
    expect(labelled([at('earlier', 0, 'ok'), at('later', 10, 'inconclusive')])).toEqual(['later']);
  });

  it('draws the newer of two overlapping deployments on top: it is the one the pointer names there', () => {
    const older = {
      ...BAD_RELEASE,
      deployment_id: 'd-old',
      started_at: '2026-11-20T10:00:00.000Z',
      finished_at: '2026-11-20T10:00:45.000Z',
    };
    const newer = {
      ...BAD_RELEASE,
      deployment_id: 'd-new',
      started_at: '2026-11-20T10:02:00.000Z',
      finished_at: '2026-11-20T10:02:45.000Z',
    };
    // the store's list is newest first
    const regions = deploymentRegions([newer, older], WINDOW, LIGHT_CHART_THEME, 0);
    expect(regions.map((r) => r.id)).toEqual(['d-old', 'd-new']);
    // inside the older one's observation window, after the newer one started
    expect(regionAtTime(regions, Date.parse('2026-11-20T10:03:00.000Z'))?.id).toBe('d-new');
    expect(regionAtTime(regions, Date.parse('2026-11-20T10:01:00.000Z'))?.id).toBe('d-old');
  });

  it('names a deployment by branch, else key, else id', () => {
    expect(deploymentName(BAD_RELEASE)).toBe('feature/new-checkout');
    expect(deploymentName({ ...BAD_RELEASE, branch: null })).toBe('demo-bad-1');
    expect(deploymentName({ deployment_id: '0123456789abcdef', branch: null, idempotency_key: null })).toBe('deployment 01234567');
  });
});

describe('the live list', () => {
  const older: DeploymentSummary = { ...BAD_RELEASE, deployment_id: 'd-old', started_at: '2026-11-28T10:00:00Z', verdict: 'ok' };

  it('a verdict event of a listed deployment patches it in place, nothing to read', () => {
    const list = [BAD_RELEASE, older];
    const { list: next, fetch } = applyDeploymentEvent(list, {
      deployment_id: 'd-old',
      env: 'staging',
      state: 'verdict',
      verdict: 'warning',
      final: true,
    });
    expect(fetch).toBeNull();
    expect(next[1]).toMatchObject({ deployment_id: 'd-old', verdict: 'warning', verdict_final: true });
    expect(next[0]).toBe(BAD_RELEASE);
    expect(list[1].verdict).toBe('ok'); // not mutated
  });

  it('a start, a finish or an unknown deployment asks for the deployment to be read', () => {
    for (const state of ['started', 'finished'] as const) {
      const result = applyDeploymentEvent([older], { deployment_id: 'd-old', env: 'staging', state });
      expect(result.fetch).toBe('d-old');
    }
    expect(applyDeploymentEvent([older], { deployment_id: 'new', env: 'staging', state: 'verdict', verdict: 'ok' }).fetch).toBe('new');
  });

  it('a deployment read on its own is listed newest first, replacing its old row', () => {
    const detail = badReleaseDetail();
    const row = summaryFromDetail(detail);
    expect(row).toEqual({ ...BAD_RELEASE });
    const list = upsertDeployment([older, { ...BAD_RELEASE, verdict: null }], row);
    expect(list.map((d) => [d.deployment_id, d.verdict])).toEqual([
      ['d-bad', 'rollback_recommended'],
      ['d-old', 'ok'],
    ]);
    expect(upsertDeployment([older], row).map((d) => d.deployment_id)).toEqual(['d-bad', 'd-old']);
  });

  it('learns the observation window from a finished deployment', () => {
    expect(observationWindowMs(badReleaseDetail())).toBe(WINDOW);
    expect(observationWindowMs({ ...badReleaseDetail(), window_ends_at: null })).toBeNull();
  });
});
