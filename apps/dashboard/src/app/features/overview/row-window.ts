/** The slice of a long list to draw: rows [start, end) plus the space left for the rows above and below it. */
export interface RowWindow {
  start: number;
  end: number;
  spaceAbove: number;
  spaceBelow: number;
}

/**
 * The rows of a fixed-height list that intersect a viewport scrolled by `scrollTop`, with `overscan` rows on each
 * side, so that drawing (and each refresh) costs a screenful however long the list is. The overscan keeps the next
 * rows ready for keyboard focus and a fast wheel.
 */
export function rowWindow(total: number, scrollTop: number, viewportHeight: number, rowHeight: number, overscan: number): RowWindow {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const start = Math.max(0, Math.min(first, total) - overscan);
  const end = Math.min(total, first + Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1 + overscan);
  return {
    start,
    end: Math.max(start, end),
    spaceAbove: start * rowHeight,
    spaceBelow: Math.max(0, total - Math.max(start, end)) * rowHeight,
  };
}
