/**
 * Part 5, the traffic mix against the local system: docs/CAPACITY.md's mix (bench/lib/trafficMix.ts) from a fixed
 * number of concurrent visitors for a bounded time and request count, on 127.0.0.1. Per kind of visit: requests,
 * p50, p99, errors (an unexpected status or a failed request), and the DynamoDB operations one request makes (the
 * round-trips part's counts from this run's results.json). Any error fails the bench.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient, newUser, PASSWORD, type User } from '../dev/localSystemClient';
import { SEED_MYSFITS } from '../dev/seed';
import { ROOT } from './lib/functions';
import { startLocalStackRetrying } from './lib/localStack';
import { EARLIER_RESULTS_ENV, progress, type PartOutput } from './lib/part';
import { num, percentile } from './lib/stats';
import { TRAFFIC_MIX, type VisitKind } from './lib/trafficMix';

/** Concurrent visitors, each making one request after another. */
const VISITORS = 8;
/** Bounds: whichever comes first. */
const DURATION_MS = 20_000;
const MAX_REQUESTS = 6_000;
/** Users signed up before the clock starts, who browse, like, adopt and sign in. */
const USERS = 12;
/** A fixed seed: every run draws the same sequence of visits. */
const SEED = 20261201;

/** A small seeded generator (mulberry32): the mix is drawn the same way every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Outcome {
  ms: number;
  ok: boolean;
  detail?: string;
}

/** DynamoDB operations per request of each kind, from the round-trips part of this run (or the last one). */
function operationsPerRequest(): Partial<Record<VisitKind, number>> {
  const file = process.env[EARLIER_RESULTS_ENV] ?? join(ROOT, 'bench', 'results.json');
  if (!existsSync(file)) return {};
  const counts = (
    JSON.parse(readFileSync(file, 'utf8')) as {
      parts?: { roundtrips?: { data?: { counts?: Array<Array<{ route: string; roundTrips: number }>> } } };
    }
  ).parts?.roundtrips?.data?.counts?.flat(); // one list per repetition
  if (!counts) return {};
  const of = (route: string) => counts.find((c) => c.route === route)?.roundTrips;
  const like = of('POST like (new)');
  const unlike = of('DELETE like');
  return {
    browse: of('GET /mysfits'),
    profile: of('GET /mysfits/{id}'),
    like: like !== undefined && unlike !== undefined ? (like + unlike) / 2 : undefined,
    adopt: of('POST adopt'),
    // Cognito's, not DynamoDB's.
    signIn: 0,
    signUp: 0,
  };
}

