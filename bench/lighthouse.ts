/**
 * Part lighthouse, the website's yardstick: Lighthouse (npm `lighthouse`, pinned) in the browser tier's Chromium
 * (dev/chromium.ts: CHROMIUM_PATH, the system's, or the npm package's)
 * against the local system (started here on free ports, as `npm start` does), on the list and on a profile.
 * Wanted: performance at least 98, accessibility, best practices and SEO 100, and no console errors. Lighthouse's
 * desktop settings (its own preset); the page is served from this machine, so the network is Lighthouse's simulation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveChromium } from '../dev/chromium';
import { EVANGELINE } from '../dev/localSystemClient';
import { startLocalStackRetrying } from './lib/localStack';
import { progress, type PartOutput } from './lib/part';

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const WANTED: Record<(typeof CATEGORIES)[number], number> = { performance: 98, accessibility: 100, 'best-practices': 100, seo: 100 };

interface Audit {
  score: number | null;
  numericValue?: number;
  details?: { items?: Array<Record<string, unknown>> };
}
interface LighthouseResult {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, Audit>;
}

export async function run(): Promise<PartOutput> {
  const { path: CHROMIUM } = await resolveChromium();
  // ES modules only: loaded as such (this file is compiled to CommonJS by tsx).
  const { default: lighthouse, desktopConfig } = (await import('lighthouse')) as unknown as {
    default: (url: string, flags: Record<string, unknown>, config?: unknown) => Promise<{ lhr: LighthouseResult } | undefined>;
    desktopConfig: unknown;
  };
  const chromeLauncher = (await import('chrome-launcher')) as unknown as {
    launch(options: Record<string, unknown>): Promise<{ port: number; kill(): Promise<void> | void }>;
  };

  const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-lighthouse-'));
  progress('starting the local system');
  const stack = await startLocalStackRetrying(dataDir, undefined, { emptyDataFolder: true });
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const rows: string[][] = [];
  const failures: string[] = [];
  const data: Record<string, unknown> = {};
  try {
    const pages = { list: `${stack.info.websiteUrl}/`, profile: `${stack.info.websiteUrl}/#/mysfits/${EVANGELINE}` };
    for (const [name, url] of Object.entries(pages)) {
      progress(`Lighthouse on the ${name}: ${url}`);
      const result = await lighthouse(
        url,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] },
        desktopConfig,
      );
      if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
      const { lhr } = result;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)])) as Record<
        (typeof CATEGORIES)[number],
        number
      >;
      const consoleErrors = (lhr.audits['errors-in-console']?.details?.items ?? []).map((item) =>
        String(item.description ?? item.source ?? JSON.stringify(item)),
      );
      const failing = Object.entries(lhr.audits)
        .filter(([, audit]) => audit.score !== null && audit.score < 1)
        .map(([id]) => id);
      const metric = (id: string) => lhr.audits[id]?.numericValue ?? 0;
      const timings = [
        `${Math.round(metric('first-contentful-paint'))}`,
        `${Math.round(metric('largest-contentful-paint'))}`,
        metric('cumulative-layout-shift').toFixed(3),
      ];
      if (process.env.LIGHTHOUSE_REPORT_DIR)
        writeFileSync(join(process.env.LIGHTHOUSE_REPORT_DIR, `${name}.json`), JSON.stringify(lhr, null, 1));
      rows.push([
        name,
        ...CATEGORIES.map((c) => String(scores[c])),
        ...timings,
        String(consoleErrors.length),
        failing.slice(0, 6).join(', ') || '-',
      ]);
      for (const category of CATEGORIES) {
        if (scores[category] < WANTED[category]) failures.push(`${name}: ${category} ${scores[category]} < ${WANTED[category]}`);
      }
      if (consoleErrors.length > 0) failures.push(`${name}: console errors: ${consoleErrors.join(' | ')}`);
      data[name] = { url, scores, consoleErrors, failingAudits: failing };
    }
  } finally {
    await chrome.kill();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    title: 'Lighthouse',
    tables: [
      {
        title: 'Lighthouse 12.2.3 (desktop preset) against the local system',
        columns: [
          'page',
          'performance',
          'accessibility',
          'best practices',
          'SEO',
          'FCP ms',
          'LCP ms',
          'CLS',
          'console errors',
          'audits under 1',
        ],
        rows,
        notes: [`Wanted: performance >= ${WANTED.performance}, the others 100, no console errors. Chromium: ${CHROMIUM}.`],
      },
    ],
    notes: [],
    failures,
    data,
  };
}
