/** The clicks the local stream has delivered to the local "bucket" (a data folder's clicks-bucket/clicks/). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredClick } from '../../shared/storedClick';

/** Every line of every object under the bucket's clicks/ (none before the first delivery). */
export function readStoredClicks(dataDir: string): StoredClick[] {
  const root = join(dataDir, 'clicks-bucket', 'clicks');
  let files;
  try {
    files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  } catch {
    return [];
  }
  return files.flatMap((entry) =>
    readFileSync(join(entry.parentPath, entry.name), 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as StoredClick),
  );
}

/** Waits (bounded) until the stored clicks satisfy `done`: the stand-in delivers every few seconds. */
export async function storedClicksWhen(
  dataDir: string,
  done: (clicks: StoredClick[]) => boolean,
  timeoutMs = 30_000,
): Promise<StoredClick[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const clicks = readStoredClicks(dataDir);
    if (done(clicks)) return clicks;
    if (Date.now() > deadline) throw new Error(`clicks not delivered in time; stored: ${JSON.stringify(clicks)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
