/** ISO-8601 in UTC with a `Z` and no milliseconds, as the contract writes timestamps. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? isoSeconds(date) : null;
}
