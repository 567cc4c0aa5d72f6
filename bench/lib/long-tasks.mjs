// What a long task of the page's main thread is made of, from a Chromium trace (playwright's `browser.startTracing`):
// each top-level task over the limit with its heaviest parts by self time (script by file, style, layout, paint,
// parsing, garbage collection, code caching). The long-task observer says that a task was long; this says why.

/** Categories that name a task's parts; `disabled-by-default-devtools.timeline` gives the top-level tasks. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'v8.execute', 'blink', 'loading'];

/** The renderer main threads of the trace ("CrRendererMain"), as `pid:tid` keys. */
function rendererMainThreads(events) {
  const keys = new Set();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') keys.add(`${e.pid}:${e.tid}`);
  return keys;
}

/** An event's name for the breakdown: scripts by file, the rest by what Chromium calls them. */
function partName(e) {
  const data = e.args?.data ?? e.args?.beginData ?? {};
  const url = data.url ?? data.stackTrace?.[0]?.url ?? '';
  const file = url ? url.split('/').pop().split('?')[0] : '';
  if (e.name === 'FunctionCall' || e.name === 'EvaluateScript' || e.name === 'v8.compile' || e.name === 'v8.run')
    return file ? `${e.name} ${file}` : e.name;
  if (e.name === 'TimerFire' || e.name === 'FireAnimationFrame' || e.name === 'EventDispatch') return `${e.name} ${data.type ?? ''}`.trim();
  return e.name;
}

/**
 * The long tasks (over `limitMs`) of the trace's renderer main threads, each with its duration, thread time and the
 * `top` parts by self time.
 */
export function longTaskParts(traceEvents, limitMs = 50, top = 8) {
  const mains = rendererMainThreads(traceEvents);
  const byThread = new Map();
  for (const e of traceEvents) {
    if (e.ph !== 'X' || !mains.has(`${e.pid}:${e.tid}`) || e.dur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  const tasks = [];
  for (const events of byThread.values()) {
    events.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    const tops = events.filter((e) => e.name === 'RunTask' && e.dur / 1000 > limitMs);
    for (const task of tops) {
      const end = task.ts + task.dur;
      const inside = events.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= end);
      // self time: an event's duration less that of its direct children (events are properly nested per thread)
      const self = new Map();
      const stack = [];
      const close = (until) => {
        while (stack.length && stack[stack.length - 1].end <= until) {
          const done = stack.pop();
          self.set(done.name, (self.get(done.name) ?? 0) + done.self);
        }
      };
      let covered = 0;
      for (const e of inside) {
        close(e.ts);
        const parent = stack[stack.length - 1];
        if (parent) parent.self -= e.dur;
        else covered += e.dur;
        stack.push({ name: partName(e), end: e.ts + e.dur, self: e.dur });
      }
      close(Infinity);
      self.set('(task, not in a named part)', task.dur - covered);
      tasks.push({
        at: task.ts / 1000,
        ms: task.dur / 1000,
        threadMs: task.tdur === undefined ? undefined : task.tdur / 1000,
        parts: [...self]
          .map(([name, us]) => ({ name, ms: us / 1000 }))
          .filter((p) => p.ms >= 0.5)
          .sort((a, b) => b.ms - a.ms)
          .slice(0, top),
      });
    }
  }
  return tasks.sort((a, b) => a.at - b.at);
}

/** One line per long task: its duration (thread time) and parts. */
export function formatLongTaskParts(tasks) {
  return tasks
    .map(
      (t) =>
        `${t.ms.toFixed(0)} ms${t.threadMs === undefined ? '' : ` (thread ${t.threadMs.toFixed(0)})`}: ` +
        t.parts.map((p) => `${p.name} ${p.ms.toFixed(1)}`).join(', '),
    )
    .join('\n');
}