export async function run(): Promise<PartOutput> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-mix-'));
  progress('starting the local stack (free ports, its own data folder)');
  const stack = await startLocalStackRetrying(dataDir, undefined).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const outcomes = new Map<VisitKind, Outcome[]>(TRAFFIC_MIX.map((v) => [v.kind, []]));
  const failures: string[] = [];
  let elapsedMs: number;
  try {
    progress(`signing up ${USERS} users`);
    const users: User[] = [];
    for (let i = 0; i < USERS; i++) users.push(await newUser(stack, `mix${i}`));
    const cognito = cognitoClient(stack);
    const random = seeded(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const liked = new Set<string>();
    const mysfitIds = SEED_MYSFITS.map((m) => m.mysfitId);

    const call = async (path: string, init: { method?: string; token?: string } = {}, expected: number[] = [200]): Promise<Outcome> => {
      const from = performance.now();
      try {
        const response = await fetch(`${stack.info.apiUrl}${path}`, {
          method: init.method ?? 'GET',
          headers: init.token ? { Authorization: init.token } : {},
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        const ok = expected.includes(response.status);
        return { ms: performance.now() - from, ok, detail: ok ? undefined : `status ${response.status}` };
      } catch (error) {
        return { ms: performance.now() - from, ok: false, detail: (error as Error).message };
      }
    };
    const timed = async (work: () => Promise<unknown>): Promise<Outcome> => {
      const from = performance.now();
      try {
        await work();
        return { ms: performance.now() - from, ok: true };
      } catch (error) {
        return { ms: performance.now() - from, ok: false, detail: (error as Error).message };
      }
    };
    const visit: Record<VisitKind, () => Promise<Outcome>> = {
      browse: () => call('/mysfits'),
      profile: () => call(`/mysfits/${pick(mysfitIds)}`),
      like: () => {
        const user = pick(users);
        const mysfitId = pick(mysfitIds);
        const key = `${user.sub}/${mysfitId}`;
        const method = liked.has(key) ? 'DELETE' : 'POST';
        if (method === 'POST') liked.add(key);
        else liked.delete(key);
        return call(`/mysfits/${mysfitId}/like`, { method, token: user.idToken });
      },
      // Twelve mysfits: most adoptions meet one already adopted, a 409 (the answer this route gives then).
      adopt: () => call(`/mysfits/${pick(mysfitIds)}/adopt`, { method: 'POST', token: pick(users).idToken }, [200, 409]),
      // USER_PASSWORD_AUTH here: the website's SRP costs the client ~150 ms of CPU, which the load generator would spend.
      signIn: () =>
        timed(() =>
          cognito.send(
            new InitiateAuthCommand({
              ClientId: stack.info.userPoolClientId,
              AuthFlow: 'USER_PASSWORD_AUTH',
              AuthParameters: { USERNAME: pick(users).email, PASSWORD },
            }),
          ),
        ),
      signUp: () => timed(() => newUser(stack, 'mixsignup')),
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
    await Promise.all(
      Array.from({ length: VISITORS }, async () => {
        while (sent < MAX_REQUESTS && performance.now() - started < DURATION_MS) {
          sent++;
          const kind = draw();
          (outcomes.get(kind) as Outcome[]).push(await visit[kind]());
        }
      }),
    );
    elapsedMs = performance.now() - started;
    cognito.destroy();
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const ops = operationsPerRequest();
  const total = [...outcomes.values()].reduce((sum, list) => sum + list.length, 0);
  const rows = TRAFFIC_MIX.map((v) => {
    const list = outcomes.get(v.kind) as Outcome[];
    const errors = list.filter((o) => !o.ok);
    if (errors.length > 0) {
      const details = [...new Set(errors.map((e) => e.detail))].slice(0, 3).join('; ');
      failures.push(`mix: ${errors.length} of ${list.length} ${v.kind} requests failed (${details})`);
    }
    const ms = list.map((o) => o.ms);
    return [
      v.kind,
      v.request,
      `${num(v.share * 100, 0)} %`,
      `${num(total ? (list.length / total) * 100 : 0, 1)} %`,
      num(list.length),
      ms.length ? num(percentile(ms, 50), 1) : '-',
      ms.length ? num(percentile(ms, 99), 1) : '-',
      num(errors.length),
      ops[v.kind] === undefined ? '-' : num(ops[v.kind] as number, 1),
    ];
  });
  const weightedOps = TRAFFIC_MIX.reduce((sum, v) => sum + v.share * (ops[v.kind] ?? Number.NaN), 0);
  return {
    title: 'The traffic mix against the local system',
    tables: [
      {
        title: `The traffic mix of docs/CAPACITY.md: ${VISITORS} visitors, ${num(total)} requests in ${num(elapsedMs / 1000, 1)} s (latency in ms)`,
        columns: [
          'visit',
          'request',
          'share (mix)',
          'share (drawn)',
          'requests',
          'p50',
          'p99',
          'errors',
          'DynamoDB operations per request',
        ],
        rows,
        notes: [
          `${num(total / (elapsedMs / 1000), 0)} requests/s overall. DynamoDB operations per request: the round-trips part's counts (bench/results.json); ` +
            (Number.isNaN(weightedOps) ? 'run the roundtrips part for them.' : `weighted by the mix, ${num(weightedOps, 2)} per request.`),
          'A like alternates POST and DELETE per user and mysfit; an adoption of a mysfit already adopted answers 409, which counts as answered.',
        ],
      },
    ],
    notes: [
      'serverless offline and DynamoDB Local on the same two cores as the load generator: this shows the mix runs without errors and how the routes compare, not what AWS would serve.',
    ],
    failures,
    data: {
      visitors: VISITORS,
      durationMs: elapsedMs,
      seed: SEED,
      mix: TRAFFIC_MIX,
      operationsPerRequest: ops,
      outcomes: Object.fromEntries(outcomes),
    },
  };
}
