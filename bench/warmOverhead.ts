/**
 * Part warm: what a warm handler costs per invocation apart from DynamoDB itself, in-process, timed by tinybench
 * against a 50 µs median target: the handlers as deployed (bundled as serverless.yml builds them, SDK left external
 * so the doubles reach it) with the document client mocked by aws-sdk-client-mock, with a plain stub instead, and
 * the TypeScript source under tsx. A handler that misses is profiled (a readable twin of its bundle, self time by package).
 */
import { createRequire } from 'node:module';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { Bench } from 'tinybench';
import { buildBundle, FUNCTIONS, sourceOfLine } from './lib/bundles';
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

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
/** What stands in for DynamoDB: aws-sdk-client-mock, or a plain function in place of send(). */
type Double = 'mock' | 'stub';

interface Case {
  name: string;
  /** What the table answers, per command (`GetCommand`...): one DynamoDB call each. */
  answers: Array<[string, object]>;
  /** A handler and its event, or (baselines) a bare call. */
  fn?: string;
  event?: APIGatewayProxyEvent;
  bare?: () => Promise<unknown>;
}

async function loadBundles(folder: string, minify: boolean) {
  const files: Record<string, string> = {};
  for (const fn of FUNCTIONS) files[fn] = (await buildBundle(fn, 'external', { minify, folder })).file;
  const handlers = Object.fromEntries(
    Object.entries(files).map(([fn, file]) => [fn, (createRequire(file)(file) as { handler: Handler }).handler]),
  );
  return { files, handlers };
}

const shares = (parts: Share[]) => parts.map((p) => `${p.name} ${num(p.share * 100)} %`).join(', ');

