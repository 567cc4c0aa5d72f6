import { canonicalPath } from './canonical-path';

describe('canonicalPath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['/metrics', '/metrics'],
    ['/metrics/', '/metrics'],
    ['/metrics//', '/metrics'],
    ['metrics', '/metrics'],
    ['/metrics?x=1&y=2', '/metrics'],
    ['/metrics/?x=1', '/metrics'],
    ['/metrics#frag', '/metrics'],
    ['?only=query', '/'],
    ['https://shop.example.com/api/v1/metrics?token=abc', '/api/v1/metrics'],
    ['https://shop.example.com', '/'],
    ['https://shop.example.com/', '/'],
    ['http://127.0.0.1:4100/targets/shop-prod/metrics/', '/targets/shop-prod/metrics'],
    ['HTTPS://Shop.Example.com/Metrics', '/Metrics'],
  ])('%j -> %j', (input, expected) => {
    expect(canonicalPath(input)).toBe(expected);
  });

  it('gives the sender (full URL) and the receiver (req.url) the same path', () => {
    const url = 'http://127.0.0.1:4100/targets/a%20b/metrics?x=1';
    const requestTarget = new URL(url).pathname + new URL(url).search; // what Node puts in req.url
    expect(canonicalPath(url)).toBe(canonicalPath(requestTarget));
  });

  it('keeps case and percent-encoding verbatim', () => {
    expect(canonicalPath('/A/%2F/b')).toBe('/A/%2F/b');
  });
});
