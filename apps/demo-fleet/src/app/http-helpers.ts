import { IncomingMessage, ServerResponse } from 'node:http';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body), JSON_HEADERS);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
  },
): void {
  res.writeHead(status, {
    ...headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Path of a request target without query or fragment (`/a/b?x=1` → `/a/b`). */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

export class BodyTooLargeError extends Error {}
export class InvalidJsonError extends Error {}

/** Reads a small JSON body (control API only). An empty body reads as `{}`. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 4096): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new BodyTooLargeError(`body exceeds ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidJsonError('body is not valid JSON');
  }
}
