import { AppConfig } from '../config/app-config';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { StreamHub, StreamSubscriber, formatEvent } from './stream-hub';

function subscriber(projectId: string, env: string | null, phase: 'pre' | 'post' | null) {
  const chunks: string[] = [];
  let ended = false;
  const s: StreamSubscriber = { projectId, env, phase, write: (c) => (chunks.push(c), 0), end: () => void (ended = true) };
  return {
    s,
    chunks,
    get ended() {
      return ended;
    },
  };
}

describe('StreamHub fan-out (no database)', () => {
  const config = new AppConfig();
  // No database: fan-out never touches it, and no task is started.
  const hub = new StreamHub(
    config,
    new TaskScheduler(config, undefined as never, undefined as never, new OperationalMetrics()),
    new OperationalMetrics(),
  );
  const notice = (project: string, env: string, phase: string, ms: number) => [project, env, phase, ms, 1, 2, 0.1, 0.2, 0.3];

  it('routes each sample to the subscribers of its project whose env/phase filters match', () => {
    const all = subscriber('p1', null, null);
    const prod = subscriber('p1', 'prod', null);
    const post = subscriber('p1', null, 'post');
    const other = subscriber('p2', null, null);
    const offs = [all, prod, post, other].map((x) => hub.subscribe(x.s));
    hub.dispatch(
      'seqpulse_samples',
      JSON.stringify([
        notice('p1', 'prod', 'pre', Date.UTC(2026, 10, 28, 10, 0, 15)),
        notice('p1', 'staging', 'post', Date.UTC(2026, 10, 28, 10, 0, 30)),
      ]),
    );
    expect(all.chunks).toEqual([
      formatEvent('sample', {
        t: '2026-11-28T10:00:15Z',
        env: 'prod',
        phase: 'pre',
        values: { requests_per_sec: 1, latency_p95: 2, error_rate: 0.1, cpu_usage: 0.2, memory_usage: 0.3 },
      }),
      formatEvent('sample', {
        t: '2026-11-28T10:00:30Z',
        env: 'staging',
        phase: 'post',
        values: { requests_per_sec: 1, latency_p95: 2, error_rate: 0.1, cpu_usage: 0.2, memory_usage: 0.3 },
      }),
    ]);
    expect(all.chunks[0]).toBe(
      'event: sample\ndata: {"t":"2026-11-28T10:00:15Z","env":"prod","phase":"pre","values":{"requests_per_sec":1,"latency_p95":2,"error_rate":0.1,"cpu_usage":0.2,"memory_usage":0.3}}\n\n',
    );
    expect(prod.chunks).toHaveLength(1);
    expect(post.chunks).toHaveLength(1);
    expect(other.chunks).toHaveLength(0);
    offs.forEach((off) => off());
    expect(hub.subscriberCount()).toBe(0);
  });

  it('routes alerts by project and env (phase does not apply)', () => {
    const prod = subscriber('p1', 'prod', 'post');
    const staging = subscriber('p1', 'staging', null);
    const offs = [prod, staging].map((x) => hub.subscribe(x.s));
    const alert = {
      id: 'a',
      rule: 'cpu_high',
      env: 'prod',
      state: 'firing',
      value: 0.9,
      threshold: 0.8,
      started_at: '2026-11-28T10:00:00Z',
      resolved_at: null,
    };
    hub.dispatch('seqpulse_alerts', JSON.stringify({ project_id: 'p1', alert }));
    expect(prod.chunks).toEqual([`event: alert\ndata: ${JSON.stringify(alert)}\n\n`]);
    expect(staging.chunks).toEqual([]);
    offs.forEach((off) => off());
  });

  it('ignores garbage payloads and disconnects a client that cannot keep up', () => {
    const slow: StreamSubscriber & { ended?: boolean } = {
      projectId: 'p1',
      env: null,
      phase: null,
      write: () => 2_000_000,
      end: () => (slow.ended = true),
    };
    const off = hub.subscribe(slow);
    for (const payload of ['not json', '{"x":1}', '[["p1"]]', 'null', ''])
      expect(() => hub.dispatch('seqpulse_samples', payload)).not.toThrow();
    expect(() => hub.dispatch('seqpulse_alerts', '{"project_id":"p1"}')).not.toThrow();
    expect(slow.ended).toBeUndefined();
    hub.dispatch('seqpulse_samples', JSON.stringify([notice('p1', 'prod', 'pre', 0)]));
    expect(slow.ended).toBe(true);
    off();
    off(); // idempotent
    expect(hub.subscriberCount()).toBe(0);
  });
});
