/**
 * The end-to-end checks of a stage as it runs (`npm run test:deployed -- --stage <stage>`, which finds the stage and
 * passes its addresses in DEPLOYED_STAGE): the public API, the authorizer, CORS, a sign-in with SRP as the website
 * does it, like and unlike, adoption, `GET /me`, the clickstream, and the website with its security headers.
 *
 * It leaves no trace but one click batch. A test user is made with the admin API (never the email path, so no mail
 * is sent) and deleted afterwards; likes and the adoption are tried on a mysfit the checks write into the table
 * themselves and delete afterwards, with the user's activity records; a real mysfit is only read (and viewed once,
 * in the click batch). The clean-up is in afterAll, so it runs when a check fails too.
 */
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomBytes, randomUUID } from 'node:crypto';
import { STAGE_ENV, type DeployedStage } from '../../dev/deployedStage';
import { api, decode, signInWithSrp, type ApiResponse } from '../../dev/localSystemClient';
import { SEED_MYSFITS } from '../../dev/seed';
import { pictureUrl } from '../../web/assets.cjs';
import { LOCAL_CREDENTIALS } from '../../shared/localCredentials';
import { b64, otherPrivateKey, signToken } from '../support/localStack';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the policy is one CommonJS definition for CloudFront and the local server
const contentSecurityPolicy = require('../../web/contentSecurityPolicy.cjs') as { forOrigins(o: { api: string; cognito: string }): string };

if (!process.env[STAGE_ENV])
  throw new Error('Run these checks with npm run test:deployed -- --stage <stage>: it finds the stage for them.');
const stage = JSON.parse(process.env[STAGE_ENV]) as DeployedStage;
/** The local system differs from AWS in two documented ways: any origin may call its API, and its site has no TLS. */
const local = stage.stage === 'local';
const system = { info: stage };

jest.setTimeout(60_000);

// The deployer's own credentials (the usual chain) in AWS; the local services take any.
const awsConfig = (endpoint: string | undefined) =>
  local ? { region: stage.region, endpoint, credentials: LOCAL_CREDENTIALS } : { region: stage.region };
const cognito = new CognitoIdentityProviderClient(awsConfig(stage.cognitoEndpoint));
const dynamodb = new DynamoDBClient(awsConfig(stage.dynamodbEndpoint));
const documents = DynamoDBDocumentClient.from(dynamodb);

const EVANGELINE = SEED_MYSFITS.find((m) => m.name === 'Evangeline') as (typeof SEED_MYSFITS)[number];
const SEEDED_IDS = SEED_MYSFITS.map((m) => m.mysfitId);
const siteOrigin = new URL(stage.websiteUrl).origin;

/** The checks' own mysfit: liked, unliked and adopted, then deleted. */
const FIXTURE = {
  MysfitId: randomUUID(),
  Name: 'Testy (npm run test:deployed)',
  Species: 'Test',
  Age: 1,
  Description: 'Written by the post-deploy checks and deleted by them a minute later.',
  GoodEvil: 'Neutral',
  LawChaos: 'Neutral',
  // Evangeline's picture on this stage's own site, as the seed writes it.
  ThumbImageUri: pictureUrl(stage.websiteUrl, EVANGELINE.picture),
  ProfileImageUri: pictureUrl(stage.websiteUrl, EVANGELINE.picture),
  Likes: 0,
  Adopted: false,
};
const email = `test-deployed-${randomUUID()}@example.com`;
// The pool's policy: eight or more, upper and lower case, a digit.
const password = `Td9${randomBytes(12).toString('hex')}`;
let created = false;
let fixtureWritten = false;
let sub: string | undefined;
let idToken = '';

type Mysfit = { mysfitId: string; name: string; goodevil: string; likes: number };
const mysfitsOf = (response: ApiResponse) => response.body.mysfits as Mysfit[];

beforeAll(async () => {
  await documents.send(
    new PutCommand({ TableName: stage.mysfitsTableName, Item: FIXTURE, ConditionExpression: 'attribute_not_exists(MysfitId)' }),
  );
  fixtureWritten = true;
  const { User } = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: stage.userPoolId,
      Username: email,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  created = true;
  sub = User?.Attributes?.find((a) => a.Name === 'sub')?.Value;
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId: stage.userPoolId, Username: email, Password: password, Permanent: true }),
  );
  const { session } = await signInWithSrp(system, email, password);
  idToken = session.getIdToken().getJwtToken();
  sub ??= decode(idToken).sub as string;
});

