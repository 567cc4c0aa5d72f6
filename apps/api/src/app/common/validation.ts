import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiError } from './api-error';
import { QueryParams, unknownParams } from './query-params';

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Global pipe, for bodies and query strings alike: unknown fields, wrong types and out-of-range values are a 400
 * `validation_failed`. Unknown query parameters are reported on their own, before any other problem.
 */
export function contractValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    // the factory below tells query DTOs from bodies by the error's target (never sent to the client)
    validationError: { target: true },
    exceptionFactory: (errors) => {
      const unknown = errors.filter((e) => e.target instanceof QueryParams && e.constraints?.whitelistValidation);
      if (unknown.length) return unknownParams(unknown.map((e) => e.property));
      const fields = flatten(errors);
      const summary = fields.map((f) => f.problems[0]).join('; ');
      return ApiError.validation(`Invalid request: ${summary}${errors[0]?.target instanceof QueryParams ? '.' : ''}`, { fields });
    },
  });
}
