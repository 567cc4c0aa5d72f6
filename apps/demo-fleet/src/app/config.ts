import { readFileSync } from 'node:fs';
import type { DemoFleetOptions } from '../fleet';
import { IncidentRule } from './incident-schedule';
import { isIncidentKind } from './modes';
import { isValidTargetName } from './target-names';

/**
 * Options from the environment:
 * - DEMO_FLEET_PORT (default 4100), DEMO_FLEET_HOST (default 127.0.0.1);
 * - DEMO_FLEET_SECRETS_FILE: JSON `{ "<target-name>": "<secret>" }` (optional);
 * - DEMO_FLEET_INCIDENT_RULES: JSON `[{"pattern": "<regex>", "incidents": [...]}]` (optional,
 *   replaces the default rules);
 * - DEMO_FLEET_CONTROL_API: `false` hides /control/… (default `true`).
 */
export function readOptionsFromEnv(env: NodeJS.ProcessEnv): DemoFleetOptions {
  const options: DemoFleetOptions = {
    port: parsePort(env['DEMO_FLEET_PORT'], 4100),
    host: nonEmpty(env['DEMO_FLEET_HOST']) ?? '127.0.0.1',
    controlApi: env['DEMO_FLEET_CONTROL_API'] !== 'false',
  };
  const secretsFile = nonEmpty(env['DEMO_FLEET_SECRETS_FILE']);
  if (secretsFile !== undefined) options.secrets = loadSecretsFile(secretsFile);
  const rules = nonEmpty(env['DEMO_FLEET_INCIDENT_RULES']);
  if (rules !== undefined) options.incidentRules = parseIncidentRules(rules);
  return options;
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (nonEmpty(value) === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DEMO_FLEET_PORT must be an integer 0..65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/** Reads and validates the secrets file; fails loudly, since a typo would silently disable HMAC. */
export function loadSecretsFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read DEMO_FLEET_SECRETS_FILE ${path}: ${(error as Error).message}`);
  }
  return validateSecrets(parsed, path);
}

function validateSecrets(parsed: unknown, source: string): Record<string, string> {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${source}: expected a JSON object { "<target-name>": "<secret>" }`);
  }
  const secrets: Record<string, string> = {};
  for (const [name, secret] of Object.entries(parsed)) {
    if (!isValidTargetName(name)) throw new Error(`${source}: invalid target name ${JSON.stringify(name)}`);
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new Error(`${source}: the secret of ${name} must be a non-empty string`);
    }
    secrets[name] = secret;
  }
  return secrets;
}

export function parseIncidentRules(json: string): IncidentRule[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('DEMO_FLEET_INCIDENT_RULES is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw new Error('DEMO_FLEET_INCIDENT_RULES must be a JSON array');
  return parsed.map((rule: unknown, index) => {
    const { pattern, incidents } = (rule ?? {}) as {
      pattern?: unknown;
      incidents?: unknown;
    };
    if (typeof pattern !== 'string') throw new Error(`incident rule ${index}: "pattern" must be a string`);
    if (!Array.isArray(incidents) || !incidents.every(isIncidentKind)) {
      throw new Error(`incident rule ${index}: "incidents" must list error_burst|cpu_saturation|memory_creep|outage`);
    }
    return { pattern: new RegExp(pattern), incidents };
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
