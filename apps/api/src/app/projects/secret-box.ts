import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AppConfig } from '../config/app-config';

/**
 * Encrypts secrets we must use later in clear (HMAC signing keys) with AES-256-GCM.
 * Key: SEQPULSE_SECRET_KEY, else one generated once into the data directory.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;
  /** SEQPULSE_SECRET_KEY_PREVIOUS during a key rotation: still opens, never seals. */
  private readonly previous: Buffer | null;

  constructor(config: AppConfig) {
    this.key = config.SEQPULSE_SECRET_KEY ? parseKey(config.SEQPULSE_SECRET_KEY) : loadOrCreateKeyFile(config.SEQPULSE_DATA_DIR);
    this.previous = config.SEQPULSE_SECRET_KEY_PREVIOUS ? parseKey(config.SEQPULSE_SECRET_KEY_PREVIOUS) : null;
  }

  get rotating(): boolean {
    return this.previous !== null;
  }

  /** Whether the current key opens it (false: sealed with the previous key, to re-seal). */
  isCurrent(sealed: string): boolean {
    try {
      openWith(this.key, sealed);
      return true;
    } catch {
      return false;
    }
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string): string {
    try {
      return openWith(this.key, sealed);
    } catch (error) {
      if (!this.previous) throw error;
      return openWith(this.previous, sealed);
    }
  }
}

function openWith(key: Buffer, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1') throw new Error('Unknown secret format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

function parseKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('SEQPULSE_SECRET_KEY must be 32 bytes, in hex (64 chars) or base64');
  return key;
}

function loadOrCreateKeyFile(dataDir: string): Buffer {
  const file = join(resolve(dataDir), 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(resolve(dataDir), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won the race
    }
  }
  return parseKey(readFileSync(file, 'utf8').trim());
}
