/**
 * Reports what the person does (profile views, likes, adoptions, filters) to POST /clicks, in batches: every few
 * seconds, when the batch is full, and when the page is hidden or closed. Never in the way: nothing waits for it,
 * and a failure only drops the batch.
 */
import type { ClickBatch, ClickInput } from '../../shared/contract';

type WithoutTime<T> = T extends unknown ? Omit<T, 'at'> : never;
/** A click as a view reports it; the time is added when it is noted (shared/contract.ts has what the API takes). */
export type Click = WithoutTime<ClickInput>;

const MAX_BATCH = 20;
const FLUSH_EVERY_MS = 5_000;

export class ClickTracker {
  private queue: ClickInput[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly idToken: () => Promise<string | null>,
  ) {
    // keepalive lets the last batch go out as the page closes.
    addEventListener('pagehide', () => void this.flush());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void this.flush();
    });
  }

  track(click: Click): void {
    this.queue.push({ ...click, at: new Date().toISOString() } as ClickInput);
    if (this.queue.length >= MAX_BATCH) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const clicks = this.queue.splice(0, this.queue.length);
    try {
      // Signed-in people's clicks carry their ID token; the API takes the user from it, never from the body.
      const token = await this.idToken().catch(() => null);
      await fetch(`${this.apiUrl}/clicks`, {
        method: 'POST',
        keepalive: true,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
        body: JSON.stringify({ clicks } satisfies ClickBatch),
      });
    } catch {
      // Analytics must never disturb the page: a lost batch is acceptable.
    }
  }
}
