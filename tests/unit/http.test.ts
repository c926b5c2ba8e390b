/**
 * The middy stack every route gets: CORS on every response, errors as JSON, a generic 500, and one structured log
 * line per request that holds no header, token, body or email.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { BadRequest, Conflict, NotFound, ServiceUnavailable, Unauthorized } from '../../shared/errors';
import { httpHandler, json } from '../../shared/http';
import { MISCONFIGURED_FAILURE, AWS_INTERNAL_DETAIL, CORS_ORIGIN, MYSFIT_ID, USER_EMAIL, unexpectedError } from '../support/fixtures';
import { context, eventFor, invoke, sampleEvent } from '../../dev/sampleEvents';
import { coldStart } from '../support/coldStart';

afterEach(() => jest.restoreAllMocks());

describe('responses', () => {
  test('a success keeps its status, body and headers, and gets the CORS origin', async () => {
    // Arrange
    const handler = httpHandler(async () => ({
      ...json(201, { ok: true }),
      headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
    }));
    // Act
    const res = await invoke(handler, eventFor('getMysfit'));
    // Assert
    expect(res.statusCode).toBe(201);
    expect(res.json).toEqual({ ok: true });
    expect(res.headers).toEqual({
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'Access-Control-Allow-Origin': CORS_ORIGIN,
    });
  });

  test.each([
    { error: new BadRequest('Invalid path: mysfitId must be a UUID'), statusCode: 400 },
    { error: new Unauthorized(), statusCode: 401 },
    { error: new NotFound(`No mysfit with id ${MYSFIT_ID}`), statusCode: 404 },
    { error: new Conflict(`Mysfit ${MYSFIT_ID} has already been adopted by someone else`), statusCode: 409 },
    { error: new ServiceUnavailable(), statusCode: 503 },
  ])('a thrown $error.name is a $statusCode with a JSON {message} and the CORS origin', async ({ error, statusCode }) => {
    // Arrange
    const handler = httpHandler(async () => {
      throw error;
    });
    // Act
    const res = await invoke(handler, eventFor('getMysfit'));
    // Assert
    expect(res.statusCode).toBe(statusCode);
    expect(res.json).toEqual({ message: error.message });
    expect(res.headers).toEqual({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': CORS_ORIGIN });
  });

  test.each([
    ['an unexpected Error', () => unexpectedError()],
    ['a string', () => AWS_INTERNAL_DETAIL],
    ['an object that looks like a response', () => ({ statusCode: 200, body: AWS_INTERNAL_DETAIL })],
  ])('throwing %s is a generic 500 with no stack or internals, and the CORS origin', async (_description, thrown) => {
    // Arrange
    const handler = httpHandler(async () => {
      throw thrown();
    });
    // Act
    const res = await invoke(handler, eventFor('getMysfit'));
    // Assert
    expect(res.statusCode).toBe(500);
    expect(res.json).toEqual({ message: 'Internal server error' });
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
    expect(res.body).not.toMatch(/stack|TypeError|\.ts:\d+/);
    expect(res.headers).toEqual({ 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': CORS_ORIGIN });
  });

  test('the handler sees header names in lower case, whatever case the client sent', async () => {
    // Arrange
    let seen: APIGatewayProxyEvent['headers'] = {};
    const handler = httpHandler(async (event) => {
      seen = event.headers;
      return json(200, {});
    });
    // Act
    await handler(eventFor('getMysfit', { headers: { 'X-Custom-Header': 'x' } }), context);
    // Assert
    expect(seen['x-custom-header']).toBe('x');
    expect(seen.origin).toBe('https://www.example.com');
  });
});

test("with no browser origin configured (CORS_ORIGIN=''), no response allows one", async () => {
  // Arrange
  const http = await coldStart({ CORS_ORIGIN: '' }, () => import('../../shared/http'));
  const ok = http.httpHandler(async () => http.json(200, {}));
  const failing = http.httpHandler(async () => {
    throw unexpectedError();
  });
  // Act
  const responses = [await ok(eventFor('getMysfit'), context), await failing(eventFor('getMysfit'), context)];
  // Assert
  expect(responses.map((r) => r.statusCode)).toEqual([200, 500]);
  for (const response of responses) expect(response.headers).not.toHaveProperty('Access-Control-Allow-Origin');
});

describe('the request log', () => {
  const TOKEN = String(sampleEvent('getMe').headers.Authorization);

  /** What the functions print: stdout (INFO) and stderr (ERROR) lines, captured while `run` runs. */
  async function captureOutput(run: () => Promise<unknown>) {
    const out: string[] = [];
    const err: string[] = [];
    const collect = (into: string[]) => (chunk: string | Uint8Array) => {
      into.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line.trim() !== ''),
      );
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(collect(out));
    jest.spyOn(process.stderr, 'write').mockImplementation(collect(err));
    try {
      await run();
    } finally {
      jest.restoreAllMocks();
    }
    return { out, err };
  }

  /** Real routes, loaded with the INFO log level, with the DynamoDB client of that fresh module registry mocked. */
  async function loadRoutes() {
    const routes = await coldStart({ POWERTOOLS_LOG_LEVEL: 'INFO' }, async () => ({
      getMe: (await import('../../functions/getMe')).handler,
      getMysfit: (await import('../../functions/getMysfit')).handler,
      lib: await import('@aws-sdk/lib-dynamodb'),
    }));
    return { ...routes, ddb: mockClient(routes.lib.DynamoDBDocumentClient) };
  }

  test('a signed-in request writes one JSON line: route, status, duration and request ids, and no secret', async () => {
    // Arrange
    const { getMe, lib, ddb } = await loadRoutes();
    ddb.on(lib.QueryCommand).resolves({ Items: [{ Kind: 'LIKE', MysfitId: MYSFIT_ID }] });
    const event = eventFor('getMe', { body: JSON.stringify({ email: USER_EMAIL, token: TOKEN }) });
    // Act
    const { out, err } = await captureOutput(() => getMe(event, context));
    // Assert
    expect(out).toHaveLength(1);
    expect(err).toHaveLength(0);
    const line = out[0] ?? '';
    expect(JSON.parse(line)).toMatchObject({
      level: 'INFO',
      message: 'request',
      route: 'GET /me',
      status: 200,
      durationMs: expect.any(Number),
      requestId: context.awsRequestId,
      apiRequestId: event.requestContext.requestId,
    });
    expect(line).not.toContain(TOKEN);
    expect(line).not.toMatch(/authorization|bearer|eyJ/i);
    expect(line).not.toContain(USER_EMAIL);
    expect(line).not.toMatch(/headers|claims|body/i);
  });

  test('each request writes its own line', async () => {
    // Arrange
    const { getMysfit, lib, ddb } = await loadRoutes();
    ddb.on(lib.GetCommand).resolves({});
    // Act
    const { out } = await captureOutput(async () => {
      await getMysfit(eventFor('getMysfit'), context);
      await getMysfit(eventFor('getMysfit', { pathParameters: { mysfitId: 'bad' } }), context);
    });
    // Assert
    expect(out.map((line) => JSON.parse(line) as { route: string; status: number })).toEqual([
      expect.objectContaining({ route: 'GET /mysfits/{mysfitId}', status: 404 }),
      expect.objectContaining({ route: 'GET /mysfits/{mysfitId}', status: 400 }),
    ]);
  });

  test('a client error is logged with its status, and not as an error', async () => {
    // Arrange
    const { getMe } = await loadRoutes();
    // Act
    const { out, err } = await captureOutput(() => getMe(eventFor('getMe', { claims: null }), context));
    // Assert
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ route: 'GET /me', status: 401 });
    expect(err).toHaveLength(0);
  });

  test('a 500 is logged with its status, and the error goes to the error log (not to the client)', async () => {
    // Arrange
    const { getMe, lib, ddb } = await loadRoutes();
    ddb.on(lib.QueryCommand).rejects(unexpectedError());
    // Act
    const { out, err } = await captureOutput(() => getMe(eventFor('getMe'), context));
    // Assert
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ route: 'GET /me', status: 500, requestId: context.awsRequestId });
    expect(err).toHaveLength(1);
    expect(JSON.parse(err[0] ?? '')).toMatchObject({
      level: 'ERROR',
      message: 'Request failed',
      error: expect.objectContaining({ name: 'TypeError' }),
    });
    expect(err[0]).not.toContain(TOKEN);
    expect(err[0]).not.toContain(USER_EMAIL);
  });

  test('a table that does not exist is a 500, logged as the misconfiguration it is', async () => {
    // Arrange
    const { getMe, lib, ddb } = await loadRoutes();
    ddb.on(lib.QueryCommand).rejects(MISCONFIGURED_FAILURE());
    // Act
    const { out, err } = await captureOutput(() => getMe(eventFor('getMe'), context));
    // Assert
    expect(JSON.parse(out[0] ?? '')).toMatchObject({ route: 'GET /me', status: 500 });
    expect(err).toHaveLength(1);
    expect(JSON.parse(err[0] ?? '')).toMatchObject({
      level: 'ERROR',
      message: "Misconfigured: a table, index or stream in this function's settings does not exist",
      error: expect.objectContaining({ name: 'ResourceNotFoundException' }),
    });
  });
});
