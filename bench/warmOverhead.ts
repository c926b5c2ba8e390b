/** Part warm: a warm handler's cost per invocation apart from DynamoDB (mocked), timed by tinybench against a 50 µs median target. */
import { createRequire } from 'node:module';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Handler } from '../dev/sampleEvents';
import { Bench } from 'tinybench';
import { buildBundle, FUNCTIONS } from './lib/bundles';
import { progress, type PartOutput } from './lib/part';
import { profileByPackage, type ProfileSummary, type Share } from './lib/profile';
import { median, num } from './lib/stats';

const WARM_UP_CALLS = 2_000;
/** tinybench times at least this many calls, and for at least TIMED_MS, per measurement. */
const TIMED_CALLS = 20_000;
const TIMED_MS = 1_000;
const TARGET_US = 50;
/** Calls (and a time cap) profiled for a handler that misses the target. */
const PROFILED_CALLS = 5_000;
const PROFILE_CAP_MS = 5_000;

/** What the table answers, per command (`GetCommand`...): one DynamoDB call each. */
type Answers = Array<[string, object]>;
/** A handler and its event, or (baselines) a bare call. */
type Case = { name: string; answers: Answers } & ({ fn: string; event: APIGatewayProxyEvent } | { bare: () => Promise<unknown> });

const shares = (parts: Share[]) => parts.map((p) => `${p.name} ${num(p.share * 100)} %`).join(', ');

