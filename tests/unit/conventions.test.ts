/**
 * What adding a route takes, checked for every function of serverless.yml: its handler in functions/<name>.ts, its
 * sample event in events/<name>.json (for the route it serves), and its unit tests in tests/unit/<name>.test.ts.
 * (Its route in the template and its permissions: tests/infra/template.test.ts, from the same list.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTIONS, HTTP_FUNCTIONS, ROUTES, SERVICE } from '../../dev/functions';
import { PROJECT_ROOT } from '../../dev/paths';
import { SUCCESS_STATUS } from '../../shared/contract';

const file = (...parts: string[]) => join(PROJECT_ROOT, ...parts);

test('serverless.yml has functions, and routes for the HTTP ones', () => {
  expect(FUNCTIONS.length).toBeGreaterThan(0);
  expect(HTTP_FUNCTIONS.length).toBeGreaterThan(0);
});

test.each(FUNCTIONS)('%s: its handler is functions/%s.ts, export handler', (key) => {
  expect(SERVICE.functions[key]?.handler).toBe(`functions/${key}.handler`);
  expect(existsSync(file('functions', `${key}.ts`))).toBe(true);
});

test.each(FUNCTIONS)('%s has its sample event in events/', (key) => {
  expect(existsSync(file('events', `${key}.json`))).toBe(true);
});

test.each(FUNCTIONS)('%s has its unit tests in tests/unit/', (key) => {
  expect(existsSync(file('tests', 'unit', `${key}.test.ts`))).toBe(true);
});

test.each(ROUTES.map((r) => [r.functionKey, r.route, r] as const))("%s's sample event is a request for %s", (key, _route, r) => {
  const event = JSON.parse(readFileSync(file('events', `${key}.json`), 'utf8')) as { httpMethod: string; resource: string };
  expect(`${event.httpMethod} ${event.resource}`).toBe(r.route);
});

test("the contract's routes are serverless.yml's routes, each with its success status", () => {
  expect(Object.keys(SUCCESS_STATUS).sort()).toEqual(ROUTES.map((r) => r.route).sort());
});

test.each(ROUTES.map((r) => [r.functionKey, r.route] as const))(
  '%s answers through routeHandler(%j), so tsc holds its body to the contract',
  (key, route) => {
    const source = readFileSync(file('functions', `${key}.ts`), 'utf8');
    expect(source.replace(/\s+/g, '')).toContain(`routeHandler('${route}',`.replace(/\s+/g, ''));
    expect(source).not.toMatch(/\bjson\(|httpHandler\(/);
  },
);
