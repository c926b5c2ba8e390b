/** The whole journey over HTTP against the local stack, as a user of `npm start` would go through it. */
import {
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, cognitoClient, EVANGELINE, mailbox, newUser, PASSWORD, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(120_000);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.destroy());

test('stack.json lists every URL and id', () => {
  const written = JSON.parse(readFileSync(join(stack.dataDir, 'stack.json'), 'utf8'));
  expect(written).toEqual(stack.info);
  expect(Object.keys(written).sort()).toEqual([
    'apiUrl',
    'cognitoEndpoint',
    'dynamodbEndpoint',
    'firehoseEndpoint',
    'mailboxUrl',
    'region',
    'userPoolClientId',
    'userPoolId',
    'websiteUrl',
  ]);
  for (const url of [written.apiUrl, written.websiteUrl, written.cognitoEndpoint, written.dynamodbEndpoint, written.firehoseEndpoint]) {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
  }
});

test('sign up, confirm with the mailed code, log in, like, unlike, adopt, and see it all in /me', async () => {
  // Arrange: a user made through the Cognito API, the code read from the mailbox
  const user = await newUser(stack, 'journey');

  // Act
  const like = await api(stack, `/mysfits/${EVANGELINE}/like`, { method: 'POST', token: user.idToken });
  const meAfterLike = await api(stack, '/me', { token: user.idToken });
  const unlike = await api(stack, `/mysfits/${EVANGELINE}/like`, { method: 'DELETE', token: user.idToken });
  const adopt = await api(stack, `/mysfits/${EVANGELINE}/adopt`, { method: 'POST', token: user.idToken });
  const me = await api(stack, '/me', { token: user.idToken });
  const profile = await api(stack, `/mysfits/${EVANGELINE}`);

  // Assert
  expect(like).toMatchObject({ status: 200, body: { mysfitId: EVANGELINE, likes: 1, liked: true } });
  expect(meAfterLike.body.liked).toEqual([EVANGELINE]);
  expect(unlike).toMatchObject({ status: 200, body: { likes: 0, liked: false } });
  expect(adopt).toMatchObject({ status: 200, body: { mysfitId: EVANGELINE, adopted: true, adoptedByYou: true } });
  expect(me).toMatchObject({ status: 200, body: { userId: user.sub, email: user.email, liked: [], adopted: [EVANGELINE] } });
  expect(profile.body).toMatchObject({ adopted: true, likes: 0 });
});

test('a second user cannot adopt what the first adopted', async () => {
  const first = await newUser(stack, 'first');
  const second = await newUser(stack, 'second');
  const pauly = '2b473002-36f8-4b87-954e-9a377e0ccbec';
  expect((await api(stack, `/mysfits/${pauly}/adopt`, { method: 'POST', token: first.idToken })).status).toBe(200);
  const taken = await api(stack, `/mysfits/${pauly}/adopt`, { method: 'POST', token: second.idToken });
  expect(taken.status).toBe(409);
  expect(taken.body.message).toEqual(expect.stringContaining('adopted'));
});

test('the public routes answer without a token', async () => {
  const list = await api(stack, '/mysfits');
  const filtered = await api(stack, '/mysfits?filter=LawChaos&value=Chaotic');
  const one = await api(stack, `/mysfits/${EVANGELINE}`);
  expect(list.status).toBe(200);
  expect(list.body.mysfits).toHaveLength(12);
  expect((filtered.body.mysfits as Array<{ lawchaos: string }>).every((m) => m.lawchaos === 'Chaotic')).toBe(true);
  expect(one.body.name).toBe('Evangeline');
});

test('bad input is a JSON 400 and an unknown mysfit a JSON 404', async () => {
  const badFilter = await api(stack, '/mysfits?filter=Species&value=Yeti');
  const badId = await api(stack, '/mysfits/not-a-uuid');
  const unknown = await api(stack, '/mysfits/00000000-0000-4000-8000-000000000000');
  expect([badFilter.status, badId.status, unknown.status]).toEqual([400, 400, 404]);
  for (const response of [badFilter, badId, unknown]) expect(response.body.message).toEqual(expect.any(String));
});

test.each([
  ['an unknown route', 'GET', '/nothing-here'],
  ['an unknown method on a known route', 'PUT', `/mysfits/${EVANGELINE}`],
  ['a path beyond the stage', 'GET', '/mysfits/a/b/c/d'],
])('%s answers 404 {"message":"Not found"} with CORS, as the deployed API does', async (_case, method, path) => {
  const response = await api(stack, path, { method, headers: { Origin: 'http://127.0.0.1:5555' } });
  expect(response.status).toBe(404);
  expect(response.body).toEqual({ message: 'Not found' });
  expect(response.headers.get('content-type')).toContain('application/json');
  expect(response.headers.get('access-control-allow-origin')).toBeTruthy();
});

describe('CORS', () => {
  const origin = 'http://127.0.0.1:5555';

  test('a preflight for an authorised route allows the Authorization header', async () => {
    const response = await fetch(`${stack.info.apiUrl}/mysfits/${EVANGELINE}/like`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/127\.0\.0\.1:5555)$/);
    expect(response.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });

  test.each([
    ['a 200', '/mysfits', undefined],
    ['a 400', '/mysfits/nope', undefined],
    ['a 404', '/mysfits/00000000-0000-4000-8000-000000000000', undefined],
    ['a 401', '/me', 'not-a-token'],
  ])('%s carries CORS headers', async (_name, path, token) => {
    const response = await api(stack, path, { token, headers: { Origin: origin } });
    expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|http:\/\/127\.0\.0\.1:5555)$/);
  });
});

describe('the mailbox', () => {
  test('holds sign-up, resend and forgotten-password codes, newest first, as JSON and as a page', async () => {
    const client = cognitoClient(stack);
    const ClientId = stack.info.userPoolClientId;
    const email = `mail-${Date.now()}@example.com`;
    await client.send(
      new SignUpCommand({ ClientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }),
    );
    await client.send(new ResendConfirmationCodeCommand({ ClientId, Username: email }));
    const afterResend = await mailbox(stack, email);
    expect(afterResend.map((m) => m.kind)).toEqual(['resend', 'sign-up']);
    expect(afterResend[0]?.code).toMatch(/^\d{6}$/);

    // Only the newest code confirms
    const { ConfirmSignUpCommand } = await import('@aws-sdk/client-cognito-identity-provider');
    await client.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: afterResend[0]?.code as string }));

    await client.send(new ForgotPasswordCommand({ ClientId, Username: email }));
    const [forgot] = await mailbox(stack, email);
    expect(forgot).toMatchObject({ address: email, kind: 'forgot-password', code: expect.stringMatching(/^\d{6}$/) });
    await client.send(
      new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: forgot?.code as string, Password: 'Changed2026x' }),
    );
    const login = await client.send(
      new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: 'Changed2026x' } }),
    );
    expect(login.AuthenticationResult?.IdToken).toEqual(expect.any(String));

    const page = await (await fetch(stack.info.mailboxUrl)).text();
    expect(page).toContain(email);
    expect(page).toContain(forgot?.code);
    client.destroy();
  });
});

test('the website server hands the page its config', async () => {
  const config = await (await fetch(`${stack.info.websiteUrl}/config.json`)).json();
  expect(config).toEqual({
    apiUrl: stack.info.apiUrl,
    region: stack.info.region,
    userPoolId: stack.info.userPoolId,
    userPoolClientId: stack.info.userPoolClientId,
    cognitoEndpoint: stack.info.cognitoEndpoint,
    passwordPolicy: expect.objectContaining({ MinimumLength: 8, RequireUppercase: true }),
  });
});
