import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { SecretBox } from './secret-box';

const config = (over: Partial<AppConfig>) => Object.assign(new AppConfig(), over);

describe('SecretBox', () => {
  it('round-trips and never stores the clear text', () => {
    const box = new SecretBox(config({ SEQPULSE_SECRET_KEY: 'a'.repeat(64) }));
    const sealed = box.seal('hunter2-hmac-secret');
    expect(sealed).not.toContain('hunter2');
    expect(box.open(sealed)).toBe('hunter2-hmac-secret');
    expect(box.seal('x')).not.toBe(box.seal('x')); // random IV
  });

  it('refuses a tampered ciphertext or another key', () => {
    const box = new SecretBox(config({ SEQPULSE_SECRET_KEY: 'a'.repeat(64) }));
    const sealed = box.seal('secret');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('other').toString('base64');
    expect(() => box.open(parts.join('.'))).toThrow();
    expect(() => new SecretBox(config({ SEQPULSE_SECRET_KEY: 'b'.repeat(64) })).open(sealed)).toThrow();
  });

  it('generates one key file in the data directory and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-'));
    const a = new SecretBox(config({ SEQPULSE_DATA_DIR: dir }));
    const key = readFileSync(join(dir, 'secret.key'), 'utf8');
    const b = new SecretBox(config({ SEQPULSE_DATA_DIR: dir }));
    expect(b.open(a.seal('s'))).toBe('s');
    expect(readFileSync(join(dir, 'secret.key'), 'utf8')).toBe(key);
  });

  it('rejects a key of the wrong size', () => {
    expect(() => new SecretBox(config({ SEQPULSE_SECRET_KEY: 'abcd' }))).toThrow(/32 bytes/);
  });
});

describe('SecretBox during a SEQPULSE_SECRET_KEY rotation', () => {
  it('opens what the previous key sealed, seals with the new one only', () => {
    const old = new SecretBox(config({ SEQPULSE_SECRET_KEY: 'a'.repeat(64) }));
    const sealedOld = old.seal('rotate-me');
    const rotating = new SecretBox(config({ SEQPULSE_SECRET_KEY: 'b'.repeat(64), SEQPULSE_SECRET_KEY_PREVIOUS: 'a'.repeat(64) }));
    expect(rotating.rotating).toBe(true);
    expect(rotating.open(sealedOld)).toBe('rotate-me');
    expect(rotating.isCurrent(sealedOld)).toBe(false);
    const resealed = rotating.seal('rotate-me');
    expect(rotating.isCurrent(resealed)).toBe(true);
    expect(new SecretBox(config({ SEQPULSE_SECRET_KEY: 'b'.repeat(64) })).open(resealed)).toBe('rotate-me');
    expect(() => old.open(resealed)).toThrow();
  });
});
