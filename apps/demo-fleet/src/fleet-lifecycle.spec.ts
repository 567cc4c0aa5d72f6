import { startDemoFleet } from './fleet';
import { httpRequest } from './testing/http-request';

describe('demo fleet lifecycle', () => {
  it('listens on a free port with port 0 and reports its URL', async () => {
    const fleet = await startDemoFleet({ port: 0 });
    try {
      expect(fleet.port).toBeGreaterThan(0);
      expect(fleet.url).toBe(`http://127.0.0.1:${fleet.port}`);
      expect((await httpRequest(fleet.url, '/healthz')).status).toBe(200);
    } finally {
      await fleet.close();
    }
  });

  it('closes promptly even while an outage request is held open', async () => {
    const fleet = await startDemoFleet({ port: 0 });
    await httpRequest(fleet.url, '/control/targets/bench-1/mode', {
      method: 'POST',
      body: { mode: 'outage' },
    });
    const held = httpRequest(fleet.url, '/targets/bench-1/metrics', {
      timeoutMs: 10_000,
    });
    await waitUntil(async () => {
      const log = await httpRequest(fleet.url, '/control/targets/bench-1/requests');
      return log.json<{ count: number }>().count === 1;
    });
    const started = Date.now();
    await fleet.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    // The client sees the socket die, never an answer.
    await expect(held).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('close() is idempotent', async () => {
    const fleet = await startDemoFleet({ port: 0 });
    await Promise.all([fleet.close(), fleet.close()]);
    await fleet.close();
  });

  it('fails to start on a port already in use', async () => {
    const first = await startDemoFleet({ port: 0 });
    try {
      await expect(startDemoFleet({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });

  it('hides the control API when asked', async () => {
    const fleet = await startDemoFleet({ port: 0, controlApi: false });
    try {
      const res = await httpRequest(fleet.url, '/control/targets/bench-1/mode', {
        method: 'POST',
        body: { mode: 'outage' },
      });
      expect(res.status).toBe(404);
    } finally {
      await fleet.close();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
