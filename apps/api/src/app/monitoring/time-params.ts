import { ApiError } from '../common/api-error';

/** Largest accepted instant: 9999-12-31T23:59:59Z. */
const MAX_EPOCH_S = 253_402_300_799;
const UNIX_SECONDS = /^\d{1,12}(\.\d{1,9})?$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

export interface FieldProblem {
  field: string;
  problems: string[];
}

export function invalid(field: string, problem: string): ApiError {
  return ApiError.validation(`Invalid request: ${field} ${problem}.`, { fields: [{ field, problems: [`${field} ${problem}`] }] });
}

/**
 * An instant given as ISO-8601 (`2026-11-28T10:15:00Z`, an offset, optional seconds and fraction, or a plain
 * date meaning UTC midnight) or as Unix seconds (`1795860900`, fraction allowed). Anything else is a 400.
 * Returns epoch milliseconds.
 */
export function parseInstant(field: string, value: unknown): number {
  if (typeof value !== 'string') throw invalid(field, 'must be a single ISO-8601 timestamp or Unix seconds');
  if (UNIX_SECONDS.test(value)) {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds > MAX_EPOCH_S) throw invalid(field, 'is out of range');
    return Math.round(seconds * 1000);
  }
  const m = ISO_8601.exec(value);
  if (!m) throw invalid(field, 'must be an ISO-8601 timestamp (2026-11-28T10:15:00Z) or Unix seconds');
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d),
    hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    throw invalid(field, 'is not a valid date and time');
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + (fraction ? Math.round(Number(fraction) * 1000) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offH = Number(digits.slice(0, 2)),
      offM = Number(digits.slice(2, 4));
    if (offH > 23 || offM > 59) throw invalid(field, 'has an invalid time zone offset');
    ms -= sign * (offH * 60 + offM) * 60_000;
  }
  if (ms < 0 || ms > MAX_EPOCH_S * 1000) throw invalid(field, 'is out of range');
  return ms;
}

/** Refuses query parameters the route does not know, and repeated ones (`?a=1&a=2`). */
export function assertKnownParams(query: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw ApiError.validation(
      `Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => k.slice(0, 40)).join(', ')}.`,
      {
        fields: unknown.map((field) => ({ field: field.slice(0, 40), problems: ['unknown parameter'] })),
      },
    );
  }
  for (const k of known) {
    const v = query[k];
    if (v !== undefined && typeof v !== 'string') throw invalid(k, 'must be given once, as a plain value');
  }
}
