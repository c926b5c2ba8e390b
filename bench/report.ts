/** Part report: 1,000,000 clicks over 30 days, the DuckDB report against the in-memory one it replaced, timed, checked to agree. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredClick } from '../shared/storedClick';
import { progress, ROOT, timedProcess, TSX, type PartOutput } from './lib/part';
import { seeded } from './lib/stats';
import type { ProbeResult } from './reportProbe';

const CLICKS = 1_000_000;
const DAYS = 30;
/** One object an hour, as a busy stream's buffers would write them. */
const OBJECTS_PER_DAY = 24;
const SIGNED_IN_PEOPLE = 20_000;
const VISITORS_PER_DAY = 5_000;
const DAY_MS = 86_400_000;

/** Writes the clickstream under <bucket>/clicks/year=/month=/day=/, the last DAYS days to today; its size in bytes. */
function generate(bucket: string, today: number): number {
  // What enrichClicks adds to a click: the mysfit's id, name, species and alignment (not its description or images).
  const { mysfits } = JSON.parse(readFileSync(join(ROOT, 'data', 'mysfits.json'), 'utf8')) as { mysfits: Array<Record<string, string>> };
  const fields = mysfits.map(({ mysfitId, name, species, goodevil, lawchaos }) => ({ mysfitId, name, species, goodevil, lawchaos }));
  const next = seeded(20);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  // Some mysfits are looked at far more than others.
  const weighted = fields.flatMap((m, i) => Array<typeof m>(fields.length - i).fill(m));
  const perObject = Math.ceil(CLICKS / (DAYS * OBJECTS_PER_DAY));
  let [bytes, written] = [0, 0];
  for (let d = DAYS - 1; d >= 0; d--) {
    const day = today - d * DAY_MS;
    const [year, month, date] = new Date(day).toISOString().slice(0, 10).split('-');
    const folder = join(bucket, 'clicks', `year=${year}`, `month=${month}`, `day=${date}`);
    mkdirSync(folder, { recursive: true });
    for (let hour = 0; hour < OBJECTS_PER_DAY && written < CLICKS; hour++) {
      const lines: string[] = [];
      for (let i = 0; i < perObject && written < CLICKS; i++, written++) {
        const at = new Date(day + hour * 3_600_000 + Math.floor(next() * 3_600_000)).toISOString();
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

async function probe(engine: string, bucket: string, from: string, to: string) {
  const args = [TSX, join(ROOT, 'bench', 'reportProbe.ts'), engine, bucket, from, to];
  const { wallMs, stdout } = await timedProcess(process.execPath, args, { timeoutMs: 5 * 60_000 });
  return { ...(JSON.parse(stdout.trim().split('\n').pop() as string) as ProbeResult), wallSeconds: wallMs / 1000 };
}

export async function run(): Promise<PartOutput> {
  const scratch = mkdtempSync(join(tmpdir(), 'mysfits-bench-report-'));
  try {
    const bucket = join(scratch, 'bucket');
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const day = (daysAgo: number) => new Date(today - daysAgo * DAY_MS).toISOString().slice(0, 10);
    progress(`generating ${CLICKS.toLocaleString('en')} clicks over ${DAYS} days`);
    const bytes = generate(bucket, today);
    progress(`the DuckDB report over ${day(DAYS - 1)} to ${day(0)}`);
    const duckdb = await probe('duckdb', bucket, day(DAYS - 1), day(0));
    progress('the in-memory report (every object, whatever the days)');
    const inMemory = await probe('in-memory', bucket, day(DAYS - 1), day(0));
    // The default, --days 7, over the same 30 days: the partitions outside the days asked for are not read.
    progress(`the DuckDB report over ${day(6)} to ${day(0)}`);
    const week = await probe('duckdb', bucket, day(6), day(0));
    const failures = (['mostViewed', 'viewsPerPerson'] as const).flatMap((answer) => {
      const [a, b] = [JSON.stringify(duckdb[answer]), JSON.stringify(inMemory[answer])];
      return a === b ? [] : [`${answer} differ: DuckDB ${a}, in memory ${b}`];
    });
    const figures = (r: typeof duckdb) => [r.seconds.toFixed(2), r.wallSeconds.toFixed(2), r.maxRssMiB.toFixed(0)];
    const perQuery = Object.entries(duckdb.perQuery).map(([name, seconds]) => `${name} ${seconds.toFixed(2)}`);
    return {
      title: `The report at scale: ${CLICKS.toLocaleString('en')} clicks over ${DAYS} days`,
      tables: [
        {
          title: `npm run report -- --days ${DAYS} over ${DAYS * OBJECTS_PER_DAY} objects, ${(bytes / 1024 ** 2).toFixed(0)} MB of NDJSON`,
          columns: 'report | questions | time (s) | process wall time (s) | peak memory (MiB)',
          rows: [
            ['DuckDB over the query files, 30 days', '9', ...figures(duckdb)],
            ['in memory (the report it replaced), all', '6', ...figures(inMemory)],
            ['DuckDB, --days 7 (the default)', '9', ...figures(week)],
          ],
        },
      ],
      notes: [
        `DuckDB per question over 30 days (s): ${perQuery.join(', ')}.`,
        `Top 5 most viewed: ${duckdb.mostViewed.map((m) => `${m.name} ${m.views}`).join(', ')}; views per person: ${JSON.stringify(duckdb.viewsPerPerson)}.`,
      ],
      failures,
      data: { clicks: CLICKS, days: DAYS, objects: DAYS * OBJECTS_PER_DAY, bytes, duckdb, inMemory, week },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
