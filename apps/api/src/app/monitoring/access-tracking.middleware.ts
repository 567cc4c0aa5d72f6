import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AccessRecordsService } from './access-records.service';

/**
 * Mounted on every path under /monitoring/enterprise, before the guards: a request refused by the global
 * AuthGuard (401, 403 scope) or hitting no route still leaves an access record with its final status.
 */
@Injectable()
export class AccessTrackingMiddleware implements NestMiddleware {
  constructor(private readonly records: AccessRecordsService) {}

  use(req: Request, res: Response, next: NextFunction): void {
    this.records.track(req, res);
    next();
  }
}
