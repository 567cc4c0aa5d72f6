import { rowWindow } from './row-window';

describe('row window', () => {
  it('draws the rows in view plus the overscan, and leaves the height of the others as space', () => {
    // 400 rows of 50 px, a 500 px viewport scrolled to row 100
    expect(rowWindow(400, 5000, 500, 50, 5)).toEqual({ start: 95, end: 116, spaceAbove: 95 * 50, spaceBelow: (400 - 116) * 50 });
  });

  it('starts at the top and ends at the last row without negative space', () => {
    expect(rowWindow(400, 0, 500, 50, 5)).toEqual({ start: 0, end: 16, spaceAbove: 0, spaceBelow: 384 * 50 });
    const bottom = rowWindow(400, 400 * 50 - 500, 500, 50, 5);
    expect(bottom).toMatchObject({ end: 400, spaceBelow: 0 });
    expect(bottom.start).toBe(385);
  });

  it('keeps a window inside the list when the list shrinks under the scroll position (a filter)', () => {
    expect(rowWindow(3, 5000, 500, 50, 5)).toEqual({ start: 0, end: 3, spaceAbove: 0, spaceBelow: 0 });
    expect(rowWindow(0, 0, 500, 50, 5)).toEqual({ start: 0, end: 0, spaceAbove: 0, spaceBelow: 0 });
  });

  it('total height stays the whole list whatever the scroll position', () => {
    for (const top of [0, 1234, 9999, 19_500]) {
      const w = rowWindow(400, top, 480, 52, 8);
      expect(w.spaceAbove + (w.end - w.start) * 52 + w.spaceBelow).toBe(400 * 52);
    }
  });
});
