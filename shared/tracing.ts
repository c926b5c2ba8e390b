/**
 * X-Ray inside an invocation: a `## handler` subsegment annotated with the route and its outcome, and one
 * subsegment per AWS SDK call (DynamoDB, Firehose) under it. Lambda's active tracing (serverless.yml) records the
 * invocation itself and hands each one its trace in _X_AMZN_TRACE_ID; these subsegments go to the X-Ray daemon Lambda
 * runs (AWS_XRAY_DAEMON_ADDRESS) as UDP documents, the way the X-Ray SDK sends them. Nothing is sent when the
 * invocation is not sampled or there is no daemon (tests, the local system).
 *
 * Why not Powertools Tracer: it brings aws-xray-sdk-core, measured at 133 KB and 11 ms more per cold start for every
 * function (BENCHMARKS.md), past the 300 KB budget and most of the cold-start gain of issue 13; the documents it
 * would send for these calls are the ones below.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';

interface TraceHeader {
  root: string;
  parent: string;
  sampled: boolean;
}

/** `Root=1-...;Parent=...;Sampled=1`, as Lambda sets it for each invocation. */
export function traceHeader(value: string | undefined = process.env._X_AMZN_TRACE_ID): TraceHeader | undefined {
  if (!value) return undefined;
  const fields = Object.fromEntries(value.split(';').map((part) => part.split('=', 2) as [string, string]));
  if (!fields.Root || !fields.Parent) return undefined;
  return { root: fields.Root, parent: fields.Parent, sampled: fields.Sampled === '1' };
}

/** `169.254.79.129:2000`, or `udp:host:port tcp:host:port`: where subsegments go. */
export function daemonAddress(value: string | undefined = process.env.AWS_XRAY_DAEMON_ADDRESS): { host: string; port: number } | undefined {
  if (!value) return undefined;
  const udp = value.split(' ').find((part) => part.startsWith('udp:')) ?? value.split(' ')[0] ?? '';
  const match = /^(?:udp:)?([^:\s]+):(\d+)$/.exec(udp);
  return match ? { host: match[1] as string, port: Number(match[2]) } : undefined;
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
  http?: { response: { status: number } };
  error?: boolean;
  fault?: boolean;
  throttle?: boolean;
  cause?: { exceptions: Array<{ id: string; message: string; type: string }> };
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

/** The invocation being traced (Lambda runs one at a time per instance); undefined when it is not sampled. */
let current: { header: TraceHeader; handlerId: string; started: number; route: string; coldStart: boolean } | undefined;
let coldStart = true;

/**
 * The middleware: opens `## handler` before the handler, closes it after, annotated with `route`, `outcome`
 * (success, client error, server error) and the status, the cold start and the service.
 */
export function traceInvocation<Event, Result>(
  routeOf: (event: Event) => string,
  statusOf: (result: Result | undefined, error: unknown) => number,
): MiddlewareObj<Event, Result, Error, Context> {
  const close = (result: Result | undefined, error: unknown) => {
    const invocation = current;
    current = undefined;
    if (!invocation) return;
    const status = statusOf(result, error);
    send({
      type: 'subsegment',
      id: invocation.handlerId,
      trace_id: invocation.header.root,
      parent_id: invocation.header.parent,
      name: '## handler',
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
    });
  };
  return {
    before: (request) => {
      const header = traceHeader();
      current = header?.sampled ? { header, handlerId: newId(), started: now(), route: routeOf(request.event), coldStart } : undefined;
      coldStart = false;
    },
    after: (request) => close(request.response ?? undefined, undefined),
    onError: (request) => close(request.response ?? undefined, request.error),
  };
}

interface Stack {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void };
}

interface CallContext {
  commandName?: string;
}

interface CallOutput {
  output?: { $metadata?: { requestId?: string; httpStatusCode?: number; attempts?: number } };
}

/** Each call of this AWS SDK client becomes a subsegment (`DynamoDB`, operation, table or stream, status) of the handler's. */
export function captureClient<Client extends Stack>(client: Client, service: string, region = process.env.AWS_REGION): Client {
  const capture =
    (next: (args: { input: Record<string, unknown> }) => Promise<CallOutput>, context: CallContext) =>
    async (args: { input: Record<string, unknown> }): Promise<CallOutput> => {
      const invocation = current;
      if (!invocation) return next(args);
      const start = now();
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const resource = {
        operation,
        region,
        ...(typeof args.input.TableName === 'string' ? { table_name: args.input.TableName } : {}),
        ...(typeof args.input.DeliveryStreamName === 'string' ? { stream_name: args.input.DeliveryStreamName } : {}),
      };
      const document = (extra: Partial<Subsegment>): Subsegment => ({
        type: 'subsegment',
        id: newId(),
        trace_id: invocation.header.root,
        parent_id: invocation.handlerId,
        name: service,
        namespace: 'aws',
        start_time: start,
        end_time: now(),
        ...extra,
      });
      try {
        const result = await next(args);
        const metadata = result.output?.$metadata ?? {};
        send(
          document({
            aws: { ...resource, request_id: metadata.requestId, retries: Math.max((metadata.attempts ?? 1) - 1, 0) },
            http: { response: { status: metadata.httpStatusCode ?? 200 } },
          }),
        );
        return result;
      } catch (error) {
        const failure = error as Error & { $metadata?: { httpStatusCode?: number; requestId?: string } };
        const status = failure.$metadata?.httpStatusCode ?? 0;
        const throttled = status === 429 || /Throttl|ProvisionedThroughputExceeded/.test(failure.name);
        send(
          document({
            aws: { ...resource, request_id: failure.$metadata?.requestId },
            ...(status ? { http: { response: { status } } } : {}),
            ...(status >= 400 && status < 500 ? { error: true } : { fault: true }),
            ...(throttled ? { throttle: true } : {}),
            cause: { exceptions: [{ id: newId(), message: failure.message, type: failure.name }] },
          }),
        );
        throw error;
      }
    };
  client.middlewareStack.add(capture, { step: 'initialize', name: 'xrayCapture', override: true });
  return client;
}
