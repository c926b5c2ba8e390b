/**
 * Everything the local system takes from serverless-offline beyond its documented settings and hooks, in one place.
 * Written for serverless-offline 14.8; tests/unit/local/serverlessOfflineInternals.test.ts holds each item to the
 * installed copy, and the plugin warns at start when the installed version is another. After an upgrade, look at:
 *
 * 1. Its route table (src/utils/logRoutes.js): one console.log of a box, with no setting to leave it out, and an
 *    invocation address under each route that does not answer; the banner (banner.ts) lists the routes instead.
 * 2. The authorizer-override header (src/events/http/lambda-events/LambdaProxyIntegrationEvent.js): the event's
 *    authorizer result is taken from it, so a client must never set it, and the local authorizer hands its verified
 *    claims over through it.
 * 3. Its own SIGINT/SIGTERM listeners (src/ServerlessOffline.js): `serverless offline` ends the process from them with
 *    no hook after (only `serverless offline start` has its end hook), so they run after the local services stop.
 * 4. The API's hapi server, from `internals().getApiGatewayServer()` on the plugin (src/ServerlessOffline.js).
 * 5. When it reads a function's settings: at the function's first invocation, when src/lambda/LambdaFunctionPool.js
 *    makes its runner (src/lambda/LambdaFunction.js copies the environment then), from the service's own objects. So
 *    the plugin may still change them after serverless offline has started, as long as no request has reached a
 *    function (startingGate.ts holds them): it does when the local user pool had to be made again.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const WRITTEN_FOR = '14.8';

/** The installed version, when it is not the one this module was written for; undefined when it is. */
export function otherInstalledVersion(): string | undefined {
  // Its package.json is not among its exports: found next to its entry point (src/index.js).
  const packageFile = join(dirname(require.resolve('serverless-offline')), '..', 'package.json');
  const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string };
  return version.startsWith(`${WRITTEN_FOR}.`) ? undefined : version;
}

// 1. The route table.

export const INVOCATIONS_PATH = '/2015-03-31/functions/';

/** Whether console.log's arguments are serverless-offline's route table. */
export const isOfflineRouteTable = (args: unknown[]): boolean =>
  args.length === 1 && typeof args[0] === 'string' && args[0].includes(INVOCATIONS_PATH) && args[0].includes('│');

/** Holds back the route table from now on; the function returned puts console.log back. */
export function hideOfflineRouteTable(): () => void {
  const log = console.log;
  console.log = (...args: unknown[]) => {
    if (!isOfflineRouteTable(args)) log(...args);
  };
  return () => {
    console.log = log;
  };
}

// 2. The authorizer-override header.

export const OVERRIDE_HEADER = 'sls-offline-authorizer-override';

interface RawRequest {
  raw: { req: { rawHeaders: string[] } };
  headers: Record<string, unknown>;
}

/** Drops every copy of the header a client sent (the event is built from the raw headers). */
export function dropAuthorizerOverride(request: RawRequest): void {
  const raw = request.raw.req.rawHeaders ?? [];
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (String(raw[i]).toLowerCase() !== OVERRIDE_HEADER) kept.push(raw[i] as string, raw[i + 1] as string);
  }
  request.raw.req.rawHeaders = kept;
  delete request.headers[OVERRIDE_HEADER];
}

/** Makes `claims` the event's authorizer claims, as API Gateway's Cognito authorizer puts them there. */
export function handOverClaims(request: RawRequest, claims: Record<string, string>): void {
  request.raw.req.rawHeaders.push(OVERRIDE_HEADER, JSON.stringify({ claims }));
}

// 3. Its SIGINT/SIGTERM listeners.

export type SignalListeners = Map<NodeJS.Signals, Array<(...args: unknown[]) => void>>;

/** Takes serverless-offline's listeners off the signals (every listener but `ours`), to be run later by the caller. */
export function takeOverSignalListeners(ours: (...args: never[]) => unknown): SignalListeners {
  const taken: SignalListeners = new Map();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const theirs = process.listeners(signal).filter((listener) => listener !== ours) as Array<(...args: unknown[]) => void>;
    for (const listener of theirs) process.removeListener(signal, listener);
    taken.set(signal, theirs);
  }
  return taken;
}

// 4. The API's hapi server.

/** The hapi server serverless-offline serves the API from, once it has started (hapi's own API from there on). */
export function apiGatewayServer<Server>(plugins: readonly object[]): Server | undefined {
  const offline = plugins.find((plugin) => plugin.constructor.name === 'ServerlessOffline') as
    { internals?: () => { getApiGatewayServer?: () => Server | null } } | undefined;
  try {
    return offline?.internals?.().getApiGatewayServer?.() ?? undefined;
  } catch {
    return undefined; // not created yet
  }
}
