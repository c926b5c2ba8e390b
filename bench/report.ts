/**
 * Part 7 (report), the report at scale: a clickstream of 1,000,000 clicks over 30 days, generated into a temporary folder
 * laid out like the bucket (one object per hour, as a busy stream's buffers would write them), and `npm run report
 * -- --days 30` over it: the DuckDB report over the query files against the in-memory report it replaced (the
 * yardstick, bench/lib/inMemoryReport.ts), each in a process of its own, timed, with its peak memory, and checked to
 * give the same answers.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './lib/functions';
import { progress, type PartOutput } from './lib/part';
import type { ProbeResult } from './reportProbe';
import type { StoredClick } from '../shared/storedClick';

const CLICKS = 1_000_000;
const DAYS = 30;
const OBJECTS_PER_DAY = 24;
const SIGNED_IN_PEOPLE = 20_000;
const VISITORS_PER_DAY = 5_000;
const PROBE_TIMEOUT_MS = 5 * 60_000;
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Mysfit {
  mysfitId: string;
  name: string;
  species: string;
  goodevil: string;
  lawchaos: string;
}

/** A small fast generator with a seed, so every run measures the same clickstream (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes the clickstream under <bucket>/clicks/year=/month=/day=/, the last DAYS days to today; its size in bytes. */
function generate(bucket: string, today: Date): number {
  // What enrichClicks adds to a click: the mysfit's id, name, species and alignment (not its description or images).
  const mysfits = (JSON.parse(readFileSync(join(ROOT, 'data', 'mysfits.json'), 'utf8')) as { mysfits: Mysfit[] }).mysfits.map(
    ({ mysfitId, name, species, goodevil, lawchaos }) => ({ mysfitId, name, species, goodevil, lawchaos }),
  );
  const next = random(20);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  // Some mysfits are looked at far more than others.
  const weighted = mysfits.flatMap((m, i) => Array.from({ length: mysfits.length - i }, () => m));
  let bytes = 0;
  const perObject = Math.ceil(CLICKS / (DAYS * OBJECTS_PER_DAY));
  let written = 0;
  for (let d = DAYS - 1; d >= 0; d--) {
    const day = new Date(today.getTime() - d * 86_400_000);
    const [year, month, date] = day.toISOString().slice(0, 10).split('-');
    const folder = join(bucket, 'clicks', `year=${year}`, `month=${month}`, `day=${date}`);
    mkdirSync(folder, { recursive: true });
    for (let hour = 0; hour < OBJECTS_PER_DAY && written < CLICKS; hour++) {
      const lines: string[] = [];
      for (let i = 0; i < perObject && written < CLICKS; i++, written++) {
        const at = new Date(day.getTime() + hour * 3_600_000 + Math.floor(next() * 3_600_000)).toISOString();
        const signedIn = next() < 0.4;
        const userId = signedIn ? `user-${Math.floor(next() * SIGNED_IN_PEOPLE)}` : `visitor-${d}-${Math.floor(next() * VISITORS_PER_DAY)}`;
        const roll = next();
        const action = roll < 0.7 ? 'view' : roll < 0.8 ? 'like' : roll < 0.82 ? 'unlike' : roll < 0.85 ? 'adopt' : 'filter';
        const click: StoredClick =
          action === 'filter'
            ? { eventTime: at, receivedAt: at, userId, signedIn, action, filter: 'GoodEvil', value: pick(['Good', 'Neutral', 'Evil']) }
            : { eventTime: at, receivedAt: at, userId, signedIn, action, ...pick(weighted) };
        lines.push(JSON.stringify(click));
      }
      const text = `${lines.join('\n')}\n`;
      writeFileSync(join(folder, `mysfits-bench-clicks-1-${year}-${month}-${date}-${String(hour).padStart(2, '0')}-00-00`), text);
      bytes += Buffer.byteLength(text);
    }
  }
  return bytes;
}

