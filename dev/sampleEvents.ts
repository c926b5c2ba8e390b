/** The sample events in events/ (what `serverless invoke local` uses), changed as a test or benchmark needs, and a typed Lambda context. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './paths';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, FirehoseTransformationEvent } from 'aws-lambda';

/** A function of serverless.yml that API Gateway invokes (dev/functions.ts lists them): its sample event is a REST (v1) proxy event. */
export type FunctionName = string;
/** A function a delivery stream invokes to transform its records: its sample event is a Firehose event. */
export type TransformationName = string;

const readEvent = (name: string): unknown => {
  const file = join(PROJECT_ROOT, 'events', `${name}.json`);
  if (!existsSync(file)) throw new Error(`${name} has no sample event: add events/${name}.json`);
  return JSON.parse(readFileSync(file, 'utf8'));
};

/** A fresh copy of events/<name>.json, the event `serverless invoke local` uses. */
export function sampleEvent(name: FunctionName): APIGatewayProxyEvent {
  return readEvent(name) as APIGatewayProxyEvent;
}

/** A fresh copy of events/<name>.json for a transformation function (a Firehose data-transformation event). */
export function transformationEvent(name: TransformationName): FirehoseTransformationEvent {
  return readEvent(name) as FirehoseTransformationEvent;
}

export interface EventChanges {
  pathParameters?: Record<string, string> | null;
  queryStringParameters?: Record<string, string> | null;
  /** Replaces the authorizer claims; null removes the authorizer entirely. */
  claims?: Record<string, string> | null;
  /** Added to (or replacing) the sample's headers, in both headers and multiValueHeaders. */
  headers?: Record<string, string>;
  body?: string | null;
}

export function eventFor(name: FunctionName, changes: EventChanges = {}): APIGatewayProxyEvent {
  const event = sampleEvent(name);
  if (changes.pathParameters !== undefined) event.pathParameters = changes.pathParameters;
  if (changes.queryStringParameters !== undefined) {
    event.queryStringParameters = changes.queryStringParameters;
    event.multiValueQueryStringParameters = changes.queryStringParameters
      ? Object.fromEntries(Object.entries(changes.queryStringParameters).map(([k, v]) => [k, [v]]))
      : null;
  }
  if (changes.claims === null) delete (event.requestContext as { authorizer?: unknown }).authorizer;
  else if (changes.claims) event.requestContext.authorizer = { claims: changes.claims };
  for (const [name, value] of Object.entries(changes.headers ?? {})) {
    event.headers[name] = value;
    event.multiValueHeaders[name] = [value];
  }
  if (changes.body !== undefined) event.body = changes.body;
  return event;
}

export const context: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'mysfits-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:mysfits-test',
  memoryLimitInMB: '256',
  awsRequestId: '00000000-0000-4000-8000-000000000000',
  logGroupName: '/aws/lambda/mysfits-test',
  logStreamName: '2026/11/27/[$LATEST]0000',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Invokes a handler and parses its JSON body. */
export async function invoke(handler: Handler, event: APIGatewayProxyEvent) {
  const response = await handler(event, context);
  return { ...response, json: JSON.parse(response.body) as Record<string, unknown> };
}
