/** The sample events' signed-in person is the named sample user (dev/sampleUser.ts), never the README's own user. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { SAMPLE_USER } from '../../dev/sampleUser';

const events = readdirSync(join(PROJECT_ROOT, 'events')).filter((file) => file.endsWith('.json'));
const signedIn = events
  .map((file) => ({
    file,
    claims: JSON.parse(readFileSync(join(PROJECT_ROOT, 'events', file), 'utf8')).requestContext?.authorizer?.claims,
  }))
  .filter((event): event is { file: string; claims: Record<string, string> } => Boolean(event.claims));

test('the signed-in routes have sample events', () => {
  expect(signedIn.map((e) => e.file).sort()).toEqual(['adoptMysfit.json', 'getMe.json', 'likeMysfit.json', 'unlikeMysfit.json']);
});

test.each(signedIn)('$file is signed in as the sample user', ({ claims }) => {
  expect(claims.sub).toBe(SAMPLE_USER.sub);
  expect(claims['cognito:username']).toBe(SAMPLE_USER.sub);
  expect(claims.email).toBe(SAMPLE_USER.email);
});

test("the sample user is not the person the README's steps sign up, and the README names it", () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const signedUp = [...readme.matchAll(/--username (\S+@\S+)/g)].map((m) => m[1]);
  expect(signedUp.length).toBeGreaterThan(0);
  expect(signedUp).not.toContain(SAMPLE_USER.email);
  expect(readme).toContain(SAMPLE_USER.email);
});

test("the clicks in the transformation's sample event are the sample user's", () => {
  const event = JSON.parse(readFileSync(join(PROJECT_ROOT, 'events', 'enrichClicks.json'), 'utf8')) as { records: Array<{ data: string }> };
  const clickers = event.records.map((r) => (JSON.parse(Buffer.from(r.data, 'base64').toString('utf8')) as { userId: string }).userId);
  expect(new Set(clickers)).toEqual(new Set([SAMPLE_USER.sub]));
});
