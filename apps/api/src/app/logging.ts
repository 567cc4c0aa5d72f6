import type { Params } from 'nestjs-pino';
import pino from 'pino';

/** Paths pino blanks in every log line: credentials never reach the logs. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.query.access_token',
  '*.password',
  '*.current_password',
  '*.new_password',
  '*.passwordHash',
  '*.password_hash',
  '*.hmac_secret',
  '*.hmacSecret',
  '*.access_token',
  '*.token',
  '*.key',
  '*.secret',
];

/**
 * What of an unexpected error may be logged: its type, code and a bounded message, and the stack frames. Never
 * the fields drivers and HTTP libraries attach (TypeORM's `parameters` and `query`, pg's `detail` with the
 * offending values, request bodies): those carry what users sent, passwords and tokens included.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error).slice(0, 200) };
  const e = error as Error & { code?: unknown; driverError?: { code?: unknown; constraint?: unknown; table?: unknown } };
  const code = e.code ?? e.driverError?.code;
  const frames = (e.stack ?? '')
    .split('\n')
    .filter((line) => line.trimStart().startsWith('at '))
    .slice(0, 15);
  return {
    type: e.name,
    ...(code !== undefined ? { code: String(code) } : {}),
    ...(e.driverError?.constraint ? { constraint: String(e.driverError.constraint) } : {}),
    ...(e.driverError?.table ? { table: String(e.driverError.table) } : {}),
    message: e.message.slice(0, 200),
    stack: frames.join('\n'),
  };
}

export function loggerParams(level: string, stream?: NodeJS.WritableStream): Params {
  const options: Params['pinoHttp'] = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    // Query strings can carry tokens from careless clients; log the path only.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        path: String(req.url).split('?')[0],
        remoteAddress: req.remoteAddress,
      }),
    },
    autoLogging: { ignore: (req) => req.url === '/health' },
  };
  return { pinoHttp: stream ? [options, stream as never] : options };
}

/** The logger used before Nest is up (embedded Postgres start-up, fatal config errors). */
export function bootLogger(level: string): pino.Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
