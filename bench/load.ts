/**
 * Part 4, the local API under load: the local stack on free ports, one user made through the Cognito API and the
 * mailbox, then autocannon (3 runs of 10 s at 1 and at 16 connections, no pipelining) on the list, one mysfit, and
 * an authorised like (the same user and mysfit, so every request after the first is a no-op repeat). Any non-2xx or
 * error fails the bench. The stack is stopped afterwards, whatever happens.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { api, cognitoClient, EVANGELINE, newUser, PASSWORD, signInWithSrp } from '../dev/localSystemClient';
import { startLocalStackRetrying } from './lib/localStack';
import { progress, type PartOutput } from './lib/part';
import { median, num, ratio } from './lib/stats';

const DURATION_S = 10;
const CONNECTIONS = [1, 16] as const;
/** Runs per route and connection count (1 and 16 take turns); the table shows the median run. */
const REPETITIONS = 3;
/**
 * serverless offline runs one worker thread per concurrent request of a function, started on demand (each loads the
 * function's bundle) and kept while used within 60 s. Before a route is measured, rounds of concurrent requests,
 * doubling up to 16, start the workers the 16-connection run needs (a few at a time, so none hits the 10 s function
 * timeout while all load at once), so that run measures warm workers and not their start-up.
 */
const WARM_UP_CONCURRENCY = [2, 4, 8, 16, 16] as const;
const WARM_UP_TIMEOUT_MS = 60_000;
/** Sign-ins timed per flow. */
const SIGN_INS = 10;
/** Hard stop for one autocannon run, whatever it thinks. */
const RUN_CAP_MS = (DURATION_S + 20) * 1000;

interface Target {
  name: string;
  path: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
}

