import * as os from 'node:os';
import { CgroupLimits, readCgroupLimits } from './cgroup';

/** Limits are re-read this often: a Kubernetes in-place resize changes them without a restart. */
const LIMITS_TTL_MS = 60_000;

interface CpuReading {
  atMs: number;
  /** User + system CPU time of the process, microseconds. */
  cpuMicros: number;
}

export interface ResourceUsageOptions {
  windowMs: number;
  now: () => number;
  /** Root of /proc and /sys/fs/cgroup; fixtures in tests. */
  fsRoot?: string;
}

/**
 * CPU and memory of this process as fractions of what it may use. CPU is averaged over the same window
 * as the request statistics, from readings taken every window/12 by an unref'd timer (it never keeps
 * the process alive); memory is the resident set size now.
 */
export class ResourceUsage {
  private readonly readings: CpuReading[] = [];
  private readonly timer: NodeJS.Timeout;
  private limits: CgroupLimits = { version: null };
  private limitsReadAtMs = -Infinity;

  constructor(private readonly options: ResourceUsageOptions) {
    this.take();
    this.timer = setInterval(() => this.take(), Math.max(250, options.windowMs / 12));
    this.timer.unref();
  }

  /** Cores the process may use: the cgroup quota, else the CPUs it may run on. */
  allowedCores(): number {
    const host = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    const quota = this.currentLimits().cpuCores;
    return Math.max(0.01, quota === undefined ? host : Math.min(quota, host));
  }

  /** Bytes the process may use: the cgroup limit, else the host's memory. */
  memoryLimitBytes(): number {
    const limit = this.currentLimits().memoryBytes;
    return limit === undefined ? os.totalmem() : Math.min(limit, os.totalmem());
  }

  cpuUsage(): number {
    const latest = this.take();
    const oldest = this.readings[0];
    const elapsedMs = latest.atMs - oldest.atMs;
    // Right after start there is no earlier reading yet: use the process's whole life.
    const [cpuMicros, wallMs] =
      elapsedMs >= 100 ? [latest.cpuMicros - oldest.cpuMicros, elapsedMs] : [latest.cpuMicros, process.uptime() * 1000];
    return clampRatio(cpuMicros / 1000 / wallMs / this.allowedCores());
  }

  memoryUsage(): number {
    return clampRatio(process.memoryUsage.rss() / this.memoryLimitBytes());
  }

  close(): void {
    clearInterval(this.timer);
  }

  private take(): CpuReading {
    const usage = process.cpuUsage();
    const reading = { atMs: this.options.now(), cpuMicros: usage.user + usage.system };
    this.readings.push(reading);
    // Keep exactly one reading at or beyond the window's start as the baseline.
    const windowStart = reading.atMs - this.options.windowMs;
    while (this.readings.length > 2 && this.readings[1].atMs <= windowStart) this.readings.shift();
    return reading;
  }

  private currentLimits(): CgroupLimits {
    const now = this.options.now();
    if (now - this.limitsReadAtMs >= LIMITS_TTL_MS) {
      this.limits = readCgroupLimits(this.options.fsRoot);
      this.limitsReadAtMs = now;
    }
    return this.limits;
  }
}

function clampRatio(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
