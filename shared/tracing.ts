/**
 * X-Ray inside an invocation: a `## <handler>` subsegment annotated with the route and its outcome, one subsegment per
 * AWS SDK call (DynamoDB, Firehose) under it, and one per remote call (the pool's JWKS). Lambda's active tracing
 * (serverless.yml) records the invocation itself and hands it its trace header; these subsegments go to the X-Ray
 * daemon Lambda runs (AWS_XRAY_DAEMON_ADDRESS) as UDP documents. Nothing is sent when the invocation is not sampled
 * or there is no daemon (tests, the local system).
 *
 * The documents are the ones Powertools Tracer (aws-xray-sdk-core) sends for the same calls, field for field:
 * tests/unit/tracingDifferential.test.ts sends both to one stand-in daemon and compares them, so a drift fails.
 * Why not Powertools Tracer itself: it costs more than the cold-start budget allows (README, "Traces").
 *
 * Each invocation's trace is its own: the header is read when it starts (from Lambda's per-invocation store when
 * one process serves several at once, else the environment), and kept in an AsyncLocalStorage for its calls.
 */
import { getXrayTraceDataFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isThrottled } from './errors';

interface TraceHeader {
  root: string;
  parent: string;
  sampled: boolean;
}

/** `Root=1-...;Parent=...;Sampled=1`, as Lambda hands each invocation its trace. */
export function traceHeader(fields: Record<string, string> | undefined = getXrayTraceDataFromEnv()): TraceHeader | undefined {
  if (!fields?.Root || !fields.Parent) return undefined;
  return { root: fields.Root, parent: fields.Parent, sampled: fields.Sampled === '1' };
}

/** `169.254.79.129:2000`, or `udp:host:port tcp:host:port`: where subsegments go. */
export function daemonAddress(value: string | undefined = process.env.AWS_XRAY_DAEMON_ADDRESS): { host: string; port: number } | undefined {
  if (!value) return undefined;
  const udp = value.split(' ').find((part) => part.startsWith('udp:')) ?? value.split(' ')[0] ?? '';
  const match = /^(?:udp:)?([^:\s]+):(\d+)$/.exec(udp);
  return match ? { host: match[1] as string, port: Number(match[2]) } : undefined;
}

export interface CapturedException {
  id: string;
  message: string;
  type: string;
  remote: boolean;
}

export interface Subsegment {
  type: 'subsegment';
  id: string;
  trace_id: string;
  parent_id: string;
  name: string;
  start_time: number;
  end_time: number;
  namespace?: 'aws' | 'remote';
  annotations?: Record<string, string | number | boolean>;
  aws?: Record<string, unknown>;
  http?: { request?: { url: string; method: string }; response?: { status: number } };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: { working_directory: string; exceptions: CapturedException[] };
}

const newId = (): string => randomBytes(8).toString('hex');
const now = (): number => Date.now() / 1000;

let socket: Socket | undefined;
const HEADER = '{"format":"json","version":1}\n';

/** Sends one document to the daemon; a trace is never worth a failed request, so errors are dropped. */
function send(document: Subsegment): void {
  const address = daemonAddress();
  if (!address) return;
  if (!socket) {
    socket = createSocket('udp4');
    socket.on('error', () => undefined);
    socket.unref();
  }
  socket.send(HEADER + JSON.stringify(document), address.port, address.host, () => undefined);
}

/** An exception as X-Ray shows it; `remote` when another service raised it. */
function cause(error: unknown, remote: boolean): Subsegment['cause'] {
  const { name = 'Error', message = String(error) } = (error ?? {}) as { name?: string; message?: string };
  return { working_directory: process.cwd(), exceptions: [{ id: newId(), message, type: name, remote }] };
}

/** The invocation being traced: its header, the handler's subsegment, what it is annotated with. */
interface Invocation {
  header: TraceHeader;
  handlerId: string;
  started: number;
  route: string;
  coldStart: boolean;
}

