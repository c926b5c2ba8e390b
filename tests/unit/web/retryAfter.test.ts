/** The clicks batcher's waits: Retry-After as seconds or an HTTP date, never negative, capped at five minutes; else a backoff. */
import { MAX_TRIES, retryAfterMs, waitAfterRefusal } from '../../../web/src/retryAfter';

const NOW = Date.parse('2026-12-03T08:00:00Z');

test.each<[string | null, number | undefined]>([
  ['3', 3_000],
  [' 0 ', 0],
  ['Thu, 03 Dec 2026 08:00:10 GMT', 10_000],
  // A date already past: send now.
  ['Thu, 03 Dec 2026 07:59:00 GMT', 0],
  // A day: most likely a mistake; the batch waits five minutes at most.
  ['86400', 300_000],
  [null, undefined],
  ['', undefined],
  ['soon', undefined],
  ['-5', undefined],
])('Retry-After %j is %j ms', (header, ms) => {
  expect(retryAfterMs(header, NOW)).toBe(ms);
});

test('without Retry-After a refused batch waits longer each time, and is tried a bounded number of times', () => {
  expect([1, 2, 3].map((tries) => waitAfterRefusal(null, tries))).toEqual([4_000, 8_000, 16_000]);
  expect(waitAfterRefusal('2', 3)).toBe(2_000);
  expect(MAX_TRIES).toBe(4);
});