afterAll(async () => {
  // Each step is tried even when one before it failed; what failed is reported together at the end.
  const failures: string[] = [];
  const attempt = async (what: string, step: () => Promise<unknown>) => {
    try {
      await step();
    } catch (error) {
      failures.push(`${what}: ${(error as Error).name}: ${(error as Error).message}`);
    }
  };
  if (sub) {
    const user = sub;
    await attempt("delete the test user's likes and adoption", async () => {
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: stage.activityTableName,
          KeyConditionExpression: 'UserId = :user',
          ExpressionAttributeValues: { ':user': user },
          ConsistentRead: true,
        }),
      );
      await Promise.all(
        Items.map((item) =>
          documents.send(new DeleteCommand({ TableName: stage.activityTableName, Key: { UserId: user, Activity: item.Activity } })),
        ),
      );
    });
  }
  if (created)
    await attempt('delete the test user', () =>
      cognito.send(new AdminDeleteUserCommand({ UserPoolId: stage.userPoolId, Username: email })),
    );
  if (fixtureWritten)
    await attempt("delete the checks' mysfit", () =>
      documents.send(new DeleteCommand({ TableName: stage.mysfitsTableName, Key: { MysfitId: FIXTURE.MysfitId } })),
    );
  cognito.destroy();
  dynamodb.destroy();
  if (failures.length > 0) throw new Error(`The clean-up left something behind: ${failures.join('; ')}`);
});

describe('the public API', () => {
  test('the list holds the seeded mysfits, sorted by name', async () => {
    const response = await api(system, '/mysfits');
    expect(response.status).toBe(200);
    const names = mysfitsOf(response).map((m) => m.name);
    expect(mysfitsOf(response).map((m) => m.mysfitId)).toEqual(expect.arrayContaining(SEEDED_IDS));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  test('a filter answers only the mysfits of its alignment', async () => {
    const response = await api(system, '/mysfits?filter=GoodEvil&value=Evil');
    expect(response.status).toBe(200);
    const evil = SEED_MYSFITS.filter((m) => m.goodevil === 'Evil').map((m) => m.mysfitId);
    expect(mysfitsOf(response).map((m) => m.mysfitId)).toEqual(expect.arrayContaining(evil));
    expect(mysfitsOf(response).every((m) => m.goodevil === 'Evil')).toBe(true);
  });

  test('pages of 5, each cursor leading to the next, hold every seeded mysfit once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await api(system, `/mysfits?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status).toBe(200);
      expect(mysfitsOf(response).length).toBeLessThanOrEqual(5);
      seen.push(...mysfitsOf(response).map((m) => m.mysfitId));
      cursor = response.body.nextCursor as string | undefined;
      pages += 1;
    } while (cursor && pages < 100);
    expect(pages).toBeGreaterThan(1);
    expect(cursor).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(SEEDED_IDS));
  });

  test('a profile', async () => {
    const response = await api(system, `/mysfits/${EVANGELINE.mysfitId}`);
    expect(response).toMatchObject({
      status: 200,
      body: { mysfitId: EVANGELINE.mysfitId, name: 'Evangeline', species: EVANGELINE.species },
    });
  });

  test('an unknown id is a JSON 404, a malformed one a JSON 400', async () => {
    const unknown = await api(system, '/mysfits/00000000-0000-4000-8000-000000000000');
    const malformed = await api(system, '/mysfits/not-a-uuid');
    expect([unknown.status, malformed.status]).toEqual([404, 400]);
    expect([unknown.body.message, malformed.body.message]).toEqual([expect.any(String), expect.any(String)]);
  });
});

