import { QueryFailedError } from 'typeorm';
import { loggableError } from './logging';

describe('loggableError', () => {
  it('keeps type, code, constraint and a bounded message, never the SQL parameters or the driver detail', () => {
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "users_email_lower_key"'), {
      code: '23505',
      constraint: 'users_email_lower_key',
      table: 'users',
      detail: 'Key (lower(email))=(victim@example.com) already exists.',
    });
    const error = new QueryFailedError(
      'INSERT INTO users (email, password_hash) VALUES ($1, $2)',
      ['victim@example.com', '$argon2id$v=19$secret'],
      driverError,
    );
    const logged = loggableError(error);
    const text = JSON.stringify(logged);
    expect(logged).toMatchObject({ type: 'QueryFailedError', code: '23505', constraint: 'users_email_lower_key', table: 'users' });
    expect(text).not.toContain('victim@example.com');
    expect(text).not.toContain('argon2id');
    expect(text).not.toContain('already exists');
    expect(String(logged.stack)).toMatch(/^\s*at /);
  });

  it('bounds the message of anything thrown', () => {
    expect(String(loggableError(new Error('x'.repeat(5000))).message).length).toBe(200);
    expect(loggableError('a string')).toEqual({ type: 'string', message: 'a string' });
  });
});
