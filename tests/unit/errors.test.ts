/** toErrorResponse: the one place a thrown value becomes a status and a message a client may see. */
import {
  BadRequest,
  Conflict,
  HttpError,
  isMisconfiguration,
  isThrottled,
  isThrottledCancellation,
  isUnavailable,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  toErrorResponse,
} from '../../shared/errors';
import { createError } from '@middy/util';
import { AWS_INTERNAL_DETAIL, MISCONFIGURED_FAILURE, UNAVAILABLE_FAILURES, UNAVAILABLE_MESSAGE } from '../support/fixtures';

describe('our own errors keep their status and message', () => {
  test.each([
    {
      error: new BadRequest('Invalid path: mysfitId must be a UUID'),
      statusCode: 400,
      message: 'Invalid path: mysfitId must be a UUID',
      name: 'BadRequest',
    },
    { error: new Unauthorized(), statusCode: 401, message: 'Unauthorized', name: 'Unauthorized' },
    { error: new NotFound('No mysfit with id x'), statusCode: 404, message: 'No mysfit with id x', name: 'NotFound' },
    {
      error: new Conflict('Mysfit x has already been adopted by someone else'),
      statusCode: 409,
      message: 'Mysfit x has already been adopted by someone else',
      name: 'Conflict',
    },
    { error: new ServiceUnavailable(), statusCode: 503, message: UNAVAILABLE_MESSAGE, name: 'ServiceUnavailable' },
    {
      error: new ServiceUnavailable('Too many concurrent updates; try again'),
      statusCode: 503,
      message: 'Too many concurrent updates; try again',
      name: 'ServiceUnavailable',
    },
  ])('$name -> $statusCode', ({ error, statusCode, message, name }) => {
    // Act
    const response = toErrorResponse(error);
    // Assert
    expect(response).toEqual({ statusCode, message });
    expect(error).toBeInstanceOf(HttpError);
    expect(error.name).toBe(name);
  });
});

describe('the database being busy or out of reach is a 503 with a fixed message', () => {
  test.each(UNAVAILABLE_FAILURES)('%s', (_name, failure) => {
    // Act
    const response = toErrorResponse(failure());
    // Assert
    expect(response).toEqual({ statusCode: 503, message: UNAVAILABLE_MESSAGE });
  });

  test.each([
    'RequestLimitExceeded',
    'LimitExceededException',
    'InternalServerError',
    'ServiceUnavailable',
    'RequestTimeout',
    'RequestTimeoutException',
  ])('an AWS error named %s', (name) => {
    // Arrange
    const error = Object.assign(new Error(AWS_INTERNAL_DETAIL), { name, $metadata: { httpStatusCode: 500 } });
    // Act
    const response = toErrorResponse(error);
    // Assert
    expect(response).toEqual({ statusCode: 503, message: UNAVAILABLE_MESSAGE });
  });

  test.each(['ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN'])('a network error with code %s', (code) => {
    // Arrange
    const error = Object.assign(new Error(`getaddrinfo ${code} dynamodb.us-east-1.amazonaws.com`), { code });
    // Act
    const response = toErrorResponse(error);
    // Assert
    expect(response).toEqual({ statusCode: 503, message: UNAVAILABLE_MESSAGE });
  });
});

