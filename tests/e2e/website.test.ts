/**
 * The website in a real browser against the local stack: register, confirm with the mailed code, log in, filter,
 * open a profile, like (and see it after a reload), unlike, adopt; a second user sees it adopted; log out.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page, Request, Route } from 'playwright-core';
import { EVANGELINE, mailbox, PASSWORD, startTestStack, type TestStack } from '../support/localStack';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from '../support/localStack';
import { cspViolations, launch, newContext, step } from './browser';
import { SIGN_UP_REFUSED, TOO_MANY_REQUESTS } from '../../web/src/messages';
import { MAX_TRIES } from '../../web/src/retryAfter';

jest.setTimeout(180_000);

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  // The browser first: without it the tier fails in seconds, before there is a system to stop.
  browser = await launch();
  stack = await startTestStack();
});
// The whole journey runs under the site's Content-Security-Policy: any violation fails the test it happened in.
afterEach(() => {
  expect(cspViolations.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

const GARY = '3f0f196c-4a7b-43af-9e29-6522a715342d';
const NESSI = 'a68db521-c031-44c7-b5ef-bfa4c0850e2a';

/** The level-1 heading of the view on the page: never a card's heading, never a view the page has left. */
const viewHeading = (page: Page, name: string) => page.getByRole('main').getByRole('heading', { level: 1, name, exact: true });

/**
 * Waits for the list's twelve cards (a locator, not a page function: the site's CSP forbids the eval that a
 * string predicate needs). The cards are drawn in one go, so the twelfth means all.
 */
async function allTwelveCards(page: Page): Promise<void> {
  await page.locator('.card').nth(11).waitFor();
  expect(await page.locator('.card').count()).toBe(12);
}

const uniqueEmail = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;

/** Registers through the page, takes the code from the mailbox, confirms, and logs in. */
async function registerAndLogIn(page: Page, email: string): Promise<void> {
  await registerAndConfirm(page, email);
  await step(page, `log in ${email}`, async () => {
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await viewHeading(page, 'Meet the Mysfits').waitFor();
  });
}

/** Registers through the page, takes the code from the mailbox and confirms: the page is then at log in. */
async function registerAndConfirm(page: Page, email: string): Promise<void> {
  await step(page, `register ${email}`, async () => {
    await page.goto(`${stack.info.websiteUrl}/#/register`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await viewHeading(page, 'Confirm your email').waitFor();
  });
  await step(page, `confirm ${email}`, async () => {
    const [message] = await mailbox(stack, email);
    expect(message?.kind).toBe('sign-up');
    expect(await page.getByLabel('Email').inputValue()).toBe(email);
    await page.getByLabel('Confirmation code').fill(message?.code ?? '');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await viewHeading(page, 'Log in').waitFor();
  });
}

const likeButton = (page: Page) => page.locator('.profile button.like');

/** Waits (10 s at most) for a condition to hold. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still not so after 10 s: ${condition.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A picture that loaded (natural size > 0) from the site's own content-hashed assets, not the placeholder. */
async function expectPictureFromTheSite(img: Locator): Promise<void> {
  await until(() => img.evaluate((element) => (element as unknown as { complete: boolean }).complete));
  const { src, width, height, classes } = await img.evaluate((element) => {
    const picture = element as unknown as { currentSrc: string; naturalWidth: number; naturalHeight: number; className: string };
    return { src: picture.currentSrc, width: picture.naturalWidth, height: picture.naturalHeight, classes: picture.className };
  });
  expect(src).toMatch(new RegExp(`^${stack.info.websiteUrl}/assets/[a-z]+\\.[0-9a-f]{10}\\.svg$`));
  expect(src).not.toMatch(/placeholder/);
  expect(classes).not.toMatch(/placeholder/);
  expect(width).toBeGreaterThan(0);
  expect(height).toBeGreaterThan(0);
}

test("every mysfit's picture loads from the site, in the list and on its profile, and none is the placeholder", async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const offSite: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'image' && !request.url().startsWith(stack.info.websiteUrl)) offSite.push(request.url());
  });
  await step(page, 'the list', async () => {
    await page.goto(`${stack.info.websiteUrl}/#/`);
    await allTwelveCards(page);
    const pictures = page.locator('.card img');
    expect(await pictures.count()).toBe(12);
    for (let i = 0; i < 12; i++) {
      await pictures.nth(i).scrollIntoViewIfNeeded();
      await expectPictureFromTheSite(pictures.nth(i));
    }
  });
  const ids = await page
    .locator('.card')
    .evaluateAll((cards) => cards.map((card) => (card as unknown as { dataset: { mysfitId: string } }).dataset.mysfitId));
  await step(page, 'every profile', async () => {
    for (const id of ids) {
      await page.goto(`${stack.info.websiteUrl}/#/mysfits/${id}`);
      await page.locator('.portrait').waitFor();
      await expectPictureFromTheSite(page.locator('.portrait'));
    }
  });
  expect(offSite).toEqual([]);
  await context.close();
});

