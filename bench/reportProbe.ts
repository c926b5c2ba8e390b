/**
 * One measured report, in a process of its own (the bench's report part spawns it): the DuckDB report over the
 * query files, or the in-memory yardstick. Writes its time, its peak memory (the process's max RSS) and the answers
 * the part compares to <out>.
 *   tsx bench/reportProbe.ts duckdb|in-memory <bucket folder> <from> <to> <out.json>
 */
import { writeFileSync } from 'node:fs';
import { openLocalClicks } from '../scripts/report/local';
import type { Report } from '../scripts/report/queries';
import { loadQueries } from '../scripts/report/queries';
import { readLocalClicks, summarize } from './lib/inMemoryReport';

export interface ProbeResult {
  engine: string;
  seconds: number;
  maxRssMiB: number;
  /** DuckDB: each question's own time (s). */
  perQuery?: Record<string, number>;
  /** Views per mysfit name (top 5) and the views per person figures, to check the two agree. */
  mostViewed: Array<{ name: string; views: number }>;
  viewsPerPerson: { people: number; views: number; average: number; median: number; most: number };
}

async function main(): Promise<void> {
  const [engine, bucket, from, to, out] = process.argv.slice(2);
  if (!engine || !bucket || !from || !to || !out) throw new Error('usage: reportProbe.ts duckdb|in-memory <bucket> <from> <to> <out>');
  const started = performance.now();
  let result: Omit<ProbeResult, 'seconds' | 'maxRssMiB' | 'engine'>;
  if (engine === 'duckdb') {
    const report: Report = {};
    const perQuery: Record<string, number> = {};
    const clicks = await openLocalClicks(bucket);
    try {
      for (const query of loadQueries()) {
        const queryStarted = performance.now();
        report[query.name] = await clicks.run(query, { from, to });
        perQuery[query.name] = (performance.now() - queryStarted) / 1000;
      }
    } finally {
      clicks.close();
    }
    const perPerson = report.views_per_person?.[0] ?? {};
    result = {
      perQuery,
      mostViewed: (report.most_viewed ?? []).slice(0, 5).map((row) => ({ name: String(row.name), views: Number(row.views) })),
      viewsPerPerson: {
        people: Number(perPerson.people),
        views: Number(perPerson.views),
        average: Number(perPerson.average),
        median: Number(perPerson.median),
        most: Number(perPerson.most),
      },
    };
  } else if (engine === 'in-memory') {
    const report = summarize(readLocalClicks(bucket));
    const u = report.viewsPerUser;
    result = {
      mostViewed: report.mostViewed.map((c) => ({ name: c.label, views: c.count })),
      viewsPerPerson: { people: u.users, views: u.views, average: u.average, median: u.median, most: u.max },
    };
  } else {
    throw new Error(`no engine ${engine}`);
  }
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in KiB: the most this process held in memory at once, the engine's own threads included.
  const probe: ProbeResult = { engine, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...result };
  writeFileSync(out, JSON.stringify(probe));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
