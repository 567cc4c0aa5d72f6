import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALERT_RULES } from '@seqpulse/contracts';
import { ADVISORY_LOCKS } from '../database/advisory-locks';

/** Tables whose `rule` column names a rule of the catalogue. */
const RULE_TABLES = ['alert_rules', 'alerts', 'alert_silences'] as const;

/**
 * The database's list of valid rule names is derived from `ALERT_RULE_CATALOGUE`: at start-up, after the
 * migrations, each table's `<table>_rule_check` constraint is replaced when the catalogue has changed, so adding a
 * rule needs no migration. `NOT VALID`: rows of a rule removed from the catalogue stay as history.
 */
@Injectable()
export class AlertRuleConstraints implements OnModuleInit {
  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    const wanted = `CHECK (rule IN (${ALERT_RULES.map((r) => `'${r}'`).join(', ')}))`;
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.migrations]);
      for (const table of RULE_TABLES) {
        const name = `${table}_rule_check`;
        const [current] = await tx.query(
          `SELECT pg_get_constraintdef(c.oid) AS def FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.conname = $2`,
          [table, name],
        );
        if (current && sameRules(current.def, ALERT_RULES)) continue;
        await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name}`);
        await tx.query(`ALTER TABLE ${table} ADD CONSTRAINT ${name} ${wanted} NOT VALID`);
      }
    });
  }
}

/** Whether a constraint definition (as Postgres prints it back) lists exactly these rule names. */
export function sameRules(definition: string, rules: readonly string[]): boolean {
  const listed = [...definition.matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]).sort();
  return listed.join(',') === [...rules].sort().join(',');
}
