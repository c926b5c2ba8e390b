/** The report part's yardstick: the report before the SQL files (until issue 20), every object into memory, counted in JavaScript. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredClick } from '../../shared/storedClick';

/** Every click under <dir>/clicks/, newline-delimited JSON as the stream writes it; a line that is not a click is skipped. */
export function readLocalClicks(dir: string): StoredClick[] {
  const root = join(dir, 'clicks');
  const files = existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()) : [];
  return files.flatMap((entry) =>
    readFileSync(join(entry.parentPath, entry.name), 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          const click = JSON.parse(line) as StoredClick;
          return typeof click.action === 'string' && typeof click.userId === 'string' ? [click] : [];
        } catch {
          return [];
        }
      }),
  );
}

/** Counts of each label, largest first (ties by label). */
function tally(items: string[], top = Infinity): Array<{ label: string; count: number }> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, top);
}

export function summarize(clicks: StoredClick[], top = 5) {
  const of = (action: string) => clicks.filter((c) => c.action === action);
  const views = of('view');
  const name = (c: StoredClick) => c.name ?? c.mysfitId ?? 'unknown';
  const perUser = tally(views.map((c) => c.userId))
    .map((c) => c.count)
    .sort((a, b) => a - b);
  const middle = Math.floor(perUser.length / 2);
  const median = perUser.length % 2 ? (perUser[middle] ?? 0) : ((perUser[middle - 1] ?? 0) + (perUser[middle] ?? 0)) / 2;
  return {
    clicks: clicks.length,
    users: new Set(clicks.map((c) => c.userId)).size,
    mostViewed: tally(views.map(name), top),
    mostLiked: tally(of('like').map(name), top),
    mostAdopted: tally(of('adopt').map(name), top),
    viewsByGoodEvil: tally(views.map((c) => c.goodevil ?? 'unknown')),
    viewsByLawChaos: tally(views.map((c) => c.lawchaos ?? 'unknown')),
    viewsPerUser: {
      users: perUser.length,
      views: views.length,
      average: perUser.length ? Math.round((views.length / perUser.length) * 100) / 100 : 0,
      median,
      max: perUser.at(-1) ?? 0,
    },
  };
}
