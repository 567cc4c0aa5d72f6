import { MIN_ZOOM_MS, RangeHistory, shift, zoomOut, zoomTo } from './range-math';

const H = 3_600_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('range arithmetic', () => {
  it('a drag becomes a window in either direction; a tiny drag is widened to the minimum around its centre', () => {
    expect(zoomTo(NOW - 2 * H, NOW - H)).toEqual({ from: NOW - 2 * H, to: NOW - H });
    expect(zoomTo(NOW - H, NOW - 2 * H)).toEqual({ from: NOW - 2 * H, to: NOW - H });
    expect(zoomTo(NOW - H, NOW - H + 10_000)).toEqual({ from: NOW - H + 5_000 - MIN_ZOOM_MS / 2, to: NOW - H + 5_000 + MIN_ZOOM_MS / 2 });
  });

  it('zoom out doubles the range around its centre', () => {
    expect(zoomOut({ from: NOW - 4 * H, to: NOW - 2 * H }, NOW)).toEqual({ from: NOW - 5 * H, to: NOW - H });
  });

  it('zoom out never ends in the future: it keeps the doubled length and ends now', () => {
    expect(zoomOut({ from: NOW - H, to: NOW }, NOW)).toEqual({ from: NOW - 2 * H, to: NOW });
  });

  it('shifts by half a range either way, never past now', () => {
    const win = { from: NOW - 6 * H, to: NOW - 4 * H };
    expect(shift(win, -1, NOW)).toEqual({ from: NOW - 7 * H, to: NOW - 5 * H });
    expect(shift(win, 1, NOW)).toEqual({ from: NOW - 5 * H, to: NOW - 3 * H });
    expect(shift({ from: NOW - 2 * H, to: NOW - 0.5 * H }, 1, NOW)).toEqual({ from: NOW - 1.5 * H, to: NOW });
  });
});

describe('RangeHistory', () => {
  const history = () => new RangeHistory<string>((a, b) => a === b);

  it('goes back and forward through visited ranges', () => {
    const h = history();
    ['1h', 'zoom-a', 'zoom-b'].forEach((r) => h.visit(r));
    expect([h.canBack, h.canForward]).toEqual([true, false]);
    expect(h.back()).toBe('zoom-a');
    expect(h.back()).toBe('1h');
    expect(h.back()).toBeNull();
    expect(h.forward()).toBe('zoom-a');
    expect(h.forward()).toBe('zoom-b');
    expect(h.forward()).toBeNull();
  });

  it('landing on the current entry records nothing; a new range after going back drops the forward ones', () => {
    const h = history();
    ['1h', 'a', 'b'].forEach((r) => h.visit(r));
    const previous = h.back() as string;
    h.visit(previous); // the view changed to what back() returned
    expect(h.canForward).toBe(true);
    h.visit('c');
    expect(h.canForward).toBe(false);
    expect(h.back()).toBe('a');
    expect(h.back()).toBe('1h');
  });

  it('keeps a bounded number of entries', () => {
    const h = new RangeHistory<number>((a, b) => a === b, 3);
    [1, 2, 3, 4, 5].forEach((r) => h.visit(r));
    expect([h.back(), h.back(), h.back()]).toEqual([4, 3, null]);
  });
});
