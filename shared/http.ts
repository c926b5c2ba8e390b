/**
 * The middy stack every HTTP handler gets: one JSON log line per request, its metrics, CORS on every response (errors
 * too), and every thrown error turned into a JSON `{"message"}` with its status, never a stack trace or a 502.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { SUCCESS_STATUS, type ErrorBody, type Responses, type Route } from './contract';
import { isMisconfiguration, toErrorResponse } from './errors';
import { logger } from './logger';
import { writeMetrics } from './metrics';
import { traceInvocation, withTraceContext } from './tracing';
import { given } from './settings';

/** The one origin browsers may call the API from: '*' on the local stage, else the website's (empty: none). */
const CORS_ORIGIN = given('CORS_ORIGIN');

export type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** A JSON response. Routes answer through routeHandler, which holds their bodies to the contract. */
export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  };
}

type Middleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** The route API Gateway matched, `POST /mysfits/{mysfitId}/like`: the request log's and the trace's label. */
const routeOf = (event: APIGatewayProxyEvent): string => `${event.httpMethod} ${event.resource}`;

/** Turns any error into a JSON response; registered last, so its onError runs first. */
function jsonErrors(): Middleware {
  return {
    onError: async (request) => {
      const { statusCode, message } = toErrorResponse(request.error);
      if (isMisconfiguration(request.error)) {
        logger.error("Misconfigured: a table, index or stream in this function's settings does not exist", {
          error: request.error ?? undefined,
        });
      } else if (statusCode >= 500) {
        logger.error('Request failed', { error: request.error ?? undefined });
      }
      request.response = json(statusCode, { message } satisfies ErrorBody);
    },
  };
}

/**
 * One structured line per request: route, status, duration and request ids. Never headers or bodies. The route is
 * the one API Gateway matched (`POST /mysfits/{mysfitId}/like`), from the event: no handler repeats it.
 */
function requestLog(): Middleware {
  // Keyed by event: serverless-offline may run several invocations of one handler at once.
  const started = new WeakMap<object, number>();
  const write = (request: Parameters<NonNullable<Middleware['after']>>[0]) => {
    const start = started.get(request.event) ?? performance.now();
    logger.info('request', {
      route: routeOf(request.event),
      status: request.response?.statusCode,
      durationMs: Math.round((performance.now() - start) * 1000) / 1000,
      requestId: request.context.awsRequestId,
      apiRequestId: request.event.requestContext?.requestId,
    });
  };
  return {
    before: (request) => {
      started.set(request.event, performance.now());
      logger.addContext(request.context); // function name, version, cold start
    },
    after: write,
    onError: write,
  };
}

export interface HttpHandlerOptions {
  /** The route takes a JSON body: `event.body` arrives parsed (a wrong content type is a 415, bad JSON a 400). */
  jsonBody?: boolean;
}

/** Wraps a route handler in the shared stack. */
export function httpHandler(handler: HttpHandler, options: HttpHandlerOptions = {}) {
  const stack = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    // Writes what the handler counted (shared/metrics.ts) as one line after the response, and the cold start.
    .use(writeMetrics())
    // The `## handler` X-Ray subsegment, annotated with the route and its outcome.
    .use(
      traceInvocation<APIGatewayProxyEvent, APIGatewayProxyResult>(
        routeOf,
        (response, error) => response?.statusCode ?? (error ? 500 : 200),
      ),
    )
    .use(requestLog())
    .use(httpCors({ origin: CORS_ORIGIN }))
    .use(httpHeaderNormalizer());
  if (options.jsonBody) stack.use(httpJsonBodyParser());
  // Each invocation in a trace context of its own (shared/tracing.ts).
  return withTraceContext(stack.use(jsonErrors()).handler(handler));
}

/** A route's handler: it returns the body the contract gives its route (shared/contract.ts's Responses). */
export type RouteHandler<R extends Route> = (event: APIGatewayProxyEvent, context: Context) => Promise<Responses[R]>;

/**
 * Wraps a route's handler in the shared stack: its answer, checked by tsc against the contract's type for the route
 * (the one the website reads), is sent as JSON with the route's success status.
 */
export function routeHandler<R extends Route>(route: R, handler: RouteHandler<R>, options: HttpHandlerOptions = {}) {
  const status = SUCCESS_STATUS[route];
  return httpHandler(async (event, context) => json(status, await handler(event, context)), options);
}
