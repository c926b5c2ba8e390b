/**
 * The Cognito authorizer is enforced locally: every kind of bad token gets a JSON 401 with CORS headers, the
 * handler never runs and nothing is written; a valid ID token reaches the handler with string claims.
 */
import { LOCAL_CREDENTIALS } from '../../shared/localCredentials';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ROUTES } from '../../dev/functions';
import { resolvedService, stageParams } from '../../dev/service';
import {
  api,
  b64,
  cognitoLocalPrivateKey,
  decode,
  EVANGELINE,
  newUser,
  otherPrivateKey,
  signToken,
  startTestStack,
  type TestStack,
  type User,
} from '../support/localStack';

jest.setTimeout(120_000);

let stack: TestStack;
let user: User;
beforeAll(async () => {
  stack = await startTestStack();
  user = await newUser(stack, 'authz');
});
afterAll(() => stack?.destroy());

const now = () => Math.floor(Date.now() / 1000);

/** Claims of a good ID token of this stack's pool, to alter one at a time. */
function goodClaims(): Record<string, unknown> {
  return { ...decode(user.idToken), exp: now() + 3600, iat: now() };
}

const attacks: Array<{ description: string; token: () => string | undefined }> = [
  { description: 'no token', token: () => undefined },
  { description: 'an empty header', token: () => '' },
  { description: 'a malformed token', token: () => 'not.a.jwt' },
  { description: 'garbage in three parts', token: () => 'aGVsbG8.d29ybGQ.IQ' },
  { description: 'an unsigned token (alg none)', token: () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(goodClaims())}.` },
  {
    description: 'an HMAC token (alg HS256)',
    token: () => `${b64({ alg: 'HS256', typ: 'JWT', kid: 'CognitoLocal' })}.${b64(goodClaims())}.c2lnbmF0dXJl`,
  },
  {
    description: 'a tampered token (another sub, original signature)',
    token: () => {
      const [head, , signature] = user.idToken.split('.');
      return `${head}.${b64({ ...decode(user.idToken), sub: 'someone-else' })}.${signature}`;
    },
  },
  { description: 'a token signed by another key', token: () => signToken(goodClaims(), otherPrivateKey()) },
  {
    description: 'an expired token',
    token: () => signToken({ ...goodClaims(), iat: now() - 7200, exp: now() - 60 }, cognitoLocalPrivateKey()),
  },
  {
    description: 'a token of another issuer',
    token: () => signToken({ ...goodClaims(), iss: 'http://127.0.0.1:1/local_other' }, cognitoLocalPrivateKey()),
  },
  {
    description: 'a token for another app client',
    token: () => signToken({ ...goodClaims(), aud: 'another-client' }, cognitoLocalPrivateKey()),
  },
  { description: 'an access token where an ID token is due', token: () => user.accessToken },
  { description: 'a refresh token', token: () => user.refreshToken },
];

// Every route serverless.yml gives the Cognito authorizer, on a real mysfit.
const protectedRoutes = ROUTES.filter((r) => r.authorized).map((r) => ({
  method: r.method,
  path: r.path.replace('{mysfitId}', EVANGELINE),
  route: r.route,
}));

test('the routes that need a signed-in user are the ones the attacks are tried on', () => {
  expect(protectedRoutes.map((r) => r.route).sort()).toEqual([
    'DELETE /mysfits/{mysfitId}/like',
    'GET /me',
    'POST /mysfits/{mysfitId}/adopt',
    'POST /mysfits/{mysfitId}/like',
  ]);
});

/** How many requests a handler has served: each logs one line naming its route and status (local/readableLogs.ts). */
const handled = (route: string) => stack.output().split(` ${route} -> `).length - 1;

/** The count once earlier requests' log lines have all arrived (the count holds still for 300 ms). */
async function settledCount(route: string): Promise<number> {
  let count = handled(route);
  for (let stable = 0; stable < 3;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = handled(route);
    stable = now === count ? stable + 1 : 0;
    count = now;
  }
  return count;
}

async function tables(): Promise<unknown> {
  const client = new DynamoDBClient({ endpoint: stack.info.dynamodbEndpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  const params = stageParams(await resolvedService('local'), 'local');
  const [mysfits, activity] = await Promise.all(
    [String(params.mysfitsTableName), String(params.activityTableName)].map((TableName) =>
      client.send(new ScanCommand({ TableName, ConsistentRead: true })),
    ),
  );
  client.destroy();
  return { mysfits: mysfits?.Items, activity: activity?.Items };
}

describe.each(protectedRoutes)('$method $path', ({ method, path, route }) => {
  test.each(attacks)('$description: 401 JSON with CORS, handler not run, nothing written', async ({ token }) => {
    // Arrange
    const before = await tables();
    const served = await settledCount(route);
    // Act
    const response = await api(stack, path, { method, token: token(), headers: { Origin: 'http://127.0.0.1:5555' } });
    // Assert
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message: 'Unauthorized' });
    expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
    expect(await settledCount(route)).toBe(served);
    expect(await tables()).toEqual(before);
  });
});

test("a client cannot set its own claims with serverless-offline's override header", async () => {
  const forged = JSON.stringify({ claims: { sub: 'mallory', email: 'mallory@example.com' } });
  const without = await api(stack, '/me', { headers: { 'sls-offline-authorizer-override': forged } });
  const withToken = await api(stack, '/me', { token: user.idToken, headers: { 'sls-offline-authorizer-override': forged } });
  expect(without.status).toBe(401);
  expect(withToken.body.userId).toBe(user.sub);
});

test('a valid ID token reaches the handler (which the attack cases count on), with "Bearer " tolerated', async () => {
  const served = await settledCount('GET /me');
  const plain = await api(stack, '/me', { token: user.idToken });
  const bearer = await api(stack, '/me', { token: `Bearer ${user.idToken}` });
  expect(plain).toMatchObject({ status: 200, body: { userId: user.sub, email: user.email } });
  expect(bearer.status).toBe(200);
  // The handler's own log line proves it ran: the count the attack cases compare is a live one.
  expect(await settledCount('GET /me')).toBe(served + 2);
});
