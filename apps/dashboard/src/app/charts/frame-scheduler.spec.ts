import { ChartFrameScheduler } from './frame-scheduler';

describe('ChartFrameScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one chart update per animation frame, the newest for a key', () => {
    const scheduler = new ChartFrameScheduler();
    const ran: string[] = [];
    scheduler.schedule('a', () => ran.push('a1'));
    scheduler.schedule('b', () => ran.push('b'));
    scheduler.schedule('a', () => ran.push('a2'));
    expect(ran).toEqual([]);
    jest.advanceTimersToNextFrame();
    expect(ran).toEqual(['a2']);
    jest.advanceTimersToNextFrame();
    expect(ran).toEqual(['a2', 'b']);
  });

  it('afterUpdates: at once when no update is pending, else in a task after the frame of the last one', () => {
    const scheduler = new ChartFrameScheduler();
    const ran: string[] = [];
    scheduler.afterUpdates(() => ran.push('idle'));
    expect(ran).toEqual(['idle']);

    scheduler.schedule('a', () => ran.push('a'));
    scheduler.afterUpdates(() => ran.push('after'));
    scheduler.schedule('b', () => ran.push('b')); // added while waiting: drawn before the work too
    jest.advanceTimersToNextFrame();
    expect(ran).toEqual(['idle', 'a']);
    jest.advanceTimersToNextFrame();
    expect(ran).toEqual(['idle', 'a', 'b']); // not in the frame of the last update
    jest.runOnlyPendingTimers();
    expect(ran).toEqual(['idle', 'a', 'b', 'after']);
    jest.advanceTimersToNextFrame();
    expect(ran).toEqual(['idle', 'a', 'b', 'after']);
  });
});
