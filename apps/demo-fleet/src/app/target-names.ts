/** Any name of this shape is a valid target: `bench-0` … `bench-9999` need no registration. */
export const TARGET_NAME_PATTERN = /^[a-z0-9-]{1,64}$/;

export function isValidTargetName(name: string): boolean {
  return TARGET_NAME_PATTERN.test(name);
}

const METRICS_PREFIX = '/targets/';
const METRICS_SUFFIX = '/metrics';

/**
 * Name from `/targets/<name>/metrics` (a trailing `/` is tolerated, as in the canonical path),
 * `undefined` if the path is not a metrics path at all. The name is not validated here.
 */
export function targetNameFromMetricsPath(path: string): string | undefined {
  if (!path.startsWith(METRICS_PREFIX)) return undefined;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  if (!trimmed.endsWith(METRICS_SUFFIX)) return undefined;
  const name = trimmed.slice(METRICS_PREFIX.length, trimmed.length - METRICS_SUFFIX.length);
  return name.includes('/') ? undefined : name;
}
