import type { TimeWindow } from './chart-options';

/**
 * At most this many mark labels of one kind (deployment lines, regions) per chart, one per fifth of the window: a label
 * is 45–110 px wide at the charts' 10 px font and the narrowest chart of the dashboard's grid plots about 440 px, so
 * labels a fifth apart do not run into each other. Seven days held ~15 deployments whose labels overlapped into an
 * unreadable row; each label is also a text element echarts lays out at every update of the chart.
 */
export const MARK_LABELS_PER_WINDOW = 5;

/**
 * The marks whose label is drawn: the most important first (`weight`, higher first; then the latest), each kept only
 * if no kept one is closer in time than a fifth of the window. The others still draw their line or area and their
 * tooltip names them.
 */
export function spacedLabels<T>(marks: readonly T[], window: TimeWindow, at: (mark: T) => number, weight: (mark: T) => number): Set<T> {
  const gap = (window.to - window.from) / MARK_LABELS_PER_WINDOW;
  const byImportance = [...marks].sort((a, b) => weight(b) - weight(a) || at(b) - at(a));
  const kept: T[] = [];
  for (const mark of byImportance) {
    if (kept.every((k) => Math.abs(at(k) - at(mark)) >= gap)) kept.push(mark);
  }
  return new Set(kept);
}
