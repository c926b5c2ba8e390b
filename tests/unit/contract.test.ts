/**
 * Responses typed by the contract: each route's answer is the body shared/contract.ts gives it (the one the website
 * reads), sent with the route's success status. Each `@ts-expect-error` line is a body the website could not read:
 * the day one compiles, `npm run typecheck` fails here ("Unused '@ts-expect-error' directive").
 */
import { routeHandler } from '../../shared/http';
import { eventFor, invoke } from '../../dev/sampleEvents';
import { MYSFIT_ID } from '../support/fixtures';

// Never called: what it holds is checked by tsc over tests/, not at run time.
export function driftsThatDoNotCompile(): void {
  // @ts-expect-error GET /me without the email the page shows
  routeHandler('GET /me', async () => ({ userId: 'u', liked: [], adopted: [] }));
  // @ts-expect-error a like whose `liked` is not a boolean
  routeHandler('POST /mysfits/{mysfitId}/like', async () => ({ mysfitId: MYSFIT_ID, likes: 1, liked: 'yes' }));
  // @ts-expect-error an unlike with a renamed field (likeCount for likes)
  routeHandler('DELETE /mysfits/{mysfitId}/like', async () => ({ mysfitId: MYSFIT_ID, likeCount: 0, liked: false }));
  // @ts-expect-error the list as a bare array instead of a page { mysfits, nextCursor? }
  routeHandler('GET /mysfits', async () => []);
  // @ts-expect-error an adoption that says it did not happen
  routeHandler('POST /mysfits/{mysfitId}/adopt', async () => ({ mysfitId: MYSFIT_ID, adopted: false, adoptedByYou: true }));
  // @ts-expect-error POST /clicks answering `count` instead of `accepted`
  routeHandler('POST /clicks', async () => ({ count: 1 }));
  // @ts-expect-error a route the contract does not have
  routeHandler('GET /mysfit', async () => ({}));
}

describe("a route's answer is sent as JSON with its success status", () => {
  test.each([
    { route: 'POST /clicks', fn: 'recordClicks', body: { accepted: 2 }, statusCode: 202 },
    { route: 'POST /mysfits/{mysfitId}/like', fn: 'likeMysfit', body: { mysfitId: MYSFIT_ID, likes: 3, liked: true }, statusCode: 200 },
  ] as const)('$route: $statusCode', async ({ route, fn, body, statusCode }) => {
    // Arrange
    const handler = routeHandler(route, async () => body);
    // Act
    const res = await invoke(handler, eventFor(fn));
    // Assert
    expect(res.statusCode).toBe(statusCode);
    expect(res.json).toEqual(body);
    expect(res.headers).toMatchObject({ 'Content-Type': 'application/json' });
  });
});
