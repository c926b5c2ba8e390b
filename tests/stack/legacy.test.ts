/** Legacy mode: with LEGACY_LIST_URL set, GET /mysfits goes to the old service, as the VPC link does in prod. */
import { createServer, type Server } from 'node:http';
import { freePort } from '../../dev/ports';
import { api, EVANGELINE, newUser, startTestStack, type TestStack } from '../support/localStack';

jest.setTimeout(120_000);

let legacy: Server;
let stack: TestStack;
const seen: string[] = [];

beforeAll(async () => {
  // A stand-in for the workshop's Flask service behind the NLB
  const port = await freePort();
  legacy = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ mysfits: [{ mysfitId: 'legacy-1', name: 'From the old service' }] }));
  });
  await new Promise<void>((resolve) => legacy.listen(port, '127.0.0.1', resolve));
  stack = await startTestStack({ legacyListUrl: `http://127.0.0.1:${port}` });
});
afterAll(async () => {
  await stack?.destroy();
  await new Promise((resolve) => legacy?.close(resolve));
});

test('GET /mysfits, with its query string, is answered by the legacy service', async () => {
  const all = await api(stack, '/mysfits');
  const filtered = await api(stack, '/mysfits?filter=GoodEvil&value=Evil');
  expect(all.body).toEqual({ mysfits: [{ mysfitId: 'legacy-1', name: 'From the old service' }] });
  expect(filtered.status).toBe(200);
  expect(seen).toEqual(['GET /mysfits', 'GET /mysfits?filter=GoodEvil&value=Evil']);
});

test('every other route stays on its Lambda function, the authorizer included', async () => {
  const profile = await api(stack, `/mysfits/${EVANGELINE}`);
  const anonymous = await api(stack, `/mysfits/${EVANGELINE}/like`, { method: 'POST' });
  const user = await newUser(stack, 'legacy');
  const like = await api(stack, `/mysfits/${EVANGELINE}/like`, { method: 'POST', token: user.idToken });
  expect(profile.body.name).toBe('Evangeline');
  expect(anonymous.status).toBe(401);
  expect(like).toMatchObject({ status: 200, body: { liked: true } });
  expect(seen.every((request) => request.startsWith('GET /mysfits'))).toBe(true);
});
