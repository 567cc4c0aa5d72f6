/** ISO-8601 in UTC with a `Z` and no milliseconds, as the contract writes timestamps. */
export function isoSeconds(date: Date): string {
  const iso = date.toISOString(); // hot: a 24 h series formats 1,441 of these
  return iso.length === 24 ? `${iso.slice(0, 19)}Z` : iso.replace(/\.\d{3}Z$/, 'Z');
}

export function isoOrNull(date: Date | null | undefined): string | null {
  return date ? isoSeconds(date) : null;
}