function probe(engine: string, bucket: string, from: string, to: string, scratch: string): Promise<ProbeResult & { wallSeconds: number }> {
  const out = join(scratch, `${engine}.json`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX, join(ROOT, 'bench', 'reportProbe.ts'), engine, bucket, from, to, out], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`the ${engine} report exited with ${code ?? signal}`));
      resolve({ ...(JSON.parse(readFileSync(out, 'utf8')) as ProbeResult), wallSeconds: (performance.now() - started) / 1000 });
    });
  });
}

export async function run(): Promise<PartOutput> {
  const scratch = mkdtempSync(join(tmpdir(), 'mysfits-bench-report-'));
  const failures: string[] = [];
  try {
    const bucket = join(scratch, 'bucket');
    const now = new Date();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    progress(`generating ${CLICKS.toLocaleString('en')} clicks over ${DAYS} days`);
    const bytes = generate(bucket, today);
    const from = new Date(today.getTime() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const to = today.toISOString().slice(0, 10);
    progress(`the DuckDB report over ${from} to ${to}`);
    const duckdb = await probe('duckdb', bucket, from, to, scratch);
    progress(`the in-memory report (every object, whatever the days)`);
    const inMemory = await probe('in-memory', bucket, from, to, scratch);
    // The default, --days 7, over the same 30 days: the partitions outside the days asked for are not read.
    const weekFrom = new Date(today.getTime() - 6 * 86_400_000).toISOString().slice(0, 10);
    progress(`the DuckDB report over ${weekFrom} to ${to}`);
    const week = await probe('duckdb', bucket, weekFrom, to, scratch);
    if (JSON.stringify(duckdb.mostViewed) !== JSON.stringify(inMemory.mostViewed)) {
      failures.push(`most viewed differ: DuckDB ${JSON.stringify(duckdb.mostViewed)}, in memory ${JSON.stringify(inMemory.mostViewed)}`);
    }
    if (JSON.stringify(duckdb.viewsPerPerson) !== JSON.stringify(inMemory.viewsPerPerson)) {
      failures.push(
        `views per person differ: DuckDB ${JSON.stringify(duckdb.viewsPerPerson)}, in memory ${JSON.stringify(inMemory.viewsPerPerson)}`,
      );
    }
    const files = DAYS * OBJECTS_PER_DAY;
    const figures = (r: ProbeResult & { wallSeconds: number }) => [r.seconds.toFixed(2), r.wallSeconds.toFixed(2), r.maxRssMiB.toFixed(0)];
    return {
      title: `The report at scale: ${CLICKS.toLocaleString('en')} clicks over ${DAYS} days`,
      tables: [
        {
          title: `npm run report -- --days ${DAYS} over ${files} objects, ${(bytes / 1024 ** 2).toFixed(0)} MB of NDJSON`,
          columns: ['report', 'questions', 'time (s)', 'process wall time (s)', 'peak memory (MiB)'],
          rows: [
            ['DuckDB over the query files, 30 days', '9', ...figures(duckdb)],
            ['in memory (the report it replaced), all', '6', ...figures(inMemory)],
            ['DuckDB, --days 7 (the default)', '9', ...figures(week)],
          ],
          notes: [
            'time: the report alone, in its process; wall time: from spawn to exit (tsx and module loading included).',
            'peak memory: the process maximum resident set (process.resourceUsage().maxRSS), the Node.js runtime included.',
          ],
        },
      ],
      notes: [
        `DuckDB per question over 30 days (s): ${Object.entries(duckdb.perQuery ?? {})
          .map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`)
          .join(', ')}.`,
        `Both reports agree on the top 5 most viewed (${duckdb.mostViewed.map((m) => `${m.name} ${m.views}`).join(', ')}) and on views per person (${JSON.stringify(duckdb.viewsPerPerson)}).`,
      ],
      failures,
      data: { clicks: CLICKS, days: DAYS, objects: files, bytes, duckdb, inMemory, week },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
