import { ChartLineOverlay, ChartRegionOverlay } from './chart-options';
import { overlaysDrawnAlike } from './overlays-in-window';

const region = (id: string, from: number, patch: Partial<ChartRegionOverlay> = {}): ChartRegionOverlay => ({
  kind: 'region',
  id,
  label: 'ok',
  tooltip: [`Deployment ${id}`, 'verdict: ok'],
  from,
  to: from + 60_000,
  bandTo: from + 60_000 + 600_000,
  colour: '#2e7d32',
  ...patch,
});
const HOUR = 3_600_000;
const zoomed = { from: 10 * HOUR, to: 12 * HOUR };

describe('overlaysDrawnAlike (whether a new overlay list would change the drawn chart)', () => {
  it('is true when the new list only drops regions outside the window (a list read again for a zoomed range)', () => {
    const inside = region('b', 11 * HOUR);
    const before = [region('a', 2 * HOUR), inside, region('c', 20 * HOUR)];
    // fresh objects of the same content, as a new answer gives
    expect(overlaysDrawnAlike(before, [{ ...inside, tooltip: [...inside.tooltip] }], zoomed)).toBe(true);
  });

  it('counts a region whose observation band reaches into the window as drawn', () => {
    const bandInside = region('a', 10 * HOUR - 5 * 60_000); // finished before the window, band still in it
    expect(overlaysDrawnAlike([bandInside], [], zoomed)).toBe(false);
    expect(overlaysDrawnAlike([bandInside], [{ ...bandInside }], zoomed)).toBe(true);
  });

  it('is false when a visible region changes (verdict colour, tooltip, end, a new one) or the drawing order changes', () => {
    const a = region('a', 10.5 * HOUR);
    const b = region('b', 11 * HOUR);
    expect(overlaysDrawnAlike([a], [{ ...a, colour: '#c62828' }], zoomed)).toBe(false);
    expect(overlaysDrawnAlike([a], [{ ...a, tooltip: [a.tooltip[0], 'verdict: warning'] }], zoomed)).toBe(false);
    expect(overlaysDrawnAlike([a], [{ ...a, bandTo: null }], zoomed)).toBe(false);
    expect(overlaysDrawnAlike([a], [a, b], zoomed)).toBe(false);
    expect(overlaysDrawnAlike([a, b], [b, a], zoomed)).toBe(false);
  });

  it('compares lines (a compared period) by their points, whatever their times', () => {
    const points: ChartLineOverlay['points'] = [[0, 1]];
    const line: ChartLineOverlay = { id: 'compare-1d', label: '1 day earlier', dashed: true, points };
    expect(overlaysDrawnAlike([line], [{ ...line }], zoomed)).toBe(true);
    expect(overlaysDrawnAlike([line], [{ ...line, points: [[0, 1]] }], zoomed)).toBe(false);
    expect(overlaysDrawnAlike([line], [], zoomed)).toBe(false);
  });
});
