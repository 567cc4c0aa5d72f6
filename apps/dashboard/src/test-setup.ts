import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';
import { setPlatformAPI } from 'echarts/core';
import { TextDecoder, TextEncoder } from 'node:util';
import { ReadableStream } from 'node:stream/web';

setupZonelessTestEnv({
  errorOnUnknownElements: true,
  errorOnUnknownProperties: true,
});

// ngx-echarts observes its host (autoResize); jsdom has no ResizeObserver (stack-notes P3).
class ResizeObserverStub {
  observe(): void {
    /* no layout in jsdom */
  }
  unobserve(): void {
    /* no layout in jsdom */
  }
  disconnect(): void {
    /* no layout in jsdom */
  }
}
const g = globalThis as unknown as Record<string, unknown>;
g['ResizeObserver'] ??= ResizeObserverStub;
// zrender measures text with a canvas, which jsdom lacks.
setPlatformAPI({ measureText: (t?: string) => ({ width: (t ?? '').length * 7 }) });
// jsdom lacks these web-platform globals that the stream client uses.
g['TextDecoder'] ??= TextDecoder;
g['TextEncoder'] ??= TextEncoder;
g['ReadableStream'] ??= ReadableStream;
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      addListener: () => undefined,
      removeListener: () => undefined,
      dispatchEvent: () => false,
    }) as unknown as MediaQueryList;
}