describe('the authorizer', () => {
  /** The test user's claims under another key, as an attacker would sign them; and its token with another sub. */
  const forged = () =>
    signToken(decode(idToken), otherPrivateKey(), {
      kid: JSON.parse(Buffer.from(idToken.split('.')[0] as string, 'base64url').toString()).kid,
    });
  const tampered = () => {
    const [head, , signature] = idToken.split('.');
    return `${head}.${b64({ ...decode(idToken), sub: randomUUID() })}.${signature}`;
  };

  test.each([
    ['no token', () => undefined],
    ['a forged token (signed by another key)', forged],
    ['a tampered token (another sub)', tampered],
  ])('%s: 401 on GET /me and on a like, nothing liked', async (_case, token) => {
    const me = await api(system, '/me', { token: token() });
    const like = await api(system, `/mysfits/${FIXTURE.MysfitId}/like`, { method: 'POST', token: token() });
    expect([me.status, like.status]).toEqual([401, 401]);
    expect(me.body).toEqual({ message: 'Unauthorized' });
    expect((await api(system, '/me', { token: idToken })).body.liked).toEqual([]);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${stage.apiUrl}/mysfits/${FIXTURE.MysfitId}/like`, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
    });

  const headersOf = (response: { headers: Headers }) => [response.headers.get('access-control-allow-origin')];

  test("the site's origin may call the API with a token; another origin may not (locally any may: the local stage's corsOrigin is *)", async () => {
    const allowedTo = async (origin: string) => [
      ...headersOf(await preflight(origin)),
      ...headersOf(await api(system, '/mysfits', { headers: { Origin: origin } })),
    ];
    const own = await preflight(siteOrigin);
    expect(own.status).toBeLessThan(300);
    expect(own.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    // serverless offline answers any origin with that origin; API Gateway and the functions name the site's, whoever asks.
    expect(await allowedTo(siteOrigin)).toEqual([siteOrigin, siteOrigin]);
    const other = 'https://attacker.example';
    expect(await allowedTo(other)).toEqual(local ? [other, other] : [siteOrigin, siteOrigin]);
  });
});

describe('a signed-in user', () => {
  test("the SRP sign-in gave an ID token of this stage's pool and client", () => {
    expect(decode(idToken)).toMatchObject({ sub, email, token_use: 'id', aud: stage.userPoolClientId });
    expect(String(decode(idToken).iss)).toMatch(new RegExp(`/${stage.userPoolId}$`));
  });

  test('like, like again, unlike: one like at a time, and /me follows', async () => {
    const path = `/mysfits/${FIXTURE.MysfitId}/like`;
    const like = await api(system, path, { method: 'POST', token: idToken });
    const again = await api(system, path, { method: 'POST', token: idToken });
    const meLiking = await api(system, '/me', { token: idToken });
    const unlike = await api(system, path, { method: 'DELETE', token: idToken });
    const me = await api(system, '/me', { token: idToken });
    expect(like).toMatchObject({ status: 200, body: { mysfitId: FIXTURE.MysfitId, likes: 1, liked: true } });
    expect(again).toMatchObject({ status: 200, body: { likes: 1, liked: true } });
    expect(meLiking.body.liked).toEqual([FIXTURE.MysfitId]);
    expect(unlike).toMatchObject({ status: 200, body: { likes: 0, liked: false } });
    expect(me.body.liked).toEqual([]);
  });

  test("adoption, of the checks' own mysfit only: adopted by you, and in /me", async () => {
    const adopt = await api(system, `/mysfits/${FIXTURE.MysfitId}/adopt`, { method: 'POST', token: idToken });
    const me = await api(system, '/me', { token: idToken });
    expect(adopt).toMatchObject({ status: 200, body: { mysfitId: FIXTURE.MysfitId, adopted: true, adoptedByYou: true } });
    expect(me).toMatchObject({ status: 200, body: { userId: sub, email, adopted: [FIXTURE.MysfitId] } });
  });

  test('one click batch is accepted (202): the only thing the checks leave', async () => {
    const response = await fetch(`${stage.apiUrl}/clicks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: idToken, Origin: siteOrigin },
      body: JSON.stringify({ clicks: [{ action: 'view', mysfitId: EVANGELINE.mysfitId, at: new Date().toISOString() }] }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1 });
  });
});

describe('the website', () => {
  const cognitoOrigin = local ? (stage.cognitoEndpoint as string) : `https://cognito-idp.${stage.region}.amazonaws.com`;

  const expectSecurityHeaders = (response: Response) => {
    expect(response.headers.get('content-security-policy')).toBe(
      contentSecurityPolicy.forOrigins({ api: new URL(stage.apiUrl).origin, cognito: cognitoOrigin }),
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    // HSTS only means something over TLS: CloudFront's, not the local server's.
    if (!local) expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
  };

  test('the page is served with its Content-Security-Policy and the other security headers', async () => {
    const response = await fetch(`${stage.websiteUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('<script');
    expectSecurityHeaders(response);
  });

  test("config.json names this stage's API and user pool, with the same headers", async () => {
    const response = await fetch(`${stage.websiteUrl}/config.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      apiUrl: stage.apiUrl,
      region: stage.region,
      userPoolId: stage.userPoolId,
      userPoolClientId: stage.userPoolClientId,
    });
    expectSecurityHeaders(response);
  });
});
