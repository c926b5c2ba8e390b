/**
 * Part 5, local stack start-up: `tsx local/start.ts` (what `npm start` runs) from spawn to the first 200 of
 * GET <api>/mysfits, on free ports, stopped with SIGTERM each time. Three rounds of a first start in an empty data
 * folder, then a start with that folder's data kept (user pool, tables), as a second `npm start` would find it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ports } from '../local/stack';
import { startLocalStackRetrying } from './lib/localStack';
import { progress, type PartOutput } from './lib/part';
import { num, ratio, summarise } from './lib/stats';

const ROUNDS = 3;

interface Start {
  round: number;
  kind: 'empty data folder' | 'data kept';
  firstOkMs: number;
  bannerMs?: number;
  stopMs: number;
  exitCode: number | null;
}

export async function run(): Promise<PartOutput> {
  const starts: Start[] = [];
  const failures: string[] = [];
  const retried: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-startup-'));
    try {
      let ports: Ports | undefined;
      for (const kind of ['empty data folder', 'data kept'] as const) {
        progress(`round ${round}/${ROUNDS}: start with ${kind === 'data kept' ? 'the data kept' : 'an empty data folder'}`);
        // The second start reuses the first one's ports, as a second `npm start` would.
        const stack = await startLocalStackRetrying(dataDir, ports, { emptyDataFolder: kind === 'empty data folder' });
        if (stack.retried > 0) retried.push(`round ${round}, ${kind}`);
        ports = stack.ports;
        const { stopMs, code } = await stack.stop();
        if (code !== 0) failures.push(`start-up: the stack exited with code ${code} after SIGTERM (round ${round}, ${kind})`);
        starts.push({ round, kind, firstOkMs: stack.firstOkMs, bannerMs: stack.bannerMs, stopMs, exitCode: code });
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  const of = (kind: Start['kind']) => starts.filter((s) => s.kind === kind);
  const summary = (kind: Start['kind']) => ({
    firstOkMs: summarise(of(kind).map((s) => s.firstOkMs)),
    bannerMs: summarise(of(kind).flatMap((s) => (s.bannerMs === undefined ? [] : [s.bannerMs]))),
    stopMs: summarise(of(kind).map((s) => s.stopMs)),
  });
  const empty = summary('empty data folder');
  const kept = summary('data kept');
  const seconds = (v: number) => num(v / 1000, 2);
  const row = (label: string, s: ReturnType<typeof summary>, kind: Start['kind']) => [
    label,
    seconds(s.firstOkMs.median),
    of(kind).map((x) => seconds(x.firstOkMs)).join(' / '),
    seconds(s.bannerMs.median),
    seconds(s.stopMs.median),
  ];
  return {
    title: 'Local stack start-up',
    tables: [
      {
        title: `Local stack start-up: spawn of tsx local/start.ts to the first 200 of GET /mysfits (s, median of ${ROUNDS})`,
        columns: ['start', 'to first 200', 'each run', 'banner says', 'SIGTERM to exit'],
        rows: [row('first (empty data folder)', empty, 'empty data folder'), row('again (data kept)', kept, 'data kept')],
        notes: [
          `Data kept ÷ empty: ${ratio(kept.firstOkMs.median, empty.firstOkMs.median)}. "banner says": the stack's own "started in X s", timed from inside`,
          'start.ts (after tsx has loaded it). Every start bundles the functions (serverless-esbuild) and the website again.',
        ],
      },
    ],
    notes: retried.length > 0 ? [`Something else on the machine stopped the stack (SIGTERM) while it was starting; started again: ${retried.join(', ')}.`] : [],
    failures,
    data: { rounds: ROUNDS, starts, summary: { emptyDataFolder: empty, dataKept: kept } },
  };
}
