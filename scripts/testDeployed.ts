/**
 * `npm run test:deployed -- --stage <stage> [--region <region>]`: the end-to-end checks (tests/deployed/) against a
 * stage as it runs, after a deploy. It finds the stage by its stack's outputs (or, for `--stage local`, the running
 * local system's .local/stack.json), then runs the checks with jest, the addresses in DEPLOYED_STAGE. A bad argument
 * or environment is one sentence on stderr and exit code 1; otherwise the exit code is jest's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveStage, STAGE_ENV, StageError, type DeployedStage } from '../dev/deployedStage';
import { PROJECT_ROOT } from '../dev/paths';

const JEST_BIN = join(PROJECT_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

/** Runs the checks against `stage`; resolves with jest's exit code. */
export function runChecks(stage: DeployedStage, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const child = spawn(process.execPath, [JEST_BIN, '--selectProjects', 'deployed', '--runInBand'], {
    cwd: PROJECT_ROOT,
    env: { ...env, [STAGE_ENV]: JSON.stringify(stage) },
    stdio: 'inherit',
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
}

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** The command: arguments to an exit code. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: Io = { out: (line) => console.log(line), err: (line) => console.error(line) },
  run: (stage: DeployedStage) => Promise<number> = (stage) => runChecks(stage, env),
): Promise<number> {
  let values: { stage?: string; region?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { stage: { type: 'string' }, region: { type: 'string' } }, strict: true }));
  } catch (error) {
    // parseArgs' own message, up to its first full stop (it goes on about positionals this command has none of).
    const why = (error as Error).message.split(/\.\s|\n/)[0];
    io.err(`${why}: the command is npm run test:deployed -- --stage <stage> [--region <region>].`);
    return 1;
  }
  let stage: DeployedStage;
  try {
    stage = await resolveStage(values, env);
  } catch (error) {
    if (!(error instanceof StageError)) throw error;
    io.err(error.message);
    return 1;
  }
  io.out(
    `Checking stage ${stage.stage} (${stage.region}): API ${stage.apiUrl}, website ${stage.websiteUrl}, user pool ${stage.userPoolId}`,
  );
  return run(stage);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`test:deployed failed: ${error.name}: ${error.message}`);
      process.exit(1);
    },
  );
}
