/**
 * Part startup, local system start-up, for each command a person runs (`npm start`, `npx serverless offline`): from
 * spawn to the first 200 of GET <api>/mysfits, on free ports, stopped with SIGTERM each time. Five rounds of a
 * first start in an empty data folder, then a start with that folder's data kept (user pool, tables), as a second
 * start would find it. Side by side in each round, `npx serverless print` (the Framework resolving the same config,
 * plugins loaded): `npm start` should take at most 1.5 times as long.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command, Ports } from '../dev/launcher';
import { startLocalStack } from './lib/localStack';
import { progress, timedProcess, type PartOutput } from './lib/part';
import { median, num, ratio } from './lib/stats';

const ROUNDS = 5;
/** npm start to the first 200, at most this many times `npx serverless print`. */
const WANTED_RATIO = 1.5;
const COMMANDS: Command[] = ['npm start', 'serverless offline'];
const KINDS = ['empty data folder', 'data kept'] as const;

interface Start {
  command: Command;
  round: number;
  kind: (typeof KINDS)[number];
  firstOkMs: number;
  bannerMs?: number;
  stopMs: number;
  exitCode: number | null;
}

export async function run(): Promise<PartOutput> {
  const starts: Start[] = [];
  const failures: string[] = [];
  const retried: string[] = [];
  const prints: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    progress(`round ${round}/${ROUNDS}: npx serverless print`);
    const env = { ...process.env, SLS_TELEMETRY_DISABLED: '1' };
    prints.push((await timedProcess('npx', ['serverless', 'print'], { env, timeoutMs: 120_000 })).wallMs);
    for (const command of COMMANDS) {
      const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-startup-'));
      try {
        let ports: Ports | undefined;
        for (const kind of KINDS) {
          progress(`round ${round}/${ROUNDS}: ${command}, ${kind === 'data kept' ? 'the data kept' : 'an empty data folder'}`);
          // The second start reuses the first one's ports, as a second start would.
          const stack = await startLocalStack(dataDir, { ports, emptyDataFolder: kind === 'empty data folder', command });
          if (stack.retried > 0) retried.push(`round ${round}, ${command}, ${kind}`);
          ports = stack.ports;
          const { stopMs, code } = await stack.stop();
          // npm itself dies of the SIGTERM it passes on (143); the system it runs exits 0 (the launcher waits for both).
          const expected = command === 'npm start' ? [0, 143] : [0];
          if (!expected.includes(code ?? -1))
            failures.push(`start-up: ${command} exited with code ${code} after SIGTERM (round ${round}, ${kind})`);
          starts.push({ command, round, kind, firstOkMs: stack.firstOkMs, bannerMs: stack.bannerMs, stopMs, exitCode: code });
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }

  const of = (command: Command, kind: Start['kind']) => starts.filter((s) => s.command === command && s.kind === kind);
  const summary = (command: Command, kind: Start['kind']) => ({
    firstOkMs: median(of(command, kind).map((s) => s.firstOkMs)),
    bannerMs: median(of(command, kind).flatMap((s) => (s.bannerMs === undefined ? [] : [s.bannerMs]))),
    stopMs: median(of(command, kind).map((s) => s.stopMs)),
  });
  const seconds = (v: number) => num(v / 1000, 2);
  const rows = COMMANDS.flatMap((command) =>
    KINDS.map((kind) => {
      const s = summary(command, kind);
      const each = of(command, kind).map((x) => seconds(x.firstOkMs));
      return [command, kind, seconds(s.firstOkMs), each.join(' / '), seconds(s.bannerMs), seconds(s.stopMs)];
    }),
  );
  const kept = summary('serverless offline', 'data kept').firstOkMs;
  const empty = summary('serverless offline', 'empty data folder').firstOkMs;
  const print = median(prints);
  const npmKept = summary('npm start', 'data kept').firstOkMs;
  const npmEmpty = summary('npm start', 'empty data folder').firstOkMs;
  if (npmKept > WANTED_RATIO * print) {
    failures.push(`start-up: npm start (data kept) took ${ratio(npmKept, print)} npx serverless print, more than ${WANTED_RATIO}`);
  }
  return {
    title: 'Local system start-up',
    tables: [
      {
        title: `Local system start-up: spawn of the command to the first 200 of GET /mysfits (s, median of ${ROUNDS})`,
        columns: 'command | start | to first 200 | each run | banner says | SIGTERM to exit',
        rows: [...rows, ['npx serverless print', '-', seconds(print), prints.map(seconds).join(' / '), '-', '-']],
        notes: [
          `npm start ÷ npx serverless print: ${ratio(npmKept, print)} with the data kept, ${ratio(npmEmpty, print)} from an empty data folder (wanted: at most ${WANTED_RATIO}).`,
          `serverless offline, data kept ÷ empty: ${ratio(kept, empty)}. "banner says": the system's own "is up: X s", timed from`,
          'the start of the command. The website is built again and a function bundled again only when something',
          "it is built from changed (dev/website.ts, local/bundleReuse.ts): the first round's empty-folder start may build.",
        ],
      },
    ],
    notes:
      retried.length > 0
        ? [`Something else on the machine stopped the system (SIGTERM) while it was starting; started again: ${retried.join(', ')}.`]
        : [],
    failures,
    data: {
      rounds: ROUNDS,
      printMs: prints,
      starts,
      summary: Object.fromEntries(COMMANDS.map((c) => [c, Object.fromEntries(KINDS.map((k) => [k, summary(c, k)]))])),
    },
  };
}
