import { SchedulerRegistry } from '@nestjs/schedule';
import { loadConfig } from '../config/app-config';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import type { NewSample, SamplesStore } from '../samples/samples.store';
import { TaskScheduler } from '../scheduler/task-scheduler';
import type { AlertEvaluator, EnvRef } from './alert-evaluator';
import { EVALUATE_AT_MOST_EVERY_MS, PromptAlertEvaluation } from './prompt-evaluation';

/** The samples store's announcement and the evaluator, as the prompt evaluation sees them. */
function setUp() {
  const config = loadConfig({ SEQPULSE_ROLE: 'all', SEQPULSE_DEMO: 'false', DATABASE_URL: 'postgres://unused/db' });
  const tasks = new TaskScheduler(config, undefined as never, new SchedulerRegistry(), new OperationalMetrics());
  let listener: (batch: readonly NewSample[]) => void = () => undefined;
  const store = { onStored: (l: typeof listener) => ((listener = l), () => undefined) } as unknown as SamplesStore;
  const evaluations: { at: number; envs: string[] }[] = [];
  const evaluator = {
    evaluateEnvs: async (envs: readonly EnvRef[]) => {
      evaluations.push({ at: Date.now(), envs: envs.map((e) => e.env).sort() });
      return { ran: true, fired: [], resolved: [], durationMs: 0 };
    },
  } as unknown as AlertEvaluator;
  const prompt = new PromptAlertEvaluation(config, tasks, store, evaluator);
  const stored = (...envs: string[]) =>
    listener(envs.map((env) => ({ projectId: 'p', env, slotAt: new Date(), collectedAt: new Date(), values: {} }) as NewSample));
  return { tasks, prompt, stored, evaluations };
}

describe('PromptAlertEvaluation', () => {
  beforeEach(() => jest.useFakeTimers({ now: 5_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('evaluates a write at once, with every env stored in the same task, and paces the writes that follow', async () => {
    const { tasks, prompt, stored, evaluations } = setUp();
    prompt.onModuleInit();
    await tasks.onApplicationBootstrap();
    prompt.onApplicationBootstrap();

    stored('a', 'b');
    stored('b', 'c');
    await jest.advanceTimersByTimeAsync(0);
    expect(evaluations).toEqual([{ at: 5_000_000, envs: ['a', 'b', 'c'] }]);

    // 100 ms after that start: waits for the rest of the gap, gathering what arrives meanwhile
    await jest.advanceTimersByTimeAsync(100);
    stored('d');
    await jest.advanceTimersByTimeAsync(200);
    stored('e');
    expect(evaluations).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(EVALUATE_AT_MOST_EVERY_MS - 300);
    expect(evaluations).toEqual([
      { at: 5_000_000, envs: ['a', 'b', 'c'] },
      { at: 5_000_000 + EVALUATE_AT_MOST_EVERY_MS, envs: ['d', 'e'] },
    ]);

    // a write a whole gap later is evaluated at once again
    await jest.advanceTimersByTimeAsync(EVALUATE_AT_MOST_EVERY_MS + 50);
    stored('f');
    await jest.advanceTimersByTimeAsync(0);
    expect(evaluations[2]).toEqual({ at: 5_000_000 + 2 * EVALUATE_AT_MOST_EVERY_MS + 50, envs: ['f'] });

    prompt.onModuleDestroy();
    await tasks.beforeApplicationShutdown();
  });
});
