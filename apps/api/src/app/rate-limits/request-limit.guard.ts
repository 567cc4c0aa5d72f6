import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Credential, RequestLimiter } from './request-limiter';

/**
 * Global guard registered after the AuthGuard (AppModule imports RateLimitsModule after AuthModule): counts the
 * request against its credential's limit. Public routes carry no principal and are not counted here.
 */
@Injectable()
export class RequestLimitGuard implements CanActivate {
  constructor(private readonly limiter: RequestLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { principal?: Credential }>();
    if (request.principal) await this.limiter.consume(request.principal, request, http.getResponse<Response>());
    return true;
  }
}
