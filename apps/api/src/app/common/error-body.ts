import { HttpException } from '@nestjs/common';
import { ErrorBody, ErrorCode } from '@seqpulse/contracts';
import { ApiError } from './api-error';

const DEFAULT_CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthenticated',
  403: 'insufficient_scope',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const DEFAULT_MESSAGE_BY_STATUS: Record<number, string> = {
  404: 'No such route.',
  429: 'Too many requests; slow down and retry later.',
  500: 'Internal error; it has been logged.',
};

/** Turns any thrown value into the contract's error body. Unknown errors become an opaque 500. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof ApiError) {
    return {
      statusCode: error.getStatus(),
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      DEFAULT_MESSAGE_BY_STATUS[status] ??
      (typeof response === 'object' && response && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message);
    return {
      statusCode: status,
      code: DEFAULT_CODE_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'validation_failed'),
      message,
    };
  }
  const status = httpStatusOf(error);
  if (status && status < 500) {
    return {
      statusCode: status,
      code: DEFAULT_CODE_BY_STATUS[status] ?? 'validation_failed',
      message: status === 413 ? 'Request body too large.' : 'Malformed request body.',
    };
  }
  return { statusCode: 500, code: 'internal_error', message: DEFAULT_MESSAGE_BY_STATUS[500] };
}

/** body-parser and friends attach `status` to their errors. */
function httpStatusOf(error: unknown): number | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
}
