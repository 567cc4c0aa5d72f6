import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses a named event with JSON data', () => {
    const p = new SseParser();
    const out = p.push('event: sample\ndata: {"t":"2026-11-28T10:00:00Z"}\n\n');
    expect(out).toEqual([{ event: 'sample', data: '{"t":"2026-11-28T10:00:00Z"}' }]);
  });

  it('defaults the event name to "message"', () => {
    expect(new SseParser().push('data: hi\n\n')).toEqual([{ event: 'message', data: 'hi' }]);
  });

  it('joins multi-line data with \\n', () => {
    expect(new SseParser().push('data: a\ndata: b\ndata\n\n')[0].data).toBe('a\nb\n');
  });

  it('handles events split across chunks at any byte', () => {
    const text = 'event: alert\ndata: {"id":"1"}\n\nevent: sample\ndata: {"x":2}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out.map((m) => m.event)).toEqual(['alert', 'sample']);
      expect(out[1].data).toBe('{"x":2}');
    }
  });

  it('accepts CRLF and CR line endings, even a CRLF split between chunks', () => {
    const p = new SseParser();
    const out = [...p.push('event: a\r\ndata: 1\r'), ...p.push('\n\r\n'), ...p.push('data: 2\r\r')];
    expect(out).toEqual([
      { event: 'a', data: '1' },
      { event: 'message', data: '2' },
    ]);
  });

  it('counts comments (heartbeats) and never emits them', () => {
    const p = new SseParser();
    expect(p.push(': heartbeat\n\n:\n\n')).toEqual([]);
    expect(p.comments).toBe(2);
  });

  it('ignores events without data and unknown fields', () => {
    const p = new SseParser();
    expect(p.push('event: sample\n\nfoo: bar\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('keeps only one leading space of a value', () => {
    expect(new SseParser().push('data:  two\n\ndata:none\n\n').map((m) => m.data)).toEqual([' two', 'none']);
  });

  it('remembers id and retry', () => {
    const p = new SseParser();
    const out = p.push('id: 42\nretry: 5000\nretry: soon\ndata: x\n\n');
    expect(out[0].id).toBe('42');
    expect(p.lastId).toBe('42');
    expect(p.retryMs).toBe(5000);
  });

  it('reset drops a half-received event', () => {
    const p = new SseParser();
    p.push('event: sample\ndata: {"half"');
    p.reset();
    expect(p.push('\n\ndata: ok\n\n')).toEqual([{ event: 'message', data: 'ok' }]);
  });
});

describe('SseParser CR edge cases', () => {
  it('a CR at the end of a chunk ends the line at once, and the LF that follows is not a blank line', () => {
    const p = new SseParser();
    expect(p.push('data: 1\r')).toEqual([]);
    expect(p.push('')).toEqual([]);
    expect(p.push('\ndata: 2\n\n')).toEqual([{ event: 'message', data: '1\n2' }]);
  });
});
