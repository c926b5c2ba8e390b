/** Part roundtrips: the DynamoDB requests each API request makes, counted at a proxy, checked against README.md. */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { EventChanges } from '../dev/sampleEvents';
import { startCountingProxy } from './lib/countingProxy';
import { startBenchDatabase } from './lib/database';
import { progress, type PartOutput } from './lib/part';

const REPETITIONS = 3;

type Count = { route: string; status: number; roundTrips: number; operations: string[]; connections: number };

export async function run(): Promise<PartOutput> {
  progress('starting DynamoDB Local (in memory), creating and seeding the tables, and the counting proxy');
  const database = await startBenchDatabase();
  const proxy = await startCountingProxy(database.endpoint).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  const counts: Count[][] = [];
  // route, the status it must answer, what README.md says it costs (none where it says nothing), and its request.
  type Route = [string, number, number | undefined, string, EventChanges];
  let routes: Route[] = [];
  try {
    // The functions talk to the proxy; settings before any function module loads. Logging off: not measured here.
    Object.assign(process.env, { ...database.functionEnv, DYNAMODB_ENDPOINT: proxy.endpoint, POWERTOOLS_LOG_LEVEL: 'SILENT' });
    const { context, eventFor } = await import('../dev/sampleEvents');
    const { SEED_MYSFITS } = await import('../dev/seed');
    const liked = SEED_MYSFITS[0]?.mysfitId as string;
    for (let repetition = 0; repetition < REPETITIONS; repetition++) {
      progress(`repetition ${repetition + 1}/${REPETITIONS}: every route once, counting what reaches DynamoDB Local`);
      const [user, other] = [randomUUID(), randomUUID()];
      const claims = (sub: string) => ({ sub, email: `${sub.slice(0, 8)}@example.com`, token_use: 'id' });
      const by = (sub: string, mysfitId: string) => ({ claims: claims(sub), pathParameters: { mysfitId } });
      // A mysfit nobody has adopted yet, one per repetition.
      const adoptable = SEED_MYSFITS[1 + repetition]?.mysfitId as string;
      routes = [
        ['GET /mysfits', 200, 1, 'listMysfits', { queryStringParameters: null }],
        ['GET /mysfits?filter=GoodEvil&value=Evil', 200, 1, 'listMysfits', {}],
        ['GET /mysfits/{id}', 200, 1, 'getMysfit', {}],
        ['POST like (new)', 200, 2, 'likeMysfit', by(user, liked)],
        ['POST like (repeat)', 200, 2, 'likeMysfit', by(user, liked)],
        ['DELETE like', 200, 2, 'unlikeMysfit', by(user, liked)],
        ['POST adopt', 200, 1, 'adoptMysfit', by(user, adoptable)],
        ['POST adopt (same user again)', 200, 1, 'adoptMysfit', by(user, adoptable)],
        ['POST adopt (conflict: another user)', 409, 1, 'adoptMysfit', by(other, adoptable)],
        ['GET /me', 200, 1, 'getMe', { claims: claims(user) }],
        ['POST like (unknown mysfit)', 404, undefined, 'likeMysfit', by(user, randomUUID())],
      ];
      const round: Count[] = [];
      for (const [route, , , fn, changes] of routes) {
        const { handler } = (await import(`../functions/${fn}`)) as { handler: (e: APIGatewayProxyEvent, c: Context) => Promise<unknown> };
        proxy.reset();
        const { statusCode: status } = (await handler(eventFor(fn, changes), context)) as { statusCode: number };
        const { operations, connections } = proxy.counted;
        round.push({ route, status, roundTrips: operations.length, operations, connections });
      }
      counts.push(round);
    }
  } finally {
    await proxy.close();
    await database.stop();
  }

  const failures: string[] = [];
  const notes: string[] = [];
  const rows = routes.map(([route, expected, readme], i) => {
    const all = counts.map((round) => round[i] as Count);
    const distinct = <T>(pick: (c: Count) => T) => [...new Set(all.map(pick))];
    const [trips, ops, statuses] = [distinct((c) => c.roundTrips), distinct((c) => c.operations.join(', ')), distinct((c) => c.status)];
    if (statuses.some((s) => s !== expected)) failures.push(`round trips: ${route} answered ${statuses.join(', ')}, expected ${expected}`);
    if (trips.length > 1 || ops.length > 1)
      notes.push(`${route}: the count differed between repetitions (${trips.join(', ')}: ${ops.join(' | ')}).`);
    const agrees = trips.length === 1 && trips[0] === readme;
    if (readme !== undefined && !agrees) notes.push(`${route}: README.md says ${readme} round trip(s); counted ${trips.join(' / ')}.`);
    const says = readme === undefined ? '-' : `${readme} (${agrees ? 'agrees' : 'DIFFERS'})`;
    return [route, statuses.join(', '), trips.join(' / '), ops.join(' | ') || '(none)', all.map((c) => c.connections).join(' / '), says];
  });
  if (notes.length === 0)
    notes.push(`Every route made the same calls in all ${REPETITIONS} repetitions, and every count agrees with README.md.`);
  return {
    title: 'DynamoDB round trips per request',
    tables: [
      {
        title: `DynamoDB round trips per request, counted at a proxy in front of DynamoDB Local (same in each of ${REPETITIONS} repetitions)`,
        columns: 'route | status | round trips | operations (X-Amz-Target) | new connections | README.md says',
        rows,
        notes: ['"new connections": TCP connections the SDK opened for the request, per repetition (the client keeps them alive).'],
      },
    ],
    notes,
    failures,
    data: { repetitions: REPETITIONS, counts },
  };
}
