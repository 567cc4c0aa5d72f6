/** Largest accepted instant: 9999-12-31T23:59:59Z. */
const MAX_EPOCH_S = 253_402_300_799;
const UNIX_SECONDS = /^\d{1,12}(\.\d{1,9})?$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;

/**
 * An instant given as ISO-8601 (`2026-11-28T10:15:00Z`, an offset, optional seconds and fraction, or a plain
 * date meaning UTC midnight) or as Unix seconds (`1795860900`, fraction allowed): epoch milliseconds, or the
 * problem with the text (completing "from …").
 */
export function readInstant(value: string): { ms: number } | { problem: string } {
  if (UNIX_SECONDS.test(value)) {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds > MAX_EPOCH_S) return { problem: 'is out of range' };
    return { ms: Math.round(seconds * 1000) };
  }
  const m = ISO_8601.exec(value);
  if (!m) return { problem: 'must be an ISO-8601 timestamp (2026-11-28T10:15:00Z) or Unix seconds' };
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction, zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return { problem: 'is not a valid date and time' };
  }
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + (fraction ? Math.round(Number(fraction) * 1000) : 0);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const [offH, offM] = [digits.slice(0, 2), digits.slice(2, 4)].map(Number);
    if (offH > 23 || offM > 59) return { problem: 'has an invalid time zone offset' };
    ms -= sign * (offH * 60 + offM) * 60_000;
  }
  if (ms < 0 || ms > MAX_EPOCH_S * 1000) return { problem: 'is out of range' };
  return { ms };
}
