import { ChartFrameScheduler } from './frame-scheduler';

/**
 * The browser's event loop, by hand: `task()` runs the oldest timer task, `frame()` one animation frame (the callbacks
 * requested before it, in order; those they request wait for the next frame). Each run is logged with where it ran.
 */
function eventLoop() {
  let tasks: (() => void)[] = [];
  let frameCallbacks: FrameRequestCallback[] = [];
  let where = '';
  jest.spyOn(window, 'setTimeout').mockImplementation(((work: () => void) => {
    tasks.push(work);
    return 0;
  }) as typeof setTimeout);
  jest.spyOn(window, 'requestAnimationFrame').mockImplementation((callback) => {
    frameCallbacks.push(callback);
    return 0;
  });
  return {
    /** Where the code that calls it runs: `task 1`, `frame 2`, … */
    where: () => where,
    pendingTasks: () => tasks.length,
    task(n: number) {
      const [work, ...rest] = tasks;
      tasks = rest;
      where = `task ${n}`;
      work();
      where = '';
    },
    frame(n: number) {
      const callbacks = frameCallbacks;
      frameCallbacks = [];
      where = `frame ${n}`;
      callbacks.forEach((callback) => callback(0));
      where = '';
    },
  };
}

describe('ChartFrameScheduler', () => {
  afterEach(() => jest.restoreAllMocks());

  it('runs each chart update in a task of its own and the next one only after the frame that paints it', () => {
    const loop = eventLoop();
    const scheduler = new ChartFrameScheduler();
    const ran: string[] = [];
    // a chart update as the charts make it: the merge now, echarts' layout and paint in its next animation frame
    const update = (name: string) => () => {
      ran.push(`merge ${name} in ${loop.where()}`);
      requestAnimationFrame(() => ran.push(`paint ${name} in ${loop.where()}`));
    };
    scheduler.schedule('a', update('a1'));
    scheduler.schedule('b', update('b'));
    scheduler.schedule('a', update('a2')); // replaces a1, keeps a's place
    expect(ran).toEqual([]); // not in the caller's task (the change detection)
    loop.task(1);
    loop.frame(1);
    expect(loop.pendingTasks()).toBe(1); // b waits for a task of its own: not merged in the frame that painted a
    loop.task(2);
    loop.frame(2);
    expect(ran).toEqual(['merge a2 in task 1', 'paint a2 in frame 1', 'merge b in task 2', 'paint b in frame 2']);
    expect(loop.pendingTasks()).toBe(0);
  });

  it("runs an update's second part (the layout) in the next task, and the next update after the frame that follows", () => {
    const loop = eventLoop();
    const scheduler = new ChartFrameScheduler();
    const ran: string[] = [];
    const update = (name: string) => () => {
      ran.push(`merge ${name} in ${loop.where()}`);
      return () => ran.push(`layout ${name} in ${loop.where()}`);
    };
    scheduler.schedule('a', update('a'));
    scheduler.schedule('b', update('b'));
    loop.task(1);
    loop.frame(1); // a frame between the merge and the layout: not the one the next update waits for
    expect(loop.pendingTasks()).toBe(1);
    loop.task(2);
    expect(ran).toEqual(['merge a in task 1', 'layout a in task 2']);
    loop.frame(2);
    loop.task(3);
    loop.task(4);
    expect(ran).toEqual(['merge a in task 1', 'layout a in task 2', 'merge b in task 3', 'layout b in task 4']);
    expect(loop.pendingTasks()).toBe(0);
  });

  it('afterUpdates: at once when no update is pending, else in a task after the frame that painted the last one', () => {
    const loop = eventLoop();
    const scheduler = new ChartFrameScheduler();
    const ran: string[] = [];
    scheduler.afterUpdates(() => ran.push('idle'));
    expect(ran).toEqual(['idle']);

    scheduler.schedule('a', () => void ran.push(`a in ${loop.where()}`));
    scheduler.afterUpdates(() => ran.push(`after in ${loop.where()}`));
    loop.task(1);
    scheduler.schedule('b', () => void ran.push(`b in ${loop.where()}`)); // added while waiting: drawn before the work too
    loop.frame(1);
    loop.task(2);
    expect(ran).toEqual(['idle', 'a in task 1', 'b in task 2']);
    loop.frame(2); // b's paint: the work follows in a task after it
    expect(ran).toEqual(['idle', 'a in task 1', 'b in task 2']);
    loop.task(3);
    expect(ran).toEqual(['idle', 'a in task 1', 'b in task 2', 'after in task 3']);
    expect(loop.pendingTasks()).toBe(0);

    scheduler.afterUpdates(() => ran.push('idle again'));
    expect(ran[ran.length - 1]).toBe('idle again');
  });

  it('without requestAnimationFrame, updates run at once', () => {
    const raf = window.requestAnimationFrame;
    (window as Partial<Window>).requestAnimationFrame = undefined;
    try {
      const scheduler = new ChartFrameScheduler();
      const ran: string[] = [];
      scheduler.schedule('a', () => {
        ran.push('a');
        return () => ran.push('a layout');
      });
      expect(ran).toEqual(['a', 'a layout']);
    } finally {
      window.requestAnimationFrame = raf;
    }
  });
});