interface LoadRun {
  route: string;
  connections: number;
  repetition: number;
  requests: number;
  /** Requests per second: autocannon's per-second samples, median and mean. */
  requestsPerSecondMedian: number;
  requestsPerSecondMean: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

function cannon(url: string, target: Target, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}${target.path}`,
        method: target.method,
        headers: target.headers,
        connections,
        pipelining: 1,
        duration: DURATION_S,
        timeout: 10,
      },
      (error: unknown, result: autocannon.Result) => {
        clearTimeout(cap);
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(result);
      },
    );
    const cap = setTimeout(() => instance.stop(), RUN_CAP_MS);
  });
}

/** Rounds of concurrent requests; returns what went wrong (statuses other than 2xx, errors), with counts. */
async function warm(url: string, target: Target): Promise<string[]> {
  const problems: string[] = [];
  for (const concurrency of WARM_UP_CONCURRENCY) {
    const answers = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        try {
          const response = await fetch(`${url}${target.path}`, {
            method: target.method,
            headers: target.headers,
            signal: AbortSignal.timeout(WARM_UP_TIMEOUT_MS),
          });
          await response.arrayBuffer();
          return response.ok ? undefined : `status ${response.status}`;
        } catch (error) {
          return (error as Error).message;
        }
      }),
    );
    problems.push(...answers.filter((a): a is string => a !== undefined));
  }
  const counted = new Map<string, number>();
  for (const problem of problems) counted.set(problem, (counted.get(problem) ?? 0) + 1);
  return [...counted].map(([problem, n]) => `${problem} (${n}×)`);
}

function summary(route: string, repetition: number, result: autocannon.Result): LoadRun {
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count ?? 0]));
  return {
    route,
    repetition,
    connections: result.connections,
    requests: result.requests.total,
    requestsPerSecondMedian: result.requests.p50,
    requestsPerSecondMean: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

export async function run(): Promise<PartOutput> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mysfits-bench-load-'));
  progress('starting the local stack (free ports, its own data folder)');
  const stack = await startLocalStackRetrying(dataDir, undefined).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const runs: LoadRun[] = [];
  const signIns: Record<'srp' | 'password', number[]> = { srp: [], password: [] };
  const failures: string[] = [];
  const notes = [
    'This is serverless offline (a Lambda emulator, with the local Cognito authorizer checking every token) on DynamoDB Local, with ' +
      'autocannon on the same cores: it shows that the local stack holds up without errors, not what API Gateway and Lambda would serve.',
  ];
  if (stack.retried > 0)
    notes.push(
      `Something else on the machine stopped the stack (SIGTERM) while it was starting; it was started again (${stack.retried}×).`,
    );
  try {
    progress('signing a user up through the Cognito API and the mailbox');
    const user = await newUser(stack, 'bench');
    const auth = { Authorization: user.idToken };
    const like = `/mysfits/${EVANGELINE}/like`;
    // The first like; every like under load is then a repeat (a transaction that changes nothing, then a read).
    const first = await api(stack, like, { method: 'POST', token: user.idToken });
    if (first.status !== 200) throw new Error(`the first like answered ${first.status}: ${JSON.stringify(first.body)}`);

    progress(`signing in ${SIGN_INS} times with SRP (amazon-cognito-identity-js) and with USER_PASSWORD_AUTH`);
    const cognito = cognitoClient(stack);
    try {
      for (let i = 0; i < SIGN_INS; i++) {
        let from = performance.now();
        await signInWithSrp(stack, user.email, PASSWORD);
        signIns.srp.push(performance.now() - from);
        from = performance.now();
        await cognito.send(
          new InitiateAuthCommand({
            ClientId: stack.info.userPoolClientId,
            AuthFlow: 'USER_PASSWORD_AUTH',
            AuthParameters: { USERNAME: user.email, PASSWORD },
          }),
        );
        signIns.password.push(performance.now() - from);
      }
    } finally {
      cognito.destroy();
    }

    const targets: Target[] = [
      { name: 'GET /mysfits', path: '/mysfits', method: 'GET' },
      { name: 'GET /mysfits/{id}', path: `/mysfits/${EVANGELINE}`, method: 'GET' },
      { name: 'POST /mysfits/{id}/like (repeat)', path: like, method: 'POST', headers: auth },
    ];
    for (const target of targets) {
      progress(`${target.name}: warm-up, rounds of ${WARM_UP_CONCURRENCY.join(', ')} requests at once`);
      const warmUp = await warm(stack.info.apiUrl, target);
      // Not the measured runs: reported, not failed (a worker that takes over 10 s to load on a busy machine is a 504).
      if (warmUp.length > 0) notes.push(`${target.name}, warm-up (not measured): ${warmUp.join('; ')}.`);
      for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
        for (const connections of CONNECTIONS) {
          progress(`${target.name}: run ${repetition}/${REPETITIONS}, ${DURATION_S} s at ${connections} connection(s)`);
          const result = summary(target.name, repetition, await cannon(stack.info.apiUrl, target, connections));
          runs.push(result);
          if (result.non2xx + result.errors + result.timeouts > 0) {
            failures.push(
              `load: ${target.name} at ${connections} connection(s), run ${repetition}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (status codes ${JSON.stringify(result.statusCodes)})`,
            );
          }
        }
      }
    }
  } finally {
    progress('stopping the local stack');
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  // One row per route and connection count: the median of its runs (requests and failures summed).
  const groups = [...new Set(runs.map((r) => r.route))].flatMap((route) =>
    CONNECTIONS.map((connections) => ({
      route,
      connections,
      runs: runs.filter((r) => r.route === route && r.connections === connections),
    })),
  );
  const perSecond = (g: (typeof groups)[number]) => median(g.runs.map((r) => r.requestsPerSecondMedian));
  const rows = groups.map((g) => [
    g.route,
    String(g.connections),
    num(perSecond(g)),
    g.runs.map((r) => num(r.requestsPerSecondMedian)).join(' / '),
    num(median(g.runs.map((r) => r.latencyP50Ms))),
    num(median(g.runs.map((r) => r.latencyP99Ms))),
    num(g.runs.reduce((sum, r) => sum + r.requests, 0)),
    String(g.runs.reduce((sum, r) => sum + r.non2xx, 0)),
    String(g.runs.reduce((sum, r) => sum + r.errors, 0)),
  ]);
  const scaling = [...new Set(groups.map((g) => g.route))].map((route) => {
    const one = groups.find((g) => g.route === route && g.connections === 1);
    const many = groups.find((g) => g.route === route && g.connections === 16);
    return one && many ? `${route} ${ratio(perSecond(many), perSecond(one))}` : `${route} -`;
  });
  return {
    title: 'The local API under load',
    tables: [
      {
        title: `The local API under load (autocannon, ${REPETITIONS} runs of ${DURATION_S} s per row, pipelining 1; median run)`,
        columns: [
          'route',
          'connections',
          'requests/s',
          'each run',
          'latency p50 ms',
          'p99 ms',
          'requests',
          'non-2xx',
          'errors (incl. timeouts)',
        ],
        rows,
        notes: [
          "A run's requests/s is the median of autocannon's one-second samples, its latencies are over all its requests; the row is the median run.",
          'Requests, non-2xx and errors are totals over the runs. serverless offline, DynamoDB Local and autocannon share the same cores.',
          `16 connections ÷ 1, requests/s: ${scaling.join('; ')}.`,
        ],
      },
      {
        title: `Sign-in on the local Cognito (ms, median and max of ${SIGN_INS}, one after another)`,
        columns: ['flow', 'client', 'round trips', 'median', 'max'],
        rows: [
          ['USER_SRP_AUTH + PASSWORD_VERIFIER', 'amazon-cognito-identity-js', '2', num(median(signIns.srp)), num(Math.max(...signIns.srp))],
          ['USER_PASSWORD_AUTH', 'AWS SDK', '1', num(median(signIns.password)), num(Math.max(...signIns.password))],
        ],
        notes: [
          `SRP ÷ password: ${ratio(median(signIns.srp), median(signIns.password))}. The SRP time is mostly the client's: the library's modular arithmetic is plain JavaScript.`,
        ],
      },
    ],
    notes,
    failures,
    data: { durationSeconds: DURATION_S, repetitions: REPETITIONS, warmUpConcurrency: WARM_UP_CONCURRENCY, runs, signIns },
  };
}