test('the Content-Security-Policy lets pictures come from the site alone', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const response = await page.goto(`${stack.info.websiteUrl}/`);
  const policy = (await response?.headerValue('content-security-policy')) ?? '';
  expect(policy.split('; ')).toContain("img-src 'self'");
  await allTwelveCards(page);
  // A picture from anywhere else is refused by the browser, and reported.
  await page.evaluate(() => {
    const img = (globalThis as unknown as { document: { createElement(name: string): { src: string } } }).document.createElement('img');
    img.src = 'http://127.0.0.2:9/elsewhere.svg';
  });
  await until(async () => cspViolations.some((v) => v.startsWith('img-src blocked http://127.0.0.2:9/elsewhere.svg')));
  cspViolations.splice(0);
  await context.close();
});

test('a visitor registers, confirms, logs in, filters, likes, unlikes and adopts; another user sees it adopted', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const email = uniqueEmail('ada');
  await registerAndLogIn(page, email);
  expect(await page.locator('.who').textContent()).toBe(email);

  await step(page, 'filter', async () => {
    await page.getByLabel('Show').selectOption('GoodEvil:Evil');
    await page.waitForURL(/filter=GoodEvil&value=Evil/);
    await page.locator('.card').first().waitFor();
    const names = await page.locator('.card h2').allTextContents();
    expect(names).toEqual(['Evangeline', 'Gretta', 'Rujin', 'Snowflake']);
    await page.getByRole('button', { name: 'View all' }).click();
    await allTwelveCards(page);
  });

  await step(page, 'open a profile', async () => {
    await page.locator(`.card[data-mysfit-id="${EVANGELINE}"] a`).click();
    await viewHeading(page, 'Evangeline').waitFor();
    expect(await page.locator('.profile dd').allTextContents()).toEqual(['Chimera', '43', 'Lawful Evil']);
    // Its picture comes from the site itself.
    await expectPictureFromTheSite(page.locator('.portrait'));
  });

  await step(page, 'like, and still liked after a reload', async () => {
    const before = Number(await likeButton(page).locator('.count').textContent());
    await likeButton(page).click();
    await page.waitForSelector('.profile button.like[aria-pressed="true"]');
    expect(Number(await likeButton(page).locator('.count').textContent())).toBe(before + 1);
    await page.reload();
    await page.waitForSelector('.profile button.like[aria-pressed="true"]');
    expect(Number(await likeButton(page).locator('.count').textContent())).toBe(before + 1);

    await likeButton(page).click();
    await page.waitForSelector('.profile button.like[aria-pressed="false"]');
    expect(Number(await likeButton(page).locator('.count').textContent())).toBe(before);
  });

  await step(page, 'adopt', async () => {
    await page.getByRole('button', { name: 'Adopt Evangeline' }).click();
    await page.getByTestId('adoption').filter({ hasText: 'Adopted by you' }).waitFor();
    await page.reload();
    await page.getByTestId('adoption').filter({ hasText: 'Adopted by you' }).waitFor();
  });

  // A second person, in a browser profile of their own
  const otherContext = await newContext(browser);
  const other = await otherContext.newPage();
  await registerAndLogIn(other, uniqueEmail('bob'));
  await step(other, 'second user sees it adopted', async () => {
    await other.goto(`${stack.info.websiteUrl}/#/mysfits/${EVANGELINE}`);
    await viewHeading(other, 'Evangeline').waitFor();
    expect(await other.getByTestId('adoption').textContent()).toBe('Adopted');
    expect(await other.getByRole('button', { name: /^Adopt/ }).count()).toBe(0);
  });

  await step(page, 'log out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await page.goto(`${stack.info.websiteUrl}/#/mysfits/${EVANGELINE}`);
    await likeButton(page).click();
    await viewHeading(page, 'Log in').waitFor();
  });
  await Promise.all([context.close(), otherContext.close()]);
});

