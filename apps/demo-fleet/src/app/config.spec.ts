import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretsFile, parseIncidentRules, parsePort, readOptionsFromEnv } from './config';

describe('config from the environment', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'demo-fleet-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writeFile = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('defaults to 127.0.0.1:4100, control API on, no secrets, default rules', () => {
    expect(readOptionsFromEnv({})).toEqual({
      port: 4100,
      host: '127.0.0.1',
      controlApi: true,
    });
  });

  it('reads port, host, control switch, secrets file and incident rules', () => {
    const secretsFile = writeFile('secrets.json', JSON.stringify({ 'shop-prod': 's3cret' }));
    const options = readOptionsFromEnv({
      DEMO_FLEET_PORT: '4200',
      DEMO_FLEET_HOST: '0.0.0.0',
      DEMO_FLEET_CONTROL_API: 'false',
      DEMO_FLEET_SECRETS_FILE: secretsFile,
      DEMO_FLEET_INCIDENT_RULES: '[{"pattern":"^api-","incidents":["outage"]}]',
    });
    expect(options).toMatchObject({
      port: 4200,
      host: '0.0.0.0',
      controlApi: false,
      secrets: { 'shop-prod': 's3cret' },
      incidentRules: [{ pattern: /^api-/, incidents: ['outage'] }],
    });
  });

  it.each(['-1', '65536', '12.5', 'http'])('rejects the port %j', (value) => {
    expect(() => parsePort(value, 4100)).toThrow(/DEMO_FLEET_PORT/);
  });

  it('treats an empty port as the default', () => {
    expect(parsePort('', 4100)).toBe(4100);
  });

  it.each([
    ['missing.json', null, /cannot read/],
    ['broken.json', '{nope', /cannot read/],
    ['array.json', '["a"]', /JSON object/],
    ['bad-name.json', '{"Shop": "x"}', /invalid target name/],
    ['empty-secret.json', '{"shop": ""}', /non-empty string/],
  ])('refuses the secrets file %s', (name, content, error) => {
    const path = content === null ? join(dir, name) : writeFile(name, content);
    expect(() => loadSecretsFile(path)).toThrow(error);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['{}', /JSON array/],
    ['[{"incidents":[]}]', /pattern/],
    ['[{"pattern":"x","incidents":["meteor"]}]', /incidents/],
  ])('refuses the incident rules %s', (json, error) => {
    expect(() => parseIncidentRules(json)).toThrow(error);
  });
});
