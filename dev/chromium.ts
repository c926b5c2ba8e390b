/**
 * The Chromium the browser tests drive, never downloaded: CHROMIUM_PATH when it is set (and must be there); else the
 * system's (Debian's /usr/bin/chromium, or `chromium` on the PATH); else, on Linux, the headless Chromium inside the
 * npm package @sparticuz/chromium (a dev dependency: `npm install` brings it, and it unpacks itself into the temp
 * folder on first use). So on a machine with Node, `npm install` and `npm test` are all the set-up.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ResolvedChromium {
  path: string;
  /** Which one, in words: what the browser tier prints. */
  source: string;
}

function onPath(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Where a system's Chromium is looked for, in order. */
export const systemChromiums = (): Array<string | undefined> => ['/usr/bin/chromium', onPath('chromium'), onPath('chromium-browser')];

export async function resolveChromium(env: NodeJS.ProcessEnv = process.env, system = systemChromiums()): Promise<ResolvedChromium> {
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`Chromium was not found at ${given} (CHROMIUM_PATH): set it to a Chromium, or unset it.`);
    return { path: given, source: 'CHROMIUM_PATH' };
  }
  const installed = system.find((path) => path && existsSync(path));
  if (installed) return { path: installed, source: "the system's Chromium" };
  if (process.platform === 'linux') {
    const { default: packaged } = await import('@sparticuz/chromium');
    return { path: await packaged.executablePath(), source: "the npm package @sparticuz/chromium's Chromium" };
  }
  throw new Error('No Chromium found: install one (Debian: apt-get install chromium) or set CHROMIUM_PATH to it.');
}
