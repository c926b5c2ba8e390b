/**
 * local/serverlessOfflineInternals.ts leans on serverless-offline's insides. Each test names the version it was
 * written for and the part of serverless-offline it relies on: an upgrade that moves one fails here, by name, with
 * the file to look at, instead of `npm start` breaking somewhere else.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../dev/paths';
import {
  apiGatewayServer,
  dropAuthorizerOverride,
  handOverClaims,
  hideOfflineRouteTable,
  INVOCATIONS_PATH,
  isOfflineRouteTable,
  otherInstalledVersion,
  OVERRIDE_HEADER,
  takeOverSignalListeners,
  WRITTEN_FOR,
} from '../../../local/serverlessOfflineInternals';

const offline = join(PROJECT_ROOT, 'node_modules', 'serverless-offline');
const source = (...path: string[]) => readFileSync(join(offline, ...path), 'utf8');

describe(`written for serverless-offline ${WRITTEN_FOR}`, () => {
  test('the installed version (on a failure: check items 1 to 5 of local/serverlessOfflineInternals.ts, then its WRITTEN_FOR)', () => {
    const { version } = JSON.parse(source('package.json')) as { version: string };
    expect(version).toMatch(/^14\.8\./);
    expect(version.startsWith(`${WRITTEN_FOR}.`)).toBe(true);
    expect(otherInstalledVersion()).toBeUndefined();
  });

  test('1. its route table is one console.log of a box holding the invocation paths (src/utils/logRoutes.js)', () => {
    const logRoutes = source('src', 'utils', 'logRoutes.js');
    expect(logRoutes).toContain('console.log(');
    expect(logRoutes).toContain('boxen(');
    expect(source('src', 'events', 'http', 'HttpServer.js')).toContain(`invokePath: \`${INVOCATIONS_PATH}`);
  });

  test('2. the event takes its authorizer result from the override header (src/events/http/lambda-events)', () => {
    expect(source('src', 'events', 'http', 'lambda-events', 'LambdaProxyIntegrationEvent.js')).toContain(`headers["${OVERRIDE_HEADER}"]`);
  });

  test('3. it ends the process from its own SIGINT and SIGTERM listeners (src/ServerlessOffline.js)', () => {
    const plugin = source('src', 'ServerlessOffline.js');
    expect(plugin).toContain('.on("SIGINT"');
    expect(plugin).toContain('.on("SIGTERM"');
  });

  test("4. it hands out the API's server from internals().getApiGatewayServer(), a @hapi/hapi 21 server", () => {
    expect(source('src', 'ServerlessOffline.js')).toMatch(
      /internals\(\) \{[\s\S]*getApiGatewayServer: \(\) => \{\s*return this\.#http\.getServer\(\)/,
    );
    const range = (JSON.parse(source('package.json')) as { dependencies: Record<string, string> }).dependencies['@hapi/hapi'];
    expect(range).toMatch(/^\^?21\./);
  });

  test("5. a function's settings are read when its first invocation makes its runner (src/lambda/LambdaFunctionPool.js)", () => {
    // The pool makes a runner on demand, from the definition the service holds (not a copy made at start)...
    expect(source('src', 'lambda', 'LambdaFunctionPool.js')).toMatch(
      /get\(functionKey, functionDefinition\) \{[\s\S]*?new LambdaFunction\(\s*functionKey,\s*functionDefinition,/,
    );
    expect(source('src', 'ServerlessOffline.js')).toContain('const functionDefinition = service.getFunction(functionKey)');
    // ...and the runner reads the provider's and the function's environment when it is made.
    const runner = source('src', 'lambda', 'LambdaFunction.js');
    expect(runner).toMatch(
      /constructor\(functionKey, functionDefinition, serverless, options\) \{[\s\S]*?renderIntrinsicFunction\(provider\.environment\)/,
    );
    expect(runner).toContain('...renderIntrinsicFunction(functionDefinition.environment),');
  });
});

test("no other module of the project leans on these (the header's name, the server's getter, the signal listeners)", () => {
  const grep = (text: string) =>
    execFileSync('git', ['grep', '--untracked', '-l', '-F', text, '--', 'local', 'dev', 'shared', 'functions', 'infra', 'scripts'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean);
  for (const text of [OVERRIDE_HEADER, 'getApiGatewayServer', 'process.listeners(']) {
    expect({ text, in: grep(text) }).toEqual({ text, in: ['local/serverlessOfflineInternals.ts'] });
  }
});

describe('1. the route table', () => {
  test('the table is held back, and every other line goes through', () => {
    const lines: unknown[][] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args);
    const restore = hideOfflineRouteTable();
    try {
      console.log(
        `┌──┐\n│ GET | http://127.0.0.1:3000/local/mysfits\n│ POST | http://127.0.0.1:3000${INVOCATIONS_PATH}listMysfits/invocations │\n└──┘`,
      );
      console.log('Starting Offline at stage local');
      console.log('a line', 'with', 'several parts');
    } finally {
      restore();
      console.log = original;
    }
    expect(lines).toEqual([['Starting Offline at stage local'], ['a line', 'with', 'several parts']]);
    expect(isOfflineRouteTable([`see ${INVOCATIONS_PATH} in the docs`])).toBe(false);
  });
});

describe('2. the authorizer-override header', () => {
  const request = (rawHeaders: string[]) => ({
    raw: { req: { rawHeaders } },
    headers: Object.fromEntries(
      Array.from({ length: rawHeaders.length / 2 }, (_, i) => [rawHeaders[2 * i]!.toLowerCase(), rawHeaders[2 * i + 1]]),
    ),
  });

  test('every copy a client sent is dropped, in any case, and the other headers are kept in order', () => {
    const sent = request([
      'Host',
      'x',
      'SLS-Offline-Authorizer-Override',
      '{"claims":{"sub":"me"}}',
      'Accept',
      '*/*',
      OVERRIDE_HEADER,
      '{}',
    ]);
    dropAuthorizerOverride(sent);
    expect(sent.raw.req.rawHeaders).toEqual(['Host', 'x', 'Accept', '*/*']);
    expect(sent.headers).not.toHaveProperty(OVERRIDE_HEADER);
  });

  test('the verified claims are handed over as the authorizer result', () => {
    const sent = request(['Host', 'x']);
    handOverClaims(sent, { sub: 'abc', email: 'a@example.com' });
    expect(sent.raw.req.rawHeaders).toEqual(['Host', 'x', OVERRIDE_HEADER, '{"claims":{"sub":"abc","email":"a@example.com"}}']);
  });
});

