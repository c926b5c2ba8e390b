/**
 * Where the local system reaches past a package's public surface (issue 23 lists them), the version it was written
 * for, and the internal it relies on: an upgrade that moves one fails here, by name, with what to mend, instead of
 * `npm start` breaking somewhere else. (serverless-offline's route table: offlineRouteTable.test.ts.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../dev/paths';

const modules = join(PROJECT_ROOT, 'node_modules');
const versionOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
const source = (...path: string[]) => readFileSync(join(modules, ...path), 'utf8');

test('local/cognito.ts: written for cognito-local 5.3.0, built from its internal modules (lib/server, lib/services, lib/targets)', () => {
  const cognitoLocal = join(modules, 'cognito-local');
  expect(versionOf(cognitoLocal)).toBe('5.3.0');
  for (const internal of [
    'lib/server/server.js',
    'lib/server/Router.js',
    'lib/targets/targets.js',
    'lib/services/tokenGenerator.js',
    'lib/keys/cognitoLocal.private.json',
  ]) {
    expect({ internal, there: existsSync(join(cognitoLocal, internal)) }).toEqual({ internal, there: true });
  }
});

describe('written for serverless-offline 14.8', () => {
  test('its version', () => {
    expect(versionOf(join(modules, 'serverless-offline'))).toMatch(/^14\.8\./);
  });

  test('local/cognitoAuthorizer.ts: the event takes its authorizer result from the sls-offline-authorizer-override header', () => {
    expect(source('serverless-offline', 'src', 'events', 'http', 'lambda-events', 'LambdaProxyIntegrationEvent.js')).toContain(
      'headers["sls-offline-authorizer-override"]',
    );
  });

  test('local/plugin.ts: it ends the process from its own SIGINT and SIGTERM listeners (the plugin runs them after its stop)', () => {
    const offline = source('serverless-offline', 'src', 'ServerlessOffline.js');
    expect(offline).toContain('.on("SIGINT"');
    expect(offline).toContain('.on("SIGTERM"');
  });

  test("local/notFound.ts: its HTTP servers are @hapi/hapi 21's (the plugin adds a step to their start)", () => {
    const range = (JSON.parse(source('serverless-offline', 'package.json')) as { dependencies: Record<string, string> }).dependencies[
      '@hapi/hapi'
    ];
    expect(range).toMatch(/^\^?21\./);
  });
});
