import { registerDecorator, ValidationArguments } from 'class-validator';
import { ApiError } from './api-error';
import { readInstant } from './instant';
import { isUuid } from './uuid-pipe';

/**
 * Base class of the query-parameter DTOs. The global validation pipe checks them like bodies (unknown
 * parameters refused); it words the refusal of an unknown parameter for a query string (see validation.ts).
 */
export abstract class QueryParams {}

/**
 * One query parameter, optional: absent is fine; given twice (`?a=1&a=2`) or not a plain value is refused; otherwise
 * `problemOf(value)` says what is wrong with it (`null`: nothing). The 400 names the field: "step must be one of …".
 */
export function QueryParam(problemOf: (value: string) => string | null = () => null): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'queryParam',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => value === undefined || (typeof value === 'string' && problemOf(value) === null),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property} ${typeof args?.value === 'string' ? problemOf(args.value) : 'must be given once, as a plain value'}`,
      },
    });
}

/** Problem helpers for `@QueryParam(…)`. */
export const oneOf =
  (allowed: readonly string[]) =>
  (value: string): string | null =>
    allowed.includes(value) ? null : `must be one of ${allowed.join(', ')}`;

export const instant = (value: string): string | null => {
  const read = readInstant(value);
  return 'problem' in read ? read.problem : null;
};

export const uuid = (value: string): string | null => (isUuid(value) ? null : 'must be a UUID');

export const integerIn =
  (min: number, max: number) =>
  (value: string): string | null =>
    /^\d{1,9}$/.test(value) && Number(value) >= min && Number(value) <= max ? null : `must be an integer from ${min} to ${max}`;

/** Epoch milliseconds of an instant parameter (ISO-8601 or Unix seconds, see readInstant); anything else is a 400. */
export function parseInstant(field: string, value: unknown): number {
  const read = typeof value === 'string' ? readInstant(value) : { problem: 'must be a single ISO-8601 timestamp or Unix seconds' };
  if ('problem' in read) throw invalidParam(field, read.problem);
  return read.ms;
}

/** A 400 for one parameter, worded like the validation pipe's: "Invalid request: from must be before to." */
export function invalidParam(field: string, problem: string): ApiError {
  return ApiError.validation(`Invalid request: ${field} ${problem}.`, { fields: [{ field, problems: [`${field} ${problem}`] }] });
}

/** The refusal of parameters a route does not know (names cut at 40 characters). */
export function unknownParams(names: string[]): ApiError {
  const cut = names.map((name) => name.slice(0, 40));
  return ApiError.validation(`Unknown query parameter${cut.length > 1 ? 's' : ''}: ${cut.join(', ')}.`, {
    fields: cut.map((field) => ({ field, problems: ['unknown parameter'] })),
  });
}