describe("an error raised by a middleware keeps only an exposed client status (middy's statusCode/expose convention)", () => {
  test('a 4xx middy error and its message are kept', () => {
    // Arrange
    const error = createError(415, 'Unsupported Media Type');
    // Act
    const response = toErrorResponse(error);
    // Assert
    expect(response).toEqual({ statusCode: 415, message: 'Unsupported Media Type' });
  });

  test('a status without expose says nothing: a generic 500', () => {
    const error = Object.assign(new Error(AWS_INTERNAL_DETAIL), { statusCode: 415 });
    expect(toErrorResponse(error)).toEqual({ statusCode: 500, message: 'Internal server error' });
  });

  test("the JSON body parser's 415 for a body that does not parse is a 400, whatever its wording", () => {
    const error = createError(415, 'any words', {
      cause: { package: '@middy/http-json-body-parser', data: '{', message: 'Unexpected end of JSON input' },
    });
    expect(toErrorResponse(error)).toEqual({ statusCode: 400, message: 'The body is not valid JSON' });
  });

  test('a table or index that does not exist is a 500 (a misconfiguration, not an outage)', () => {
    const error = MISCONFIGURED_FAILURE();
    expect(isMisconfiguration(error)).toBe(true);
    expect(toErrorResponse(error)).toEqual({ statusCode: 500, message: 'Internal server error' });
  });

  test.each([500, 502, 302, 200])('status %s becomes a generic 500, even exposed', (statusCode) => {
    // Arrange
    const error = Object.assign(new Error(AWS_INTERNAL_DETAIL), { statusCode, expose: true });
    // Act
    const response = toErrorResponse(error);
    // Assert
    expect(response).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});

describe('anything else is a generic 500 that says nothing of it', () => {
  test.each([
    ['a TypeError', new TypeError(`Cannot read properties of undefined ${AWS_INTERNAL_DETAIL}`)],
    [
      'a conditional write failing outside a transaction',
      Object.assign(new Error(AWS_INTERNAL_DETAIL), { name: 'ConditionalCheckFailedException' }),
    ],
    [
      'a validation error from DynamoDB (a bug in an expression)',
      Object.assign(new Error(AWS_INTERNAL_DETAIL), { name: 'ValidationException' }),
    ],
    ['an error with a non-network code', Object.assign(new Error(AWS_INTERNAL_DETAIL), { code: 'ERR_INVALID_ARG_TYPE' })],
    ['a string', AWS_INTERNAL_DETAIL],
    ['undefined', undefined],
    ['null', null],
    ['a plain object with a status', { statusCode: 404, message: AWS_INTERNAL_DETAIL }],
  ])('%s', (_description, thrown) => {
    // Act
    const response = toErrorResponse(thrown);
    // Assert
    expect(response).toEqual({ statusCode: 500, message: 'Internal server error' });
  });
});

describe("the classification is the AWS SDK's own (@smithy/core/retry): each SDK error and status to its answer", () => {
  const sdkError = (name: string, status: number | undefined, extra: object = {}) =>
    Object.assign(new Error(AWS_INTERNAL_DETAIL), { name, $metadata: status ? { httpStatusCode: status } : {}, ...extra });

  test.each<[string, Error, number, boolean]>([
    // [what, the error as the SDK raises it, the HTTP answer, throttled]
    ['ProvisionedThroughputExceededException (400)', sdkError('ProvisionedThroughputExceededException', 400), 503, true],
    ['ThrottlingException (400)', sdkError('ThrottlingException', 400), 503, true],
    ['RequestLimitExceeded (400)', sdkError('RequestLimitExceeded', 400), 503, true],
    ['LimitExceededException (400)', sdkError('LimitExceededException', 400), 503, true],
    ['TransactionInProgressException (400)', sdkError('TransactionInProgressException', 400), 503, true],
    ['any error answered 429', sdkError('SomethingNew', 429), 503, true],
    ['a $retryable throttling trait', sdkError('SomethingNew', 400, { $retryable: { throttling: true } }), 503, true],
    ['InternalServerError (500)', sdkError('InternalServerError', 500), 503, false],
    ['ServiceUnavailable (503)', sdkError('ServiceUnavailable', 503), 503, false],
    ["Firehose's ServiceUnavailableException (503)", sdkError('ServiceUnavailableException', 503), 503, false],
    ['any error answered 502', sdkError('BadGateway', 502), 503, false],
    ['any error answered 504', sdkError('GatewayTimeout', 504), 503, false],
    ['a $retryable trait', sdkError('SomethingNew', 400, { $retryable: {} }), 503, false],
    ['TimeoutError', sdkError('TimeoutError', undefined), 503, false],
    ['a network error ENETUNREACH', Object.assign(new Error(AWS_INTERNAL_DETAIL), { code: 'ENETUNREACH' }), 503, false],
    ['a network error ECONNREFUSED', Object.assign(new Error(AWS_INTERNAL_DETAIL), { code: 'ECONNREFUSED' }), 503, false],
    [
      'a transient cause under another error',
      Object.assign(new Error(AWS_INTERNAL_DETAIL), { cause: sdkError('TimeoutError', undefined) }),
      503,
      false,
    ],
    ['ResourceNotFoundException (400): a misconfiguration', sdkError('ResourceNotFoundException', 400), 500, false],
    ['ValidationException (400): a bug', sdkError('ValidationException', 400), 500, false],
    ['ConditionalCheckFailedException (400)', sdkError('ConditionalCheckFailedException', 400), 500, false],
    ['AccessDeniedException (400): a permission missing', sdkError('AccessDeniedException', 400), 500, false],
    ['an AbortError', sdkError('AbortError', undefined), 500, false],
  ])('%s -> %s', (_what, error, statusCode, throttled) => {
    expect(toErrorResponse(error).statusCode).toBe(statusCode);
    expect(isUnavailable(error)).toBe(statusCode === 503);
    expect(isThrottled(error)).toBe(throttled);
  });

  test.each([
    ['ProvisionedThroughputExceeded', true],
    ['ThrottlingError', true],
    ['TransactionConflict', false],
    ['ConditionalCheckFailed', false],
    ['None', false],
  ])("a transaction's cancellation reason %s is a throttle: %s", (code, throttled) => {
    expect(isThrottledCancellation(code)).toBe(throttled);
  });
});
