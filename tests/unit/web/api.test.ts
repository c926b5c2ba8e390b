/** The website's API client: the token it sends, one refresh-and-retry on a 401, then "log in again". */
import { Api, ApiError, LoginRequired } from '../../../web/src/api';
import { TOO_MANY_REQUESTS } from '../../../web/src/messages';

const BASE = 'http://127.0.0.1:3000/local';
const ID = '4e53920c-505a-4a90-a694-b9300791f0ae';

interface Call {
  url: string;
  method: string;
  authorization?: string;
}

/** A fetch that answers from a list of statuses and records what it was asked. */
function fakeFetch(answers: Array<{ status: number; body?: unknown } | Error>) {
  const calls: Call[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    calls.push({ url, method: String(init.method), authorization: (init.headers as Record<string, string>).Authorization });
    const answer = answers.shift();
    if (!answer) throw new Error('no more answers');
    if (answer instanceof Error) throw answer;
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  }) as unknown as typeof fetch;
  return { fetcher, calls };
}

function fakeAuth(tokens: { current: string | null; refreshed: string | null }) {
  return {
    idToken: jest.fn(async () => tokens.current),
    refreshedIdToken: jest.fn(async () => tokens.refreshed),
    logOut: jest.fn(),
  };
}

test('public calls send no token', async () => {
  // Arrange
  const { fetcher, calls } = fakeFetch([{ status: 200, body: { mysfits: [] } }]);
  const auth = fakeAuth({ current: 'id-token', refreshed: null });
  // Act
  await new Api(BASE, auth, fetcher).listMysfits({ filter: 'GoodEvil', value: 'Evil' });
  // Assert
  expect(calls).toEqual([{ url: `${BASE}/mysfits?filter=GoodEvil&value=Evil&limit=100`, method: 'GET', authorization: undefined }]);
  expect(auth.idToken).not.toHaveBeenCalled();
});

test('a signed-in call sends the ID token', async () => {
  const { fetcher, calls } = fakeFetch([{ status: 200, body: { mysfitId: ID, likes: 1, liked: true } }]);
  const state = await new Api(BASE, fakeAuth({ current: 'id-token', refreshed: null }), fetcher).like(ID);
  expect(state).toEqual({ mysfitId: ID, likes: 1, liked: true });
  expect(calls).toEqual([{ url: `${BASE}/mysfits/${ID}/like`, method: 'POST', authorization: 'id-token' }]);
});

test('a 401 refreshes the session and retries the call once, with the new token', async () => {
  const { fetcher, calls } = fakeFetch([
    { status: 401, body: { message: 'Unauthorized' } },
    { status: 200, body: { mysfitId: ID, adopted: true, adoptedByYou: true } },
  ]);
  const auth = fakeAuth({ current: 'expired', refreshed: 'fresh' });
  const result = await new Api(BASE, auth, fetcher).adopt(ID);
  expect(result.adoptedByYou).toBe(true);
  expect(calls.map((c) => c.authorization)).toEqual(['expired', 'fresh']);
  expect(auth.logOut).not.toHaveBeenCalled();
});

test.each([
  ['the refresh fails', null, [{ status: 401 }], 1],
  ['the retry is refused too', 'fresh', [{ status: 401 }, { status: 401 }], 2],
])('a 401 when %s logs the person out and asks them to log in', async (_case, refreshed, answers, expectedCalls) => {
  const { fetcher, calls } = fakeFetch(answers);
  const auth = fakeAuth({ current: 'expired', refreshed });
  await expect(new Api(BASE, auth, fetcher).me()).rejects.toBeInstanceOf(LoginRequired);
  expect(calls).toHaveLength(expectedCalls);
  expect(auth.logOut).toHaveBeenCalledTimes(1);
});

test('a signed-in call without a session asks to log in, sending nothing', async () => {
  const { fetcher, calls } = fakeFetch([]);
  await expect(new Api(BASE, fakeAuth({ current: null, refreshed: null }), fetcher).unlike(ID)).rejects.toBeInstanceOf(LoginRequired);
  expect(calls).toEqual([]);
});

