/**
 * Test cases every route shares, written once and registered into the handler's own test file (tests/unit/<name>.test.ts):
 * who may call it (401), what a malformed mysfitId gets (400), and how DynamoDB failures surface (a 503, or a 500 that
 * says nothing of the failure). The test file says how to make its own DynamoDB call fail, and adds any extra assertions.
 */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AWS_INTERNAL_DETAIL,
  CORS_ORIGIN,
  IMPERSONATION,
  INTRUDER_ID,
  UNAUTHENTICATED,
  MISCONFIGURED_FAILURE,
  UNAVAILABLE_FAILURES,
  UNAVAILABLE_MESSAGE,
  cancelled,
  everythingSent,
  unexpectedError,
} from './fixtures';
import { eventFor, invoke, type EventChanges, type FunctionName, type Handler } from '../../dev/sampleEvents';

/**
 * A mocked DynamoDBDocumentClient for one test file, reset before each test. With `instantRetries`, Math.random is 0
 * during each test, so the transaction retries' jittered backoff does not wait.
 */
export function mockDocumentClient({ instantRetries = false } = {}) {
  const ddb = mockClient(DynamoDBDocumentClient);
  beforeEach(() => {
    ddb.reset();
    if (instantRetries) jest.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => jest.restoreAllMocks());
  return ddb;
}

export type DocumentClientMock = ReturnType<typeof mockDocumentClient>;

/** A handler under test: its name (which picks its sample event in events/), the handler, and its mocked client. */
export interface Route {
  name: FunctionName;
  handler: Handler;
  ddb: DocumentClientMock;
}

export type Response = Awaited<ReturnType<typeof invoke>>;

/** Invokes the route with its sample event, changed as given. */
export function call(route: Route, changes: EventChanges = {}): Promise<Response> {
  return invoke(route.handler, eventFor(route.name, changes));
}

/** An error response: the status, a JSON body of just that message, and the CORS header every response carries. */
export function expectJsonError(res: Response, statusCode: number, message: string): void {
  expect(res.statusCode).toBe(statusCode);
  expect(res.json).toEqual({ message });
  expect(res.headers?.['Access-Control-Allow-Origin']).toBe(CORS_ORIGIN);
}

export interface Impersonation {
  /** Who the caller is to this route, in the test's name: "the adopter", "the user"... */
  who: string;
  /** Makes the route's DynamoDB calls succeed. */
  arrange: () => void;
  /** What shows the route acted for the verified sub (USER_ID); that INTRUDER_ID was never sent is asserted for it. */
  assert: (res: Response) => void;
}

/**
 * describe('identity'): every UNAUTHENTICATED request is a 401 before anything is sent, and the verified claims, not a
 * body, header or query naming INTRUDER_ID, say who the caller is. `more` registers the route's own identity cases.
 */
export function describeIdentity(route: Route, impersonation: Impersonation, more?: () => void): void {
  describe('identity', () => {
    test.each(UNAUTHENTICATED)('%s is a 401 JSON and nothing is sent', async (_description, changes) => {
      // Arrange
      const event = eventFor(route.name, changes);
      // Act
      const res = await invoke(route.handler, event);
      // Assert
      expectJsonError(res, 401, 'Unauthorized');
      expect(route.ddb.calls()).toHaveLength(0);
    });

    test(`${impersonation.who} is the verified sub; a body, header or query naming another user changes nothing`, async () => {
      // Arrange
      impersonation.arrange();
      // Act
      const res = await call(route, IMPERSONATION);
      // Assert
      impersonation.assert(res);
      expect(everythingSent(route.ddb)).not.toContain(INTRUDER_ID);
    });

    more?.();
  });
}

/** Each malformed mysfitId (see MALFORMED_MYSFIT_IDS; null is no path parameters at all) is a 400 before anything is sent. */
export function describeMalformedMysfitIds(route: Route, cases: Array<[string, string | null]>): void {
  describe('a malformed mysfitId is a 400 and nothing is sent', () => {
    test.each(cases)('%s', async (_description, mysfitId) => {
      // Arrange
      const event = eventFor(route.name, { pathParameters: mysfitId === null ? null : { mysfitId } });
      // Act
      const res = await invoke(route.handler, event);
      // Assert
      expectJsonError(res, 400, 'Invalid path: mysfitId must be a UUID');
      expect(route.ddb.calls()).toHaveLength(0);
    });
  });
}

export interface Failing {
  /** Makes the route's DynamoDB call (the one named by `on`, if given) reject with this error. */
  arrange: (error: Error) => void;
  /** Where the failure happens, in the test's name: " on the count read"... */
  on?: string;
  /** Assertions the route adds to every failure: e.g. that nothing was sent after the failed call. */
  assert?: () => void;
}

/** Each of UNAVAILABLE_FAILURES is a 503 with the fixed, safe message. */
export function itAnswers503WhenUnavailable(route: Route, failing: Failing): void {
  test.each(UNAVAILABLE_FAILURES)(`%s${failing.on ?? ''} is a 503 with a JSON message and CORS`, async (_name, failure) => {
    // Arrange
    failing.arrange(failure());
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 503, UNAVAILABLE_MESSAGE);
    failing.assert?.();
  });
}

