/** Part load: autocannon on the local API (the list, a mysfit, an authorised like), at 1 and 16 connections; any non-2xx or error fails. */
import autocannon from 'autocannon';
import { api, EVANGELINE, newUser } from '../dev/localSystemClient';
import { withLocalSystem } from './lib/localStack';
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

type Target = { name: string; path: string; method: 'GET' | 'POST'; headers?: Record<string, string> };

/** Rounds of concurrent requests; what went wrong (statuses other than 2xx, errors). */
async function warm(url: string, { path, method, headers }: Target): Promise<string[]> {
  const problems: string[] = [];
  for (const concurrency of WARM_UP_CONCURRENCY) {
    const request = async () => {
      try {
        const response = await fetch(`${url}${path}`, { method, headers, signal: AbortSignal.timeout(60_000) });
        await response.arrayBuffer();
        return response.ok ? [] : [`status ${response.status}`];
      } catch (error) {
        return [(error as Error).message];
      }
    };
    problems.push(...(await Promise.all(Array.from({ length: concurrency }, request))).flat());
  }
  return problems;
}

export async function run(): Promise<PartOutput> {
  type Figures = Pick<autocannon.Result, 'requests' | 'latency' | 'non2xx' | 'errors' | 'timeouts' | 'statusCodeStats'>;
  const runs: Array<{ route: string; connections: number; result: Figures }> = [];
  const failures: string[] = [];
  const notes: string[] = [];
  await withLocalSystem(async (stack) => {
    progress('signing a user up through the Cognito API and the mailbox');
    const user = await newUser(stack, 'bench');
    const like = `/mysfits/${EVANGELINE}/like`;
    // The first like; every like under load is then a repeat (a transaction that changes nothing, then a read).
    const first = await api(stack, like, { method: 'POST', token: user.idToken });
    if (first.status !== 200) throw new Error(`the first like answered ${first.status}: ${JSON.stringify(first.body)}`);
    const targets: Target[] = [
      { name: 'GET /mysfits', path: '/mysfits', method: 'GET' },
      { name: 'GET /mysfits/{id}', path: `/mysfits/${EVANGELINE}`, method: 'GET' },
      { name: 'POST /mysfits/{id}/like (repeat)', path: like, method: 'POST', headers: { Authorization: user.idToken } },
    ];
    for (const target of targets) {
      progress(`${target.name}: warm-up, rounds of ${WARM_UP_CONCURRENCY.join(', ')} requests at once`);
      const problems = await warm(stack.info.apiUrl, target);
      // Not the measured runs: reported, not failed (a worker that takes over 10 s to load on a busy machine is a 504).
      if (problems.length > 0)
        notes.push(`${target.name}, warm-up (not measured): ${[...new Set(problems)].join('; ')} (${problems.length}×).`);
      for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
        for (const connections of CONNECTIONS) {
          progress(`${target.name}: run ${repetition}/${REPETITIONS}, ${DURATION_S} s at ${connections} connection(s)`);
          const { name: route, path, ...request } = target;
          const options = { ...request, url: `${stack.info.apiUrl}${path}`, connections, pipelining: 1, duration: DURATION_S };
          const result = await autocannon({ ...options, timeout: 10 });
          const { requests, latency, non2xx, errors, timeouts, statusCodeStats } = result;
          runs.push({ route, connections, result: { requests, latency, non2xx, errors, timeouts, statusCodeStats } });
          if (non2xx + errors + timeouts > 0) {
            const wrong = `${non2xx} non-2xx, ${errors} errors, ${timeouts} timeouts (status codes ${JSON.stringify(statusCodeStats)})`;
            failures.push(`load: ${route} at ${connections} connection(s), run ${repetition}: ${wrong}`);
          }
        }
      }
    }
  });

  // One row per route and connection count: the median of its runs (requests and failures summed).
  const perSecond = (list: typeof runs) => median(list.map((r) => r.result.requests.p50));
  const of = (route: string, connections: number) => runs.filter((r) => r.route === route && r.connections === connections);
  const routes = [...new Set(runs.map((r) => r.route))];
  const rows = routes.flatMap((route) =>
    CONNECTIONS.map((connections) => {
      const list = of(route, connections).map((r) => r.result);
      const total = (pick: (r: Figures) => number) => num(list.reduce((sum, r) => sum + pick(r), 0));
      const perSecondEach = list.map((r) => num(r.requests.p50)).join(' / ');
      const latency = [num(median(list.map((r) => r.latency.p50))), num(median(list.map((r) => r.latency.p99)))];
      const totals = [total((r) => r.requests.total), total((r) => r.non2xx), total((r) => r.errors)];
      return [route, String(connections), num(perSecond(of(route, connections))), perSecondEach, ...latency, ...totals];
    }),
  );
  const scaling = routes.map((route) => `${route} ${ratio(perSecond(of(route, 16)), perSecond(of(route, 1)))}`);
  return {
    title: 'The local API under load',
    tables: [
      {
        title: `The local API under load (autocannon, ${REPETITIONS} runs of ${DURATION_S} s per row, pipelining 1; median run)`,
        columns: 'route | connections | requests/s | each run | latency p50 ms | p99 ms | requests | non-2xx | errors (incl. timeouts)',
        rows,
        notes: [`16 connections ÷ 1, requests/s: ${scaling.join('; ')}.`],
      },
    ],
    notes,
    failures,
    data: { durationSeconds: DURATION_S, runs },
  };
}
