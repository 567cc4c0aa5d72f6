import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { createCIClient, SeqPulseApiError, Verdict } from '../lib/ci/ci-client';
import { EXIT_ROLLBACK_RECOMMENDED, EXIT_USAGE, runCli } from './deploy';

/**
 * A stand-in for SeqPulse's deployment routes over real HTTP, answering with the contract's bodies and
 * recording what it was sent. `verdicts` are served in order to successive verdict requests.
 */
class DeploymentsApi {
  readonly received: { method: string; path: string; body: any; auth?: string }[] = [];
  verdicts: Omit<Verdict, 'deployment_id'>[] = [];
  failNext = 0;
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res): Promise<void> => {
      const body = await readJson(req);
      this.received.push({ method: req.method ?? '', path: req.url ?? '', body, auth: req.headers.authorization });
      const send = (status: number, payload: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      const verdict = /^\/deployments\/([^/]+)\/verdict\?wait=(\d+)$/.exec(req.url ?? '');
      if (this.failNext > 0) {
        this.failNext--;
        send(503, { statusCode: 503, code: 'unavailable', message: 'try again' });
      } else if (req.url === '/deployments/trigger') {
        if (body.project_id) send(201, { deployment_id: 'dep-1', status: 'created' });
        else send(400, { statusCode: 400, code: 'validation_failed', message: 'project_id is required' });
      } else if (req.url === '/deployments/finish') {
        send(200, { status: 'accepted' });
      } else if (verdict) {
        send(200, { deployment_id: verdict[1], ...(this.verdicts.shift() ?? { verdict: null, final: false, reasons: [] }) });
      } else {
        send(404, { statusCode: 404, code: 'not_found', message: 'no route' });
      }
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }

  paths(): string[] {
    return this.received.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`);
  }
}

function readJson(req: IncomingMessage): Promise<any> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c)).on('end', () => resolve(text ? JSON.parse(text) : undefined));
  });
}

const node = (code: number) => [process.execPath, '-e', `process.exit(${code})`];
const fast = { retryDelayMs: 10 };

describe('seqpulse deploy (exit codes)', () => {
  let api: DeploymentsApi;
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const env = () => ({ SEQPULSE_URL: api.url, SEQPULSE_API_KEY: 'sp_test_key' });
  const deploy = (flags: string[], command: string[], environment: NodeJS.ProcessEnv = env()) =>
    runCli(['deploy', ...flags, '--', ...command], environment, io, fast);

  beforeEach(async () => {
    lines.length = 0;
    api = new DeploymentsApi();
    await api.start();
  });
  afterEach(() => api.stop());

  it('exits 0 after a successful command, finishing the deployment as success', async () => {
    expect(await deploy(['--project', 'p1', '--env', 'prod', '--branch', 'main'], node(0))).toBe(0);
    expect(api.paths()).toEqual(['POST /deployments/trigger', 'POST /deployments/finish']);
    expect(api.received[0].body).toEqual({ project_id: 'p1', env: 'prod', branch: 'main', idempotency_key: expect.any(String) });
    expect(api.received[0].auth).toBe('Bearer sp_test_key');
    expect(api.received[1].body).toEqual({ deployment_id: 'dep-1', result: 'success' });
  });

  it("exits with the command's own code when it fails, finishing as failed and asking for no verdict", async () => {
    expect(await deploy(['--project', 'p1', '--env', 'prod', '--wait'], node(7))).toBe(7);
    expect(api.paths()).toEqual(['POST /deployments/trigger', 'POST /deployments/finish']);
    expect(api.received[1].body.result).toBe('failed');
  });

  it(`exits ${EXIT_ROLLBACK_RECOMMENDED} when the verdict is rollback_recommended`, async () => {
    api.verdicts = [{ verdict: 'rollback_recommended', final: false, reasons: [] }];
    expect(await deploy(['--project', 'p1', '--env', 'prod', '--wait'], node(0))).toBe(EXIT_ROLLBACK_RECOMMENDED);
    expect(api.paths()).toEqual(['POST /deployments/trigger', 'POST /deployments/finish', 'GET /deployments/dep-1/verdict']);
  });

  it('exits 0 on a final ok verdict, asking again while it is not final', async () => {
    api.verdicts = [
      { verdict: 'inconclusive', final: false, reasons: [] },
      { verdict: 'ok', final: true, reasons: [] },
    ];
    expect(await deploy(['--project', 'p1', '--env', 'prod', '--wait', '--timeout', '30'], node(0))).toBe(0);
    expect(api.paths().filter((p) => p.includes('verdict'))).toHaveLength(2);
    expect(api.received[2].path).toBe('/deployments/dep-1/verdict?wait=30');
  });

  it('never blocks a deployment when SeqPulse is unreachable: the command runs, its code is the exit code', async () => {
    await api.stop();
    const unreachable = { SEQPULSE_URL: api.url, SEQPULSE_API_KEY: 'k' };
    expect(await deploy(['--project', 'p1', '--env', 'prod', '--wait'], node(0), unreachable)).toBe(0);
    expect(await deploy(['--project', 'p1', '--env', 'prod'], node(5), unreachable)).toBe(5);
    expect(lines.join('\n')).toMatch(/warning: trigger failed/);
    api = new DeploymentsApi();
    await api.start();
  });

  it('exits 127 when the command cannot be started', async () => {
    expect(await deploy(['--project', 'p1', '--env', 'prod'], ['/nonexistent/deploy.sh'])).toBe(127);
    expect(api.received[1].body.result).toBe('failed');
  });

  it.each([
    [['deploy', '--project', 'p1', '--env', 'prod'], 'missing -- <command>'],
    [['deploy', '--env', 'prod', '--', 'true'], '--project and --env are required'],
    [['deploy', '--project', 'p1', '--env', 'prod', '--timeout', 'soon', '--', 'true'], '--timeout must be'],
    [['deploy', '--project', 'p1', '--env', 'prod', '--force', 'yes', '--', 'true'], 'unknown flag --force'],
    [['ship'], 'unknown command ship'],
  ])(`exits ${EXIT_USAGE} on a usage error: %j`, async (argv, message) => {
    expect(await runCli(argv, env(), io)).toBe(EXIT_USAGE);
    expect(lines.join('\n')).toContain(message);
    expect(api.received).toEqual([]);
  });

  it(`exits ${EXIT_USAGE} without SEQPULSE_URL or SEQPULSE_API_KEY`, async () => {
    expect(await deploy(['--project', 'p1', '--env', 'prod'], node(0), { SEQPULSE_URL: api.url })).toBe(EXIT_USAGE);
  });
});

describe('createCIClient', () => {
  let api: DeploymentsApi;
  beforeEach(async () => {
    api = new DeploymentsApi();
    await api.start();
  });
  afterEach(() => api.stop());

  it('retries a 5xx with the same idempotency key, so the retry cannot create a second deployment', async () => {
    api.failNext = 2;
    const client = createCIClient({ baseUrl: api.url, apiKey: 'k', retryDelayMs: 10 });
    expect(await client.trigger({ project_id: 'p1', env: 'prod' })).toEqual({ deployment_id: 'dep-1', status: 'created' });
    const keys = api.received.map((r) => r.body.idempotency_key);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
  });

  it('keeps a caller-chosen idempotency key', async () => {
    await createCIClient({ baseUrl: `${api.url}/`, apiKey: 'k' }).trigger({ project_id: 'p1', env: 'prod', idempotency_key: 'build-42' });
    expect(api.received[0].body.idempotency_key).toBe('build-42');
  });

  it('gives up after the configured attempts', async () => {
    api.failNext = 10;
    const client = createCIClient({ baseUrl: api.url, apiKey: 'k', attempts: 3, retryDelayMs: 10 });
    await expect(client.finish({ deployment_id: 'dep-1', result: 'success' })).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    expect(api.received).toHaveLength(3);
  });

  it('does not retry a 4xx and surfaces the contract error code', async () => {
    const client = createCIClient({ baseUrl: api.url, apiKey: 'k', retryDelayMs: 10 });
    const error = await client.trigger({ project_id: '', env: 'prod' }).catch((e) => e);
    expect(error).toBeInstanceOf(SeqPulseApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(api.received).toHaveLength(1);
  });

  it('retries network errors, then fails with them', async () => {
    await api.stop();
    const client = createCIClient({ baseUrl: api.url, apiKey: 'k', attempts: 2, retryDelayMs: 10 });
    await expect(client.finish({ deployment_id: 'd', result: 'success' })).rejects.toThrow(/fetch failed/);
    api = new DeploymentsApi();
    await api.start();
  });

  it('waitForVerdict returns the last verdict when the time runs out', async () => {
    api.verdicts = [{ verdict: 'warning', final: false, reasons: [] }];
    const client = createCIClient({ baseUrl: api.url, apiKey: 'k' });
    expect(await client.waitForVerdict('dep-1', { timeoutSeconds: 0 })).toEqual({
      deployment_id: 'dep-1',
      verdict: 'warning',
      final: false,
      reasons: [],
    });
    expect(api.received[0].path).toBe('/deployments/dep-1/verdict?wait=0');
  });
});
