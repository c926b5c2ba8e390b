/**
 * dev/chromium.ts: which Chromium the browser tier drives. CHROMIUM_PATH wins (and must be there), then the system's,
 * then, with none, the one inside the npm package @sparticuz/chromium, which this shows rendering a page.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { resolveChromium } from '../../dev/chromium';

jest.setTimeout(60_000);

test('CHROMIUM_PATH is used as given, and a wrong one is the sentence', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mysfits-chromium-'));
  try {
    const fake = join(dir, 'chromium');
    writeFileSync(fake, '');
    await expect(resolveChromium({ CHROMIUM_PATH: fake }, ['/usr/bin/chromium'])).resolves.toEqual({ path: fake, source: 'CHROMIUM_PATH' });
    await expect(resolveChromium({ CHROMIUM_PATH: join(dir, 'nowhere') }, [])).rejects.toThrow(
      `Chromium was not found at ${join(dir, 'nowhere')} (CHROMIUM_PATH): set it to a Chromium, or unset it.`,
    );
    // Without CHROMIUM_PATH, a system's Chromium comes first.
    await expect(resolveChromium({}, [undefined, join(dir, 'missing'), fake])).resolves.toEqual({
      path: fake,
      source: "the system's Chromium",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with no Chromium on the machine, the npm package brings one that renders a page', async () => {
  // Arrange
  const resolved = await resolveChromium({}, []);
  expect(resolved.source).toBe("the npm package @sparticuz/chromium's Chromium");
  // Act
  const browser = await chromium.launch({
    executablePath: resolved.path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.setContent('<main><h1>Mysfits</h1></main>');
    // Assert
    expect(await page.textContent('h1')).toBe('Mysfits');
  } finally {
    await browser.close();
  }
});
