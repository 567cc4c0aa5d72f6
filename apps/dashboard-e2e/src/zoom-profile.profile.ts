import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { SourceMapConsumer } from 'source-map';
import { launch, signIn } from './support/browser';
import { Product, ROOT, startProduct } from './support/product';

/**
 * Profiling aid, not part of the browser tests (its name does not match their `*.e2e.ts`): the zoom of
 * investigation.e2e's last test, three times, with a Chrome trace (thread time of each task and of each animation
 * frame: what the main thread worked, without the wait for a core) and a CPU profile (time by original function
 * when the dashboard was built with source maps, e.g. `"sourceMap": true` in its production configuration for the run).
 * Per zoom it also lists the requests after the button's release (start–end), for each long task the requests in
 * flight and the browser's other threads' thread time inside it, and the CPU of every process of the machine up to
 * the zoomed legends: whether a task's wall time beyond its thread time waited for the zoom's own requests.
 * `npx jest -c apps/dashboard-e2e/jest.config.cts --testMatch '**\/zoom-profile.profile.ts'`; writes
 * dist/dashboard-e2e/zoom-profile.json. The product builds the working tree's dashboard when it starts: to compare
 * two versions, build each, copy its `dist/apps/dashboard` aside and point `SEQPULSE_DASHBOARD_DIR` at its `browser`
 * folder for the run (the source maps are read from there too).
 */
const MEMBER = { email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' };
let product: Product;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  product = await startProduct();
  browser = await launch();
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
}, 480_000);
afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { type?: string } };
}
interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

/** CPU time (ms) of every process on the machine, by pid, from /proc (clock ticks of 10 ms). */
function cpuByProcess(): Map<string, { comm: string; ms: number }> {
  const out = new Map<string, { comm: string; ms: number }>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, { comm, ms: (Number(f[11]) + Number(f[12])) * 10 });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The CPU each command used between two readings (a process started in between counts from its start). */
function cpuBetween(before: Map<string, { ms: number }>, after: Map<string, { comm: string; ms: number }>): string[] {
  const by = new Map<string, number>();
  for (const [pid, { comm, ms }] of after) {
    const name = comm.replace(/^kworker.*/, 'kworker'); // a kernel worker's name changes with its work
    by.set(name, (by.get(name) ?? 0) + ms - (before.get(pid)?.ms ?? 0));
  }
  return [...by.entries()]
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${v} ms ${k}`);
}

const consumers = new Map<string, SourceMapConsumer | null>();
async function consumerFor(url: string): Promise<SourceMapConsumer | null> {
  if (consumers.has(url)) return consumers.get(url) ?? null;
  // the dashboard the product serves: SEQPULSE_DASHBOARD_DIR (another build, e.g. to compare two) or the built one
  const dir = process.env['SEQPULSE_DASHBOARD_DIR'] ?? join(ROOT, 'dist/apps/dashboard/browser');
  const file = join(dir, new URL(url).pathname.replace(/^\/app\//, '') + '.map');
  const c = existsSync(file) ? await new SourceMapConsumer(readFileSync(file, 'utf8')) : null;
  consumers.set(url, c);
  return c;
}

async function origin(frame: ProfileNode['callFrame']): Promise<string> {
  if (!frame.url) return `(${frame.functionName || 'native'})`;
  const c = await consumerFor(frame.url);
  if (!c) return `${frame.functionName}@${frame.url.split('/').pop()}`;
  const o = c.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
  const src = (o.source ?? '?').replace(/^.*node_modules\//, '').replace(/^.*apps\/dashboard\/src\//, '');
  return `${o.name ?? frame.functionName}@${src}:${o.line}`;
}

const top = (m: Map<string, number>, n: number) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${(v / 1000).toFixed(1)} ms  ${k}`);

