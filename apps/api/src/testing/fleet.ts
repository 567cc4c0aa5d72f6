// The demo fleet (apps/demo-fleet) started in-process: real HTTP targets for collection tests.
// Test-only: an app is not a library, so the boundary rule is waived for this one import.
// eslint-disable-next-line @nx/enforce-module-boundaries
export { startDemoFleet } from '../../../demo-fleet/src/fleet';
// eslint-disable-next-line @nx/enforce-module-boundaries
export type { DemoFleet } from '../../../demo-fleet/src/fleet';

export async function fleetControl(fleetUrl: string, target: string, mode: string, durationS = 600): Promise<void> {
  const res = await fetch(`${fleetUrl}/control/targets/${target}/mode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ mode, duration_s: durationS }),
  });
  if (!res.ok) throw new Error(`fleet control failed: ${res.status} ${await res.text()}`);
}

export async function fleetRequestCount(fleetUrl: string, target: string): Promise<number> {
  const res = await fetch(`${fleetUrl}/control/targets/${target}/requests`);
  return ((await res.json()) as { count: number }).count;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 40_000,
  everyMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
