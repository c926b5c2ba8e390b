/**
 * Part 3, DynamoDB round trips per request, counted: the handlers run in-process against DynamoDB Local through a
 * counting proxy, which records every request and its X-Amz-Target. Each route runs three times (fresh users).
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { startCountingProxy } from './lib/countingProxy';
import { startBenchDatabase } from './lib/database';
import { progress, type PartOutput } from './lib/part';

const REPETITIONS = 3;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

interface Route {
  name: string;
  status: number;
  /** What README.md says the route costs ("How the data stays right"); undefined where it says nothing. */
  readme?: number;
  invoke(): Promise<APIGatewayProxyResult>;
}

interface Count {
  route: string;
  status: number;
  expectedStatus: number;
  roundTrips: number;
  operations: string[];
  connections: number;
}

export async function run(): Promise<PartOutput> {
  progress('starting DynamoDB Local (in memory), creating and seeding the tables, and the counting proxy');
  const database = await startBenchDatabase();
  const proxy = await startCountingProxy(database.endpoint).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  try {
    // The functions talk to the proxy; settings before any function module loads. Logging off: not measured here.
    Object.assign(process.env, { ...database.functionEnv, DYNAMODB_ENDPOINT: proxy.endpoint, POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { context, eventFor, sampleEvent } = await import('../dev/sampleEvents');
    const { SEED_MYSFITS } = await import('../dev/seed');
    const listMysfits = (await import('../functions/listMysfits')).handler as Handler;
    const getMysfit = (await import('../functions/getMysfit')).handler as Handler;
    const likeMysfit = (await import('../functions/likeMysfit')).handler as Handler;
    const unlikeMysfit = (await import('../functions/unlikeMysfit')).handler as Handler;
    const adoptMysfit = (await import('../functions/adoptMysfit')).handler as Handler;
    const getMe = (await import('../functions/getMe')).handler as Handler;
    const call = (fn: Handler, event: APIGatewayProxyEvent) => fn(event, context);
    const claims = (sub: string) => ({ sub, email: `${sub.slice(0, 8)}@example.com`, token_use: 'id' });
    const liked = SEED_MYSFITS[0]?.mysfitId as string;

    const routes = (repetition: number): Route[] => {
      const user = randomUUID();
      const other = randomUUID();
      // A mysfit nobody has adopted yet, one per repetition.
      const adoptable = SEED_MYSFITS[1 + repetition]?.mysfitId as string;
      const byUser = (sub: string, mysfitId: string) => ({ claims: claims(sub), pathParameters: { mysfitId } });
      return [
        {
          name: 'GET /mysfits',
          status: 200,
          readme: 1,
          invoke: () => call(listMysfits, eventFor('listMysfits', { queryStringParameters: null })),
        },
        {
          name: 'GET /mysfits?filter=GoodEvil&value=Evil',
          status: 200,
          readme: 1,
          invoke: () => call(listMysfits, sampleEvent('listMysfits')),
        },
        { name: 'GET /mysfits/{id}', status: 200, readme: 1, invoke: () => call(getMysfit, sampleEvent('getMysfit')) },
        { name: 'POST like (new)', status: 200, readme: 2, invoke: () => call(likeMysfit, eventFor('likeMysfit', byUser(user, liked))) },
        { name: 'POST like (repeat)', status: 200, readme: 2, invoke: () => call(likeMysfit, eventFor('likeMysfit', byUser(user, liked))) },
        { name: 'DELETE like', status: 200, readme: 2, invoke: () => call(unlikeMysfit, eventFor('unlikeMysfit', byUser(user, liked))) },
        { name: 'POST adopt', status: 200, readme: 1, invoke: () => call(adoptMysfit, eventFor('adoptMysfit', byUser(user, adoptable))) },
        {
          name: 'POST adopt (same user again)',
          status: 200,
          readme: 1,
          invoke: () => call(adoptMysfit, eventFor('adoptMysfit', byUser(user, adoptable))),
        },
        {
          name: 'POST adopt (conflict: another user)',
          status: 409,
          readme: 1,
          invoke: () => call(adoptMysfit, eventFor('adoptMysfit', byUser(other, adoptable))),
        },
        { name: 'GET /me', status: 200, readme: 1, invoke: () => call(getMe, eventFor('getMe', { claims: claims(user) })) },
        {
          name: 'POST like (unknown mysfit)',
          status: 404,
          invoke: () => call(likeMysfit, eventFor('likeMysfit', byUser(user, randomUUID()))),
        },
      ];
    };

    const counts: Count[][] = [];
    let readme: Record<string, number | undefined> = {};
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      progress(`repetition ${repetition + 1}/${REPETITIONS}: every route once, counting what reaches DynamoDB Local`);
      const list = routes(repetition);
      readme = Object.fromEntries(list.map((r) => [r.name, r.readme]));
      const round: Count[] = [];
      for (const route of list) {
        proxy.reset();
        const response = await route.invoke();
        round.push({
          route: route.name,
          status: response.statusCode,
          expectedStatus: route.status,
          roundTrips: proxy.operations().length,
          operations: proxy.operations(),
          connections: proxy.connections(),
        });
      }
      counts.push(round);
    }

    const failures: string[] = [];
    const notes: string[] = [];
    const first = counts[0] ?? [];
    const rows = first.map((count, i) => {
      const all = counts.map((round) => round[i] as Count);
      const trips = [...new Set(all.map((c) => c.roundTrips))];
      const ops = [...new Set(all.map((c) => c.operations.join(', ')))];
      const statuses = [...new Set(all.map((c) => c.status))];
      if (statuses.some((s) => s !== count.expectedStatus))
        failures.push(`round trips: ${count.route} answered ${statuses.join(', ')}, expected ${count.expectedStatus}`);
      if (trips.length > 1 || ops.length > 1)
        notes.push(`${count.route}: the count differed between repetitions (${trips.join(', ')}: ${ops.join(' | ')}).`);
      const claim = readme[count.route];
      const agrees = claim === undefined ? '-' : trips.length === 1 && trips[0] === claim ? `${claim} (agrees)` : `${claim} (DIFFERS)`;
      if (claim !== undefined && !(trips.length === 1 && trips[0] === claim))
        notes.push(`${count.route}: README.md says ${claim} round trip(s); counted ${trips.join(' / ')}.`);
      return [
        count.route,
        statuses.join(', '),
        trips.join(' / '),
        ops.join(' | ') || '(none)',
        all.map((c) => c.connections).join(' / '),
        agrees,
      ];
    });
    if (notes.length === 0)
      notes.push(`Every route made the same calls in all ${REPETITIONS} repetitions, and every count agrees with README.md.`);
    notes.push('A like or unlike is a transaction, then a consistent read of the count (a transaction returns no attributes).');

    return {
      title: 'DynamoDB round trips per request',
      tables: [
        {
          title: `DynamoDB round trips per request, counted at a proxy in front of DynamoDB Local (same in each of ${REPETITIONS} repetitions)`,
          columns: ['route', 'status', 'round trips', 'operations (X-Amz-Target)', 'new connections', 'README.md says'],
          rows,
          notes: ['"new connections": TCP connections the SDK opened for the request, per repetition (the client keeps them alive).'],
        },
      ],
      notes,
      failures,
      data: { repetitions: REPETITIONS, counts },
    };
  } finally {
    await proxy.close();
    await database.stop();
  }
}
