/**
 * POST /clicks: a batch of clicks, validated, attributed to the verified ID token's sub (or a daily visitor pseudonym,
 * never a value from the body), put into the delivery stream with one PutRecordBatch; failed records are resent.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  FirehoseClient,
  InvalidArgumentException,
  PutRecordBatchCommand,
  ResourceNotFoundException,
  ServiceUnavailableException,
  type PutRecordBatchCommandInput,
  type PutRecordBatchCommandOutput,
} from '@aws-sdk/client-firehose';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/recordClicks';
import { CLOCK_TOLERANCE_SECONDS } from '../../shared/idToken';
import {
  AWS_INTERNAL_DETAIL,
  INTRUDER_ID,
  MYSFIT_ID,
  UNAVAILABLE_MESSAGE,
  USER_ID,
  everythingSent,
  unexpectedError,
  fakeDateOnly,
} from '../support/fixtures';
import { eventFor, invoke, sampleEvent, type EventChanges } from '../../dev/sampleEvents';
import { expectJsonError } from '../support/routeCases';
import { serveSalts, type SaltItems } from '../support/saltTable';
import { CLICKS_STREAM, COGNITO_CLIENT_ID, COGNITO_ISSUER } from '../support/settings';

const firehose = mockClient(FirehoseClient);
/** The visitor salts table (its items in `saltItems`). */
const dynamodb = mockClient(DynamoDBDocumentClient);
let saltItems: SaltItems;

/** The sample event's request time: every test runs at this instant unless it moves the clock. */
const NOW = new Date('2026-11-27T14:05:00.000Z');
const PAULY = '2b473002-36f8-4b87-954e-9a377e0ccbec';
const VISITOR_ID = /^visitor-[0-9a-f]{16}$/;
const AT = '2026-11-27T14:04:51.250Z';

// ------------------------------------------------------------------ the user pool: a key pair, its JWKS, ID tokens

const JWKS_URL = `${COGNITO_ISSUER}/.well-known/jwks.json`;
const KID = 'test-signing-key';
const poolKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...poolKeys.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An ID token as the pool issues it for USER_ID, valid for an hour from the (fake) clock; `claims` override. */
function idToken(
  claims: Record<string, unknown> = {},
  { key = poolKeys.privateKey, header = {} }: { key?: KeyObject; header?: object } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ kid: KID, alg: 'RS256', ...header });
  const body = b64url({
    sub: USER_ID,
    iss: COGNITO_ISSUER,
    aud: COGNITO_CLIENT_ID,
    token_use: 'id',
    email: 'ada@example.com',
    auth_time: now - 60,
    iat: now - 60,
    exp: now + 3600,
    ...claims,
  });
  const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(key).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/** A valid token whose payload was then changed to name another user, keeping the original signature. */
function tamperedToken(): string {
  const [head, , signature] = idToken().split('.');
  return `${head}.${b64url({ sub: INTRUDER_ID, iss: COGNITO_ISSUER, aud: COGNITO_CLIENT_ID, token_use: 'id', exp: Date.now() / 1000 + 3600 })}.${signature}`;
}

const urlOf = (input: string | URL | Request) => (typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);

beforeEach(() => {
  firehose.reset();
  dynamodb.reset();
  saltItems = serveSalts(dynamodb);
  // The Date only: the retries' backoff and the SDK keep real timers.
  fakeDateOnly(NOW);
  // The pool's JWKS, at the one address the function must fetch it from.
  jest
    .spyOn(global, 'fetch')
    .mockImplementation(async (input) =>
      urlOf(input) === JWKS_URL
        ? new Response(JSON.stringify(jwks), { headers: { 'Content-Type': 'application/json' } })
        : new Response('Not found', { status: 404 }),
    );
});

afterEach(() => {
  jest.useRealTimers();
  jest.restoreAllMocks();
});

// ------------------------------------------------------------------ helpers

const accepted = (input: PutRecordBatchCommandInput): Partial<PutRecordBatchCommandOutput> => ({
  FailedPutCount: 0,
  Encrypted: true,
  RequestResponses: (input.Records ?? []).map((_, i) => ({ RecordId: `record-${i}` })),
});

/** Firehose accepts every record. */
const acceptAll = () => firehose.on(PutRecordBatchCommand).callsFake(accepted);

