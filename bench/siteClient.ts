/**
 * Part "site": what the website's Cognito client costs. The site's JavaScript as `npm run build:web` builds it
 * (bytes, and gzip -9 as a browser would fetch it), and SRP sign-ins on the local system, the site's own client
 * (web/src/auth.ts: Amplify, run in Node) taking turns with amazon-cognito-identity-js (the site's client before
 * issue 19). The comparison that decided the move is in BENCHMARKS.md.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { newUser, PASSWORD, signInWithSrp } from '../dev/localSystemClient';
import { buildWeb } from '../dev/website';
import { Auth, type CognitoSettings } from '../web/src/auth';
import { startLocalStackRetrying } from './lib/localStack';
import { progress, type PartOutput } from './lib/part';
import { median, num } from './lib/stats';

/** Sign-ins timed per client, after one untimed each. */
const SIGN_INS = 15;

async function siteJs(): Promise<{ bytes: number; gzip: number }> {
  const dist = mkdtempSync(join(tmpdir(), 'mysfits-bench-site-'));
  try {
    const { outDir, keys } = await buildWeb({ outDir: join(dist, 'site') });
    const scripts = keys.filter((key) => key.endsWith('.js')).map((key) => readFileSync(join(outDir, key)));
    return {
      bytes: scripts.reduce((sum, js) => sum + js.length, 0),
      gzip: scripts.reduce((sum, js) => sum + gzipSync(js, { level: 9 }).length, 0),
    };
  } finally {
    rmSync(dist, { recursive: true, force: true });
  }
}

export async function run(): Promise<PartOutput> {
  progress('building the site');
  const js = await siteJs();

  const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-site-'));
  progress('starting the local stack (free ports, its own data folder)');
  const stack = await startLocalStackRetrying(dataDir, undefined).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const times: Record<'site' | 'identityJs', number[]> = { site: [], identityJs: [] };
  try {
    const user = await newUser(stack, 'bench-site');
    // What the page reads at start.
    const auth = new Auth((await (await fetch(`${stack.info.websiteUrl}/config.json`)).json()) as CognitoSettings);
    const site = async () => {
      const from = performance.now();
      await auth.logIn(user.email, PASSWORD);
      const ms = performance.now() - from;
      await auth.logOut();
      return ms;
    };
    const identityJs = async () => {
      const from = performance.now();
      await signInWithSrp(stack, user.email, PASSWORD);
      return performance.now() - from;
    };
    progress(`signing in ${SIGN_INS} times with each client, taking turns`);
    await site();
    await identityJs();
    for (let i = 0; i < SIGN_INS; i++) {
      times.site.push(await site());
      times.identityJs.push(await identityJs());
    }
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    title: "The site's Cognito client",
    tables: [
      {
        title: "The site's JavaScript (npm run build:web)",
        columns: ['client', 'bytes', 'gzip -9 bytes'],
        rows: [['Amplify v6 (aws-amplify/auth)', num(js.bytes), num(js.gzip)]],
      },
      {
        title: `SRP sign-in on the local Cognito, in Node (ms, median and max of ${SIGN_INS}, the clients taking turns)`,
        columns: ['client', 'median', 'max'],
        rows: [
          ["the site's (web/src/auth.ts: Amplify v6)", num(median(times.site)), num(Math.max(...times.site))],
          ['amazon-cognito-identity-js', num(median(times.identityJs)), num(Math.max(...times.identityJs))],
        ],
        notes: ['Both do the SRP arithmetic in plain JavaScript; the local Cognito and serverless offline share the same cores.'],
      },
    ],
    notes: [],
    failures: [],
    data: { siteJs: js, signInMs: times },
  };
}
