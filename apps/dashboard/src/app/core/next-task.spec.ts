import { createEnvironmentInjector, DestroyRef, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { nextTaskRunner } from './next-task';

/** A real injector's DestroyRef, destroyed by `destroy()`. */
function owner(): { ref: DestroyRef; destroy(): void } {
  const injector = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
  return { ref: injector.get(DestroyRef), destroy: () => injector.destroy() };
}

describe('nextTaskRunner', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the work after the current task, not in it', () => {
    const run = nextTaskRunner(owner().ref);
    const done: string[] = [];
    run(() => done.push('work'));
    done.push('rest of the task');
    expect(done).toEqual(['rest of the task']);
    jest.runOnlyPendingTimers();
    expect(done).toEqual(['rest of the task', 'work']);
  });

  it('runs only the latest work asked for in one task', () => {
    const run = nextTaskRunner(owner().ref);
    const done: number[] = [];
    run(() => done.push(1));
    run(() => done.push(2));
    jest.runOnlyPendingTimers();
    expect(done).toEqual([2]);
  });

  it('runs nothing once its owner is destroyed, pending or asked later', () => {
    const ref = owner();
    const run = nextTaskRunner(ref.ref);
    const done: number[] = [];
    run(() => done.push(1));
    ref.destroy();
    run(() => done.push(2));
    jest.runOnlyPendingTimers();
    expect(done).toEqual([]);
  });
});