const body = (value: unknown) => JSON.stringify(value);
const view = (mysfitId = MYSFIT_ID, at = AT) => ({ action: 'view', mysfitId, at });

/** The sample event (three clicks, no token), changed as given; `identity` changes requestContext.identity. */
function clicksEvent(changes: EventChanges = {}, identity: { sourceIp?: string; userAgent?: string } = {}) {
  const event = eventFor('recordClicks', changes);
  Object.assign(event.requestContext.identity, identity);
  return event;
}

const post = (changes: EventChanges = {}, identity: { sourceIp?: string; userAgent?: string } = {}) =>
  invoke(handler, clicksEvent(changes, identity));

/** The records of the n-th PutRecordBatch (from 0), each Data decoded as the stream will store it. */
function recordsSent(call = 0): string[] {
  const input = firehose.commandCalls(PutRecordBatchCommand)[call]?.args[0].input;
  return (input?.Records ?? []).map((record) => Buffer.from(record.Data as Uint8Array).toString('utf8'));
}

/** The parsed records of the n-th PutRecordBatch. */
const clicksSent = (call = 0) => recordsSent(call).map((line) => JSON.parse(line) as Record<string, unknown>);

/** The user the first batch was attributed to (every record of a batch has the same). */
async function attributedTo(changes: EventChanges = {}, identity: { sourceIp?: string; userAgent?: string } = {}) {
  firehose.reset();
  acceptAll();
  const res = await post(changes, identity);
  expect(res.statusCode).toBe(202);
  const users = new Set(clicksSent().map((click) => JSON.stringify({ userId: click.userId, signedIn: click.signedIn })));
  expect(users.size).toBe(1);
  return JSON.parse([...users][0] as string) as { userId: string; signedIn: boolean };
}

const withToken = (token: string): EventChanges => ({ headers: { Authorization: token } });

/** The function as a cold start loads it: a fresh module registry (no cached keys), its own Firehose client mocked. */
async function coldStart(): Promise<{ handler: typeof handler; firehose: ReturnType<typeof mockClient> }> {
  let cold: { handler: typeof handler; firehose: ReturnType<typeof mockClient> } | undefined;
  await jest.isolateModulesAsync(async () => {
    const sdk = await import('@aws-sdk/client-firehose');
    const isolated = mockClient(sdk.FirehoseClient);
    isolated.on(sdk.PutRecordBatchCommand).callsFake(accepted);
    serveSalts(mockClient((await import('@aws-sdk/lib-dynamodb')).DynamoDBDocumentClient), saltItems);
    cold = { handler: (await import('../../functions/recordClicks')).handler, firehose: isolated };
  });
  if (!cold) throw new Error('the function did not load');
  return cold;
}

// ------------------------------------------------------------------ accepted batches