/** Each invocation's own slot (see withTraceContext); empty when it is not sampled. */
const invocations = new AsyncLocalStorage<{ traced?: Invocation }>();
const current = (): Invocation | undefined => invocations.getStore()?.traced;
let coldStart = true;

/**
 * Runs each invocation of a handler in a trace context of its own, which traceInvocation fills in and every call
 * made within it reads: invocations that overlap in one process never share one.
 */
export function withTraceContext<Args extends unknown[], Result>(handler: (...args: Args) => Promise<Result>) {
  return (...args: Args): Promise<Result> => invocations.run({}, () => handler(...args));
}

/**
 * The middleware: opens `## <handler>` before the handler, closes it after, annotated with `route`, `outcome`
 * (success, client error, server error) and the status, the cold start and the service; a thrown error as its cause.
 */
export function traceInvocation<Event, Result>(
  routeOf: (event: Event) => string,
  statusOf: (result: Result | undefined, error: unknown) => number,
): MiddlewareObj<Event, Result, Error, Context> {
  const close = (result: Result | undefined, error: unknown) => {
    const slot = invocations.getStore();
    const invocation = slot?.traced;
    if (!slot || !invocation) return;
    slot.traced = undefined;
    const status = statusOf(result, error);
    send({
      type: 'subsegment',
      id: invocation.handlerId,
      trace_id: invocation.header.root,
      parent_id: invocation.header.parent,
      // Powertools' name: the handler as Lambda knows it (functions/getMysfit.handler).
      name: `## ${process.env._HANDLER ?? 'handler'}`,
      start_time: invocation.started,
      end_time: now(),
      annotations: {
        route: invocation.route,
        outcome: status >= 500 ? 'server error' : status >= 400 ? 'client error' : 'success',
        status,
        ColdStart: invocation.coldStart,
        Service: process.env.POWERTOOLS_SERVICE_NAME ?? 'mysfits',
      },
      ...(status >= 500 ? { fault: true } : status >= 400 ? { error: true } : {}),
      ...(error && status >= 500 ? { fault: true, cause: cause(error, false) } : {}),
    });
  };
  return {
    before: (request) => {
      const slot = invocations.getStore();
      const header = traceHeader();
      if (slot && header?.sampled) {
        slot.traced = { header, handlerId: newId(), started: now(), route: routeOf(request.event), coldStart };
      }
      coldStart = false;
    },
    after: (request) => close(request.response ?? undefined, undefined),
    onError: (request) => close(request.response ?? undefined, request.error),
  };
}

/** One subsegment of the handler's, for a call that took from `start` until now. */
function callDocument(invocation: Invocation, start: number, fields: Partial<Subsegment> & { name: string }): Subsegment {
  return {
    type: 'subsegment',
    id: newId(),
    trace_id: invocation.header.root,
    parent_id: invocation.handlerId,
    start_time: start,
    end_time: now(),
    ...fields,
  };
}

/** X-Ray's flags for an HTTP status: a 4xx is an error, a 5xx a fault, a 429 a throttle too. */
function statusFlags(status: number | undefined): Partial<Subsegment> {
  if (!status) return {};
  return {
    ...(status === 429 ? { throttle: true } : {}),
    ...(status >= 500 ? { fault: true } : status >= 400 ? { error: true } : {}),
  };
}

interface Stack {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void };
}

interface CallContext {
  clientName?: string;
  commandName?: string;
}

interface Metadata {
  requestId?: string;
  httpStatusCode?: number;
  attempts?: number;
}

/** The request parameters the X-Ray SDK records of a DynamoDB call (its whitelist, for the operations used here). */
const RECORDED_PARAMETERS = [
  'TableName',
  'IndexName',
  'ConsistentRead',
  'ProjectionExpression',
  'Limit',
  'Select',
  'ScanIndexForward',
  'Segment',
  'TotalSegments',
  'AttributesToGet',
];

