/**
 * Named errors, the one classification of AWS errors (busy, out of reach), and the one place that turns any thrown
 * error into an HTTP status and a safe message.
 */
import { isThrottlingError, isTransientError } from '@smithy/core/retry';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequest extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'Unauthorized') {
    super(401, message);
  }
}

export class NotFound extends HttpError {
  constructor(message: string) {
    super(404, message);
  }
}

export class Conflict extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

export class ServiceUnavailable extends HttpError {
  constructor(message = 'The service is busy or its database is unreachable; try again shortly') {
    super(503, message);
  }
}

export interface ErrorResponse {
  statusCode: number;
  message: string;
}

/**
 * A table, index or stream that does not exist: the function's settings name something that is not there. A bug
 * in the deployment, not an outage: retrying will not help, so it is a 500, logged as what it is.
 */
export function isMisconfiguration(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

/**
 * middy's JSON body parser answers a body that is not JSON with a 415, as it answers a wrong content type; a body
 * that does not parse is a bad request. Told apart by what it carries (JSON.parse's failure), not by its words.
 */
function isMalformedJson(error: Error): boolean {
  const cause = (error as { cause?: { package?: unknown; message?: unknown } }).cause;
  return cause?.package === '@middy/http-json-body-parser' && typeof cause.message === 'string';
}

/** An error as the SDK's classification reads it (name, $metadata, $retryable, code, cause). */
type SdkError = Parameters<typeof isTransientError>[0];

/**
 * The one classification of AWS and network errors: the AWS SDK's own, which its retries use (@smithy/core/retry).
 * Throttled: a 429, a throttling error name, a `$retryable` throttling trait. Transient: a 5xx, a timeout, a network
 * error code, a `$retryable` trait. Either means "busy or out of reach": worth trying again later, not a bug.
 */
export function isThrottled(error: unknown): boolean {
  return error instanceof Error && isThrottlingError(error as SdkError);
}

export function isUnavailable(error: unknown): boolean {
  return isThrottled(error) || (error instanceof Error && isTransientError(error as SdkError));
}

/**
 * DynamoDB's reasons for cancelling one item of a transaction that mean it was throttled (TransactWriteItems'
 * CancellationReasons codes, which are not error names, so the SDK's classification does not read them).
 */
const THROTTLED_CANCELLATIONS = new Set(['ProvisionedThroughputExceeded', 'ThrottlingError']);

export const isThrottledCancellation = (code: string): boolean => THROTTLED_CANCELLATIONS.has(code);

/**
 * Maps a thrown value to the status and message a client may see. Only our own errors and client errors
 * (status < 500) keep their message; anything unexpected becomes a generic 500 without internals.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpError) {
    return { statusCode: error.statusCode, message: error.message };
  }
  if (error instanceof Error && !isMisconfiguration(error)) {
    if (isUnavailable(error)) {
      return { statusCode: 503, message: new ServiceUnavailable().message };
    }
    if (isMalformedJson(error)) {
      return { statusCode: 400, message: 'The body is not valid JSON' };
    }
    // middy's convention (http-errors): an error carries its status, and `expose` says its message may be shown.
    const { statusCode: status, expose } = error as { statusCode?: unknown; expose?: unknown };
    if (expose === true && typeof status === 'number' && status >= 400 && status < 500) {
      return { statusCode: status, message: error.message };
    }
  }
  return { statusCode: 500, message: 'Internal server error' };
}
