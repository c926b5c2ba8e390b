/** Part mix: docs/CAPACITY.md's traffic mix from concurrent visitors against the local system, per kind of visit; any error fails. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, cognitoClient, newUser, passwordSignIn, type User } from '../dev/localSystemClient';
import { SEED_MYSFITS } from '../dev/seed';
import { withLocalSystem } from './lib/localStack';
import { progress, ROOT, type PartOutput } from './lib/part';
import { num, percentile, seeded } from './lib/stats';
import { TRAFFIC_MIX, type VisitKind } from './lib/trafficMix';

/** Concurrent visitors, each making one request after another. */
const VISITORS = 8;
/** Bounds: whichever comes first. */
const DURATION_MS = 20_000;
const MAX_REQUESTS = 6_000;
/** Users signed up before the clock starts, who browse, like, adopt and sign in. */
const USERS = 12;
const SEED = 20261201;

/** DynamoDB operations per request of each kind, from the round-trips part in results.json (this run's, or the last one's). */
function operationsPerRequest(): Record<VisitKind, number> {
  const file = join(ROOT, 'bench', 'results.json');
  type Earlier = { parts?: { roundtrips?: { data?: { counts?: Array<Array<{ route: string; roundTrips: number }>> } } } };
  const counts = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Earlier).parts?.roundtrips?.data?.counts?.[0] : undefined;
  const of = (route: string) => counts?.find((c) => c.route === route)?.roundTrips ?? NaN;
  // Sign-in and sign-up are Cognito's, not DynamoDB's.
  const like = (of('POST like (new)') + of('DELETE like')) / 2;
  return { browse: of('GET /mysfits'), profile: of('GET /mysfits/{id}'), like, adopt: of('POST adopt'), signIn: 0, signUp: 0 };
}

export async function run(): Promise<PartOutput> {
  const times = new Map<VisitKind, number[]>(TRAFFIC_MIX.map((v) => [v.kind, []]));
  const errors = new Map<VisitKind, string[]>(TRAFFIC_MIX.map((v) => [v.kind, []]));
  let elapsedMs = 0;
  await withLocalSystem(async (stack) => {
    progress(`signing up ${USERS} users`);
    const users: User[] = [];
    for (let i = 0; i < USERS; i++) users.push(await newUser(stack, `mix${i}`));
    const cognito = cognitoClient(stack);
    const random = seeded(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const mysfitIds = SEED_MYSFITS.map((m) => m.mysfitId);
    const liked = new Set<string>();
    /** A request to the API; `expected`: the statuses that count as answered. */
    const call = async (path: string, init: { method?: string; token?: string } = {}, expected = [200]) => {
      const { status } = await api(stack, path, init);
      if (!expected.includes(status)) throw new Error(`status ${status}`);
    };
    const visit: Record<VisitKind, () => Promise<unknown>> = {
      browse: () => call('/mysfits'),
      profile: () => call(`/mysfits/${pick(mysfitIds)}`),
      // A like alternates POST and DELETE per user and mysfit.
      like: () => {
        const [user, mysfitId] = [pick(users), pick(mysfitIds)];
        const key = `${user.sub}/${mysfitId}`;
        const method = liked.has(key) ? 'DELETE' : 'POST';
        if (!liked.delete(key)) liked.add(key);
        return call(`/mysfits/${mysfitId}/like`, { method, token: user.idToken });
      },
      // Twelve mysfits: most adoptions meet one already adopted, a 409 (the answer this route gives then).
      adopt: () => call(`/mysfits/${pick(mysfitIds)}/adopt`, { method: 'POST', token: pick(users).idToken }, [200, 409]),
      // USER_PASSWORD_AUTH: the website's SRP costs the client about 150 ms of CPU, which the load generator would spend.
      signIn: () => passwordSignIn(cognito, stack, pick(users).email),
      signUp: () => newUser(stack, 'mixsignup'),
    };
    const draw = (): VisitKind => {
      let r = random();
      for (const v of TRAFFIC_MIX) {
        if (r < v.share) return v.kind;
        r -= v.share;
      }
      return 'browse';
    };

    progress('warming up every route');
    for (const kind of Object.keys(visit) as VisitKind[]) await visit[kind]();
    progress(`${VISITORS} visitors for ${DURATION_MS / 1000} s or ${num(MAX_REQUESTS)} requests`);
    const started = performance.now();
    let sent = 0;
    const visitor = async () => {
      while (sent < MAX_REQUESTS && performance.now() - started < DURATION_MS) {
        sent++;
        const kind = draw();
        const from = performance.now();
        await visit[kind]().catch((error: Error) => errors.get(kind)?.push(error.message));
        times.get(kind)?.push(performance.now() - from);
      }
    };
    await Promise.all(Array.from({ length: VISITORS }, visitor));
    elapsedMs = performance.now() - started;
    cognito.destroy();
  });

  const failures: string[] = [];
  const ops = operationsPerRequest();
  const total = [...times.values()].reduce((sum, list) => sum + list.length, 0);
  const rows = TRAFFIC_MIX.map(({ kind, request, share }) => {
    const [ms, failed] = [times.get(kind) ?? [], errors.get(kind) ?? []];
    if (failed.length > 0)
      failures.push(`mix: ${failed.length} of ${ms.length} ${kind} requests failed (${[...new Set(failed)].slice(0, 3).join('; ')})`);
    const drawn = `${num((ms.length / total) * 100, 1)} %`;
    const latency = [num(percentile(ms, 50), 1), num(percentile(ms, 99), 1)];
    return [kind, request, `${num(share * 100)} %`, drawn, num(ms.length), ...latency, num(failed.length), num(ops[kind], 1)];
  });
  const weightedOps = TRAFFIC_MIX.reduce((sum, v) => sum + v.share * ops[v.kind], 0);
  return {
    title: 'The traffic mix against the local system',
    tables: [
      {
        title: `The traffic mix of docs/CAPACITY.md: ${VISITORS} visitors, ${num(total)} requests in ${num(elapsedMs / 1000, 1)} s (latency in ms)`,
        columns: 'visit | request | share (mix) | share (drawn) | requests | p50 | p99 | errors | DynamoDB operations per request',
        rows,
        notes: [
          `${num(total / (elapsedMs / 1000))} requests/s overall; DynamoDB operations per request, ` +
            (Number.isNaN(weightedOps) ? 'run the roundtrips part for them.' : `weighted by the mix: ${num(weightedOps, 2)}.`),
        ],
      },
    ],
    notes: [],
    failures,
    data: { visitors: VISITORS, durationMs: elapsedMs, seed: SEED, operationsPerRequest: ops, times: Object.fromEntries(times) },
  };
}
