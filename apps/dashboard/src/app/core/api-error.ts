import { HttpErrorResponse } from '@angular/common/http';
import { ErrorBody, ErrorCode } from '@seqpulse/contracts';

/** A failed API call reduced to what a screen may show: never a raw body or stack. */
export interface ApiError {
  status: number;
  code: ErrorCode | 'network_error' | 'unknown';
  message: string;
  details?: Record<string, unknown>;
}

const FRIENDLY: Partial<Record<ApiError['code'], string>> = {
  network_error: 'The server cannot be reached. Check your connection; we will keep trying.',
  unauthenticated: 'Your session has ended. Please sign in again.',
  insufficient_scope: 'Your account is not allowed to do this.',
  project_not_found: 'This project does not exist or you cannot see it.',
  rate_limited: 'Too many requests. Please wait a moment and try again.',
  range_too_large: 'This time range holds too many points for the chosen step. Choose a coarser step or a shorter range.',
  internal_error: 'The server had a problem. Please try again.',
  service_unavailable: 'The service is temporarily unavailable. Please try again shortly.',
};

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

/** Normalises an HttpClient error, a fetch Response body or anything thrown. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof HttpErrorResponse) {
    return fromStatusAndBody(err.status, err.error);
  }
  if (isApiError(err)) return err;
  return { status: 0, code: 'unknown', message: 'Something went wrong. Please try again.' };
}

export function fromStatusAndBody(status: number, body: unknown): ApiError {
  if (status === 0) {
    return { status, code: 'network_error', message: FRIENDLY.network_error as string };
  }
  if (isErrorBody(body)) {
    return {
      status,
      code: body.code,
      message: FRIENDLY[body.code] ?? body.message,
      details: body.details,
    };
  }
  if (status === 401) return { status, code: 'unauthenticated', message: FRIENDLY.unauthenticated as string };
  if (status === 403) return { status, code: 'insufficient_scope', message: FRIENDLY.insufficient_scope as string };
  if (status === 404) return { status, code: 'not_found', message: 'Not found.' };
  if (status >= 500) return { status, code: 'internal_error', message: FRIENDLY.internal_error as string };
  return { status, code: 'unknown', message: 'The request failed. Please try again.' };
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).status === 'number' &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}