/** An unexpected error (a bug, not an outage) is a generic 500 that says nothing of it; so is a missing table. */
export function itAnswers500WithoutInternals(route: Route, failing: Failing): void {
  test(`a table or index that does not exist${failing.on ?? ''} (ResourceNotFoundException) is a 500, not a 503`, async () => {
    // Arrange
    failing.arrange(MISCONFIGURED_FAILURE());
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 500, 'Internal server error');
  });

  test(`an unexpected error${failing.on ?? ''} is a generic 500 without internals`, async () => {
    // Arrange
    failing.arrange(unexpectedError());
    // Act
    const res = await call(route);
    // Assert
    expectJsonError(res, 500, 'Internal server error');
    expect(res.body).not.toContain(AWS_INTERNAL_DETAIL);
    failing.assert?.();
  });
}

/**
 * describe('when DynamoDB fails'): an outage of the route's main call is a 503 for each of UNAVAILABLE_FAILURES, and an
 * unexpected error is a generic 500. `more` registers the route's own failure cases.
 */
export function describeHttpFailures(route: Route, failing: Failing, more?: () => void): void {
  describe('when DynamoDB fails', () => {
    itAnswers503WhenUnavailable(route, failing);
    more?.();
    itAnswers500WithoutInternals(route, failing);
  });
}

export interface Cancellations {
  /** Transactions cancelled because the table is throttled: [the code, the reasons DynamoDB gives]. */
  throttled: Array<[string, CancellationReason[]]>;
  /** The reasons of a cancellation the code does not expect (one of them a code like ValidationError). */
  unexpected: CancellationReason[];
  /** Assertions the route adds to each: e.g. that nothing was read after the transaction. */
  assert?: () => void;
}

/**
 * A cancelled TransactWriteItems: throttling is a 503 and is not retried; a reason the code does not expect is a
 * generic 500 that does not name it.
 */
export function itAnswersCancelledTransactions(route: Route, cancellations: Cancellations): void {
  test.each(cancellations.throttled)(
    'a transaction cancelled for %s (the table is throttled) is a 503, not a 500',
    async (_code, reasons) => {
      // Arrange
      route.ddb.on(TransactWriteCommand).rejects(cancelled(...reasons));
      // Act
      const res = await call(route);
      // Assert
      expectJsonError(res, 503, UNAVAILABLE_MESSAGE);
      expect(route.ddb).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
      cancellations.assert?.();
    },
  );

  test('a transaction cancelled for a reason the code does not expect is a generic 500', async () => {
    // Arrange
    const codes = cancellations.unexpected.map((r) => r.Code).filter((code) => code !== undefined && code !== 'None');
    route.ddb.on(TransactWriteCommand).rejects(cancelled(...cancellations.unexpected));
    // Act
    const res = await call(route);
    // Assert
    expect(codes.length).toBeGreaterThan(0);
    expectJsonError(res, 500, 'Internal server error');
    for (const code of codes) expect(res.body).not.toContain(code);
    cancellations.assert?.();
  });
}