test('sign-in is SRP, as in AWS: in, out and in again, and the password is never sent to sign in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const email = uniqueEmail('srp');
  // Every sign-in call the page makes to Cognito, with its body.
  const signIns: Array<{ target: string; body: string }> = [];
  page.on('request', (request) => {
    const target = request.headers()['x-amz-target'] ?? '';
    if (/InitiateAuth|RespondToAuthChallenge/.test(target)) signIns.push({ target, body: request.postData() ?? '' });
  });
  await registerAndLogIn(page, email);
  // The session lives in this tab's sessionStorage, as the README says.
  const refreshToken = await page.evaluate<string | undefined>(
    "Object.entries(sessionStorage).find(([key]) => key.endsWith('.refreshToken'))?.[1]",
  );
  expect(refreshToken).toEqual(expect.any(String));
  const cognitoKeys = (storage: 'localStorage' | 'sessionStorage') =>
    page.evaluate<string[]>(`Object.keys(${storage}).filter((key) => key.startsWith('CognitoIdentityServiceProvider'))`);
  expect(await cognitoKeys('localStorage')).toEqual([]);
  const refreshWith = (token: string) =>
    cognitoClient(stack).send(
      new InitiateAuthCommand({
        ClientId: stack.info.userPoolClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: token },
      }),
    );
  // Before log out the refresh token works...
  expect((await refreshWith(refreshToken as string)).AuthenticationResult?.IdToken).toEqual(expect.any(String));
  await step(page, 'out and in again', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    // ...after it, Cognito refuses it (revoked), and the tab holds no token any more.
    await expect(refreshWith(refreshToken as string)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await cognitoKeys('sessionStorage')).toEqual([]);
    await page.goto(`${stack.info.websiteUrl}/#/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.locator('.who').textContent()).toBe(email);
  });
  await step(page, 'a wrong password', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${stack.info.websiteUrl}/#/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Wrong2026x');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect email or password' }).waitFor();
  });
  const initiations = signIns.filter((call) => call.target.endsWith('.InitiateAuth'));
  expect(initiations.map((call) => JSON.parse(call.body).AuthFlow)).toEqual(['USER_SRP_AUTH', 'USER_SRP_AUTH', 'USER_SRP_AUTH']);
  expect(
    signIns.filter((call) => call.target.endsWith('.RespondToAuthChallenge')).map((call) => JSON.parse(call.body).ChallengeName),
  ).toEqual(['PASSWORD_VERIFIER', 'PASSWORD_VERIFIER', 'PASSWORD_VERIFIER']);
  for (const call of signIns) expect(call.body).not.toContain(PASSWORD);
  for (const call of signIns) expect(call.body).not.toContain('Wrong2026x');
  await context.close();
});

test('the site is served with its Content-Security-Policy, which the browser enforces: an injected script does not run', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await step(page, 'csp', async () => {
    const response = await page.goto(`${stack.info.websiteUrl}/#/`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy.split('; ')).toEqual(
      expect.arrayContaining([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        `connect-src 'self' ${new URL(stack.info.apiUrl).origin} ${stack.info.cognitoEndpoint}`,
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
      ]),
    );
    await page.locator('.card').first().waitFor();
    const ran = await page.evaluate<boolean>(`(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
      return window.injected === true;
    })()`);
    expect(ran).toBe(false);
    // The report arrives as an event, a moment later.
    const deadline = Date.now() + 5_000;
    while (cspViolations.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const reported = cspViolations.splice(0);
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.every((violation) => violation.startsWith('script-src'))).toBe(true);
  });
  await context.close();
});