export async function run(options: { profile?: boolean } = {}): Promise<PartOutput> {
  // Settings before any function module loads (read once, at load). Logging off: one JSON line per request written
  // to a terminal or pipe costs more than everything else a handler does.
  Object.assign(process.env, {
    MYSFITS_TABLE: 'bench-mysfits',
    ACTIVITY_TABLE: 'bench-user-activity',
    CORS_ORIGIN: '*',
    AWS_REGION: 'us-east-1',
  });
  Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' });
  progress('building the handlers as serverless.yml does, SDK external');
  const handlers: Record<'bundle' | 'source', Record<string, Handler>> = { bundle: {}, source: {} };
  let sdk = createRequire(__filename);
  for (const fn of FUNCTIONS) {
    const { file } = await buildBundle(fn, 'external');
    // The SDK is left external so that the doubles reach it: the one instance the bundles and the TypeScript source share.
    sdk = createRequire(file);
    handlers.bundle[fn] = (sdk(file) as { handler: Handler }).handler;
    handlers.source[fn] = ((await import(`../functions/${fn}`)) as { handler: Handler }).handler;
  }
  const lib = sdk('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
  const { DynamoDBClient } = sdk('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const { mockClient } = await import('aws-sdk-client-mock');
  const { context, eventFor, sampleEvent } = await import('../dev/sampleEvents');
  const { seedFacts } = await import('../dev/seed');
  const { toMysfit } = await import('../shared/mysfitItem');

  // The table's twelve mysfits as DynamoDB would return them (the document client's plain objects).
  const items = seedFacts('http://127.0.0.1:8080').map((m, i) => ({
    MysfitId: m.mysfitId,
    Name: m.name,
    Species: m.species,
    Age: m.age,
    Description: m.description,
    GoodEvil: m.goodevil,
    LawChaos: m.lawchaos,
    ThumbImageUri: m.thumbImageUri,
    ProfileImageUri: m.profileImageUri,
    Likes: i * 3,
    Adopted: i % 4 === 0,
  }));
  const evil = items.filter((item) => item.GoodEvil === 'Evil');
  const activity = [
    ...items.slice(0, 3).map(({ MysfitId }) => ({ Kind: 'LIKE', MysfitId })),
    { Kind: 'ADOPT', MysfitId: items[0]?.MysfitId },
  ];
  // What GET /mysfits answers with: its serialisation alone is a fair part of that route's cost.
  const listResponse = { mysfits: items.map((item) => toMysfit(item)) };
  const page = (list: object[]) => ({ Items: list, Count: list.length, ScannedCount: list.length });
  const client = lib.DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const route = (fn: string, answers: Answers, name = fn, event = sampleEvent(fn)): Case => ({ name, answers, fn, event });
  const committed = (likes: number): Answers => [
    ['TransactWriteCommand', {}],
    ['GetCommand', { Item: { Likes: likes } }],
  ];
  const getOne = new lib.GetCommand({ TableName: 'bench-mysfits', Key: { MysfitId: items[0]?.MysfitId } });
  const cases: Case[] = [
    route(
      'listMysfits',
      [['ScanCommand', page(items)]],
      'listMysfits (all 12: Scan)',
      eventFor('listMysfits', { queryStringParameters: null }),
    ),
    route('listMysfits', [['QueryCommand', page(evil)]], `listMysfits (?filter=GoodEvil&value=Evil: Query, ${evil.length} items)`),
    route('getMysfit', [['GetCommand', { Item: items[0] }]]),
    route('likeMysfit', committed(8), 'likeMysfit (transaction commits, count read)'),
    route('unlikeMysfit', committed(7), 'unlikeMysfit (transaction commits, count read)'),
    route('adoptMysfit', [['TransactWriteCommand', {}]], 'adoptMysfit (transaction commits)'),
    route('getMe', [['QueryCommand', page(activity)]], 'getMe (3 likes, 1 adoption)'),
    { name: 'baseline: send() of one GetCommand, alone', answers: [['GetCommand', { Item: items[0] }]], bare: () => client.send(getOne) },
    {
      name: `baseline: JSON.stringify of the 12-mysfit list body (${num(JSON.stringify(listResponse).length / 1024, 1)} KiB)`,
      answers: [],
      bare: async () => JSON.stringify(listResponse),
    },
    { name: 'baseline: an empty async call (the loop itself)', answers: [], bare: async () => undefined },
  ];

  // aws-sdk-client-mock stubs DynamoDBDocumentClient.prototype.send with sinon, which matches every call against
  // each on(Command) and records it; the plain stub only looks the answer up by the command's class name.
  const ddb = mockClient(lib.DynamoDBDocumentClient);
  ddb.restore();
  const prototype = lib.DynamoDBDocumentClient.prototype as { send?: unknown };
  // send() is the SDK Client's, inherited (none of its own, usually): restoring takes the stub's own property away.
  const realSend = Object.getOwnPropertyDescriptor(prototype, 'send');
  const useDouble = (double: 'mock' | 'stub', { answers }: Case) => {
    if (double === 'mock') {
      ddb.reset();
      for (const [command, answer] of answers) ddb.on(lib[command as 'GetCommand']).resolves(answer as never);
      return;
    }
    const byCommand = new Map(answers);
    const value = (command: object) => Promise.resolve(byCommand.get(command.constructor.name));
    Object.defineProperty(prototype, 'send', { configurable: true, writable: true, value });
  };
  const restoreSend = () => {
    ddb.restore();
    if (realSend) Object.defineProperty(prototype, 'send', realSend);
    else delete prototype.send;
  };

  // Each case with both doubles on the bundle, and a handler's TypeScript source with the stub.
  const flavours = [
    ['bundle', 'mock'],
    ['bundle', 'stub'],
    ['source', 'stub'],
  ] as const;
  const measured = cases.flatMap((c) =>
    flavours.filter(([code]) => 'fn' in c || code === 'bundle').map(([code, double]) => ({ c, code, double, wrong: 0 })),
  );
  const bench = new Bench({ iterations: TIMED_CALLS, time: TIMED_MS, warmupIterations: WARM_UP_CALLS, throws: true });
  for (const m of measured) {
    const { c } = m;
    // Lambda hands each invocation its own event (and middy changes it): a fresh copy per call, made untimed.
    let event = 'fn' in c ? structuredClone(c.event) : undefined;
    let calls = 0;
    const task = async () => {
      if (!('fn' in c)) return c.bare();
      if ((await (handlers[m.code][c.fn] as Handler)(event as APIGatewayProxyEvent, context)).statusCode !== 200) m.wrong++;
    };
    bench.add(`${c.name} (${m.code}, ${m.double})`, task, {
      beforeAll: () => {
        progress(`${c.name} (${m.code}, ${m.double})`);
        useDouble(m.double, c);
      },
      beforeEach: () => {
        if ('fn' in c) event = structuredClone(c.event);
        // The mock's call history, cleared now and then.
        if (m.double === 'mock' && ++calls % 1_000 === 0) ddb.resetHistory();
      },
      afterAll: restoreSend,
    });
  }
  await bench.run().finally(restoreSend);

  // Microseconds, from tinybench's latency statistics.
  const runs = measured.map((m, i) => {
    const result = bench.tasks[i]?.result;
    if (!result || !('latency' in result)) throw new Error(`warm overhead: ${m.c.name} (${m.code}, ${m.double}) was not measured`);
    const { samplesCount: calls, p50, p99, mean } = result.latency;
    return { ...m, calls, median: p50 * 1_000, p99: p99 * 1_000, mean: mean * 1_000, profile: undefined as ProfileSummary | undefined };
  });
  // A handler over the target (or every one, with --profile) profiled, with each double.
  for (const r of runs.filter((r) => 'fn' in r.c && r.code === 'bundle' && (r.median >= TARGET_US || options.profile))) {
    const { c } = r as { c: Extract<Case, { fn: string }> };
    progress(`${c.name} (${r.double}): profiling up to ${num(PROFILED_CALLS)} calls`);
    useDouble(r.double, c);
    const inputs = Array.from({ length: PROFILED_CALLS }, () => structuredClone(c.event));
    const call = (event: unknown) => (handlers.bundle[c.fn] as Handler)(event as APIGatewayProxyEvent, context);
    r.profile = await profileByPackage(call, inputs, PROFILE_CAP_MS).finally(restoreSend);
  }

  const find = (c: Case, code: string, double: string) => runs.find((r) => r.c === c && r.code === code && r.double === double);
  const verdict = (r: (typeof runs)[number]) => ('bare' in r.c ? '-' : r.median < TARGET_US ? 'PASS' : 'MISS');
  const rows = cases.map((c) => {
    const [mock, stub, source] = flavours.map(([code, double]) => find(c, code, double));
    const figures = [mock, stub].flatMap((r) => (r ? [num(r.median, 1), num(r.p99, 1), verdict(r)] : []));
    return [c.name, String(c.answers.length), ...figures, source ? num(source.median, 1) : '-'];
  });
  const tables = [
    {
      title: `Warm overhead per invocation, DynamoDB mocked (µs; at least ${num(TIMED_CALLS)} timed calls after ${num(WARM_UP_CALLS)} warm-up, tinybench; target: median < ${TARGET_US} µs)`,
      columns:
        'handler | DynamoDB calls | aws-sdk-client-mock: median | p99 | target | plain stub: median | p99 | target | TS source (tsx), stub: median',
      rows,
    },
  ];
  const profiled = runs.filter((r) => r.profile);
  if (profiled.length > 0) {
    tables.push({
      title: 'Warm overhead: where the time goes (V8 CPU profile of the bundle, through its source map; self time by package, top 5)',
      columns: 'handler | double | target | self time by package',
      rows: profiled.map((r) => [r.c.name, r.double, verdict(r), shares((r.profile as ProfileSummary).packages.slice(0, 5))]),
    });
  }

  const failures = cases
    .filter((c) => runs.some((r) => r.c === c && r.wrong > 0))
    .map((c) => `warm overhead: ${c.name} answered calls with a status other than 200`);
  const handlerRuns = runs.filter((r) => 'fn' in r.c && r.code === 'bundle');
  const notes = (['mock', 'stub'] as const).map((double) => {
    const list = handlerRuns.filter((r) => r.double === double).sort((a, b) => b.median - a.median);
    const missed = list.filter((r) => verdict(r) === 'MISS').map((r) => `${r.c.name} ${num(r.median, 1)} µs`);
    const what = double === 'mock' ? 'aws-sdk-client-mock' : "the plain stub (the handlers' own cost)";
    const slowest = `slowest: ${list[0]?.c.name}, ${num(list[0]?.median ?? NaN, 1)} µs`;
    return `With ${what}, ${list.length - missed.length} of ${list.length} handlers are under ${TARGET_US} µs; ${missed.length ? `missing: ${missed.join('; ')}` : slowest}.`;
  });
  const sendAlone = cases[7] as Case;
  if (handlerRuns.some((r) => r.double === 'mock' && verdict(r) === 'MISS')) {
    notes.push(
      `One send() through aws-sdk-client-mock costs ${num(find(sendAlone, 'bundle', 'mock')?.median ?? NaN, 1)} µs alone (plain stub: ` +
        `${num(find(sendAlone, 'bundle', 'stub')?.median ?? NaN, 1)} µs): sinon matches each call against every on(Command), records it ` +
        'and makes an Error for its stack; like and unlike pay it twice.',
    );
  }
  for (const r of handlerRuns.filter((r) => r.double === 'stub' && r.profile)) {
    notes.push(`${r.c.name}, plain stub, hottest functions: ${shares((r.profile as ProfileSummary).functions.slice(0, 5))}.`);
  }
  const sourceRatio = handlerRuns.filter((r) => r.double === 'stub').map((r) => (find(r.c, 'source', 'stub')?.median ?? NaN) / r.median);
  sourceRatio.sort((a, b) => a - b);
  notes.push(
    `The TypeScript source under tsx takes ${num(median(sourceRatio), 2)}× the bundle's time (median over the handlers, same stub; ` +
      `${num(sourceRatio[0] ?? NaN, 2)}× to ${num(sourceRatio.at(-1) ?? NaN, 2)}×).`,
  );
  const data = { targetMicroseconds: TARGET_US, runs: runs.map(({ c, ...r }) => ({ case: c.name, ...r })) };
  return { title: 'Warm overhead', tables, notes, failures, data };
}
