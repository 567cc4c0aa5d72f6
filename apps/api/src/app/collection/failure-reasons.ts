/** Why a poll produced no sample; stored with each failure and shown per project. */
export const FAILURE_REASONS = [
  'timeout',
  'connection_refused',
  'http_status',
  'invalid_payload',
  'hmac_rejected',
  'blocked_address',
  'too_large',
  'network_error',
  /** This worker cannot use the project's settings (e.g. another SEQPULSE_SECRET_KEY). */
  'configuration_error',
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];
