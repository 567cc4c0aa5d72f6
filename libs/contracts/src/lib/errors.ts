/** Machine-readable error codes of the public contract (docs/api.md, "Errors"). */
export const ERROR_CODES = [
  'validation_failed',
  'unauthenticated',
  'insufficient_scope',
  'plan_not_enterprise',
  'monitoring_not_enabled',
  'project_not_found',
  'deployment_not_found',
  'range_too_large',
  'rate_limited',
  'email_taken',
  'signup_disabled',
  'not_found',
  'conflict',
  'payload_too_large',
  'internal_error',
  'service_unavailable',
  'warning_wrong_side',
  'recovery_wrong_side',
  'setting_not_applicable',
  'silence_too_long',
  'invalid_rrule',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Every 4xx/5xx body has this shape. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}
