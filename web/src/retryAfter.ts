/** How long the clicks batcher waits before sending a refused batch again, and how often it tries (no DOM here). */
import { backoffDelay } from '../../shared/backoff';

/** How many times one batch is sent at most: the first time and three more after a refusal for load. */
export const MAX_TRIES = 4;
/** Without Retry-After: 4 s, 8 s, 16 s after the first, second and third refusal. */
const BACKOFF = { baseMs: 2_000, capMs: 60_000 };
/** The longest wait a Retry-After is taken at (a longer one is most likely a mistake; the batch waits this long). */
const MAX_WAIT_MS = 5 * 60_000;

/** Retry-After (seconds, or an HTTP date) as milliseconds from `now`, capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  // An HTTP date names its month (Thu, 03 Dec 2026 08:00:10 GMT); anything else but whole seconds is not one.
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : /[a-z]/i.test(trimmed) ? Date.parse(trimmed) - now : NaN;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(ms, 0), MAX_WAIT_MS);
}

/** The wait before try number `tries + 1` of a batch refused `tries` times: what the service asked for, or the backoff. */
export function waitAfterRefusal(retryAfter: string | null, tries: number): number {
  return retryAfterMs(retryAfter) ?? backoffDelay(tries, BACKOFF);
}
