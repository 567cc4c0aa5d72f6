import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** What the process's control group allows; a field is absent when the group sets no limit. */
export interface CgroupLimits {
  version: 1 | 2 | null;
  /** CPU quota in cores (quota / period), e.g. 0.5 for `cpu.max = 50000 100000`. */
  cpuCores?: number;
  memoryBytes?: number;
}

/** cgroup v1 writes a page-aligned "unlimited" near 2^63 into memory.limit_in_bytes. */
const V1_UNLIMITED_MEMORY = 2 ** 60;

/**
 * Reads the CPU and memory limits of the current process's cgroup. `root` is `/` in production and a
 * fixture directory in tests. Each level from the process's own group up to the mount root is read and
 * the tightest limit wins, because a parent's limit (a Kubernetes pod) also caps its children. When the
 * group path from /proc/self/cgroup is not visible under the mount (a container without its own cgroup
 * namespace sees only its own group at the mount root), the mount root is read.
 */
export function readCgroupLimits(root = '/'): CgroupLimits {
  const membership = readText(join(root, 'proc/self/cgroup'));
  if (membership === undefined) return { version: null };
  const mount = join(root, 'sys/fs/cgroup');
  if (existsSync(join(mount, 'cgroup.controllers'))) return readV2(mount, membership);
  return readV1(mount, membership);
}

function readV2(mount: string, membership: string): CgroupLimits {
  const line = membership.split('\n').find((l) => l.startsWith('0::'));
  const dirs = groupDirs(mount, line?.slice(3) ?? '/');
  const limits: CgroupLimits = { version: 2 };
  for (const dir of dirs) {
    limits.cpuCores = tighter(limits.cpuCores, parseCpuMax(readText(join(dir, 'cpu.max'))));
    limits.memoryBytes = tighter(limits.memoryBytes, parseBytes(readText(join(dir, 'memory.max'))));
  }
  return limits;
}

function readV1(mount: string, membership: string): CgroupLimits {
  const groups = parseV1Membership(membership);
  const limits: CgroupLimits = { version: null };
  const cpuController = ['cpu,cpuacct', 'cpu', 'cpuacct,cpu'].find((name) => existsSync(join(mount, name)));
  if (cpuController) {
    limits.version = 1;
    for (const dir of groupDirs(join(mount, cpuController), groups.get('cpu') ?? '/')) {
      const quota = Number(readText(join(dir, 'cpu.cfs_quota_us')));
      const period = Number(readText(join(dir, 'cpu.cfs_period_us')));
      limits.cpuCores = tighter(limits.cpuCores, quota > 0 && period > 0 ? quota / period : undefined);
    }
  }
  if (existsSync(join(mount, 'memory'))) {
    limits.version = 1;
    for (const dir of groupDirs(join(mount, 'memory'), groups.get('memory') ?? '/')) {
      const bytes = parseBytes(readText(join(dir, 'memory.limit_in_bytes')));
      limits.memoryBytes = tighter(limits.memoryBytes, bytes !== undefined && bytes < V1_UNLIMITED_MEMORY ? bytes : undefined);
    }
  }
  return limits;
}

/** `4:cpu,cpuacct:/kubepods/pod1/c1` → cpu and cpuacct both map to `/kubepods/pod1/c1`. */
function parseV1Membership(membership: string): Map<string, string> {
  const groups = new Map<string, string>();
  for (const line of membership.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (!controllers || path === undefined) continue;
    for (const controller of controllers.split(',')) groups.set(controller, path);
  }
  return groups;
}

/** The group's directory and each ancestor up to the mount root, those that exist, innermost first. */
function groupDirs(mount: string, groupPath: string): string[] {
  const dirs: string[] = [];
  for (let path = posix.normalize(groupPath || '/'); ; path = posix.dirname(path)) {
    const dir = join(mount, path);
    if (existsSync(dir)) dirs.push(dir);
    if (path === '/' || path === '.') break;
  }
  return dirs;
}

/** `cpu.max`: `<quota> <period>` or `max <period>`. */
export function parseCpuMax(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const [quota, period] = text.trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period ?? 100_000);
  return quota !== 'max' && q > 0 && p > 0 ? q / p : undefined;
}

/** `memory.max` / `memory.limit_in_bytes`: a byte count or `max`. */
function parseBytes(text: string | undefined): number | undefined {
  if (!text || text.trim() === 'max') return undefined;
  const bytes = Number(text.trim());
  return Number.isFinite(bytes) && bytes > 0 ? bytes : undefined;
}

function tighter(current: number | undefined, candidate: number | undefined): number | undefined {
  if (candidate === undefined) return current;
  return current === undefined ? candidate : Math.min(current, candidate);
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
