/** A Chromium (dev/chromium.ts: CHROMIUM_PATH, the system's, or the npm package's) driven by playwright-core, headless, allowed to reach 127.0.0.1 only. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { resolveChromium } from '../../dev/chromium';

const SCREENSHOTS = join(__dirname, 'screenshots');

/** The browser, or at once the one sentence that says what to install: never a hang, never a download. */
export async function launch(): Promise<Browser> {
  const { path, source } = await resolveChromium();
  // Which browser ran, for whoever reads the tier's output.
  process.stderr.write(`Browser tests in ${source}: ${path}\n`);
  return chromium.launch({
    executablePath: path,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Every Content-Security-Policy violation any page of any context reported, until a test takes them (splice). */
export const cspViolations: string[] = [];

/**
 * A fresh browser profile (its own storage: its own logged-in user) whose requests leave 127.0.0.1 never, and whose
 * pages report each Content-Security-Policy violation to `cspViolations`.
 */
export async function newContext(browser: Browser, viewport = { width: 1200, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  await context.exposeBinding('reportCspViolation', (_source, violation: string) => void cspViolations.push(violation));
  // Page code, as text: this file is type-checked without the DOM's types.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      window.reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline') + ' on ' + location.href));`,
  });
  // Nothing the site loads comes from off the machine (the mysfits' pictures included): anything else is refused.
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  return context;
}

/** Runs a test step; when it fails, saves a screenshot named after it in tests/e2e/screenshots/. */
export async function step<T>(page: Page, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    (error as Error).message += `\n(screenshot: ${file})`;
    throw error;
  }
}
