import { ChartOverlay, ChartRegionOverlay, isRegion, regionVisible, TimeWindow } from './chart-options';

function sameRegion(a: ChartRegionOverlay, b: ChartRegionOverlay): boolean {
  return (
    a.id === b.id &&
    a.label === b.label &&
    a.from === b.from &&
    a.to === b.to &&
    a.bandTo === b.bandTo &&
    a.colour === b.colour &&
    !!a.muted === !!b.muted &&
    a.tooltip.length === b.tooltip.length &&
    a.tooltip.every((line, i) => line === b.tooltip[i])
  );
}

/**
 * True when two overlay lists draw the same thing inside the window: the same lines (same points), and the same
 * regions among those reaching into it, in the same order (the later is drawn on top). A list read again for a new
 * range (a zoom reads the deployments and alerts of the zoomed range) usually only drops regions outside the
 * window: the drawn chart then stays as it is instead of being rebuilt.
 */
export function overlaysDrawnAlike(a: readonly ChartOverlay[], b: readonly ChartOverlay[], window: TimeWindow): boolean {
  if (a === b) return true;
  const visible = (list: readonly ChartOverlay[]) => list.filter((o) => !isRegion(o) || regionVisible(o, window));
  const va = visible(a);
  const vb = visible(b);
  if (va.length !== vb.length) return false;
  return va.every((x, i) => {
    const y = vb[i];
    if (isRegion(x) || isRegion(y)) return isRegion(x) && isRegion(y) && sameRegion(x, y);
    return x.id === y.id && x.label === y.label && x.points === y.points && !!x.dashed === !!y.dashed && x.colour === y.colour;
  });
}
