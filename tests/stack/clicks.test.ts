/**
 * Clicks through the local stack: POST /clicks -> the delivery stream stand-in -> the enrichClicks function (run
 * by serverless offline) -> newline-delimited JSON under the local "bucket" -> npm run report.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';
import { readLocalClicks, type StoredClick } from '../../scripts/report';
import { EVANGELINE, newUser, startTestStack, type TestStack } from '../support/localStack';

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

/** Waits (bounded) until the stored clicks satisfy `done`: the stand-in delivers every few seconds. */
async function storedClicksWhen(done: (clicks: StoredClick[]) => boolean, timeoutMs = 30_000): Promise<StoredClick[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const clicks = readLocalClicks(bucket());
    if (done(clicks)) return clicks;
    if (Date.now() > deadline) throw new Error(`clicks not delivered in time; stored: ${JSON.stringify(clicks)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
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
  const mine = (await storedClicksWhen((clicks) => clicks.filter((c) => c.userId === user.sub).length === 3)).filter(
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
  const clicks = await storedClicksWhen((all) => all.some((c) => c.mysfitId === GARY));
  const gary = clicks.filter((c) => c.mysfitId === GARY);
  expect(gary).toHaveLength(1);
  expect(gary[0]).toMatchObject({ name: 'Gary', signedIn: false, userId: expect.stringMatching(/^visitor-[0-9a-f]{16}$/) });
  expect(clicks.some((c) => c.userId === 'mallory' || c.mysfitId === UNKNOWN)).toBe(false);
  const errors = execFileSync('find', [join(bucket(), 'errors', 'processing-failed'), '-type', 'f'], { encoding: 'utf8' })
    .trim()
    .split('\n');
  expect(errors.length).toBeGreaterThan(0);
});

test('npm run report prints what people did', async () => {
  await storedClicksWhen((clicks) => clicks.some((c) => c.mysfitId === GARY));
  const output = execFileSync(
    process.execPath,
    [join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/report.ts', '--dir', bucket()],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    },
  );
  expect(output).toMatch(/Most viewed\n(.*\n)*\s+Evangeline\s+1\n/);
  expect(output).toMatch(/Most viewed\n(.*\n)*\s+Gary\s+1\n/);
  expect(output).toMatch(/Most liked\n\s+Evangeline\s+1\n/);
  expect(output).toMatch(/Views by good \/ evil\n(.*\n)*\s+Evil\s+1/);
});
