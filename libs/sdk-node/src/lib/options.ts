/** What `seqpulse.init()` accepts. Every field is optional; the environment fills the HMAC settings. */
export interface SeqPulseOptions {
  /** Path of the metrics endpoint SeqPulse polls. Default `/seqpulse-metrics`. */
  endpoint?: string;
  /**
   * Verify HMAC v2 signatures on the endpoint. Default: on when a secret is configured. `true` without a
   * secret is a configuration error (init throws) rather than an open endpoint.
   * Environment: `SEQPULSE_HMAC_ENABLED`, or the original SDK's spelling `SEQPULSE_HMAC_ENABLE`.
   */
  hmacEnabled?: boolean;
  /**
   * The project's HMAC secret. Two secrets (`[next, current]`) are accepted during a rotation.
   * Environment: `SEQPULSE_HMAC_SECRET` (and `SEQPULSE_HMAC_SECRET_PREVIOUS` during a rotation).
   */
  hmacSecret?: string | readonly string[];
  /** Oldest accepted signature, seconds. Default 300 (the contract's). */
  maxSkewPastSeconds?: number;
  /** Furthest accepted signature into the future, seconds. Default 30 (the contract's). */
  maxSkewFutureSeconds?: number;
  /**
   * The endpoint's path as SeqPulse requests it, when a proxy in front rewrites paths (for example strips
   * `/orders`): the signature covers the path SeqPulse used. Default: the path the app receives.
   */
  signedPath?: string;
  /** Length of the sliding window, seconds. Default 60. */
  windowSeconds?: number;
  /** Which responses count as errors. Default: status ≥ 500. */
  isError?: (statusCode: number) => boolean;
  /** Called with the reason when a poll is refused (the 401 itself never tells); e.g. to log it. */
  onRejected?: (reason: string) => void;
}

export interface ResolvedOptions {
  endpoint: string;
  hmacSecrets: string[];
  maxSkewPastMs: number;
  maxSkewFutureMs: number;
  signedPath?: string;
  windowMs: number;
  isError: (statusCode: number) => boolean;
  onRejected?: (reason: string) => void;
}

export const DEFAULT_ENDPOINT = '/seqpulse-metrics';
const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

const isServerError = (status: number) => status >= 500;

/** Options win over the environment; the result is validated once, so a mistake fails at start-up. */
export function resolveOptions(options: SeqPulseOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const secrets = secretsFrom(options.hmacSecret, env);
  const enabled =
    options.hmacEnabled ?? envFlag(env, 'SEQPULSE_HMAC_ENABLED') ?? envFlag(env, 'SEQPULSE_HMAC_ENABLE') ?? secrets.length > 0;
  if (enabled && secrets.length === 0) {
    throw new Error('SeqPulse: HMAC is enabled but no secret is configured (hmacSecret or SEQPULSE_HMAC_SECRET)');
  }
  const endpoint = options.endpoint ?? DEFAULT_ENDPOINT;
  if (!endpoint.startsWith('/')) throw new Error(`SeqPulse: endpoint must be a path starting with "/", got ${JSON.stringify(endpoint)}`);
  return {
    endpoint,
    hmacSecrets: enabled ? secrets : [],
    maxSkewPastMs: seconds('maxSkewPastSeconds', options.maxSkewPastSeconds ?? 300),
    maxSkewFutureMs: seconds('maxSkewFutureSeconds', options.maxSkewFutureSeconds ?? 30),
    signedPath: options.signedPath,
    windowMs: seconds('windowSeconds', options.windowSeconds ?? 60),
    isError: options.isError ?? isServerError,
    onRejected: options.onRejected,
  };
}

function secretsFrom(option: SeqPulseOptions['hmacSecret'], env: NodeJS.ProcessEnv): string[] {
  const given = option === undefined ? [env['SEQPULSE_HMAC_SECRET'], env['SEQPULSE_HMAC_SECRET_PREVIOUS']] : [option].flat();
  return given.filter((s): s is string => typeof s === 'string' && s.length > 0);
}

function envFlag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name]?.trim().toLowerCase();
  if (!value) return undefined;
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new Error(`SeqPulse: ${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

function seconds(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new Error(`SeqPulse: ${name} must be a number of seconds ≥ 0`);
  return value * 1000;
}
