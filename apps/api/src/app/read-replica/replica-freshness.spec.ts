import { lsnValue, ReplicaFreshness } from './replica-freshness';

describe('lsnValue', () => {
  it('orders WAL positions like pg_lsn (high word first, hexadecimal)', () => {
    expect(lsnValue('0/16B3748')).toBe(0x16b3748);
    expect(lsnValue('1/0')).toBe(2 ** 32);
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
    expect(() => lsnValue('garbage')).toThrow(/WAL position/);
  });
});

describe('ReplicaFreshness', () => {
  it('knows nothing before its first check and covers nothing', () => {
    const f = new ReplicaFreshness();
    expect(f.lagMs(1_000)).toBeNull();
    expect(f.covers(0, 0)).toBe(false);
  });

  it('is fresh as of the latest primary mark the replica has replayed', () => {
    const f = new ReplicaFreshness();
    f.notePrimary(1_000, '0/100');
    f.notePrimary(2_000, '0/200');
    f.notePrimary(3_000, '0/300');
    f.noteReplica(3_100, { standby: true, replayedLsn: '0/250' });
    expect(f.lagMs(3_100)).toBe(1_100);
    expect(f.covers(1_500, 500)).toBe(true);
    expect(f.covers(1_501, 500)).toBe(false);
    // replay moves on: the 3 s mark is reached
    f.noteReplica(3_200, { standby: true, replayedLsn: '0/300' });
    expect(f.lagMs(3_200)).toBe(200);
  });

  it('does not move while the replica replays nothing new (paused or cut off), and never moves back', () => {
    const f = new ReplicaFreshness();
    f.notePrimary(1_000, '0/100');
    f.noteReplica(1_050, { standby: true, replayedLsn: '0/100' });
    f.notePrimary(2_000, '0/200');
    f.noteReplica(2_050, { standby: true, replayedLsn: '0/150' });
    f.notePrimary(3_000, '0/300');
    f.noteReplica(3_050, { standby: true, replayedLsn: null });
    expect(f.lagMs(3_050)).toBe(2_050);
    expect(f.covers(1_000, 0)).toBe(true);
    expect(f.covers(1_001, 0)).toBe(false);
  });

  it('treats a node out of recovery as fresh at the moment it was asked', () => {
    const f = new ReplicaFreshness();
    f.noteReplica(5_000, { standby: false, replayedLsn: null });
    expect(f.covers(4_000, 1_000)).toBe(true);
    expect(f.covers(4_001, 1_000)).toBe(false);
  });

  it('sends nothing to a replica whose last check or read failed, until a check succeeds', () => {
    const f = new ReplicaFreshness();
    f.notePrimary(1_000, '0/100');
    f.noteReplica(1_100, { standby: true, replayedLsn: '0/100' });
    f.noteFailure();
    expect(f.covers(0, 0)).toBe(false);
    expect(f.lagMs(2_000)).toBeNull();
    f.noteReplica(2_100, { standby: true, replayedLsn: '0/100' });
    expect(f.covers(0, 0)).toBe(true);
  });
});
