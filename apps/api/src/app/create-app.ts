import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { compressionMiddleware } from './common/compression';
import { ContractExceptionFilter } from './common/http-exception.filter';
import { ApiError } from './common/api-error';
import { toErrorBody } from './common/error-body';
import { contractValidationPipe } from './common/validation';
import { runMigrations } from './database/run-migrations';

const JSON_BODY_LIMIT = '64kb';

/**
 * The dashboard and the API docs load code only from this origin. The one inline script allowed is the
 * `onload="this.media='all'"` the Angular build puts on the stylesheet link (critical CSS inlining), by its hash.
 * Inline styles stay allowed (Angular component styles, chart sizing); nothing may frame the dashboard.
 */
export const CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'unsafe-hashes'", "'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/**
 * Builds the whole application, the same way for `main.ts` and for the integration tests:
 * migrations first (under a lock), then the Nest lifecycle, routes, docs and the dashboard.
 */
export async function createApp(config: AppConfig, options: { logStream?: NodeJS.WritableStream } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.logStream), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  await runMigrations(app.get(DataSource));

  app.set('trust proxy', 'loopback');
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY } }));
  app.use(compressionMiddleware());
  app.use(jsonBodyParser());
  // A worker-only process answers its probes and its scraper, nothing an integrator could mistake for the API.
  if (!config.runsApi) app.use(operationalRoutesOnly);
  app.useGlobalPipes(contractValidationPipe());
  app.useGlobalFilters(new ContractExceptionFilter());
  mountOpenApi(app);
  mountDashboard(app, config);
  try {
    await app.init();
  } catch (error) {
    // E.g. StartRefusedError from the accounts bootstrap: release the pools before the caller reports it.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

const OPERATIONAL_ROUTES = /^\/(metrics|health\/(live|ready))\/?(\?|$)/;

function operationalRoutesOnly(req: express.Request, res: express.Response, next: express.NextFunction): void {
  if (OPERATIONAL_ROUTES.test(req.originalUrl)) return next();
  res
    .status(404)
    .json(toErrorBody(new ApiError(404, 'not_found', 'A worker process serves only /metrics, /health/live and /health/ready.')));
}

/** Malformed or oversized JSON gets the contract's error body, not Express's HTML page. */
function jsonBodyParser(): express.RequestHandler {
  const parse = express.json({ limit: JSON_BODY_LIMIT });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      const body = toErrorBody(error);
      res.status(body.statusCode).json(body);
    });
}

function mountOpenApi(app: NestExpressApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('SeqPulse Realtime API')
      .setDescription(
        'Public REST API of SeqPulse Realtime. Authenticate with `Authorization: Bearer <token>` (a session token from `POST /auth/login`, or an API key) or `X-API-Key: <key>`. Every error body is `{statusCode, code, message, details?}`. Timestamps are ISO-8601 UTC with `Z`.',
      )
      .setVersion('1.0')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

/** The built dashboard at `/`; its client-side routes live under `/app/` so they never shadow the API. */
function mountDashboard(app: NestExpressApplication, config: AppConfig): void {
  const dir = config.SEQPULSE_DASHBOARD_DIR ?? join(__dirname, '..', 'dashboard', 'browser');
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return;
  const sendIndex: express.RequestHandler = (_req, res) => res.sendFile(index);
  // The build's files are listed once: API requests then cost no file-system lookup (express.static stats every path).
  const files = new Set(listFiles(dir).map((file) => `/${relative(dir, file).split(sep).join('/')}`));
  const serveFile = express.static(dir, { index: false, maxAge: '1h' });
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && files.has(req.path)) return serveFile(req, res, next);
    if (req.method === 'GET' && (req.path === '/' || req.path === '/app' || req.path.startsWith('/app/'))) return sendIndex(req, res, next);
    return next();
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}
