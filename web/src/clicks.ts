/**
 * Reports what the person does (profile views, likes, adoptions, filters) to POST /clicks, in batches: every few
 * seconds, when the batch is full, and when the page is hidden or closed. Never in the way: nothing waits for it.
 * A batch the service refuses for load (429, or 503) is kept and sent again after the wait its Retry-After asks for
 * (or a doubling backoff), at most MAX_TRIES times in all, then dropped; any other failure drops it.
 */
import type { ClickBatch, ClickInput } from '../../shared/contract';
import { MAX_TRIES, waitAfterRefusal } from './retryAfter';

type WithoutTime<T> = T extends unknown ? Omit<T, 'at'> : never;
/** A click as a view reports it; the time is added when it is noted (shared/contract.ts has what the API takes). */
export type Click = WithoutTime<ClickInput>;

const MAX_BATCH = 20;
const FLUSH_EVERY_MS = 5_000;
/** Clicks kept while the service refuses: past this, the oldest are dropped (a tab never piles them up). */
const MAX_QUEUED = MAX_BATCH * 5;

export class ClickTracker {
  private queue: ClickInput[] = [];
  /** The refused batch waiting for its next try, and how many tries it has had. */
  private retrying: { clicks: ClickInput[]; tries: number } | undefined;
  /** No batch goes out before this time (ms), unless the page is being left. */
  private notBefore = 0;
  private sending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly idToken: () => Promise<string | null>,
  ) {
    // keepalive lets the last batch go out as the page closes; leaving is the last chance, so it waits for no backoff.
    addEventListener('pagehide', () => void this.flush(true));
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void this.flush(true);
    });
  }

  track(click: Click): void {
    this.queue.push({ ...click, at: new Date().toISOString() } as ClickInput);
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
    if (this.queue.length >= MAX_BATCH && Date.now() >= this.notBefore) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), Math.max(FLUSH_EVERY_MS, this.notBefore - Date.now()));
  }

  async flush(leaving = false): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!leaving && (this.sending || Date.now() < this.notBefore)) return this.later();
    const batch = this.retrying ?? { clicks: [], tries: 0 };
    this.retrying = undefined;
    // A batch sent again goes as it was; leaving, it takes what is queued along (within the API's 50 a batch).
    if (batch.clicks.length === 0 || leaving)
      batch.clicks.push(...this.queue.splice(0, (leaving ? 2 : 1) * MAX_BATCH - batch.clicks.length));
    if (batch.clicks.length === 0) return;
    batch.tries += 1;
    this.sending = true;
    try {
      // Signed-in people's clicks carry their ID token; the API takes the user from it, never from the body.
      const token = await this.idToken().catch(() => null);
      const response = await fetch(`${this.apiUrl}/clicks`, {
        method: 'POST',
        keepalive: true,
        headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
        body: JSON.stringify({ clicks: batch.clicks } satisfies ClickBatch),
      });
      if ((response.status === 429 || response.status === 503) && batch.tries < MAX_TRIES) {
        // Refused for load: keep the batch, and send nothing before the wait the service asked for.
        this.retrying = batch;
        this.notBefore = Date.now() + waitAfterRefusal(response.headers.get('Retry-After'), batch.tries);
      }
    } catch {
      // Analytics must never disturb the page: a batch that could not be sent at all is dropped.
    } finally {
      this.sending = false;
    }
    this.later();
  }

  /** Sends what is left when it may: at the end of a wait, or with the next regular flush. */
  private later(): void {
    if (this.timer || (!this.retrying && this.queue.length === 0)) return;
    const wait = Math.max(this.notBefore - Date.now(), this.retrying ? 0 : FLUSH_EVERY_MS);
    this.timer = setTimeout(() => void this.flush(), wait);
  }
}
