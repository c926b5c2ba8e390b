/**
 * Clicks through the local stack: POST /clicks -> the delivery stream stand-in -> the enrichClicks function (run
 * by serverless offline) -> newline-delimited JSON under the local "bucket" -> npm run report (DuckDB over it).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { EVANGELINE, newUser, startTestStack, type TestStack } from '../support/localStack';
import { storedClicksWhen } from '../support/storedClicks';

jest.setTimeout(120_000);

const GARY = '3f0f196c-4a7b-43af-9e29-6522a715342d';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.destroy());

const bucket = () => join(stack.dataDir, 'clicks-bucket');

async function postClicks(clicks: unknown[], token?: string) {
  const response = await fetch(`${stack.info.apiUrl}/clicks`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: token } : {}) },
    body: JSON.stringify({ clicks }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

test("a signed-in person's clicks are stored under their sub, enriched with the mysfit, by date", async () => {
  // Arrange
  const user = await newUser(stack, 'clicker');
  const at = new Date().toISOString();
  // Act
  const response = await postClicks(
    [
      { action: 'view', mysfitId: EVANGELINE, at },
      { action: 'like', mysfitId: EVANGELINE, at },
      { action: 'filter', filter: 'LawChaos', value: 'Chaotic', at },
    ],
    user.idToken,
  );
  // Assert
  expect(response).toEqual({ status: 202, body: { accepted: 3 } });
  const mine = (await storedClicksWhen(stack.dataDir, (clicks) => clicks.filter((c) => c.userId === user.sub).length === 3)).filter(
    (c) => c.userId === user.sub,
  );
  expect(mine).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        action: 'view',
        mysfitId: EVANGELINE,
        name: 'Evangeline',
        species: 'Chimera',
        goodevil: 'Evil',
        lawchaos: 'Lawful',
        signedIn: true,
      }),
      expect.objectContaining({ action: 'like', mysfitId: EVANGELINE, name: 'Evangeline' }),
      expect.objectContaining({ action: 'filter', filter: 'LawChaos', value: 'Chaotic', signedIn: true }),
    ]),
  );
  const today = new Date();
  const folder = `year=${today.getUTCFullYear()}/month=${String(today.getUTCMonth() + 1).padStart(2, '0')}`;
  expect(execFileSync('find', [join(bucket(), 'clicks'), '-type', 'f'], { encoding: 'utf8' })).toContain(folder);
});

test('a visitor gets a pseudonym, never the id the body claims; unknown mysfits go to errors/, not the data', async () => {
  const claimed = await postClicks([{ action: 'view', mysfitId: GARY, at: new Date().toISOString(), userId: 'mallory' }]);
  expect(claimed.status).toBe(400);

  const response = await postClicks([
    { action: 'view', mysfitId: GARY, at: new Date().toISOString() },
    { action: 'view', mysfitId: UNKNOWN, at: new Date().toISOString() },
  ]);
  expect(response.status).toBe(202);
  const clicks = await storedClicksWhen(stack.dataDir, (all) => all.some((c) => c.mysfitId === GARY));
  const gary = clicks.filter((c) => c.mysfitId === GARY);
  expect(gary).toHaveLength(1);
  expect(gary[0]).toMatchObject({ name: 'Gary', signedIn: false, userId: expect.stringMatching(/^visitor-[0-9a-f]{16}$/) });
  expect(clicks.some((c) => c.userId === 'mallory' || c.mysfitId === UNKNOWN)).toBe(false);
  const errors = execFileSync('find', [join(bucket(), 'errors', 'processing-failed'), '-type', 'f'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  expect(errors.length).toBeGreaterThan(0);
});

test('npm run report -- --format json counts the clicks sent, as the SQL files ask, over the local bucket', async () => {
  // Arrange: the clicks of the tests above (a signed-in view, like and filter; a visitor's view), all delivered.
  await storedClicksWhen(stack.dataDir, (clicks) => clicks.length === 4);
  // Act: the command as a person runs it, against this stack's data folder.
  const output = execFileSync('npm', ['run', '--silent', 'report', '--', '--format', 'json'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOCAL_DATA_DIR: stack.dataDir, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  // Assert
  const report = JSON.parse(output) as Record<string, Array<Record<string, unknown>>>;
  const today = new Date().toISOString().slice(0, 10);
  expect(report.most_viewed).toEqual([
    { mysfitid: EVANGELINE, name: 'Evangeline', views: 1 },
    { mysfitid: GARY, name: 'Gary', views: 1 },
  ]);
  expect(report.most_liked).toEqual([{ mysfitid: EVANGELINE, name: 'Evangeline', likes: 1, unlikes: 0, net: 1 }]);
  expect(report.most_adopted).toEqual([]);
  expect(report.views_by_good_evil).toEqual(expect.arrayContaining([{ goodevil: 'Evil', views: 1 }]));
  expect(report.views_per_person).toEqual([{ people: 2, views: 2, average: 1, median: 1, most: 1 }]);
  expect(report.funnel).toEqual(
    expect.arrayContaining([
      { mysfitid: EVANGELINE, name: 'Evangeline', viewers: 1, likers: 1, adopters: 0, view_to_like: 1, like_to_adopt: 0, view_to_adopt: 0 },
    ]),
  );
  expect((report.clicks_by_hour ?? []).reduce((sum, row) => sum + Number(row.clicks), 0)).toBe(4);
  expect(report.new_vs_returning).toEqual([{ click_date: today, new_people: 1, returning_people: 0 }]);
});
