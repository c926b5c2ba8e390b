/** One measured report in a process of its own: `tsx bench/reportProbe.ts duckdb|in-memory <bucket> <from> <to>` prints a JSON line. */
import { openLocalClicks } from '../scripts/report/local';
import { loadQueries } from '../scripts/report/queries';
import { readLocalClicks, summarize } from './lib/inMemoryReport';

/** Views per mysfit name (top 5) and the views per person figures, to check the two agree; DuckDB's time per question (s). */
async function answers(engine: string, bucket: string, from: string, to: string) {
  if (engine === 'in-memory') {
    const { mostViewed, viewsPerUser: u } = summarize(readLocalClicks(bucket));
    const viewsPerPerson = { people: u.users, views: u.views, average: u.average, median: u.median, most: u.max };
    return { mostViewed: mostViewed.map((c) => ({ name: c.label, views: c.count })), viewsPerPerson, perQuery: {} };
  }
  const report: Record<string, Array<Record<string, unknown>>> = {};
  const perQuery: Record<string, number> = {};
  const clicks = await openLocalClicks(bucket);
  try {
    for (const query of loadQueries()) {
      const started = performance.now();
      report[query.name] = await clicks.run(query, { from, to });
      perQuery[query.name] = (performance.now() - started) / 1000;
    }
  } finally {
    clicks.close();
  }
  const mostViewed = (report.most_viewed ?? []).slice(0, 5).map((row) => ({ name: String(row.name), views: Number(row.views) }));
  const perPerson = report.views_per_person?.[0] ?? {};
  const figures = ['people', 'views', 'average', 'median', 'most'] as const;
  const viewsPerPerson = Object.fromEntries(figures.map((figure) => [figure, Number(perPerson[figure])])) as Record<
    (typeof figures)[number],
    number
  >;
  return { mostViewed, viewsPerPerson, perQuery };
}

export type ProbeResult = Awaited<ReturnType<typeof answers>> & { seconds: number; maxRssMiB: number };

async function main(): Promise<void> {
  const [engine = '', bucket = '', from = '', to = ''] = process.argv.slice(2);
  if (!['duckdb', 'in-memory'].includes(engine) || !to) throw new Error('usage: reportProbe.ts duckdb|in-memory <bucket> <from> <to>');
  const started = performance.now();
  const result = await answers(engine, bucket, from, to);
  const seconds = (performance.now() - started) / 1000;
  // maxRSS is in KiB: the most this process held in memory at once, the engine's own threads included.
  process.stdout.write(`${JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...result })}\n`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
