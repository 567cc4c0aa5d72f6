import { InjectionToken } from '@angular/core';

/**
 * The echarts renderer of the metric charts. Canvas in the browser: a live point on five charts repaints
 * in one short frame (measured: no long task, where SVG took 50–100 ms). Unit tests provide `svg`, which
 * jsdom can really draw.
 */
export const CHART_RENDERER = new InjectionToken<'canvas' | 'svg'>('CHART_RENDERER', {
  providedIn: 'root',
  factory: () => 'canvas',
});
