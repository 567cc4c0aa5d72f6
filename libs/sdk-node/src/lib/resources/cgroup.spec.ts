import { join } from 'node:path';
import { parseCpuMax, readCgroupLimits } from './cgroup';
import { ResourceUsage } from './resource-usage';

const fixture = (name: string) => join(__dirname, '__fixtures__', name);

describe('readCgroupLimits', () => {
  it('v2 container (own cgroup namespace): limits at the mount root', () => {
    expect(readCgroupLimits(fixture('v2-container'))).toEqual({ version: 2, cpuCores: 1.5, memoryBytes: 512 * 1024 ** 2 });
  });

  it('v2 Kubernetes: the tightest level wins (pod quota over a looser container one, pod memory over "max")', () => {
    expect(readCgroupLimits(fixture('v2-kubernetes'))).toEqual({ version: 2, cpuCores: 0.5, memoryBytes: 256 * 1024 ** 2 });
  });

  it('v2 without limits ("max" everywhere)', () => {
    expect(readCgroupLimits(fixture('v2-no-limit'))).toEqual({ version: 2, cpuCores: undefined, memoryBytes: undefined });
  });

  it('v1 Docker without a cgroup namespace: the group path is not visible, the mount root holds the limits', () => {
    expect(readCgroupLimits(fixture('v1-docker'))).toEqual({ version: 1, cpuCores: 0.25, memoryBytes: 1024 ** 3 });
  });

  it('v1 without limits (quota -1, the page-aligned "unlimited" memory value)', () => {
    expect(readCgroupLimits(fixture('v1-no-limit'))).toEqual({ version: 1, cpuCores: undefined, memoryBytes: undefined });
  });

  it('no cgroup files at all (not Linux)', () => {
    expect(readCgroupLimits(fixture('no-cgroup'))).toEqual({ version: null });
  });

  it.each([
    ['max 100000', undefined],
    ['50000 100000', 0.5],
    ['200000 50000', 4],
    ['garbage', undefined],
    ['', undefined],
  ])('parses cpu.max %j', (text, cores) => {
    expect(parseCpuMax(text)).toBe(cores);
  });
});

describe('ResourceUsage', () => {
  it('divides by the cgroup quota and memory limit when there is one', () => {
    const usage = new ResourceUsage({ windowMs: 60_000, now: () => 0, fsRoot: fixture('v1-docker') });
    try {
      expect(usage.allowedCores()).toBe(0.25);
      expect(usage.memoryLimitBytes()).toBe(1024 ** 3);
      expect(usage.memoryUsage()).toBeCloseTo(Math.min(1, process.memoryUsage.rss() / 1024 ** 3), 2);
    } finally {
      usage.close();
    }
  });

  it('falls back to the host (cores it may run on, total memory) without limits', () => {
    const os = jest.requireActual<typeof import('node:os')>('node:os');
    const usage = new ResourceUsage({ windowMs: 60_000, now: () => 0, fsRoot: fixture('v2-no-limit') });
    try {
      expect(usage.allowedCores()).toBe(os.availableParallelism());
      expect(usage.memoryLimitBytes()).toBe(os.totalmem());
    } finally {
      usage.close();
    }
  });

  it('measures the CPU this process burns over the window as a fraction of its quota', () => {
    let nowMs = 0;
    const usage = new ResourceUsage({ windowMs: 60_000, now: () => nowMs, fsRoot: fixture('v2-kubernetes') });
    try {
      const wallStart = performance.now();
      const cpuStart = process.cpuUsage();
      while (performance.now() - wallStart < 200); // busy: ~1 core for 200 ms
      const cpu = process.cpuUsage(cpuStart);
      nowMs = performance.now() - wallStart;
      const expected = (cpu.user + cpu.system) / 1000 / nowMs / 0.5;
      expect(usage.cpuUsage()).toBeCloseTo(Math.min(1, expected), 1);
    } finally {
      usage.close();
    }
  });
});