describe('zoom profile', () => {
  it('profiles three zooms on five charts of 7 days', async () => {
    await signIn(page, product.baseUrl, MEMBER.email, MEMBER.password);
    await page.locator('tr[data-project="Checkout API"] a').first().click();
    await page.waitForURL(/\/app\/projects\/[^/?]+\?env=/);
    const target = new URL(page.url());
    target.searchParams.delete('from');
    target.searchParams.delete('to');
    target.searchParams.set('range', '7d');
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    const results: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(target.toString());
      await page.waitForFunction(
        () => [...document.querySelectorAll('app-metric-chart')].filter((c) => c.querySelector('.chart canvas')).length === 5,
        null,
        { timeout: 120_000 },
      );
      await page.waitForFunction(() => document.querySelectorAll('app-metric-chart .legend-stats').length === 5, null, {
        timeout: 120_000,
      });
      await page.waitForTimeout(2500);
      const before = await page.locator('app-metric-chart .legend-stats div:last-child dd').first().textContent();
      const box = await page.locator('app-metric-chart').first().locator('.chart').boundingBox();
      if (!box) throw new Error('no chart box');
      await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      await cdp.send('Profiler.start');
      await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 6 });
      const cpuBefore = cpuByProcess();
      const upAt = Date.now();
      await page.mouse.up();
      await page.waitForFunction(
        (n) => {
          const t = [...document.querySelectorAll('app-metric-chart .legend-stats div:last-child dd')].map((e) => e.textContent);
          return t.length === 5 && t.every((x) => x !== n);
        },
        before,
        { timeout: 60_000 },
      );
      const cpu = cpuBetween(cpuBefore, cpuByProcess());
      const cpuWindow = Date.now() - upAt;
      await page.waitForTimeout(1000);
      const { profile } = (await cdp.send('Profiler.stop')) as {
        profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };
      };
      const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };

      // the renderer's main thread: the thread named CrRendererMain with the most RunTask time
      const main = trace.traceEvents.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
      const onThread = (e: TraceEvent) => main.some((m) => m.pid === e.pid && m.tid === e.tid);
      const tasks = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'RunTask' && onThread(e) && (e.dur ?? 0) > 50_000);
      const frames = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'FireAnimationFrame' && onThread(e));
      const ms = (us?: number) => Math.round((us ?? 0) / 100) / 10;
      // the hover: every task from the pointer's first move on the chart to the button going down (echarts' axis
      // pointer and tooltip, the other charts' crosshair), by thread time
      const dispatches = trace.traceEvents.filter((e) => e.ph === 'X' && e.name === 'EventDispatch' && onThread(e));
      const firstMove = Math.min(...dispatches.filter((e) => e.args?.data?.type === 'mousemove').map((e) => e.ts));
      const down = Math.min(...dispatches.filter((e) => e.args?.data?.type === 'mousedown').map((e) => e.ts));
      const hover = trace.traceEvents.filter(
        (e) =>
          e.ph === 'X' && e.name === 'RunTask' && onThread(e) && e.ts + (e.dur ?? 0) >= firstMove && e.ts < down && (e.tdur ?? 0) > 1000,
      );

      // CPU profile: self time per original function, all and inside the charts' frame scheduler
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      const names = new Map<number, string>();
      for (const n of profile.nodes) names.set(n.id, await origin(n.callFrame));
      // is a node inside a function whose name contains `marker` (the charts' frame scheduler, Angular's tick)?
      const within = (marker: string) => {
        const memo = new Map<number, boolean>();
        const of = (id: number): boolean => {
          if (memo.has(id)) return memo.get(id) as boolean;
          const n = byId.get(id);
          const v = !!n && ((names.get(id) ?? '').includes(marker) || (n.parent !== undefined && of(n.parent)));
          memo.set(id, v);
          return v;
        };
        return of;
      };
      const schedulerOf = within('frame-scheduler.ts');
      const tickOf = within('synchronizeOnce');
      const inclusive = (into: Map<string, number>, id: number, dt: number) => {
        const seen = new Set<string>();
        for (let n: ProfileNode | undefined = byId.get(id); n; n = n.parent !== undefined ? byId.get(n.parent) : undefined) {
          const nm = names.get(n.id) ?? '?';
          if (seen.has(nm)) continue;
          seen.add(nm);
          into.set(nm, (into.get(nm) ?? 0) + dt);
        }
      };
      for (const n of profile.nodes) {
        for (const c of n.children ?? []) {
          const child = byId.get(c);
          if (child) child.parent = n.id;
        }
      }
      const selfAll = new Map<string, number>();
      const selfCharts = new Map<string, number>();
      const inclCharts = new Map<string, number>();
      const inclTicks = new Map<string, number>();
      let busy = 0;
      let ticks = 0;
      let charts = 0;
      profile.samples.forEach((id, k) => {
        const dt = profile.timeDeltas[k + 1] ?? 0;
        const name = names.get(id) ?? '?';
        if (name === '((idle))' || name === '((program))' || name === '((garbage collector))') return;
        busy += dt;
        selfAll.set(name, (selfAll.get(name) ?? 0) + dt);
        if (tickOf(id)) {
          ticks += dt;
          inclusive(inclTicks, id, dt);
        }
        if (!schedulerOf(id)) return;
        charts += dt;
        selfCharts.set(name, (selfCharts.get(name) ?? 0) + dt);
        inclusive(inclCharts, id, dt);
      });
      // per long task (by thread time): the functions its samples were in (same clock as the trace)
      const times: number[] = [];
      let t = profile.startTime;
      for (const d of profile.timeDeltas) times.push((t += d));
      const profileTask = (task: TraceEvent, n: number) => {
        const incl = new Map<string, number>();
        profile.samples.forEach((id, k) => {
          if (times[k] < task.ts || times[k] > task.ts + (task.dur ?? 0)) return;
          const dt = profile.timeDeltas[k + 1] ?? 0;
          const seen = new Set<string>();
          for (let n: ProfileNode | undefined = byId.get(id); n; n = n.parent !== undefined ? byId.get(n.parent) : undefined) {
            const nm = names.get(n.id) ?? '?';
            if (!seen.has(nm)) incl.set(nm, (incl.get(nm) ?? 0) + dt);
            seen.add(nm);
          }
        });
        return { wall: ms(task.dur), thread: ms(task.tdur), top: top(incl, n) };
      };
      const perTask = tasks.map((task) => profileTask(task, 25));
      // every task of the gesture over 8 ms of thread time, long or not, in order (the profiler's start left out)
      const busyTasks = trace.traceEvents
        .filter((e) => e.ph === 'X' && e.name === 'RunTask' && onThread(e) && e.ts + (e.dur ?? 0) >= firstMove && (e.tdur ?? 0) > 8000)
        .sort((a, b) => a.ts - b.ts)
        .map((task) => profileTask(task, 12));
      // the requests of the zoom (sent after the button went up) and, per task over 50 ms, those in flight during it
      const up = Math.min(...dispatches.filter((e) => e.args?.data?.type === 'mouseup').map((e) => e.ts));
      type NetData = { requestId?: string; url?: string };
      const net = (name: string) =>
        trace.traceEvents.filter((e) => e.name === name && e.ts >= up) as (TraceEvent & { args: { data: NetData } })[];
      const finished = new Map(net('ResourceFinish').map((e) => [e.args.data.requestId, e.ts]));
      const requests = net('ResourceSendRequest').map((e) => ({
        path: new URL(e.args.data.url ?? 'http://x/').pathname,
        start: e.ts,
        end: finished.get(e.args.data.requestId) ?? Infinity,
      }));
      const rel = (us: number) => Math.round((us - up) / 1000);
      // the other threads of the browser (all its processes) during a task: their tasks' thread time inside it
      const threadNames = new Map(
        trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args?.name ?? '?']),
      );
      const topLevel = trace.traceEvents.filter(
        (e) => e.ph === 'X' && (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') && !onThread(e),
      );
      const others = (task: TraceEvent) => {
        const by = new Map<string, number>();
        const end = task.ts + (task.dur ?? 0);
        for (const e of topLevel) {
          const eEnd = e.ts + (e.dur ?? 0);
          if (eEnd <= task.ts || e.ts >= end || !e.dur) continue;
          const share = (Math.min(end, eEnd) - Math.max(task.ts, e.ts)) / e.dur; // the overlapping part
          const name = (threadNames.get(`${e.pid}:${e.tid}`) ?? '?').replace(/\d+$/, '');
          by.set(name, (by.get(name) ?? 0) + (e.tdur ?? e.dur) * share);
        }
        return [...by.entries()]
          .filter(([, v]) => v > 500)
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k} ${ms(v)}`)
          .join(', ');
      };
      const longAfterUp = tasks.filter((t) => t.ts >= up);
      // every task of the first second after the release over 2 ms of thread time, in order: what started it (an
      // animation frame, a timer, …) and how much of its CPU profile ran in echarts or zrender (the charts' work),
      // whether a chart update runs in one task or is split over two
      const starters = ['FireAnimationFrame', 'TimerFire', 'EventDispatch', 'XHRReadyStateChange', 'FunctionCall'];
      const inside = trace.traceEvents.filter((e) => e.ph === 'X' && starters.includes(e.name) && onThread(e));
      const chartCode = (id: number) => {
        for (let n: ProfileNode | undefined = byId.get(id); n; n = n.parent !== undefined ? byId.get(n.parent) : undefined) {
          const nm = names.get(n.id) ?? '';
          if (nm.includes('@echarts/') || nm.includes('@zrender/')) return true;
        }
        return false;
      };
      // which part of a chart update a sample is in: echarts' model merge (`setOption`), its layout (`prepare` and
      // `update`: data processing, axes, views) or zrender's paint (the canvas painter's `refresh`), the outermost one
      const chartPhase = (id: number) => {
        let phase = 'other';
        for (let n: ProfileNode | undefined = byId.get(id); n; n = n.parent !== undefined ? byId.get(n.parent) : undefined) {
          // the source-mapped name keeps its minified receiver (`t.refresh`): the last part is the method
          const [qualified, src = ''] = (names.get(n.id) ?? '').split('@');
          const nm = qualified.split('.').pop();
          if (nm === 'refresh' && src.startsWith('zrender/lib/canvas/Painter')) phase = 'paint';
          else if ((nm === 'prepare' || nm === 'update') && src.startsWith('echarts/lib/core/echarts')) phase = 'layout';
          else if (nm === 'setOption' && src.startsWith('echarts/lib/core/echarts')) phase = 'merge';
        }
        return phase;
      };
      const tasksAfterUp = trace.traceEvents
        .filter((e) => e.ph === 'X' && e.name === 'RunTask' && onThread(e) && e.ts >= up && e.ts < up + 1_000_000 && (e.tdur ?? 0) > 2000)
        .sort((a, b) => a.ts - b.ts)
        .map((task) => {
          const end = task.ts + (task.dur ?? 0);
          const kinds = [...new Set(inside.filter((e) => e.ts >= task.ts && e.ts < end).map((e) => e.name))];
          let charts = 0;
          const phases = new Map<string, number>();
          profile.samples.forEach((id, k) => {
            if (times[k] < task.ts || times[k] > end || !chartCode(id)) return;
            const dt = profile.timeDeltas[k + 1] ?? 0;
            charts += dt;
            const phase = chartPhase(id);
            phases.set(phase, (phases.get(phase) ?? 0) + dt);
          });
          const split = [...phases.entries()].map(([k, v]) => `${k} ${ms(v)}`).join(', ');
          return `${rel(task.ts)} wall ${ms(task.dur)} thread ${ms(task.tdur)} charts ${ms(charts)} (${split}); ${kinds.join(' ')}`;
        });
      results.push({
        requests_ms_after_up: requests.map((r) => `${rel(r.start)}–${rel(r.end)} ${r.path}`),
        long_tasks_after_up: longAfterUp.map(
          (t) =>
            `${rel(t.ts)} wall ${ms(t.dur)} thread ${ms(t.tdur)}; in flight: ${requests
              .filter((r) => r.start < t.ts + (t.dur ?? 0) && r.end > t.ts)
              .map((r) => r.path.split('/').pop())
              .join(' ')}; other browser threads: ${others(t)}`,
        ),
        cpu_ms_by_process_up_to_legends: { window_ms: cpuWindow, cpu },
        tasks_after_up: tasksAfterUp,
        frames_after_up: frames
          .filter((f) => f.ts >= up && (f.tdur ?? 0) > 2000)
          .map((f) => `${rel(f.ts)} wall ${ms(f.dur)} thread ${ms(f.tdur)}; other browser threads: ${others(f)}`),
        per_task: perTask,
        tasks_over_8ms_thread: busyTasks,
        long_tasks_wall_ms: tasks.map((t) => ms(t.dur)),
        long_tasks_thread_ms: tasks.map((t) => ms(t.tdur)),
        hover_tasks_thread_ms: hover.map((t) => ms(t.tdur)),
        animation_frames_thread_ms: frames.filter((f) => (f.tdur ?? 0) > 2000).map((f) => ms(f.tdur)),
        busy_ms: ms(busy),
        chart_updates_ms: ms(charts),
        top_self_all: top(selfAll, 25),
        top_self_charts: top(selfCharts, 30),
        top_inclusive_charts: top(inclCharts, 60),
        change_detection_ms: ms(ticks),
        top_inclusive_change_detection: top(inclTicks, 60),
      });
    }
    mkdirSync(join(ROOT, 'dist/dashboard-e2e'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'dist/dashboard-e2e/zoom-profile.png') });
    writeFileSync(join(ROOT, 'dist/dashboard-e2e/zoom-profile.json'), JSON.stringify(results, null, 2));
    expect(results).toHaveLength(3);
  });
});
