import { PipeTransform } from '@nestjs/common';
import { Matches, ValidationOptions } from 'class-validator';
import { ApiError } from './api-error';

/** The one UUID check: 8-4-4-4-12 hex digits, any version or case (what a Postgres `uuid` column accepts). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** The same check for a DTO field. */
export function IsUuid(options?: ValidationOptions): PropertyDecorator {
  return Matches(UUID, options);
}

/** A path id: a malformed id can name nothing, so it answers the same 404 as an unknown one. */
class UuidPipe implements PipeTransform<unknown, string> {
  constructor(private readonly what: UuidSubject) {}

  transform(value: unknown): string {
    if (isUuid(value)) return value;
    throw this.what === 'project' ? ApiError.projectNotFound() : new ApiError(404, 'not_found', `${this.what} not found.`);
  }
}

type UuidSubject = 'project' | 'API key' | 'user' | 'Silence' | 'Maintenance window';

export function uuidPipe(what: UuidSubject): PipeTransform<unknown, string> {
  return new UuidPipe(what);
}