test('the register form shows password rules before submitting, and nothing is sent', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await step(page, 'password rules', async () => {
    const email = uniqueEmail('weak');
    await page.goto(`${stack.info.websiteUrl}/#/register`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('Confirm password').fill('shorter');
    await page.getByRole('button', { name: 'Register' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('at least 8 characters');
    expect(await alert.textContent()).toContain('do not match');
    expect(await mailbox(stack, email)).toEqual([]);
  });
  await context.close();
});

test('failures are shown to the person: a wrong password, an unknown mysfit', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await step(page, 'failures shown', async () => {
    await page.goto(`${stack.info.websiteUrl}/#/login`);
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Incorrect email or password' }).waitFor();

    await page.goto(`${stack.info.websiteUrl}/#/mysfits/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('alert').filter({ hasText: 'no mysfit with that id' }).waitFor();
  });
  await context.close();
});

test('an ID token the API refuses is refreshed with the refresh token, and the call retried: the person stays in', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const email = uniqueEmail('refresh');
  await registerAndLogIn(page, email);
  // What the page asks Cognito from here on.
  const targets: string[] = [];
  page.on('request', (request) => {
    const target = request.headers()['x-amz-target'];
    if (target) targets.push(target.replace(/^.*\./, ''));
  });
  await step(page, 'refused token refreshed', async () => {
    // The ID token in the tab, its signature spoilt: not expired, so the page sends it, and the API refuses it (401).
    const spoilt = await page.evaluate<string>(`(() => {
      const [key, token] = Object.entries(sessionStorage).find(([name]) => name.endsWith('.idToken'));
      const spoilt = token.slice(0, token.lastIndexOf('.') + 1) + 'AAAA';
      sessionStorage.setItem(key, spoilt);
      return spoilt;
    })()`);
    await page.reload();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    expect(await page.locator('.who').textContent()).toBe(email);
    const now = await page.evaluate<string | undefined>("Object.entries(sessionStorage).find(([key]) => key.endsWith('.idToken'))?.[1]");
    expect(now).toEqual(expect.any(String));
    expect(now).not.toBe(spoilt);
    expect(targets).toEqual(['GetTokensFromRefreshToken']);
  });
  await context.close();
});

test('resend code and forgotten password work from the page', async () => {
  const context = await newContext(browser);
  const page = await context.newPage();
  await step(page, 'resend and forgot', async () => {
    const email = uniqueEmail('forgetful');
    await page.goto(`${stack.info.websiteUrl}/#/register`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Confirm password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.getByRole('alert').filter({ hasText: 'We sent a new code' }).waitFor();
    const [resent] = await mailbox(stack, email);
    expect(resent?.kind).toBe('resend');
    await page.getByLabel('Confirmation code').fill(resent?.code ?? '');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await viewHeading(page, 'Log in').waitFor();

    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await viewHeading(page, 'Forgot your password?').waitFor();
    // The form for the code appears only once a code has been sent.
    expect(await page.getByLabel('Code from the email').isVisible()).toBe(false);
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await page.getByRole('alert').filter({ hasText: 'we emailed it a code' }).waitFor();
    await page.getByLabel('Code from the email').waitFor();
    const [forgot] = await mailbox(stack, email);
    expect(forgot?.kind).toBe('forgot-password');
    await page.getByLabel('Code from the email').fill(forgot?.code ?? '');
    await page.getByLabel('New password', { exact: true }).fill('Another2026x');
    await page.getByLabel('Confirm new password').fill('Another2026x');
    await page.getByRole('button', { name: 'Change password' }).click();
    await viewHeading(page, 'Log in').waitFor();
    await page.getByLabel('Password').fill('Another2026x');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  });
  await context.close();
});

test('the layout works at phone width and the forms from the keyboard', async () => {
  const context = await newContext(browser, { width: 390, height: 844 });
  const page = await context.newPage();
  await step(page, 'phone and keyboard', async () => {
    await page.goto(`${stack.info.websiteUrl}/#/`);
    await page.locator('.card').first().waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    await page.goto(`${stack.info.websiteUrl}/#/login`);
    await page.getByLabel('Email').focus();
    await page.keyboard.type('keys@example.com');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Incorrect email or password' }).waitFor();
  });
  await context.close();
});

test('what a person browses reaches the clicks report', async () => {
  const { openLocalClicks } = await import('../../scripts/report/local');
  const bucket = join(stack.dataDir, 'clicks-bucket');
  // The views of one mysfit, through the report's clicks view (DuckDB over the bucket), all days up to today.
  const viewsOf = async (name: string) => {
    const clicks = await openLocalClicks(bucket);
    try {
      const sql = `SELECT count(*) AS views FROM clicks WHERE year || '-' || month || '-' || day BETWEEN ? AND ? AND action = 'view' AND name = '${name}'`;
      const [row] = await clicks.run(
        { name: 'views', title: 'Views', description: '', sql },
        { from: '2024-01-01', to: new Date().toISOString().slice(0, 10) },
      );
      return Number(row?.views ?? 0);
    } finally {
      clicks.close();
    }
  };
  const before = { Gary: await viewsOf('Gary'), Nessi: await viewsOf('Nessi') };

  const context = await newContext(browser);
  const page = await context.newPage();
  await step(page, 'browse profiles', async () => {
    for (const [id, name] of [
      [GARY, 'Gary'],
      [NESSI, 'Nessi'],
      [GARY, 'Gary'],
    ] as const) {
      await page.goto(`${stack.info.websiteUrl}/#/`);
      await viewHeading(page, 'Meet the Mysfits').waitFor();
      await page.locator('.card').first().waitFor();
      await page.locator(`.card[data-mysfit-id="${id}"] a`).click();
      await viewHeading(page, name).waitFor();
    }
  });
  // The page sends its batch a few seconds after the clicks (or when it is hidden); then the stream delivers.

  const deadline = Date.now() + 30_000;
  while ((await viewsOf('Gary')) < before.Gary + 2 || (await viewsOf('Nessi')) < before.Nessi + 1) {
    if (Date.now() > deadline) throw new Error(`views not in the report: Gary ${await viewsOf('Gary')}, Nessi ${await viewsOf('Nessi')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  expect({ Gary: await viewsOf('Gary'), Nessi: await viewsOf('Nessi') }).toEqual({ Gary: before.Gary + 2, Nessi: before.Nessi + 1 });
  await context.close();
});

describe('only the page the person is on draws: a late answer never takes them back', () => {
  /**
   * Holds the page's first GET that `matches` until `release()`, as a slow network would; `outcome` says whether the
   * page cancelled the request while it was held or took its answer.
   */
  async function holdNext(page: Page, matches: (url: URL) => boolean) {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrive!: (request: Request) => void;
    const held = new Promise<Request>((resolve) => (arrive = resolve));
    let taken = false;
    await page.route(matches, async (route) => {
      if (taken || route.request().method() !== 'GET') return route.fallback();
      taken = true;
      arrive(route.request());
      await released;
      // The page may have cancelled it meanwhile: then there is nothing left to answer.
      await route.continue().catch(() => undefined);
    });
    const outcome = held.then(
      (request) =>
        new Promise<'cancelled' | 'answered'>((resolve) => {
          page.on('requestfailed', (failed) => failed === request && resolve('cancelled'));
          page.on('requestfinished', (finished) => finished === request && resolve('answered'));
        }),
    );
    return { held, release, outcome };
  }

  /** Lets the page run whatever the released answer queued (the old bug drew within a task of it). */
  const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));

  test('a profile that answers after the person went back to the list does not replace the list', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await step(page, 'late profile', async () => {
      await page.goto(`${stack.info.websiteUrl}/#/`);
      await allTwelveCards(page);
      const slow = await holdNext(page, (url) => url.pathname.endsWith(`/mysfits/${NESSI}`));
      await page.locator(`.card[data-mysfit-id="${NESSI}"] a`).click();
      await slow.held;
      await page.getByRole('link', { name: 'Mythical Mysfits' }).click();
      await viewHeading(page, 'Meet the Mysfits').waitFor();
      await allTwelveCards(page);

      slow.release();
      expect(await slow.outcome).toBe('cancelled');
      await settle(page);
      expect(new URL(page.url()).hash).toBe('#/');
      expect(await page.locator('main h1').allTextContents()).toEqual(['Meet the Mysfits']);
      expect(await page.locator('.card').count()).toBe(12);
      expect(await page.locator('.profile').count()).toBe(0);
    });
    await context.close();
  });

  test('a filtered list that answers after the person opened a profile does not replace the profile', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await step(page, 'late filtered list', async () => {
      await page.goto(`${stack.info.websiteUrl}/#/`);
      await allTwelveCards(page);
      const slow = await holdNext(page, (url) => url.pathname.endsWith('/mysfits') && url.searchParams.get('filter') === 'GoodEvil');
      await page.getByLabel('Show').selectOption('GoodEvil:Evil');
      await slow.held;
      await page.goto(`${stack.info.websiteUrl}/#/mysfits/${GARY}`);
      await viewHeading(page, 'Gary').waitFor();

      slow.release();
      expect(await slow.outcome).toBe('cancelled');
      await settle(page);
      expect(new URL(page.url()).hash).toBe(`#/mysfits/${GARY}`);
      expect(await page.locator('main h1').allTextContents()).toEqual(['Gary']);
      expect(await page.locator('.card').count()).toBe(0);
    });
    await context.close();
  });

  test('GET /me answering after the person moved on from log in signs them in where they are', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const email = uniqueEmail('slow');
    await registerAndConfirm(page, email);
    await step(page, 'late /me after sign-in', async () => {
      const slow = await holdNext(page, (url) => url.pathname.endsWith('/me'));
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await slow.held;
      await page.goto(`${stack.info.websiteUrl}/#/mysfits/${EVANGELINE}`);
      await viewHeading(page, 'Evangeline').waitFor();

      slow.release();
      // Who is signed in is the page's, not the view's: the refresh completes, and the header shows it.
      expect(await slow.outcome).toBe('answered');
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      expect(await page.locator('.who').textContent()).toBe(email);
      await settle(page);
      expect(new URL(page.url()).hash).toBe(`#/mysfits/${EVANGELINE}`);
      expect(await page.locator('main h1').allTextContents()).toEqual(['Evangeline']);
    });
    await context.close();
  });
});