describe('a valid batch', () => {
  test('is a 202 {accepted: n} after exactly one PutRecordBatch of its records to the stream', async () => {
    // Arrange
    acceptAll();
    // Act
    const res = await post();
    // Assert
    expect(res.statusCode).toBe(202);
    expect(res.json).toEqual({ accepted: 3 });
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
    expect(firehose).toHaveReceivedCommandWith(PutRecordBatchCommand, {
      DeliveryStreamName: CLICKS_STREAM,
      Records: [{ Data: expect.any(Uint8Array) }, { Data: expect.any(Uint8Array) }, { Data: expect.any(Uint8Array) }],
    });
  });

  test('each record is one line of JSON: the click, its times, and who clicked', async () => {
    // Arrange
    acceptAll();
    // Act
    await post();
    // Assert
    const lines = recordsSent();
    for (const line of lines) expect(line).toMatch(/^\{[^\n]*\}\n$/);
    const visitor = { userId: expect.stringMatching(VISITOR_ID), signedIn: false };
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      { eventTime: '2026-11-27T14:04:51.250Z', receivedAt: NOW.toISOString(), ...visitor, action: 'view', mysfitId: MYSFIT_ID },
      { eventTime: '2026-11-27T14:04:53.012Z', receivedAt: NOW.toISOString(), ...visitor, action: 'like', mysfitId: MYSFIT_ID },
      {
        eventTime: '2026-11-27T14:04:58.731Z',
        receivedAt: NOW.toISOString(),
        ...visitor,
        action: 'filter',
        filter: 'GoodEvil',
        value: 'Evil',
      },
    ]);
  });

  test('the records keep the order of the clicks, and carry every action', async () => {
    // Arrange
    acceptAll();
    const clicks = ['view', 'like', 'unlike', 'adopt'].map((action) => ({ action, mysfitId: PAULY, at: AT }));
    // Act
    const res = await post({ body: body({ clicks }) });
    // Assert
    expect(res.json).toEqual({ accepted: 4 });
    expect(clicksSent().map((c) => c.action)).toEqual(['view', 'like', 'unlike', 'adopt']);
  });

  test('an upper-case mysfit id is stored in lower case, and a client time with an offset in UTC', async () => {
    // Arrange
    acceptAll();
    const clicks = [view(MYSFIT_ID.toUpperCase(), '2026-11-27T15:04:51.250+01:00')];
    // Act
    await post({ body: body({ clicks }) });
    // Assert
    expect(clicksSent()).toEqual([expect.objectContaining({ mysfitId: MYSFIT_ID, eventTime: '2026-11-27T14:04:51.250Z' })]);
  });

  test('50 clicks (the most a batch may hold) go in one PutRecordBatch', async () => {
    // Arrange
    acceptAll();
    const clicks = Array.from({ length: 50 }, () => view());
    // Act
    const res = await post({ body: body({ clicks }) });
    // Assert
    expect(res.json).toEqual({ accepted: 50 });
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
    expect(recordsSent()).toHaveLength(50);
  });

  test('a base64-encoded body (as API Gateway may pass it) is read like a plain one', async () => {
    // Arrange
    acceptAll();
    const event = clicksEvent();
    event.body = Buffer.from(event.body ?? '').toString('base64');
    event.isBase64Encoded = true;
    // Act
    const res = await invoke(handler, event);
    // Assert
    expect(res.json).toEqual({ accepted: 3 });
  });
});

// ------------------------------------------------------------------ who clicked

