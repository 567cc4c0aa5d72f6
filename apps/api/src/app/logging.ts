import type { Params } from 'nestjs-pino';
import pino from 'pino';

/** Paths pino blanks in every log line: credentials never reach the logs. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.query.access_token',
  '*.password',
  '*.hmac_secret',
  '*.access_token',
  '*.key',
  '*.secret',
];

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
