/**
 * The yardstick of the bench's report part: the report as it was before the SQL files (scripts/report.ts until
 * issue 20), kept here only to be measured against. It reads every object under clicks/ into memory, whatever the
 * days, and counts in JavaScript: most viewed, liked and adopted mysfits, views by alignment, views per person.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredClick {
  userId: string;
  signedIn: boolean;
  action: string;
  mysfitId?: string;
  name?: string;
  goodevil?: string;
  lawchaos?: string;
}

/** Newline-delimited JSON, as the stream writes it; a line that is not a click is skipped. */
export function parseObject(text: string): StoredClick[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim()) return [];
    try {
      const click = JSON.parse(line) as StoredClick;
      return typeof click.action === 'string' && typeof click.userId === 'string' ? [click] : [];
    } catch {
      return [];
    }
  });
}

/** Every click under <dir>/clicks/ (errors/ holds what the transformation refused). */
export function readLocalClicks(dir: string): StoredClick[] {
  const root = join(dir, 'clicks');
  try {
    statSync(root);
  } catch {
    return [];
  }
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return files.flatMap((entry) => parseObject(readFileSync(join(entry.parentPath, entry.name), 'utf8')));
}

export interface Count {
  label: string;
  count: number;
}

export interface Report {
  clicks: number;
  users: number;
  mostViewed: Count[];
  mostLiked: Count[];
  mostAdopted: Count[];
  viewsByGoodEvil: Count[];
  viewsByLawChaos: Count[];
  viewsPerUser: { users: number; views: number; average: number; median: number; max: number };
}

function tally(items: string[], top = Infinity): Count[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, top);
}

export function summarize(clicks: StoredClick[], top = 5): Report {
  const of = (action: string) => clicks.filter((c) => c.action === action);
  const views = of('view');
  const name = (c: StoredClick) => c.name ?? c.mysfitId ?? 'unknown';
  const perUser = tally(views.map((c) => c.userId))
    .map((c) => c.count)
    .sort((a, b) => a - b);
  const middle = Math.floor(perUser.length / 2);
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
      median:
        perUser.length === 0
          ? 0
          : perUser.length % 2
            ? (perUser[middle] as number)
            : ((perUser[middle - 1] as number) + (perUser[middle] as number)) / 2,
      max: perUser.at(-1) ?? 0,
    },
  };
}
