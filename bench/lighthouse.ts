/** Part lighthouse: Lighthouse (desktop preset) on the website's list and a profile, on the local system; wanted scores checked. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveChromium } from '../dev/chromium';
import { EVANGELINE } from '../dev/localSystemClient';
import { withLocalSystem } from './lib/localStack';
import { progress, type PartOutput } from './lib/part';

const WANTED = { performance: 98, accessibility: 100, 'best-practices': 100, seo: 100 };
const CATEGORIES = Object.keys(WANTED) as Array<keyof typeof WANTED>;

interface LighthouseResult {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, { score: number | null; numericValue?: number; details?: { items?: Array<Record<string, unknown>> } }>;
}

export async function run(): Promise<PartOutput> {
  const { path: chromium } = await resolveChromium();
  // ES modules only: loaded as such (this file is compiled to CommonJS by tsx).
  const { default: lighthouse, desktopConfig } = (await import('lighthouse')) as unknown as {
    default: (url: string, flags: Record<string, unknown>, config?: unknown) => Promise<{ lhr: LighthouseResult } | undefined>;
    desktopConfig: unknown;
  };
  const { launch } = (await import('chrome-launcher')) as unknown as {
    launch(options: Record<string, unknown>): Promise<{ port: number; kill(): Promise<void> | void }>;
  };
  const rows: string[][] = [];
  const failures: string[] = [];
  const data: Record<string, unknown> = {};
  await withLocalSystem(async (stack) => {
    const chromeFlags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'];
    const chrome = await launch({ chromePath: chromium, chromeFlags });
    try {
      const pages = { list: `${stack.info.websiteUrl}/`, profile: `${stack.info.websiteUrl}/#/mysfits/${EVANGELINE}` };
      for (const [name, url] of Object.entries(pages)) {
        progress(`Lighthouse on the ${name}: ${url}`);
        const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES };
        // Lighthouse's desktop preset; the page is served from this machine, so the network is Lighthouse's simulation.
        const lhr = (await lighthouse(url, flags, desktopConfig))?.lhr;
        if (!lhr) throw new Error(`Lighthouse gave no result for ${url}`);
        if (process.env.LIGHTHOUSE_REPORT_DIR)
          writeFileSync(join(process.env.LIGHTHOUSE_REPORT_DIR, `${name}.json`), JSON.stringify(lhr, null, 1));
        const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]));
        const consoleErrors = (lhr.audits['errors-in-console']?.details?.items ?? []).map((item) =>
          String(item.description ?? item.source ?? JSON.stringify(item)),
        );
        const underOne = Object.entries(lhr.audits).flatMap(([id, audit]) => (audit.score !== null && audit.score < 1 ? [id] : []));
        const metric = (id: string) => lhr.audits[id]?.numericValue ?? 0;
        const paints = [metric('first-contentful-paint'), metric('largest-contentful-paint')].map((ms) => String(Math.round(ms)));
        const audits = [metric('cumulative-layout-shift').toFixed(3), String(consoleErrors.length), underOne.slice(0, 6).join(', ') || '-'];
        rows.push([name, ...CATEGORIES.map((c) => String(scores[c])), ...paints, ...audits]);
        for (const c of CATEGORIES) if ((scores[c] as number) < WANTED[c]) failures.push(`${name}: ${c} ${scores[c]} < ${WANTED[c]}`);
        if (consoleErrors.length > 0) failures.push(`${name}: console errors: ${consoleErrors.join(' | ')}`);
        data[name] = { url, scores, consoleErrors, failingAudits: underOne };
      }
    } finally {
      await chrome.kill();
    }
  });
  return {
    title: 'Lighthouse',
    tables: [
      {
        title: 'Lighthouse 12.2.3 (desktop preset) against the local system',
        columns: 'page | performance | accessibility | best practices | SEO | FCP ms | LCP ms | CLS | console errors | audits under 1',
        rows,
        notes: [`Wanted: performance >= ${WANTED.performance}, the others 100, no console errors. Chromium: ${chromium}.`],
      },
    ],
    notes: [],
    failures,
    data,
  };
}
