/** Waiting between retries: exponential backoff, optionally with full jitter and a cap. One definition for every retry. */

export interface Backoff {
  baseMs: number;
  capMs?: number;
  /** Full jitter: a random wait between 0 and the delay, so that concurrent retries spread out. */
  jitter?: boolean;
}

/** The wait before retry number `attempt` (1, 2, ...): baseMs · 2^attempt, capped, jittered if asked. */
export function backoffDelay(attempt: number, { baseMs, capMs = Number.POSITIVE_INFINITY, jitter = false }: Backoff): number {
  const delay = Math.min(capMs, baseMs * 2 ** attempt);
  return jitter ? Math.random() * delay : delay;
}

/** Waits the backoff before retry number `attempt` (on the global timer, which tests can watch). */
export function backOff(attempt: number, backoff: Backoff): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, backoff)));
}
