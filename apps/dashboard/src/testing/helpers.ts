/** Test helpers shared by component specs (not part of the app bundle: only specs import it). */
export function giveElementsASize(width = 600, height = 210): () => void {
  const proto = HTMLElement.prototype;
  const saved = {
    w: Object.getOwnPropertyDescriptor(proto, 'clientWidth'),
    h: Object.getOwnPropertyDescriptor(proto, 'clientHeight'),
  };
  Object.defineProperty(proto, 'clientWidth', { configurable: true, get: () => width });
  Object.defineProperty(proto, 'clientHeight', { configurable: true, get: () => height });
  return () => {
    if (saved.w) Object.defineProperty(proto, 'clientWidth', saved.w);
    if (saved.h) Object.defineProperty(proto, 'clientHeight', saved.h);
  };
}

/** ngx-echarts initialises in a setTimeout after a dynamic import: let it run. */
export async function settle(ms = 30): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, ms));
    await Promise.resolve();
  }
}

/**
 * Waits until `done()` holds (charts are drawn one per animation frame, so a loaded machine takes longer than
 * any fixed pause); fails after `timeoutMs`.
 */
export async function settleUntil(done: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('settleUntil: condition not reached in time');
    await settle(10);
  }
}
