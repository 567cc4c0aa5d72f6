import { readHeader } from './headers';

describe('readHeader', () => {
  it('finds lower-cased Node headers', () => {
    expect(readHeader({ 'x-seqpulse-nonce': 'abc' }, 'X-SeqPulse-Nonce')).toBe('abc');
  });

  it('finds headers spelled in any case', () => {
    expect(readHeader({ 'X-SEQPULSE-NONCE': 'abc' }, 'X-SeqPulse-Nonce')).toBe('abc');
  });

  it('reads a Fetch Headers instance', () => {
    expect(readHeader(new Headers({ 'X-SeqPulse-Nonce': 'abc' }), 'x-seqpulse-nonce')).toBe('abc');
    expect(readHeader(new Headers(), 'x-seqpulse-nonce')).toBeUndefined();
  });

  it('treats a repeated (array) header as absent', () => {
    expect(readHeader({ 'x-seqpulse-nonce': ['a', 'b'] }, 'X-SeqPulse-Nonce')).toBeUndefined();
  });

  it('returns undefined when absent', () => {
    expect(readHeader({}, 'X-SeqPulse-Nonce')).toBeUndefined();
  });
});
