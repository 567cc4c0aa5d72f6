import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';
import { ERROR_CODES } from '@seqpulse/contracts';

class ErrorBodyDto {
  @ApiProperty({ example: 403 }) statusCode!: number;
  @ApiProperty({ enum: ERROR_CODES, example: 'plan_not_enterprise' }) code!: string;
  @ApiProperty({ example: 'This project is not on the Enterprise plan.' }) message!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
}

const DESCRIPTIONS: Record<number, string> = {
  400: '`validation_failed` (or `range_too_large`): the request is malformed; `details.fields` names each problem.',
  401: '`unauthenticated`: no, bad, expired or revoked credentials.',
  403: '`insufficient_scope` (role or scope missing), `plan_not_enterprise`, `monitoring_not_enabled` or `signup_disabled`.',
  404: '`project_not_found`: no such project, or not one you may see.',
  409: '`email_taken` or `conflict`.',
  429: '`rate_limited`: too many attempts; retry after the `Retry-After` seconds.',
};

/** Documents the contract error body for each listed status. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorBodyDto })));
}
