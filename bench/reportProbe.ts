/**
 * One measured report, in a process of its own (the bench's report part spawns it): the DuckDB report over the
 * query files, or the in-memory yardstick. Prints its time, its peak memory (the process's max RSS) and the answers
 * the part compares as one JSON line.   tsx bench/reportProbe.ts duckdb|in-memory <bucket folder> <from> <to>
 */
import { openLocalClicks } from '../scripts/report/local';
import { loadQueries } from '../scripts/report/queries';
import { readLocalClicks, summarize } from './lib/inMemoryReport';

export interface ProbeResult {
  seconds: number;
  maxRssMiB: number;
  /** DuckDB: each question's own time (s). */
  perQuery?: Record<string, number>;
  /** Views per mysfit name (top 5) and the views per person figures, to check the two agree. */
  mostViewed: Array<{ name: string; views: number }>;
  viewsPerPerson: { people: number; views: number; average: number; median: number; most: number };
}

async function duckdb(bucket: string, from: string, to: string): Promise<Omit<ProbeResult, 'seconds' | 'maxRssMiB'>> {
  const clicks = await openLocalClicks(bucket);
  const report: Record<string, Array<Record<string, unknown>>> = {};
  const perQuery: Record<string, number> = {};
  try {
    for (const query of loadQueries()) {
      const started = performance.now();
      report[query.name] = await clicks.run(query, { from, to });
      perQuery[query.name] = (performance.now() - started) / 1000;
    }
  } finally {
    clicks.close();
  }
  const { people, views, average, median, most } = report.views_per_person?.[0] ?? {};
  return {
    perQuery,
    mostViewed: (report.most_viewed ?? []).slice(0, 5).map((row) => ({ name: String(row.name), views: Number(row.views) })),
    viewsPerPerson: { people: Number(people), views: Number(views), average: Number(average), median: Number(median), most: Number(most) },
  };
}

function inMemory(bucket: string): Omit<ProbeResult, 'seconds' | 'maxRssMiB'> {
  const report = summarize(readLocalClicks(bucket));
  const { users, views, average, median, max } = report.viewsPerUser;
  return {
    mostViewed: report.mostViewed.map((c) => ({ name: c.label, views: c.count })),
    viewsPerPerson: { people: users, views, average, median, most: max },
  };
}

async function main(): Promise<void> {
  const [engine, bucket = '', from = '', to = ''] = process.argv.slice(2);
  if (engine !== 'duckdb' && engine !== 'in-memory') throw new Error('usage: reportProbe.ts duckdb|in-memory <bucket> <from> <to>');
  const started = performance.now();
  const result = engine === 'duckdb' ? await duckdb(bucket, from, to) : inMemory(bucket);
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in KiB: the most this process held in memory at once, the engine's own threads included.
  const probe: ProbeResult = { seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...result };
  process.stdout.write(`${JSON.stringify(probe)}\n`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
