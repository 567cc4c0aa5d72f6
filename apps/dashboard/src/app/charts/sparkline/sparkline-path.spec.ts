import { sparklinePath } from './sparkline-path';

describe('sparkline path', () => {
  it('draws values left to right, the highest at the top, from zero', () => {
    expect(sparklinePath([0, 5, 10], 20, 10, 0)).toBe('M0.0 10.0L10.0 5.0L20.0 0.0');
  });

  it('breaks the line at a null instead of dropping to zero', () => {
    const d = sparklinePath([2, 4, null, 4, 2], 40, 10, 0);
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).not.toContain('10.0L20'); // nothing drawn at the gap's x
  });

  it('gives a lone value a visible stroke and an empty series no path', () => {
    expect(sparklinePath([null, 3, null], 20, 10, 0)).toBe('M10.0 0.0h0.01');
    expect(sparklinePath([null, null], 20, 10)).toBe('');
  });
});