export async function run(options: { profile?: boolean } = {}): Promise<PartOutput> {
  // Settings before any function module loads (read once, at load). Logging off: one JSON line per request written
  // to a terminal or pipe costs more than everything else a handler does.
  Object.assign(process.env, {
    MYSFITS_TABLE: 'bench-mysfits',
    ACTIVITY_TABLE: 'bench-user-activity',
    CORS_ORIGIN: '*',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  });
  progress('building the handlers as serverless.yml does (SDK external), and a readable twin for profiles');
  const bundle = await loadBundles('warm', true);
  const readable = await loadBundles('warm-readable', false);
  const readableLines = new Map(Object.values(readable.files).map((file) => [file, sourceOfLine(file)]));

  // The SDK the bundles require (one instance, shared with the TypeScript source below).
  const sdk = createRequire(Object.values(bundle.files)[0] as string);
  const lib = sdk('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
  const { DynamoDBClient } = sdk('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const { mockClient } = await import('aws-sdk-client-mock');
  const { context, eventFor, sampleEvent } = await import('../dev/sampleEvents');
  const { seedFacts } = await import('../dev/seed');
  const { toMysfit } = await import('../shared/mysfitItem');
  const source: Record<string, Handler> = {};
  for (const fn of FUNCTIONS) source[fn] = ((await import(`../functions/${fn}`)) as { handler: Handler }).handler;

  // The table's twelve mysfits as DynamoDB would return them (the document client's plain objects).
  const items = seedFacts('http://127.0.0.1:8080').map((m, i) => ({
    ...{ MysfitId: m.mysfitId, Name: m.name, Species: m.species, Age: m.age, Description: m.description },
    ...{ GoodEvil: m.goodevil, LawChaos: m.lawchaos, ThumbImageUri: m.thumbImageUri, ProfileImageUri: m.profileImageUri },
    ...{ Likes: i * 3, Adopted: i % 4 === 0 },
  }));
  const evil = items.filter((item) => item.GoodEvil === 'Evil');
  const activity = [
    ...items.slice(0, 3).map((item) => ({ Kind: 'LIKE', MysfitId: item.MysfitId })),
    { Kind: 'ADOPT', MysfitId: items[0]?.MysfitId },
  ];
  // What GET /mysfits answers with: its serialisation alone is a fair part of that route's cost.
  const listResponse = { mysfits: items.map((item) => toMysfit(item)) };
  const page = (list: object[]) => ({ Items: list, Count: list.length, ScannedCount: list.length });
  const client = lib.DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const route = (fn: string, answers: Case['answers'], name = fn, event = sampleEvent(fn)): Case => ({ name, answers, fn, event });
  const committed = (likes: number): Case['answers'] => [
    ['TransactWriteCommand', {}],
    ['GetCommand', { Item: { Likes: likes } }],
  ];
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
    {
      name: 'baseline: send() of one GetCommand, alone',
      answers: [['GetCommand', { Item: items[0] }]],
      bare: () => client.send(new lib.GetCommand({ TableName: 'bench-mysfits', Key: { MysfitId: items[0]?.MysfitId } })),
    },
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
  const realSend = Object.getOwnPropertyDescriptor(lib.DynamoDBDocumentClient.prototype, 'send') as PropertyDescriptor;
  const useDouble = (double: Double, c: Case) => {
    if (double === 'mock') {
      ddb.reset();
      for (const [command, answer] of c.answers)
        ddb.on((lib as unknown as Record<string, never>)[command] as never).resolves(answer as never);
      return;
    }
    const answers = new Map<string, object>(c.answers);
    const value = (command: object) => Promise.resolve(answers.get(command.constructor.name));
    Object.defineProperty(lib.DynamoDBDocumentClient.prototype, 'send', { configurable: true, writable: true, value });
  };
  const restoreSend = () => {
    ddb.restore();
    Object.defineProperty(lib.DynamoDBDocumentClient.prototype, 'send', realSend);
  };

  // Each case with both doubles on the bundle, and a handler's TypeScript source with the stub.
  const columns = [
    { flavour: 'bundle', double: 'mock' },
    { flavour: 'bundle', double: 'stub' },
    { flavour: 'source', double: 'stub' },
  ] as const;
  const measured = cases.flatMap((c) =>
    columns.filter((col) => !(c.bare && col.flavour === 'source')).map((col) => ({ c, ...col, wrong: 0 })),
  );
  const bench = new Bench({ iterations: TIMED_CALLS, time: TIMED_MS, warmupIterations: WARM_UP_CALLS, throws: true });
  for (const m of measured) {
    const handler = m.c.fn ? (m.flavour === 'bundle' ? bundle.handlers : source)[m.c.fn] : undefined;
    // Lambda hands each invocation its own event (and middy changes it): a fresh copy per call, made untimed.
    let event = structuredClone(m.c.event as APIGatewayProxyEvent);
    let calls = 0;
    const task = async () => {
      if (!handler) return m.c.bare?.();
      if ((await handler(event, context)).statusCode !== 200) m.wrong++;
    };
    bench.add(`${m.c.name} (${m.flavour}, ${m.double})`, task, {
      beforeAll: () => {
        progress(`${m.c.name} (${m.flavour}, ${m.double})`);
        useDouble(m.double, m.c);
      },
      beforeEach: () => {
        event = structuredClone(m.c.event as APIGatewayProxyEvent);
        // The mock's call history, cleared now and then.
        if (m.double === 'mock' && ++calls % 1_000 === 0) ddb.resetHistory();
      },
      afterAll: restoreSend,
    });
  }
  try {
    await bench.run();
  } finally {
    restoreSend();
  }

  // Microseconds, from tinybench's latency statistics.
  const runs = measured.map((m, i) => {
    const result = bench.tasks[i]?.result;
    if (!result || !('latency' in result)) throw new Error(`warm overhead: ${m.c.name} (${m.flavour}, ${m.double}) was not measured`);
    const { samplesCount, p50, p99, mean } = result.latency;
    return {
      ...m,
      calls: samplesCount,
      median: p50 * 1_000,
      p99: p99 * 1_000,
      mean: mean * 1_000,
      profile: undefined as ProfileSummary | undefined,
    };
  });
  // A handler over the target (or every one, with --profile) profiled on the readable twin, with each double.
  for (const r of runs.filter((r) => r.c.fn && r.flavour === 'bundle' && (r.median >= TARGET_US || options.profile))) {
    progress(`${r.c.name} (${r.double}): profiling up to ${num(PROFILED_CALLS)} calls of the readable twin`);
    useDouble(r.double, r.c);
    try {
      const handler = readable.handlers[r.c.fn as string] as Handler;
      const inputs = Array.from({ length: PROFILED_CALLS }, () => structuredClone(r.c.event));
      r.profile = await profileByPackage((event) => handler(event as APIGatewayProxyEvent, context), inputs, {
        capMs: PROFILE_CAP_MS,
        sourceOf: (path, line) => readableLines.get(path)?.(line + 1),
      });
    } finally {
      restoreSend();
    }
  }

  const measurements = cases.map((c) => {
    const [mock, stub, source] = columns.map((col) => runs.find((r) => r.c === c && r.flavour === col.flavour && r.double === col.double));
    const verdict = (r: typeof mock) => (c.bare ? '-' : (r?.median ?? Infinity) < TARGET_US ? 'PASS' : 'MISS');
    return {
      name: c.name,
      sends: c.answers.length,
      bare: !!c.bare,
      mock: mock as (typeof runs)[number],
      stub: stub as (typeof runs)[number],
      source,
      verdict: { mock: verdict(mock), stub: verdict(stub) },
    };
  });
  const failures = measurements
    .filter((m) => m.mock.wrong + m.stub.wrong + (m.source?.wrong ?? 0) > 0)
    .map((m) => `warm overhead: ${m.name} answered calls with a status other than 200`);
  const tables = [
    {
      title: `Warm overhead per invocation, DynamoDB mocked (µs; at least ${num(TIMED_CALLS)} timed calls after ${num(WARM_UP_CALLS)} warm-up, tinybench; target: median < ${TARGET_US} µs)`,
      columns:
        'handler | DynamoDB calls | aws-sdk-client-mock: median | p99 | target | plain stub: median | p99 | target | TS source (tsx), stub: median',
      rows: measurements.map((m) => [
        m.name,
        String(m.sends),
        ...[m.mock, m.stub].flatMap((r) => [num(r.median, 1), num(r.p99, 1), m.verdict[r.double]]),
        m.source ? num(m.source.median, 1) : '-',
      ]),
    },
  ];
  const profiled = runs.filter((r) => r.profile);
  if (profiled.length > 0) {
    tables.push({
      title: 'Warm overhead: where the time goes (V8 CPU profile of the readable bundle, self time by package, top 5)',
      columns: 'handler | double | target | self time by package',
      rows: profiled.map((r) => [
        r.c.name,
        r.double,
        r.median < TARGET_US ? 'PASS' : 'MISS',
        shares((r.profile as ProfileSummary).packages.slice(0, 5)),
      ]),
    });
  }

  const handlers = measurements.filter((m) => !m.bare);
  const notes = (['mock', 'stub'] as const).map((double) => {
    const missed = handlers.filter((m) => m.verdict[double] === 'MISS');
    const slowest = [...handlers].sort((a, b) => b[double].median - a[double].median)[0];
    const what = double === 'mock' ? 'With aws-sdk-client-mock' : "With the plain stub (the handlers' own cost)";
    const missing = missed.map((m) => `${m.name} ${num(m[double].median, 1)} µs`).join('; ');
    return `${what}, ${handlers.length - missed.length} of ${handlers.length} handlers are under ${TARGET_US} µs; ${missed.length ? `missing: ${missing}` : `slowest: ${slowest?.name}, ${num(slowest?.[double].median ?? NaN, 1)} µs`}.`;
  });
  const sendAlone = measurements.find((m) => m.name.startsWith('baseline: send()'));
  if (sendAlone && handlers.some((m) => m.verdict.mock === 'MISS')) {
    // The usual reason, when the handlers' own cost is under the target.
    notes.push(
      `One send() through aws-sdk-client-mock costs ${num(sendAlone.mock.median, 1)} µs alone (plain stub: ${num(sendAlone.stub.median, 1)} µs): sinon matches each call ` +
        'against every on(Command), records it and makes an Error for its stack; like and unlike pay it twice.',
    );
  }
  for (const m of handlers.filter((m) => m.verdict.stub === 'MISS' && m.stub.profile)) {
    notes.push(`${m.name}, plain stub, hottest functions: ${shares((m.stub.profile as ProfileSummary).functions.slice(0, 5))}.`);
  }
  const sourceRatio = handlers.map((m) => (m.source?.median ?? NaN) / m.stub.median).sort((a, b) => a - b);
  notes.push(
    `The TypeScript source under tsx takes ${num(median(sourceRatio), 2)}× the bundle's time (median over the handlers, same stub; ` +
      `${num(sourceRatio[0] ?? NaN, 2)}× to ${num(sourceRatio.at(-1) ?? NaN, 2)}×).`,
  );
  const data = runs.map(({ c, flavour, double, calls, median, p99, mean, wrong, profile }) => ({
    case: c.name,
    flavour,
    double,
    calls,
    median,
    p99,
    mean,
    wrongStatus: wrong,
    profile,
  }));
  return { title: 'Warm overhead', tables, notes, failures, data: { targetMicroseconds: TARGET_US, runs: data } };
}
