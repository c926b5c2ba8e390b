/**
 * `npm run report`: what people do on the site, from the clicks the delivery stream stored: most viewed, liked and
 * adopted mysfits, views by alignment, views per user.
 *
 *   npm run report                                  the local stack's clicks (.local/clicks-bucket/)
 *   npm run report -- --dir <folder>                another local folder laid out like the bucket
 *   npm run report -- --bucket <ClicksBucketName> [--region us-east-1]    a deployed stage's bucket
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { localDataDir } from '../dev/paths';

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

export async function readBucketClicks(bucket: string, region?: string): Promise<StoredClick[]> {
  const s3 = new S3Client({ region });
  const clicks: StoredClick[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: 'clicks/' })) {
    for (const object of page.Contents ?? []) {
      const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      clicks.push(...parseObject((await Body?.transformToString()) ?? ''));
    }
  }
  return clicks;
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

function table(title: string, rows: Count[]): string {
  if (rows.length === 0) return `${title}\n  (none)\n`;
  const width = Math.max(...rows.map((r) => r.label.length));
  return `${title}\n${rows.map((r) => `  ${r.label.padEnd(width)}  ${String(r.count).padStart(5)}`).join('\n')}\n`;
}

export function formatReport(report: Report): string {
  const u = report.viewsPerUser;
  return [
    `Mysfits clicks: ${report.clicks} clicks from ${report.users} people\n`,
    table('Most viewed', report.mostViewed),
    table('Most liked', report.mostLiked),
    table('Most adopted', report.mostAdopted),
    table('Views by good / evil', report.viewsByGoodEvil),
    table('Views by lawful / chaotic', report.viewsByLawChaos),
    `Views per person\n  ${u.views} views by ${u.users} people: ${u.average} on average, median ${u.median}, most ${u.max}\n`,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, bucket: { type: 'string' }, region: { type: 'string' } } });
  const clicks = values.bucket
    ? await readBucketClicks(values.bucket, values.region)
    : readLocalClicks(values.dir ?? join(localDataDir(), 'clicks-bucket'));
  console.log(formatReport(summarize(clicks)));
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`The report failed: ${error.name}: ${error.message}`);
    process.exit(1);
  });
}