describe('who clicked', () => {
  test('a valid ID token makes the user its sub, signed in', async () => {
    // Arrange
    const token = idToken();
    // Act
    const clicker = await attributedTo(withToken(token));
    // Assert
    expect(clicker).toEqual({ userId: USER_ID, signedIn: true });
  });

  test('"Bearer <token>" is accepted as API Gateway\'s Cognito authorizer accepts it', async () => {
    // Arrange
    const token = idToken();
    // Act
    const clicker = await attributedTo(withToken(`Bearer ${token}`));
    // Assert
    expect(clicker).toEqual({ userId: USER_ID, signedIn: true });
  });

  test("a cold start fetches the pool's keys once, from the issuer's JWKS address, and reuses them", async () => {
    // Arrange: a fresh module registry, so the function starts with no keys (and its own Firehose client to mock).
    const cold = await coldStart();
    // Act
    const first = await invoke(cold.handler, clicksEvent(withToken(idToken())));
    const second = await invoke(cold.handler, clicksEvent(withToken(idToken({ sub: PAULY }))));
    // Assert
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(jest.mocked(fetch).mock.calls.map(([input]) => urlOf(input))).toEqual([JWKS_URL]);
    expect(cold.firehose.calls()).toHaveLength(2);
  });

  test.each<[string, () => string | undefined]>([
    ['no token', () => undefined],
    ['an empty Authorization header', () => ''],
    ['a token expired past the clock tolerance', () => idToken({ exp: Math.floor(Date.now() / 1000) - CLOCK_TOLERANCE_SECONDS - 1 })],
    ['a token of another user pool (issuer)', () => idToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_OTHER0001' })],
    ['a token for another app client', () => idToken({ aud: 'another-client' })],
    ['an access token', () => idToken({ token_use: 'access' })],
    ['a tampered token (payload changed after signing)', tamperedToken],
    ["a token signed by another key with the pool's key id", () => idToken({}, { key: otherKeys.privateKey })],
    ['a token signed by a key the pool does not have', () => idToken({}, { header: { kid: 'unknown-key' } })],
    [
      'an unsigned token (alg none)',
      () =>
        `${b64url({ alg: 'none', kid: KID })}.${b64url({ sub: INTRUDER_ID, iss: COGNITO_ISSUER, aud: COGNITO_CLIENT_ID, token_use: 'id', exp: Date.now() / 1000 + 3600 })}.`,
    ],
    ['something that is not a JWT', () => 'not-a-token'],
  ])('%s: a visitor id, not signed in, and still a 202', async (_description, token) => {
    // Arrange
    const value = token();
    const changes = value === undefined ? {} : withToken(value);
    // Act
    const clicker = await attributedTo(changes);
    // Assert
    expect(clicker).toEqual({ userId: expect.stringMatching(VISITOR_ID), signedIn: false });
    expect(everythingSent(firehose)).not.toContain(INTRUDER_ID);
  });

  test("a valid token while the pool's keys are out of reach: counted as a visitor, the clicks still accepted", async () => {
    // Arrange: a cold start, so no keys are cached, and a JWKS address that does not answer
    const cold = await coldStart();
    jest.mocked(fetch).mockRejectedValue(new TypeError('fetch failed'));
    // Act
    const res = await invoke(cold.handler, clicksEvent(withToken(idToken())));
    // Assert
    expect(res.statusCode).toBe(202);
    const sent = (cold.firehose.calls()[0]?.args[0].input as PutRecordBatchCommandInput).Records ?? [];
    const users = sent.map(
      (record) => JSON.parse(Buffer.from(record.Data as Uint8Array).toString('utf8')) as { userId: string; signedIn: boolean },
    );
    expect(users).toHaveLength(3);
    for (const user of users) expect(user).toMatchObject({ userId: expect.stringMatching(VISITOR_ID), signedIn: false });
  });

  test('the visitor id is the same for the same address and browser all day, and changes the next day', async () => {
    // Arrange
    jest.setSystemTime(new Date('2026-11-27T00:00:00.000Z'));
    const morning = await attributedTo();
    jest.setSystemTime(new Date('2026-11-27T23:59:59.999Z'));
    // Act
    const night = await attributedTo();
    jest.setSystemTime(new Date('2026-11-28T00:00:00.000Z'));
    const nextDay = await attributedTo();
    // Assert
    expect(night.userId).toBe(morning.userId);
    expect(nextDay.userId).not.toBe(morning.userId);
    expect(nextDay.userId).toMatch(VISITOR_ID);
  });

  test.each([
    ['another address', { sourceIp: '198.51.100.7' }],
    ['another browser', { userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' }],
  ])('%s is another visitor', async (_description, identity) => {
    // Arrange
    const sample = await attributedTo();
    // Act
    const other = await attributedTo({}, identity);
    // Assert
    expect(other.userId).toMatch(VISITOR_ID);
    expect(other.userId).not.toBe(sample.userId);
  });

  test('neither the address nor the browser is stored', async () => {
    // Arrange
    const { sourceIp, userAgent } = sampleEvent('recordClicks').requestContext.identity;
    // Act
    await attributedTo();
    // Assert
    expect(recordsSent().join('')).not.toContain(String(sourceIp));
    expect(recordsSent().join('')).not.toContain(String(userAgent));
  });

  test("neither the day's salt nor the address is in a record or a log line, even at the most verbose log level", async () => {
    // Arrange: a cold start that logs everything, its output captured
    const level = process.env.POWERTOOLS_LOG_LEVEL;
    process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
    const written: string[] = [];
    const capture = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    let sent: string;
    try {
      const cold = await coldStart();
      // Act
      const res = await invoke(cold.handler, clicksEvent());
      expect(res.statusCode).toBe(202);
      sent = everythingSent(cold.firehose);
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.env.POWERTOOLS_LOG_LEVEL = level;
    }
    // Assert: the log was written (so this can fail), and holds none of them
    const log = written.join('');
    expect(log).toContain('"message":"request"');
    const salt = String(saltItems.get('2026-11-27')?.Salt);
    const { sourceIp } = sampleEvent('recordClicks').requestContext.identity;
    for (const secret of [salt, Buffer.from(salt, 'base64').toString('hex'), String(sourceIp)]) {
      expect(log).not.toContain(secret);
      expect(sent).not.toContain(secret);
    }
  });

  test.each([
    ['at the top of the body', { clicks: [view()], userId: INTRUDER_ID, signedIn: true }, 'body: Unrecognized keys: "userId", "signedIn"'],
    ['in a click', { clicks: [{ ...view(), userId: INTRUDER_ID, signedIn: true }] }, 'click 0: Unrecognized keys: "userId", "signedIn"'],
  ])('a body naming the user %s is a 400 and nothing is sent', async (_where, value, problem) => {
    // Arrange
    acceptAll();
    // Act
    const res = await post({ ...withToken(idToken()), body: body(value) });
    // Assert
    expectJsonError(res, 400, `Invalid clicks: ${problem}`);
    expect(firehose.calls()).toHaveLength(0);
  });
});

// ------------------------------------------------------------------ bad requests

describe('a bad batch is a 400 naming each bad click and field, and nothing is sent', () => {
  const manyClicks = Array.from({ length: 51 }, () => view());

  test.each<[string, unknown, string]>([
    [
      'an unknown action',
      { clicks: [view(), { action: 'poke', mysfitId: MYSFIT_ID, at: AT }] },
      'click 1 action: action must be one of view, like, unlike, adopt, filter',
    ],
    [
      'a click without an action',
      { clicks: [{ mysfitId: MYSFIT_ID, at: AT }] },
      'click 0 action: action must be one of view, like, unlike, adopt, filter',
    ],
    ['a malformed mysfitId', { clicks: [view(), view(), view('evangeline')] }, 'click 2 mysfitId: must be a UUID'],
    ['a view without a mysfitId', { clicks: [{ action: 'view', at: AT }] }, 'click 0 mysfitId: must be a UUID'],
    ['a click without at', { clicks: [{ action: 'like', mysfitId: MYSFIT_ID }] }, 'click 0 at: must be an ISO 8601 date-time'],
    ['a date that is not ISO 8601', { clicks: [view(MYSFIT_ID, '27/11/2026 14:04')] }, 'click 0 at: must be an ISO 8601 date-time'],
    ['a date-time without a time zone', { clicks: [view(MYSFIT_ID, '2026-11-27T14:04:51')] }, 'click 0 at: must be an ISO 8601 date-time'],
    [
      'a filter with an unknown value',
      { clicks: [{ action: 'filter', filter: 'GoodEvil', value: 'Wicked', at: AT }] },
      'click 0 value: Invalid option: expected one of "Good"|"Neutral"|"Evil"|"Lawful"|"Chaotic"',
    ],
    [
      "a filter with the other filter's value",
      { clicks: [{ action: 'filter', filter: 'GoodEvil', value: 'Lawful', at: AT }] },
      'click 0 value: must be one of Good, Neutral, Evil for GoodEvil',
    ],
    [
      'an unknown filter',
      { clicks: [{ action: 'filter', filter: 'Species', value: 'Evil', at: AT }] },
      'click 0 filter: Invalid option: expected one of "GoodEvil"|"LawChaos"',
    ],
    [
      'a filter naming a mysfit',
      { clicks: [{ action: 'filter', filter: 'LawChaos', value: 'Chaotic', mysfitId: MYSFIT_ID, at: AT }] },
      'click 0: Unrecognized key: "mysfitId"',
    ],
    ['a click that is not an object', { clicks: [view(), 42] }, 'click 1: action must be one of view, like, unlike, adopt, filter'],
    [
      'two bad clicks (both named)',
      { clicks: [view(MYSFIT_ID, 'yesterday'), view('x')] },
      'click 0 at: must be an ISO 8601 date-time; click 1 mysfitId: must be a UUID',
    ],
    ['an empty list', { clicks: [] }, 'clicks: must hold at least one click'],
    ['more than 50 clicks', { clicks: manyClicks }, 'clicks: must hold at most 50 clicks'],
    ['no clicks at all', {}, 'clicks: Invalid input: expected array, received undefined'],
    ['a body that is a list', [view()], 'body: Invalid input: expected object, received array'],
    ['a body that is a string', 'view', 'body: Invalid input: expected object, received string'],
    ['a body of null', null, 'body: Invalid input: expected object, received null'],
  ])('%s', async (_description, value, problem) => {
    // Arrange
    acceptAll();
    // Act
    const res = await post({ body: body(value) });
    // Assert
    expectJsonError(res, 400, `Invalid clicks: ${problem}`);
    expect(firehose.calls()).toHaveLength(0);
  });

  test.each([
    ['a body that is not JSON', '{"clicks": ['],
    ['an empty body', ''],
  ])('%s is a 400 saying so', async (_description, raw) => {
    // Arrange
    acceptAll();
    // Act
    const res = await post({ body: raw });
    // Assert
    expectJsonError(res, 400, 'The body is not valid JSON');
    expect(firehose.calls()).toHaveLength(0);
  });

  test.each([
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['a form', { 'Content-Type': 'application/x-www-form-urlencoded' }],
  ])('a body sent as %s is a 415', async (_description, headers) => {
    // Arrange
    acceptAll();
    // Act
    const res = await post({ headers });
    // Assert
    expectJsonError(res, 415, 'Unsupported Media Type');
    expect(firehose.calls()).toHaveLength(0);
  });

  test('a body with no content type is a 415', async () => {
    // Arrange
    acceptAll();
    const event = clicksEvent();
    delete event.headers['Content-Type'];
    delete event.multiValueHeaders['Content-Type'];
    // Act
    const res = await invoke(handler, event);
    // Assert
    expectJsonError(res, 415, 'Unsupported Media Type');
    expect(firehose.calls()).toHaveLength(0);
  });
});

// ------------------------------------------------------------------ Firehose failures

describe('when Firehose fails', () => {
  const failedRecord = { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' };

  test('records Firehose reports as failed are sent again, alone, and the batch is accepted', async () => {
    // Arrange
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({ FailedPutCount: 1, RequestResponses: [{ RecordId: 'record-0' }, failedRecord, { RecordId: 'record-2' }] })
      .resolvesOnce({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'record-1' }] });
    // Act
    const res = await post();
    // Assert
    expect(res.statusCode).toBe(202);
    expect(res.json).toEqual({ accepted: 3 });
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 2);
    expect(recordsSent(1)).toEqual([recordsSent(0)[1]]);
    expect(clicksSent(1)).toEqual([expect.objectContaining({ action: 'like', mysfitId: MYSFIT_ID })]);
    expect(firehose).toHaveReceivedNthCommandWith(2, PutRecordBatchCommand, { DeliveryStreamName: CLICKS_STREAM });
  });

  test('records that fail on every attempt are a 503 JSON after three attempts', async () => {
    // Arrange
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({
      FailedPutCount: input.Records?.length ?? 0,
      RequestResponses: (input.Records ?? []).map(() => failedRecord),
    }));
    // Act
    const res = await post();
    // Assert
    expectJsonError(res, 503, '3 clicks could not be recorded; try again');
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 3);
    expect([0, 1, 2].map((call) => recordsSent(call).length)).toEqual([3, 3, 3]);
  });

  test.each<[string, () => Error]>([
    [
      'ServiceUnavailableException (the stream is throttled)',
      // Firehose answers it with a 503, which is what the SDK's classification reads.
      () => new ServiceUnavailableException({ message: `Slow down. ${AWS_INTERNAL_DETAIL}`, $metadata: { httpStatusCode: 503 } }),
    ],
    [
      'a network error (ECONNREFUSED)',
      () => Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 ${AWS_INTERNAL_DETAIL}`), { code: 'ECONNREFUSED' }),
    ],
    ['TimeoutError', () => Object.assign(new Error(`socket timed out ${AWS_INTERNAL_DETAIL}`), { name: 'TimeoutError' })],
  ])('%s is a 503 with the fixed message, sent once', async (_description, failure) => {
    // Arrange
    firehose.on(PutRecordBatchCommand).rejects(failure());
    // Act
    const res = await post();
    // Assert
    expectJsonError(res, 503, UNAVAILABLE_MESSAGE);
    expect(firehose).toHaveReceivedCommandTimes(PutRecordBatchCommand, 1);
  });

  test.each<[string, () => Error]>([
    [
      'InvalidArgumentException (a bug: a record Firehose refuses)',
      () => new InvalidArgumentException({ message: `Record size exceeds ${AWS_INTERNAL_DETAIL}`, $metadata: {} }),
    ],
    [
      'ResourceNotFoundException (no such stream: a misconfiguration)',
      () => new ResourceNotFoundException({ message: `Firehose ${AWS_INTERNAL_DETAIL} not found`, $metadata: {} }),
    ],
    ['an unexpected error', unexpectedError],
  ])('%s is a generic 500 without internals', async (_description, failure) => {
    // Arrange
    firehose.on(PutRecordBatchCommand).rejects(failure());
    // Act
    const res = await post();
    // Assert
    expectJsonError(res, 500, 'Internal server error');
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
  });
});
