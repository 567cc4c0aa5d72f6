import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each worker's heartbeat carries the timing of its periodic tasks (shown by `/health/scheduler`). */
export class WorkerTaskStats1764400900000 implements MigrationInterface {
  name = 'WorkerTaskStats1764400900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers ADD COLUMN IF NOT EXISTS tasks jsonb NOT NULL DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workers DROP COLUMN IF EXISTS tasks`);
  }
}
