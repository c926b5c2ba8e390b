/** What every benchmark part hands back: its tables, findings, failed checks and raw figures for results.json. */
import type { Table } from './table';

export interface PartOutput {
  title: string;
  tables: Table[];
  /** Findings to read next to the tables. */
  notes: string[];
  /** Checks that failed; any makes `npm run bench` exit 1. */
  failures: string[];
  /** The raw figures, for results.json. */
  data: unknown;
}

export interface PartResult extends PartOutput {
  part: string;
  date: string;
  durationSeconds: number;
  /** The 1-minute load average when the part started and ended (the bench's own processes count too). */
  loadAverage: { start: number; end: number };
}

/** Where `npm run bench` tells a part the results of the parts before it in this run (and the last run's others). */
export const EARLIER_RESULTS_ENV = 'MYSFITS_BENCH_EARLIER_RESULTS';

/** Logs progress to stderr, so stdout holds only the tables. */
export const progress = (message: string): void => {
  process.stderr.write(`  · ${message}\n`);
};

const cleanups = new Set<() => Promise<unknown>>();
let handlersInstalled = false;

/**
 * Runs `cleanup` if the process is interrupted (Ctrl-C, SIGTERM) before it is released: processes a part starts in
 * their own process group (the local stack) do not get the terminal's Ctrl-C themselves.
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