describe('a 429 is taken well (answers routed here: nothing locally pretends to be WAF or the throttle)', () => {
  /** What the web firewall's rate rule answers (infra/waf.js), or API Gateway's THROTTLED response: JSON, CORS, Retry-After. */
  const tooMany = (route: Route, retryAfter = '1') =>
    route.fulfill({
      status: 429,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After', 'Retry-After': retryAfter },
      body: JSON.stringify({ message: 'Too many requests: try again in a moment.' }),
    });
  const accepted = (route: Route) =>
    route.fulfill({
      status: 202,
      contentType: 'application/json',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: '{"accepted":1}',
    });

  test('the list and a profile refused with 429 show the short message, not a broken view', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await step(page, '429 list and profile', async () => {
      await page.route(
        (url) => url.pathname.endsWith('/mysfits') || url.pathname.endsWith(`/mysfits/${GARY}`),
        (route) => (route.request().method() === 'GET' ? tooMany(route) : route.fallback()),
      );
      await page.goto(`${stack.info.websiteUrl}/#/`);
      await viewHeading(page, 'Meet the Mysfits').waitFor();
      await page.getByRole('alert').filter({ hasText: TOO_MANY_REQUESTS }).waitFor();
      expect(await page.locator('.card').count()).toBe(0);
      // The filters stay usable: the view is whole, only its list is missing.
      expect(await page.getByLabel('Show').isEnabled()).toBe(true);

      await page.goto(`${stack.info.websiteUrl}/#/mysfits/${GARY}`);
      await viewHeading(page, 'Too many requests').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe(TOO_MANY_REQUESTS);

      // Once the service answers again, so does the page.
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await page.reload();
      await viewHeading(page, 'Gary').waitFor();
    });
    await context.close();
  });

  test('the clicks batcher keeps a refused batch and sends it again after Retry-After, a bounded number of times', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    // Every POST /clicks the page sends, with when and what; answered by `answer` (the preflight goes to the API).
    const posts: Array<{ at: number; body: string }> = [];
    let answer: (route: Route) => Promise<void> = (route) => tooMany(route);
    await page.route(
      (url) => url.pathname.endsWith('/clicks'),
      (route) => {
        if (route.request().method() !== 'POST') return route.fallback();
        posts.push({ at: Date.now(), body: route.request().postData() ?? '' });
        return answer(route);
      },
    );
    const postsReach = async (count: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (posts.length < count) {
        if (Date.now() > deadline) throw new Error(`${posts.length} batches sent, waited for ${count}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await step(page, 'kept, then sent again', async () => {
      await page.goto(`${stack.info.websiteUrl}/#/mysfits/${EVANGELINE}`);
      await viewHeading(page, 'Evangeline').waitFor();
      // The first batch goes out a few seconds after the view; refused with Retry-After: 1, then accepted.
      await postsReach(1, 15_000);
      answer = accepted;
      await postsReach(2, 10_000);
      expect(posts[1]?.body).toBe(posts[0]?.body);
      expect(JSON.parse(posts[0]?.body ?? '{}').clicks).toEqual([expect.objectContaining({ action: 'view', mysfitId: EVANGELINE })]);
      expect((posts[1]?.at ?? 0) - (posts[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    });
    await step(page, 'refused every time: tried MAX_TRIES times, then dropped', async () => {
      posts.splice(0);
      answer = (route) => tooMany(route);
      await page.getByRole('link', { name: '← All mysfits' }).click();
      await page.locator(`.card[data-mysfit-id="${NESSI}"] a`).click();
      await viewHeading(page, 'Nessi').waitFor();
      await postsReach(MAX_TRIES, 30_000);
      // Nothing more: the batch was dropped, the page went on as if nothing happened.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(posts).toHaveLength(MAX_TRIES);
      expect(new Set(posts.map((p) => p.body)).size).toBe(1);
      for (let i = 1; i < posts.length; i++) expect((posts[i]?.at ?? 0) - (posts[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
      expect(await page.locator('main h1').allTextContents()).toEqual(['Nessi']);
    });
    await context.close();
  });

  test('a sign-up refused for rate shows its own message, and nothing is sent', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const cognito = new URL(String(stack.info.cognitoEndpoint));
    // What Cognito answers a call its web firewall blocked (ForbiddenException), then its own attempt limit.
    const refusals = [
      { status: 403, type: 'ForbiddenException', message: 'Request blocked by AWS WAF.' },
      { status: 400, type: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' },
    ];
    let refusal = refusals[0] as (typeof refusals)[number];
    await page.route(
      (url) => url.origin === cognito.origin,
      (route) => {
        if (route.request().headers()['x-amz-target'] !== 'AWSCognitoIdentityProviderService.SignUp') return route.fallback();
        return route.fulfill({
          status: refusal.status,
          contentType: 'application/x-amz-json-1.1',
          headers: { 'Access-Control-Allow-Origin': '*', 'x-amzn-ErrorType': refusal.type },
          body: JSON.stringify({ __type: refusal.type, message: refusal.message }),
        });
      },
    );
    for (const each of refusals) {
      refusal = each;
      await step(page, `sign-up refused: ${each.type}`, async () => {
        const email = uniqueEmail('crowd');
        await page.goto(`${stack.info.websiteUrl}/#/register`);
        await page.getByLabel('Email').fill(email);
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByLabel('Confirm password').fill(PASSWORD);
        await page.getByRole('button', { name: 'Register' }).click();
        await page.getByRole('alert').filter({ hasText: SIGN_UP_REFUSED }).waitFor();
        expect(await viewHeading(page, 'Create your account').count()).toBe(1);
        expect(await mailbox(stack, email)).toEqual([]);
      });
    }
    await context.close();
  });
});
