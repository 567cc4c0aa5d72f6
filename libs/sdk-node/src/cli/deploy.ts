import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { createCIClient, CIClient, CIClientOptions } from '../lib/ci/ci-client';

/** Exit code when the deployment's verdict is `rollback_recommended`. */
export const EXIT_ROLLBACK_RECOMMENDED = 3;
/** Exit code for a usage error (bad flags, missing SEQPULSE_URL / SEQPULSE_API_KEY). */
export const EXIT_USAGE = 2;

export const USAGE = `Usage: seqpulse deploy --project <id> --env <env> [--wait] [--timeout <seconds>] [--branch <name>]
                       [--idempotency-key <key>] -- <command> [args…]

Marks a deployment in SeqPulse around <command>: triggers it, runs the command, finishes it with the
command's result and, with --wait, waits for the verdict (at most --timeout seconds, default 600).
Environment: SEQPULSE_URL (base URL of SeqPulse), SEQPULSE_API_KEY (scope deployments:write).
Exit code: the command's, or ${EXIT_ROLLBACK_RECOMMENDED} when the verdict is rollback_recommended. SeqPulse being unreachable never
blocks the deployment: the command still runs and a warning is printed.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

interface DeployArgs {
  project: string;
  env: string;
  wait: boolean;
  timeoutSeconds: number;
  branch?: string;
  idempotencyKey?: string;
  command: string[];
}

/** Runs `seqpulse <argv…>` and resolves with the process exit code. */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
  clientOptions: Partial<CIClientOptions> = {},
): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') return (io.out(USAGE), 0);
  if (argv[0] !== 'deploy') return usageError(io, argv[0] ? `unknown command ${argv[0]}` : 'missing command');
  const parsed = parseDeployArgs(argv.slice(1));
  if (typeof parsed === 'string') return usageError(io, parsed);
  if (!env['SEQPULSE_URL'] || !env['SEQPULSE_API_KEY']) return usageError(io, 'SEQPULSE_URL and SEQPULSE_API_KEY must be set');
  const client = createCIClient({ baseUrl: env['SEQPULSE_URL'], apiKey: env['SEQPULSE_API_KEY'], ...clientOptions });
  return deploy(client, parsed, io);
}

async function deploy(client: CIClient, args: DeployArgs, io: CliIo): Promise<number> {
  const deploymentId = await warnOnFailure(io, 'trigger', async () => {
    const triggered = await client.trigger({
      project_id: args.project,
      env: args.env,
      ...(args.branch ? { branch: args.branch } : {}),
      ...(args.idempotencyKey ? { idempotency_key: args.idempotencyKey } : {}),
    });
    io.err(`seqpulse: deployment ${triggered.deployment_id} (${triggered.status}) on ${args.env}`);
    return triggered.deployment_id;
  });

  const exitCode = await runCommand(args.command, io);
  if (deploymentId === undefined) return exitCode;

  const result = exitCode === 0 ? 'success' : 'failed';
  const finished = await warnOnFailure(io, 'finish', () => client.finish({ deployment_id: deploymentId, result }));
  if (finished) io.err(`seqpulse: finished as ${result} (${finished.status})`);
  if (!args.wait || exitCode !== 0 || !finished) return exitCode;

  io.err(`seqpulse: waiting up to ${args.timeoutSeconds} s for the verdict…`);
  const verdict = await warnOnFailure(io, 'verdict', () => client.waitForVerdict(deploymentId, { timeoutSeconds: args.timeoutSeconds }));
  if (!verdict) return exitCode;
  io.out(JSON.stringify(verdict));
  for (const reason of verdict.reasons ?? []) io.err(`seqpulse:   ${reason.metric}: ${reason.message}`);
  io.err(`seqpulse: verdict ${verdict.verdict ?? 'none yet'}${verdict.final ? '' : ' (not final)'}`);
  return verdict.verdict === 'rollback_recommended' ? EXIT_ROLLBACK_RECOMMENDED : exitCode;
}

function parseDeployArgs(args: string[]): DeployArgs | string {
  const separator = args.indexOf('--');
  if (separator === -1 || separator === args.length - 1) return 'missing -- <command>';
  const flags = args.slice(0, separator);
  const result: Partial<DeployArgs> & { command: string[] } = { wait: false, timeoutSeconds: 600, command: args.slice(separator + 1) };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag === '--wait') {
      result.wait = true;
      continue;
    }
    const value = flags[i + 1];
    if (value === undefined || value.startsWith('--')) return `${flag} needs a value`;
    i++;
    if (flag === '--project') result.project = value;
    else if (flag === '--env') result.env = value;
    else if (flag === '--branch') result.branch = value;
    else if (flag === '--idempotency-key') result.idempotencyKey = value;
    else if (flag === '--timeout') {
      const seconds = Number(value);
      if (!Number.isInteger(seconds) || seconds < 0) return '--timeout must be a whole number of seconds';
      result.timeoutSeconds = seconds;
    } else return `unknown flag ${flag}`;
  }
  if (!result.project || !result.env) return '--project and --env are required';
  return result as DeployArgs;
}

/**
 * Runs the command with the CLI's own stdio; 127 when it cannot start, 128+n when killed by signal n (as a
 * shell reports it). A SIGTERM or SIGINT sent to the CLI (a cancelled CI job) is passed on to the command.
 */
function runCommand(command: string[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGTERM', forward).on('SIGINT', forward);
    const done = (code: number) => {
      process.off('SIGTERM', forward).off('SIGINT', forward);
      resolve(code);
    };
    child.once('error', (error) => {
      io.err(`seqpulse: cannot run ${command[0]}: ${error.message}`);
      done(127);
    });
    child.once('exit', (code, signal) => done(code ?? 128 + (signal ? constants.signals[signal] : 0)));
  });
}

async function warnOnFailure<T>(io: CliIo, step: string, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (error) {
    io.err(`seqpulse: warning: ${step} failed (${error instanceof Error ? error.message : String(error)}); the deployment goes on`);
    return undefined;
  }
}

function usageError(io: CliIo, message: string): number {
  io.err(`seqpulse: ${message}\n\n${USAGE}`);
  return EXIT_USAGE;
}
