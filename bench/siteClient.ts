/** Part site: the website's Cognito client, its JavaScript's size and its sign-in time next to the other clients, on the local system. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cognitoClient, newUser, PASSWORD, passwordSignIn, signInWithSrp } from '../dev/localSystemClient';
import { buildWeb } from '../dev/website';
import { Auth, type CognitoSettings } from '../web/src/auth';
import { withLocalSystem } from './lib/localStack';
import { progress, type PartOutput } from './lib/part';
import { median, num, ratio } from './lib/stats';

/** Sign-ins timed per client, after one untimed each. */
const SIGN_INS = 15;
const CLIENTS = {
  site: ["the site's (web/src/auth.ts: Amplify v6)", 'USER_SRP_AUTH + PASSWORD_VERIFIER', '2'],
  identityJs: ['amazon-cognito-identity-js', 'USER_SRP_AUTH + PASSWORD_VERIFIER', '2'],
  password: ['AWS SDK', 'USER_PASSWORD_AUTH', '1'],
};

export async function run(): Promise<PartOutput> {
  progress('building the site');
  const dist = mkdtempSync(join(tmpdir(), 'mysfits-bench-site-'));
  const scripts = await buildWeb({ outDir: join(dist, 'site') })
    .then(({ outDir, keys }) => keys.filter((key) => key.endsWith('.js')).map((key) => readFileSync(join(outDir, key))))
    .finally(() => rmSync(dist, { recursive: true, force: true }));
  const js = {
    bytes: scripts.reduce((sum, s) => sum + s.length, 0),
    gzip: scripts.reduce((sum, s) => sum + gzipSync(s, { level: 9 }).length, 0),
  };

  const times: Record<string, number[]> = { site: [], identityJs: [], password: [] };
  await withLocalSystem(async (stack) => {
    const { email } = await newUser(stack, 'bench-site');
    const cognito = cognitoClient(stack);
    // What the page reads at start.
    const auth = new Auth((await (await fetch(`${stack.info.websiteUrl}/config.json`)).json()) as CognitoSettings);
    const signIn: Record<keyof typeof CLIENTS, () => Promise<unknown>> = {
      site: () => auth.logIn(email, PASSWORD),
      identityJs: () => signInWithSrp(stack, email, PASSWORD),
      password: () => passwordSignIn(cognito, stack, email),
    };
    progress(`signing in ${SIGN_INS} times with each client, taking turns`);
    for (let i = 0; i <= SIGN_INS; i++) {
      for (const client of Object.keys(CLIENTS) as Array<keyof typeof CLIENTS>) {
        const from = performance.now();
        await signIn[client]();
        // The first of each is untimed; an Amplify sign-in is followed by an untimed log out.
        if (i > 0) times[client]?.push(performance.now() - from);
        if (client === 'site') await auth.logOut();
      }
    }
    cognito.destroy();
  });
  return {
    title: "The site's Cognito client",
    tables: [
      {
        title: "The site's JavaScript (npm run build:web)",
        columns: 'client | bytes | gzip -9 bytes',
        rows: [['Amplify v6 (aws-amplify/auth)', num(js.bytes), num(js.gzip)]],
      },
      {
        title: `Sign-in on the local Cognito, in Node (ms, median and max of ${SIGN_INS}, the clients taking turns)`,
        columns: 'client | flow | round trips | median | max',
        rows: Object.entries(CLIENTS).map(([client, cells]) => [
          ...cells,
          num(median(times[client] ?? [])),
          num(Math.max(...(times[client] ?? []))),
        ]),
        notes: [
          `SRP (amazon-cognito-identity-js) ÷ password: ${ratio(median(times.identityJs ?? []), median(times.password ?? []))}. Both SRP clients do the arithmetic in plain JavaScript.`,
        ],
      },
    ],
    notes: [],
    failures: [],
    data: { siteJs: js, signInMs: times },
  };
}