describe('3. the signal listeners', () => {
  test('every listener but ours is taken off SIGINT and SIGTERM and handed back, to be run later', () => {
    const ours = () => undefined;
    const theirs = () => undefined;
    const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    process.on('SIGINT', ours).on('SIGINT', theirs).on('SIGTERM', theirs);
    try {
      const taken = takeOverSignalListeners(ours);
      expect(taken.get('SIGINT')).toContain(theirs);
      expect(taken.get('SIGTERM')).toContain(theirs);
      expect(process.listeners('SIGINT')).toEqual([ours]);
      expect(process.listeners('SIGTERM')).toEqual([]);
    } finally {
      process.removeListener('SIGINT', ours);
      for (const signal of ['SIGINT', 'SIGTERM'] as const) for (const listener of before[signal]) process.on(signal, listener);
    }
  });
});

describe("4. the API's server", () => {
  class ServerlessOffline {
    constructor(private readonly server: object | null) {}
    internals() {
      return {
        getApiGatewayServer: () => {
          if (this.server === null) throw new TypeError("Cannot read properties of null (reading 'getServer')");
          return this.server;
        },
      };
    }
  }

  test('found among the plugins once created; none before, nor without serverless-offline', () => {
    const server = { ext: () => undefined };
    expect(apiGatewayServer([{}, new ServerlessOffline(server)])).toBe(server);
    expect(apiGatewayServer([new ServerlessOffline(null)])).toBeUndefined();
    expect(apiGatewayServer([{}])).toBeUndefined();
  });
});
