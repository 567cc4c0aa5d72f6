import { Injectable } from '@angular/core';

/** Told the time under the pointer of another chart of its group; `null`: the pointer left that chart. */
export type CrosshairListener = (time: number | null) => void;

/**
 * One crosshair across the charts of a page, in place of echarts' `connect`. With `connect`, the pointer arriving on
 * one chart made echarts show the axis pointer and the HTML tooltip of every chart of the group in the same task
 * (each tooltip laid out by the browser to measure it: 45–97 ms on a quiet machine for five charts, the first long
 * task of a zoom). Now only the chart under the pointer runs echarts' axis pointer and tooltip; it reports the time it
 * points at here, and the other charts draw a plain line at that time (see `MetricChartComponent`).
 */
@Injectable({ providedIn: 'root' })
export class CrosshairSync {
  private readonly groups = new Map<string, Map<string, CrosshairListener>>();

  /** `member` of `group` is told the pointer's time on the other members; returns the leave function. */
  join(group: string, member: string, listener: CrosshairListener): () => void {
    let members = this.groups.get(group);
    if (!members) this.groups.set(group, (members = new Map()));
    members.set(member, listener);
    return () => {
      if (members.get(member) !== listener) return;
      members.delete(member);
      if (!members.size) this.groups.delete(group);
    };
  }

  /** The pointer is at `time` on `member` (`null`: it left): every other member of the group is told. */
  point(group: string, member: string, time: number | null): void {
    for (const [key, listener] of this.groups.get(group) ?? []) if (key !== member) listener(time);
  }
}
