import { HttpException } from '@nestjs/common';
import { ErrorCode } from '@seqpulse/contracts';

/** An HTTP error carrying the contract's machine-readable code. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super({ statusCode: status, code, message, ...(details ? { details } : {}) }, status);
  }

  static validation(message: string, details?: Record<string, unknown>): ApiError {
    return new ApiError(400, 'validation_failed', message, details);
  }
  static projectNotFound(): ApiError {
    return new ApiError(404, 'project_not_found', 'Project not found.');
  }
  static insufficientScope(message = 'Your credentials do not allow this action.'): ApiError {
    return new ApiError(403, 'insufficient_scope', message);
  }
  static unauthenticated(message = 'Authentication required.'): ApiError {
    return new ApiError(401, 'unauthenticated', message);
  }
}
