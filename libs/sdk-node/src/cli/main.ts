#!/usr/bin/env node
import { runCli } from './deploy';

runCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`seqpulse: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
