/**
 * local/offlineRouteTable.ts relies on how serverless-offline prints its route table. If an upgrade changes that, this
 * fails here, by name, instead of the table coming back (or other output vanishing) unnoticed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../../dev/paths';
import { hideOfflineRouteTable, INVOCATIONS_PATH, isOfflineRouteTable } from '../../../local/offlineRouteTable';

const offline = join(PROJECT_ROOT, 'node_modules', 'serverless-offline');

test('written for serverless-offline 14.8: its route table is one console.log of a box holding the invocation paths', () => {
  const { version } = JSON.parse(readFileSync(join(offline, 'package.json'), 'utf8')) as { version: string };
  const source = readFileSync(join(offline, 'src', 'utils', 'logRoutes.js'), 'utf8');
  // On a failure here: look at serverless-offline's src/utils/logRoutes.js and mend local/offlineRouteTable.ts.
  expect(version).toMatch(/^14\.8\./);
  expect(source).toContain('console.log(');
  expect(source).toContain('boxen(');
  expect(readFileSync(join(offline, 'src', 'events', 'http', 'HttpServer.js'), 'utf8')).toContain(`invokePath: \`${INVOCATIONS_PATH}`);
});

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
