import { ParseUUIDPipe } from '@nestjs/common';
import { ApiError } from './api-error';

/** A malformed id can name nothing: answer the same 404 as an unknown one. */
export function uuidPipe(what: 'project' | 'API key' | 'alert'): ParseUUIDPipe {
  return new ParseUUIDPipe({
    exceptionFactory: () => (what === 'project' ? ApiError.projectNotFound() : new ApiError(404, 'not_found', `${what} not found.`)),
  });
}
