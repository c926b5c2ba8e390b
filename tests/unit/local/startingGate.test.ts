/**
 * local/startingGate.ts through the authorizer serverless offline runs first for every route (cognitoAuthorizer.ts):
 * while the local services start beside serverless offline, a request waits for them; once they are up it goes on;
 * if they fail, it is answered 503 JSON with CORS (the terminal has the reason), and no handler runs.
 */
import { holdRequestsUntil, untilStarted } from '../../../local/startingGate';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- serverless-offline require()s it the same way
const cognitoAuthorizer = require('../../../local/cognitoAuthorizer') as (
  endpoint: { authorizer?: unknown; cors?: { origin?: string } },
  functionKey: string,
  method: string,
  path: string,
) => { getAuthenticateFunction(): { authenticate(request: unknown, h: unknown): Promise<unknown> } };

interface Answer {
  status?: number;
  body?: unknown;
  headers: Record<string, string>;
  authenticated?: unknown;
}

/** hapi's toolkit as the authorizer uses it, recording what it answered. */
function toolkit(answer: Answer) {
  const response = {
    code: (status: number) => ((answer.status = status), response),
    type: (type: string) => ((answer.headers['content-type'] = type), response),
    header: (name: string, value: string) => ((answer.headers[name.toLowerCase()] = value), response),
    takeover: () => answer,
  };
  return {
    response: (body: unknown) => ((answer.body = body), response),
    authenticated: (result: unknown) => ((answer.authenticated = result), answer),
  };
}

const request = () => ({ raw: { req: { rawHeaders: [] as string[] } }, headers: {} });

/** The public list route's authorizer (CORS for the local site), asked about one request. */
function ask(): { settled: () => boolean; answer: Promise<Answer> } {
  const answer: Answer = { headers: {} };
  const authorizer = cognitoAuthorizer({ cors: { origin: 'http://127.0.0.1:3000' } }, 'listMysfits', 'GET', '/mysfits');
  let done = false;
  const result = authorizer
    .getAuthenticateFunction()
    .authenticate(request(), toolkit(answer))
    .then(() => ((done = true), answer));
  return { settled: () => done, answer: result };
}

const turns = () => new Promise((resolve) => setTimeout(resolve, 20));

afterEach(() => holdRequestsUntil(Promise.resolve()));

test('nothing held: the gate is open and a request goes on at once', async () => {
  await expect(untilStarted()).resolves.toBeUndefined();
  const { answer } = ask();
  expect((await answer).authenticated).toEqual({ credentials: {} });
});

test('held: a request waits while the services start, and goes on once they are up', async () => {
  // Arrange
  let up!: () => void;
  holdRequestsUntil(new Promise<void>((resolve) => (up = resolve)));
  // Act
  const asked = ask();
  await turns();
  const waitedWhileStarting = !asked.settled();
  up();
  // Assert
  expect(waitedWhileStarting).toBe(true);
  expect((await asked.answer).authenticated).toEqual({ credentials: {} });
});

test('the services failed: 503 JSON with CORS, not the handler', async () => {
  // Arrange
  let fail!: (error: Error) => void;
  holdRequestsUntil(new Promise<void>((_, reject) => (fail = reject)));
  const asked = ask();
  // Act
  fail(new Error('DynamoDB Local cannot use its data'));
  const answer = await asked.answer;
  // Assert
  expect(answer.authenticated).toBeUndefined();
  expect(answer).toEqual({
    status: 503,
    body: { message: 'The local system did not start: see the terminal.' },
    headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'http://127.0.0.1:3000' },
  });
});
