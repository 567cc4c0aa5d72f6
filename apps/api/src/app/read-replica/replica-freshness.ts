/**
 * A WAL position (`16/B374D848`) as a number that orders like Postgres' pg_lsn; exact up to 2^53 bytes of WAL
 * (8 PiB written over the cluster's life).
 */
export function lsnValue(lsn: string): number {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!match) throw new Error(`Not a WAL position: ${lsn}`);
  return parseInt(match[1], 16) * 2 ** 32 + parseInt(match[2], 16);
}

/** How many primary WAL positions are kept: 10 minutes of 1 s checks, more lag than reads would ever wait for. */
const MAX_MARKS = 600;

/**
 * Up to when a streaming replica holds everything the primary had committed. Each check first notes the primary's
 * WAL insert position with the time it was asked (every transaction acknowledged before that time lies at or
 * below it), then asks the replica how far it has replayed: the replica is fresh as of the latest noted time whose
 * position it has replayed. A replica that is not in recovery (promoted, or a single node) is as fresh as the
 * moment it was asked.
 */
export class ReplicaFreshness {
  private marks: { atMs: number; lsn: number }[] = [];
  private freshAsOf = Number.NEGATIVE_INFINITY;
  private healthy = false;

  /** The primary's WAL insert position, asked at `atMs` (taken before the question left). */
  notePrimary(atMs: number, lsn: string): void {
    this.marks.push({ atMs, lsn: lsnValue(lsn) });
    if (this.marks.length > MAX_MARKS) this.marks.splice(0, this.marks.length - MAX_MARKS);
  }

  /** The replica's answer to a check started at `askedAtMs`: replayed up to `replayedLsn`, or not a standby. */
  noteReplica(askedAtMs: number, answer: { standby: boolean; replayedLsn: string | null }): void {
    this.healthy = true;
    if (!answer.standby) {
      this.freshAsOf = Math.max(this.freshAsOf, askedAtMs);
      this.marks = [];
      return;
    }
    if (answer.replayedLsn === null) return;
    const replayed = lsnValue(answer.replayedLsn);
    let newest = -1;
    for (let i = 0; i < this.marks.length && this.marks[i].lsn <= replayed; i++) newest = i;
    if (newest < 0) return;
    this.freshAsOf = Math.max(this.freshAsOf, this.marks[newest].atMs);
    this.marks.splice(0, newest + 1);
  }

  /** A failed check or read: the replica gets no reads until a check succeeds again. */
  noteFailure(): void {
    this.healthy = false;
  }

  /**
   * Whether the replica can answer a read of data written up to `toMs` + `writeLagMs` (how long after its time a
   * row of that range may still be committed) exactly as the primary would.
   */
  covers(toMs: number, writeLagMs: number): boolean {
    return this.healthy && toMs + writeLagMs <= this.freshAsOf;
  }

  /** How far behind `nowMs` the replica's data is, or null while nothing is known. */
  lagMs(nowMs: number): number | null {
    return this.healthy && Number.isFinite(this.freshAsOf) ? Math.max(0, nowMs - this.freshAsOf) : null;
  }
}