test.each([
  [409, { message: 'Mysfit has already been adopted by someone else' }, 'Mysfit has already been adopted by someone else'],
  [503, { message: 'The service is busy' }, 'The service is busy'],
  [502, 'not json', 'The service answered 502.'],
])('an error answer (%s) becomes an ApiError with the message a person can read', async (status, body, message) => {
  const { fetcher } = fakeFetch([{ status, body }]);
  const failure = new Api(BASE, fakeAuth({ current: 'id-token', refreshed: null }), fetcher).adopt(ID);
  await expect(failure).rejects.toEqual(new ApiError(status, message));
});

test('an unreachable API is an ApiError that says so', async () => {
  const { fetcher } = fakeFetch([new TypeError('fetch failed')]);
  await expect(new Api(BASE, fakeAuth({ current: null, refreshed: null }), fetcher).getMysfit(ID)).rejects.toMatchObject({
    status: 0,
    message: expect.stringContaining('Cannot reach'),
  });
});

test('a request cancelled by the page (the person moved on) is passed its signal and rejects as aborted, not as a network failure', async () => {
  const controller = new AbortController();
  const seen: Array<AbortSignal | null | undefined> = [];
  // A fetch that never answers by itself, like a slow network, and rejects the way fetch does when aborted.
  const fetcher = ((_url: string, init: RequestInit) => {
    seen.push(init.signal);
    return new Promise((_resolve, reject) =>
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))),
    );
  }) as unknown as typeof fetch;
  const pending = new Api(BASE, fakeAuth({ current: null, refreshed: null }), fetcher).getMysfit(ID, controller.signal);
  controller.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  expect(seen).toEqual([controller.signal]);
});

test('an answer whose body arrives after the page cancelled the call is not returned', async () => {
  const controller = new AbortController();
  const fetcher = (async () => {
    controller.abort();
    return new Response(JSON.stringify({ mysfits: [] }), { status: 200 });
  }) as unknown as typeof fetch;
  await expect(
    new Api(BASE, fakeAuth({ current: null, refreshed: null }), fetcher).listMysfits(undefined, controller.signal),
  ).rejects.toMatchObject({ name: 'AbortError' });
});

test('the list is read a page at a time, following nextCursor to the last page, and shown by name', async () => {
  const mysfit = (name: string) => ({ mysfitId: `id-${name}`, name });
  const { fetcher, calls } = fakeFetch([
    { status: 200, body: { mysfits: [mysfit('Nessi'), mysfit('Gary')], nextCursor: 'c/1+=' } },
    { status: 200, body: { mysfits: [mysfit('Atlantis')] } },
  ]);
  const mysfits = await new Api(BASE, fakeAuth({ current: null, refreshed: null }), fetcher).listMysfits();
  expect(mysfits.map((m) => m.name)).toEqual(['Atlantis', 'Gary', 'Nessi']);
  expect(calls.map((c) => c.url)).toEqual([`${BASE}/mysfits?limit=100`, `${BASE}/mysfits?limit=100&cursor=c%2F1%2B%3D`]);
});

test.each([
  { from: "API Gateway's throttle", body: { message: 'Too Many Requests' } },
  { from: "the web firewall's limit per address", body: { message: 'Too many requests: try again in a moment.' } },
  { from: 'a body that is not the API’s', body: 'slow down' },
])('a 429 ($from) is one short message the page shows, and is not retried', async ({ body }) => {
  const { fetcher, calls } = fakeFetch([{ status: 429, body }]);
  const call = new Api(BASE, fakeAuth({ current: null, refreshed: null }), fetcher).getMysfit(ID);
  await expect(call).rejects.toEqual(new ApiError(429, TOO_MANY_REQUESTS));
  await expect(call).rejects.toMatchObject({ status: 429 });
  expect(calls).toHaveLength(1);
});
