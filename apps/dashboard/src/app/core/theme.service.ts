import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { ChartTheme, DARK_CHART_THEME, LIGHT_CHART_THEME } from '../charts/chart-theme';

/** Follows the system colour scheme (`prefers-color-scheme`), live. */
@Injectable({ providedIn: 'root' })
export class ThemeService {
  private readonly query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  readonly dark = signal(this.query?.matches ?? false);
  readonly chartTheme = computed<ChartTheme>(() => (this.dark() ? DARK_CHART_THEME : LIGHT_CHART_THEME));

  constructor() {
    const listener = (e: MediaQueryListEvent) => this.dark.set(e.matches);
    this.query?.addEventListener?.('change', listener);
    inject(DestroyRef).onDestroy(() => this.query?.removeEventListener?.('change', listener));
  }
}
