/** What every benchmark part shares: what it hands back, its tables, progress lines, timed processes, clean-up on Ctrl-C. */
import { spawn } from 'node:child_process';
import { PROJECT_ROOT } from '../../dev/paths';

export const ROOT = PROJECT_ROOT;
export const TSX = `${ROOT}/node_modules/tsx/dist/cli.mjs`;

/** A table to print; `columns`: the header row as Markdown writes it (`function | build | require`); `notes`: lines printed under it. */
export type Table = { title: string; columns: string; rows: string[][]; notes?: string[] };

/** What a part hands back: `failures`, the checks that failed (any makes `npm run bench` exit 1); `data`, raw figures for results.json. */
export type PartOutput = { title: string; tables: Table[]; notes: string[]; failures: string[]; data: unknown };

/** Progress goes to stderr, so stdout holds only the tables. */
export const progress = (message: string): void => void process.stderr.write(`  · ${message}\n`);

/** A Markdown pipe table, aligned (columns whose first cell starts with a digit to the right), to paste into BENCHMARKS.md. */
export function renderTable({ title, columns: header, rows, notes = [] }: Table): string {
  const columns = header.split(' | ');
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length)));
  const right = columns.map((_, i) => /^[\d-]/.test(rows[0]?.[i] ?? ''));
  const pad = (cell: string, i: number) => (right[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number));
  const line = (cells: string[]) => `| ${cells.map(pad).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (right[i] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [`### ${title}`, '', line(columns), rule, ...rows.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** Runs a command from spawn to exit (timed), killed after `timeoutMs`; rejects on a non-zero exit, with its output. */
export function timedProcess(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ wallMs: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const wallMs = performance.now() - started;
      clearTimeout(timer);
      if (code === 0) resolve({ wallMs, stdout });
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}:\n${`${stderr}${stdout}`.slice(-4000)}`));
    });
  });
}

const cleanups = new Set<() => Promise<unknown>>();
let handlersInstalled = false;

/**
 * Runs `cleanup` if the process is interrupted (Ctrl-C, SIGTERM) before it is released: processes a part starts in
 * their own process group (the local system) do not get the terminal's Ctrl-C themselves.
 */
export function cleanupOnInterrupt(cleanup: () => Promise<unknown>): () => void {
  if (!handlersInstalled) {
    handlersInstalled = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: cleaning up...\n`);
        void Promise.allSettled([...cleanups].map((run) => run())).then(() => process.exit(130));
      });
    }
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
