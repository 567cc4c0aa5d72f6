import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A silence ended early ("End now") is told apart from one that ran its course: when it was ended and by whom (the
 * email at that moment, like `created_by_email`, so it survives the account; `ended_by` keeps the account link).
 */
export class SilenceEnded1764401450000 implements MigrationInterface {
  name = 'SilenceEnded1764401450000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_silences ADD COLUMN ended_at timestamptz, ADD COLUMN ended_by_email text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_silences DROP COLUMN ended_at, DROP COLUMN ended_by_email`);
  }
}
