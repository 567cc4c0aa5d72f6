import { request } from 'node:http';

interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed body; throws if the body is not JSON. */
  json<T = unknown>(): T;
}

export interface TestRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Abort and reject with Error('timeout') after this many ms. */
  timeoutMs?: number;
}

/**
 * Minimal HTTP client for the fleet's tests: a fresh connection per call (no keep-alive
 * agent left behind), a hard timeout, and the raw text so non-JSON answers can be checked.
 */
export function httpRequest(baseUrl: string, path: string, options: TestRequest = {}): Promise<TestResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, baseUrl),
      {
        method: options.method ?? 'GET',
        agent: false,
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new Error('timeout')), options.timeoutMs ?? 5_000);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(payload);
  });
}
