// Scans every log line written by the integration run's test apps (SEQPULSE_TEST_LOG_DIR) for secrets. Secrets have
// recognisable shapes: session tokens (`sps_` + 43), API keys (`sp_` + 43), argon2 hashes, the passwords the test
// helpers generate or use, the tests' SEQPULSE_SECRET_KEY, and secret-named JSON fields that are not `[redacted]`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_PATTERNS = [
  ['session token', /sps_[A-Za-z0-9_-]{43}/],
  ['API key', /(?<![A-Za-z0-9_])sp_[A-Za-z0-9_-]{43}/],
  ['password hash', /\$argon2id\$/],
  ['generated test password', /pw-[0-9a-f]{16}/],
  ['test administrator password', /root-password-123/],
  ['demo password', /seqpulse-demo-2026|seqpulse-admin-demo/],
  ['SEQPULSE_SECRET_KEY of the tests', /(?:ab){32}/],
  ['secret-named field', /"(?:password|current_password|new_password|hmac_secret|access_token|secret)":"(?!\[redacted\])/],
];

/** Lines of the directory's log files that contain a secret: `{file, line, kind}` (the secret itself is not repeated). */
export function findSecrets(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const lines = readFileSync(join(dir, name), 'utf8').split('\n');
    lines.forEach((line, index) => {
      for (const [kind, pattern] of SECRET_PATTERNS) {
        if (pattern.test(line)) found.push({ file: name, line: index + 1, kind });
      }
    });
  }
  return found;
}
