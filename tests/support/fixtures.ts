/** Shared fixtures for unit tests that mock DynamoDB: the sample events' ids, table items, and the SDK's errors. */
import {
  ProvisionedThroughputExceededException,
  ResourceNotFoundException,
  ThrottlingException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import type { MysfitItem } from '../../shared/mysfitItem';
import type { EventChanges } from '../../dev/sampleEvents';
import { SAMPLE_USER } from '../../dev/sampleUser';

/** The settings tests/unit/env.ts gives every function. */
export { ACTIVITY_TABLE, CORS_ORIGIN, MYSFITS_TABLE } from './settings';

/** How the functions write a time (Date#toISOString). */
export const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The mysfit every sample event in events/ names (Evangeline). */
export const MYSFIT_ID = '4e53920c-505a-4a90-a694-b9300791f0ae';
/** The Cognito `sub` (and email) in the sample events' authorizer claims: the sample user. */
export const USER_ID = SAMPLE_USER.sub;
export const USER_EMAIL = SAMPLE_USER.email;

/** A mysfit as the table stores it; Likes and Adopted as the seed writes them unless overridden. */
export function mysfitItem(overrides: Partial<MysfitItem> = {}): MysfitItem {
  return {
    MysfitId: MYSFIT_ID,
    Name: 'Evangeline',
    Species: 'Chimera',
    Age: 43,
    Description: 'A chimera who keeps every rule in a ledger.',
    GoodEvil: 'Evil',
    LawChaos: 'Lawful',
    ThumbImageUri: 'http://127.0.0.1:8080/assets/chimera.e2df29f638.svg',
    ProfileImageUri: 'http://127.0.0.1:8080/assets/chimera.e2df29f638.svg',
    Likes: 0,
    Adopted: false,
    ...overrides,
  };
}

/** Cancellation reasons as DynamoDB reports them (an Item, when present, is raw AttributeValues). */
export const reason = {
  none: (): CancellationReason => ({ Code: 'None' }),
  conditionFailed: (item?: CancellationReason['Item']): CancellationReason =>
    item
      ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: item }
      : { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
  conflict: (): CancellationReason => ({ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }),
  code: (code: string): CancellationReason => ({ Code: code }),
};

/** The error TransactWriteItems throws when a condition fails or the transaction cannot go ahead. */
export function cancelled(...reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
    $metadata: {},
    CancellationReasons: reasons,
  });
}

/** Message text the AWS errors below carry: a response must never repeat it. */
export const AWS_INTERNAL_DETAIL = 'arn:aws:dynamodb:us-east-1:123456789012:table/test-mysfits';

/** Failures that mean "the database is busy or out of reach": each must become a 503, never a 500 or a 502. */
export const UNAVAILABLE_FAILURES: Array<[string, () => Error]> = [
  [
    'ProvisionedThroughputExceededException',
    () => new ProvisionedThroughputExceededException({ message: `Throughput exceeded for ${AWS_INTERNAL_DETAIL}`, $metadata: {} }),
  ],
  ['ThrottlingException', () => new ThrottlingException({ message: `Rate exceeded for ${AWS_INTERNAL_DETAIL}`, $metadata: {} })],
  [
    'a network error (ECONNREFUSED)',
    () => Object.assign(new Error(`connect ECONNREFUSED 10.0.0.1:443 ${AWS_INTERNAL_DETAIL}`), { code: 'ECONNREFUSED' }),
  ],
  ['TimeoutError', () => Object.assign(new Error(`socket timed out after 3000 ms ${AWS_INTERNAL_DETAIL}`), { name: 'TimeoutError' })],
];

/** A table or index that is not there (a wrong name in the settings): a bug, so a 500, not a 503. */
export const MISCONFIGURED_FAILURE = () =>
  new ResourceNotFoundException({ message: `Requested resource not found: ${AWS_INTERNAL_DETAIL}`, $metadata: {} });

/** The body a 503 carries: a fixed, safe message. */
export const UNAVAILABLE_MESSAGE = 'The service is busy or its database is unreachable; try again shortly';

/** A bug, not an outage: must become a generic 500 that says nothing of it. */
export const unexpectedError = () => new TypeError(`Cannot read properties of undefined (reading 'Items') ${AWS_INTERNAL_DETAIL}`);

/** The names of the commands a mocked client received, in order. */
export function commandsSent(stub: { calls(): Array<{ args: unknown[] }> }): string[] {
  return stub.calls().map((call) => (call.args[0] as object).constructor.name);
}

export interface Page {
  Items: object[];
  LastEvaluatedKey?: Record<string, unknown>;
}

/**
 * Answers a paginated Scan/Query with `pages` in order, recording the ExclusiveStartKey of each request as it was
 * when sent (the SDK's paginator reuses one input object, so the recorded calls alone show only its last state).
 */
export function pageByPage(...pages: Page[]) {
  const startKeys: Array<Record<string, unknown> | undefined> = [];
  const respond = (input: { ExclusiveStartKey?: Record<string, unknown> }): Page => {
    startKeys.push(input.ExclusiveStartKey === undefined ? undefined : structuredClone(input.ExclusiveStartKey));
    return pages[startKeys.length - 1] ?? { Items: [] };
  };
  return { respond, startKeys };
}

/** Another user's id, as a caller might try to pass it outside the verified claims. */
export const INTRUDER_ID = '0badc0de-0000-4000-8000-000000000000';

/** The sample event's verified claims (USER_ID), plus a body, headers and a query string naming INTRUDER_ID. */
export const IMPERSONATION: EventChanges = {
  headers: { 'X-User-Id': INTRUDER_ID, 'X-Amzn-Oidc-Identity': INTRUDER_ID },
  body: JSON.stringify({ userId: INTRUDER_ID, sub: INTRUDER_ID, requestContext: { authorizer: { claims: { sub: INTRUDER_ID } } } }),
  queryStringParameters: { userId: INTRUDER_ID, sub: INTRUDER_ID },
};

/**
 * Path parameters that are not a mysfit's id: each must be a 400 before anything is read or written. A route's tests
 * may take a few of these (a description and a mysfitId, or null for no path parameters at all).
 */
export const MALFORMED_MYSFIT_IDS: Array<[string, string | null]> = [
  ['not a UUID', 'evangeline'],
  ['a UUID without hyphens', '4e53920c505a4a90a694b9300791f0ae'],
  ['a UUID with a trailing character', `${MYSFIT_ID}x`],
  ['a path traversal', '../../etc/passwd'],
  ['an expression injection', "4e53920c' OR MysfitId <> '"],
  ['an empty id', ''],
  ['no path parameters at all', null],
];

/** Requests the Cognito authorizer would not have let through: each must be a 401 before anything is read. */
export const UNAUTHENTICATED: Array<[string, EventChanges]> = [
  ['no authorizer at all', { claims: null }],
  ['claims without a sub', { claims: { email: USER_EMAIL, 'cognito:username': USER_ID } }],
  ['an empty sub', { claims: { sub: '', email: USER_EMAIL } }],
  ['no authorizer, but a body, header and query naming a user', { ...IMPERSONATION, claims: null }],
];

/** Everything a mocked client was sent, as one string: to show a value never reached the database. */
export function everythingSent(stub: { calls(): Array<{ args: unknown[] }> }): string {
  return JSON.stringify(stub.calls().map((call) => (call.args[0] as { input: unknown }).input));
}

/** Fakes the clock's date only, at `now`: timers, hrtime and performance stay real (the SDK, retries and servers need them). */
export function fakeDateOnly(now: Date | number): void {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}