/** `ConsistentRead` -> `consistent_read`, as X-Ray names them. */
const snakeCase = (name: string): string => name.replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase();

/** What X-Ray records of a call: the table and its parameters, the tables of a batch, the delivery stream. */
function resourceOf(input: Record<string, unknown>): Record<string, unknown> {
  const recorded = RECORDED_PARAMETERS.filter((name) => input[name] !== undefined).map((name) => [snakeCase(name), input[name]]);
  const { RequestItems, DeliveryStreamName } = input;
  return {
    ...Object.fromEntries(recorded),
    ...(RequestItems && typeof RequestItems === 'object' ? { table_names: Object.keys(RequestItems) } : {}),
    // Not recorded by the X-Ray SDK (it has no Firehose list): which stream, for whoever reads the trace.
    ...(typeof DeliveryStreamName === 'string' ? { stream_name: DeliveryStreamName } : {}),
  };
}

/** Each call of this AWS SDK client becomes a subsegment (`DynamoDB`, operation, table or stream, status) of the handler's. */
export function captureClient<Client extends Stack>(client: Client, service: string, region = process.env.AWS_REGION): Client {
  const capture =
    (
      next: (args: {
        input: Record<string, unknown>;
      }) => Promise<{ output?: { $metadata?: Metadata; Count?: number; ScannedCount?: number } }>,
      context: CallContext,
    ) =>
    async (args: { input: Record<string, unknown> }) => {
      const invocation = current();
      if (!invocation) return next(args);
      const start = now();
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const aws = (metadata: Metadata) => ({
        operation,
        region,
        request_id: metadata.requestId,
        retries: Math.max((metadata.attempts ?? 1) - 1, 0),
        ...resourceOf(args.input),
      });
      try {
        const result = await next(args);
        const metadata = result.output?.$metadata ?? {};
        const status = metadata.httpStatusCode ?? 200;
        send(
          callDocument(invocation, start, {
            name: service,
            namespace: 'aws',
            aws: {
              ...aws(metadata),
              // A scan's counts, as the X-Ray SDK records them.
              ...(operation === 'Scan' ? { count: result.output?.Count, scanned_count: result.output?.ScannedCount } : {}),
            },
            http: { response: { status } },
            ...statusFlags(status),
          }),
        );
        return result;
      } catch (error) {
        const metadata = (error as { $metadata?: Metadata }).$metadata ?? {};
        const status = metadata.httpStatusCode;
        send(
          callDocument(invocation, start, {
            name: service,
            namespace: 'aws',
            aws: aws(metadata),
            ...(status ? { http: { response: { status } } } : {}),
            ...statusFlags(status),
            ...(isThrottled(error) ? { throttle: true } : {}),
            // As the X-Ray SDK has it: a call that threw is a fault whatever its status, caused by the remote error.
            fault: true,
            cause: cause(error, true),
          }),
        );
        throw error;
      }
    };
  client.middlewareStack.add(capture, { step: 'initialize', name: 'xrayCapture', override: true });
  return client;
}

/**
 * A call to another service over HTTP (the pool's JWKS) as a `remote` subsegment named by its host, with the
 * request and the status; `call` answers the status and what the caller wants back (an error status included).
 */
export async function traceRemoteCall<T>(url: string, method: string, call: () => Promise<{ status: number; result: T }>): Promise<T> {
  const invocation = current();
  if (!invocation) return (await call()).result;
  const start = now();
  const request = { url, method };
  const name = new URL(url).hostname;
  try {
    const { status, result } = await call();
    send(callDocument(invocation, start, { name, namespace: 'remote', http: { request, response: { status } }, ...statusFlags(status) }));
    return result;
  } catch (error) {
    // No answer at all (refused, timed out): a fault, caused by the remote side.
    send(callDocument(invocation, start, { name, namespace: 'remote', http: { request }, fault: true, cause: cause(error, true) }));
    throw error;
  }
}
