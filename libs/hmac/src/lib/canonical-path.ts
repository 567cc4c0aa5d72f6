/** An absolute URL starts with a scheme (`http:`, `https:` …); anything else is treated as a path. */
const ABSOLUTE_URL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * The `<path>` part of the HMAC v2 string (docs/api.md, "The customer's metrics endpoint"): the URL path only, without query
 * or fragment, leading `/` forced, trailing `/` removed unless the path is `/`.
 *
 * Accepts a full URL (what the poller holds) or a request target such as Node's `req.url`
 * (what the receiver holds). A path is taken verbatim (no percent-decoding, no `..` resolution):
 * HTTP clients send the WHATWG-serialised path of the URL, so the receiver sees exactly the
 * string the sender got from `new URL(url).pathname`.
 */
export function canonicalPath(pathOrUrl: string): string {
  const rawPath = ABSOLUTE_URL.test(pathOrUrl) ? new URL(pathOrUrl).pathname : stripQueryAndFragment(pathOrUrl);
  const withLeadingSlash = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  return removeTrailingSlashes(withLeadingSlash);
}

function stripQueryAndFragment(path: string): string {
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

/** `/metrics/` and `/metrics//` both become `/metrics`; `/` stays `/`. */
function removeTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 0x2f /* '/' */) end--;
  return path.slice(0, end);
}
