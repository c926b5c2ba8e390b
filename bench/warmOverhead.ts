/**
 * Part 2, warm overhead: what a warm handler costs per invocation apart from DynamoDB itself. In-process, on the
 * handler as deployed (esbuild bundle as serverless.yml builds it, SDK left external so the double reaches it), with
 * the document client mocked (aws-sdk-client-mock) answering like the table would; median and p99 against a 50 µs
 * target. Also with a plain stub instead of the mock, and the TypeScript source under tsx. Timed by tinybench (warm-up,
 * samples, percentiles); a handler that misses is profiled (V8 CPU profile of a readable twin, self time by package).
 */
import { createRequire } from 'node:module';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { Bench } from 'tinybench';
import { buildBundle, sourceOfLine } from './lib/bundles';
import { FUNCTIONS, ROOT, type FunctionName } from './lib/functions';
import { progress, type PartOutput } from './lib/part';
import { profileByPackage, type ProfileSummary } from './lib/profile';
import { median, num } from './lib/stats';

const WARM_UP_CALLS = 2_000;
/** Timed calls per measurement, at least (tinybench runs at least this many, and for at least TIMED_MS). */
const TIMED_CALLS = 20_000;
const TIMED_MS = 1_000;
const TARGET_US = 50;
/** Calls (and a time cap) profiled for a handler that misses the target. */
const PROFILED_CALLS = 5_000;
const PROFILE_CAP_MS = 5_000;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Handlers = Record<FunctionName, Handler>;
/** What stands in for DynamoDB: aws-sdk-client-mock, or a plain function in place of send(). */
type Double = 'mock' | 'stub';
/** The code measured: the deployed bundle (minified) or the TypeScript source (tsx); profiles use a readable twin. */
type Flavour = 'bundle' | 'source';

interface Case {
  name: string;
  /** What the table answers, per command (`GetCommand`...). */
  answers: Array<[string, object]>;
  /** DynamoDB calls per invocation (each goes through the double once). */
  sends: number;
  /** A handler and its event, or (baselines) a bare call. */
  fn?: FunctionName;
  event?: APIGatewayProxyEvent;
  bare?: () => Promise<unknown>;
}

/** Microseconds, from tinybench's latency statistics, and the calls that answered another status than 200. */
interface Run {
  calls: number;
  median: number;
  p99: number;
  mean: number;
  wrongStatus: number;
  profile?: ProfileSummary;
}

async function loadBundles(folder: string, minify: boolean) {
  const handlers = {} as Handlers;
  const files = {} as Record<FunctionName, string>;
  for (const fn of FUNCTIONS) {
    const { file } = await buildBundle(fn, 'external', { minify, folder });
    files[fn] = file;
    handlers[fn] = (createRequire(file)(file) as { handler: Handler }).handler;
  }
  return { handlers, files };
}

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
  // Profiles name a CommonJS script by its path, or by a file:// URL: both lead to the bundle's module map.
  const readableFiles = new Map(
    Object.values(readable.files).flatMap((file) => [file, `file://${file}`].map((url) => [url, sourceOfLine(file)] as const)),
  );

  // The SDK the bundles require (one instance, shared with the TypeScript source below).
  const sdk = createRequire(Object.values(bundle.files)[0] as string);
  const lib = sdk('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
  const { DynamoDBClient } = sdk('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
  const { mockClient } = await import('aws-sdk-client-mock');
  const { context, eventFor, sampleEvent } = await import('../dev/sampleEvents');
  const { seedFacts } = await import('../dev/seed');
  const { toMysfit } = await import('../shared/mysfitItem');
  const source = {} as Handlers;
  for (const fn of FUNCTIONS) source[fn] = ((await import(`../functions/${fn}`)) as { handler: Handler }).handler;
  const handlers: Record<Flavour, Handlers> = { bundle: bundle.handlers, source };

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
    ...items.slice(0, 3).map((item) => ({ Kind: 'LIKE', MysfitId: item.MysfitId })),
    { Kind: 'ADOPT', MysfitId: items[0]?.MysfitId },
  ];
  // What GET /mysfits answers with: its serialisation alone is a fair part of that route's cost.
  const listResponse = { mysfits: items.map((item) => toMysfit(item)) };
  const page = (list: object[]) => ({ Items: list, Count: list.length, ScannedCount: list.length });
  const client = lib.DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
  const route = (fn: FunctionName, answers: Array<[string, object]>, name: string = fn, event = sampleEvent(fn)): Case => ({
    name,
    answers,
    sends: answers.length,
    fn,
    event,
  });
  const committed = (likes: number): Array<[string, object]> => [
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
      sends: 1,
      bare: () => client.send(new lib.GetCommand({ TableName: 'bench-mysfits', Key: { MysfitId: items[0]?.MysfitId } })),
    },
    {
      name: `baseline: JSON.stringify of the 12-mysfit list body (${num(JSON.stringify(listResponse).length / 1024, 1)} KiB)`,
      answers: [],
      sends: 0,
      bare: async () => JSON.stringify(listResponse),
    },
    { name: 'baseline: an empty async call (the loop itself)', answers: [], sends: 0, bare: async () => undefined },
  ];

  // aws-sdk-client-mock stubs DynamoDBDocumentClient.prototype.send with sinon, which matches every call against
  // each on(Command) and records it; the plain stub only looks the answer up by the command's class name.
  const ddb = mockClient(lib.DynamoDBDocumentClient);
  ddb.restore();
  const realSend = Object.getOwnPropertyDescriptor(lib.DynamoDBDocumentClient.prototype, 'send');
  const commandClass = (name: string) => (lib as unknown as Record<string, new (input: never) => object>)[name] as never;
  const useDouble = (double: Double, c: Case) => {
    if (double === 'mock') {
      ddb.reset();
      for (const [command, answer] of c.answers) ddb.on(commandClass(command)).resolves(answer as never);
      return;
    }
    const answers = new Map<string, object>(c.answers);
    const value = (command: object) => Promise.resolve(answers.get(command.constructor.name));
    Object.defineProperty(lib.DynamoDBDocumentClient.prototype, 'send', { configurable: true, writable: true, value });
  };
  const restoreSend = () => {
    ddb.restore();
    if (realSend) Object.defineProperty(lib.DynamoDBDocumentClient.prototype, 'send', realSend);
  };
  /** One call of the case, on a fresh copy of its event (Lambda hands each invocation its own; middy changes it). */
  const caller = (c: Case, handler?: Handler) => {
    const event = c.event;
    if (!handler || !event) return { next: () => undefined, call: () => (c.bare as () => Promise<unknown>)() };
    let input = structuredClone(event);
    return { next: () => void (input = structuredClone(event)), call: () => handler(input, context) };
  };

  const measured = cases.flatMap((c) =>
    ([['bundle', 'mock'], ['bundle', 'stub'], ...(c.bare ? [] : [['source', 'stub']])] as Array<[Flavour, Double]>).map(
      ([flavour, double]) => ({ c, flavour, double, wrong: 0, calls: 0 }),
    ),
  );
  const bench = new Bench({ iterations: TIMED_CALLS, time: TIMED_MS, warmupIterations: WARM_UP_CALLS, throws: true });
  for (const m of measured) {
    const { next, call } = caller(m.c, m.c.fn ? handlers[m.flavour][m.c.fn] : undefined);
    bench.add(
      `${m.c.name} (${m.flavour}, ${m.double})`,
      async () => {
        const result = await call();
        if (!m.c.bare && (result as APIGatewayProxyResult).statusCode !== 200) m.wrong++;
      },
      {
        beforeAll: () => {
          progress(`${m.c.name} (${m.flavour}, ${m.double})`);
          useDouble(m.double, m.c);
        },
        // Untimed: the next call's event, and the mock's call history cleared now and then.
        beforeEach: () => {
          next();
          if (m.double === 'mock' && ++m.calls % 1_000 === 0) ddb.resetHistory();
        },
        afterAll: restoreSend,
      },
    );
  }
  try {
    await bench.run();
  } finally {
    restoreSend();
  }

  const runs = await Promise.all(
    measured.map(async (m, i): Promise<Run> => {
      const result = bench.tasks[i]?.result;
      if (!result || !('latency' in result)) throw new Error(`warm overhead: ${m.c.name} (${m.flavour}, ${m.double}) was not measured`);
      const { latency } = result;
      return {
        calls: latency.samplesCount,
        median: latency.p50 * 1_000,
        p99: latency.p99 * 1_000,
        mean: latency.mean * 1_000,
        wrongStatus: m.wrong,
      };
    }),
  );
  const runOf = (c: Case, flavour: Flavour, double: Double) =>
    runs[measured.findIndex((m) => m.c === c && m.flavour === flavour && m.double === double)];

  // A handler over the target (or every one, with --profile) profiled on the readable twin, with each double.
  for (const [i, m] of measured.entries()) {
    const r = runs[i] as Run;
    if (m.c.bare || !m.c.fn || m.flavour !== 'bundle' || (r.median < TARGET_US && !options.profile)) continue;
    progress(`${m.c.name} (${m.double}): profiling up to ${num(PROFILED_CALLS)} calls of the readable twin`);
    useDouble(m.double, m.c);
    try {
      const inputs = Array.from({ length: PROFILED_CALLS }, () => structuredClone(m.c.event));
      const handler = readable.handlers[m.c.fn] as Handler;
      r.profile = await profileByPackage((event: unknown) => handler(event as APIGatewayProxyEvent, context), inputs, {
        capMs: PROFILE_CAP_MS,
        root: ROOT,
        sourceOf: (url, line) => readableFiles.get(url)?.(line + 1),
      });
    } finally {
      restoreSend();
    }
  }

  const measurements = cases.map((c) => {
    const [mock, stub, source] = [runOf(c, 'bundle', 'mock') as Run, runOf(c, 'bundle', 'stub') as Run, runOf(c, 'source', 'stub')];
    const verdict = (r: Run) => (c.bare ? '-' : r.median < TARGET_US ? 'PASS' : 'MISS');
    return {
      name: c.name,
      baseline: c.bare !== undefined,
      sends: c.sends,
      mock,
      stub,
      source,
      verdict: verdict(mock),
      stubVerdict: verdict(stub),
    };
  });
  type Measurement = (typeof measurements)[number];

  const failures = measurements
    .filter((m) => m.mock.wrongStatus + m.stub.wrongStatus + (m.source?.wrongStatus ?? 0) > 0)
    .map((m) => `warm overhead: ${m.name} answered calls with a status other than 200`);
  const tables = [
    {
      title: `Warm overhead per invocation, DynamoDB mocked (µs; at least ${num(TIMED_CALLS)} timed calls after ${num(WARM_UP_CALLS)} warm-up, tinybench; target: median < ${TARGET_US} µs)`,
      columns: [
        'handler',
        'DynamoDB calls',
        'aws-sdk-client-mock: median',
        'p99',
        'target',
        'plain stub: median',
        'p99',
        'target',
        'TS source (tsx), stub: median',
      ],
      rows: measurements.map((m) => [
        m.name,
        String(m.sends),
        num(m.mock.median, 1),
        num(m.mock.p99, 1),
        m.verdict,
        num(m.stub.median, 1),
        num(m.stub.p99, 1),
        m.stubVerdict,
        m.source ? num(m.source.median, 1) : '-',
      ]),
      notes: [
        'The handlers as deployed: esbuild bundles as serverless.yml builds them (minified), with @aws-sdk/* external so that the doubles reach',
        'the SDK they load. POWERTOOLS_LOG_LEVEL=SILENT: with logging on, the JSON line per request dominates every figure. Both doubles replace',
        "the document client's send(), so no marshalling, signing or HTTP is timed: middy, validation, the handler and the response, plus the",
        "double. aws-sdk-client-mock (sinon) matches and records each call; the plain stub returns the canned answer, so its column is the handler's",
        'own cost. The last column runs the TypeScript source as tsx loads it. Each call gets a fresh copy of the sample event, made untimed.',
      ],
    },
  ];
  const profiled = measurements.flatMap((m) =>
    (['mock', 'stub'] as const).flatMap((d) => (m[d].profile ? [{ m, d, profile: m[d].profile as ProfileSummary }] : [])),
  );
  if (profiled.length > 0) {
    tables.push({
      title: 'Warm overhead: where the time goes (V8 CPU profile of the readable bundle, self time by package, top 5)',
      columns: ['handler', 'double', 'target', 'self time by package'],
      rows: profiled.map(({ m, d, profile }) => [
        m.name,
        d,
        d === 'mock' ? m.verdict : m.stubVerdict,
        shares(profile.packages.slice(0, 5)),
      ]),
      notes: [
        'This repository\'s code is named by file; "(bench harness)" is the timing loop and fixtures; "(node)" node\'s built-in modules; "(gc)"',
        'garbage collection; "(V8)" native functions with no script of their own. Built-ins such as JSON.stringify count towards their caller.',
      ],
    });
  }

  const handlersOnly = measurements.filter((m) => !m.baseline);
  const missed = handlersOnly.filter((m) => m.verdict === 'MISS');
  const missedWithStub = handlersOnly.filter((m) => m.stubVerdict === 'MISS');
  const sendAlone = measurements.find((m) => m.name.startsWith('baseline: send()'));
  const slowest = (double: Double) => {
    const top = [...handlersOnly].sort((a, b) => b[double].median - a[double].median)[0];
    return top ? `${top.name}, ${num(top[double].median, 1)} µs` : '-';
  };
  const sinonShare = (m: Measurement) =>
    (m.mock.profile?.packages ?? [])
      .filter((p) => p.name === 'sinon' || p.name.startsWith('@sinonjs/'))
      .reduce((sum, p) => sum + p.share, 0);
  const sourceRatio = handlersOnly.map((m) => (m.source?.median ?? Number.NaN) / m.stub.median).sort((a, b) => a - b);
  const notes = [
    missed.length === 0
      ? `Every handler is under the ${TARGET_US} µs target (median, with aws-sdk-client-mock); slowest: ${slowest('mock')}.`
      : `${missed.length} of ${handlersOnly.length} handlers miss the ${TARGET_US} µs target with aws-sdk-client-mock (slowest: ${slowest('mock')}).`,
    ...(sendAlone && missed.length > 0
      ? [
          `What dominates there is the mock: one send() through aws-sdk-client-mock costs ${num(sendAlone.mock.median, 1)} µs on its own (plain stub: ` +
            `${num(sendAlone.stub.median, 1)} µs): sinon matches each call against every on(Command), records it and creates an Error for its ` +
            'call stack; like and unlike pay it twice.' +
            (missed.some((m) => m.mock.profile)
              ? ` In the profiles sinon and @sinonjs/* take ${missed
                  .filter((m) => m.mock.profile)
                  .map((m) => `${num(sinonShare(m) * 100)} %`)
                  .join(', ')} of the time.`
              : ''),
        ]
      : []),
    missedWithStub.length === 0
      ? `With the plain stub (the handlers' own cost) every handler is under ${TARGET_US} µs; slowest: ${slowest('stub')}.`
      : `With the plain stub (the handlers' own cost), ${handlersOnly.length - missedWithStub.length} of ${handlersOnly.length} are under ${TARGET_US} µs; missing: ${missedWithStub.map((m) => `${m.name} ${num(m.stub.median, 1)} µs`).join('; ')}.`,
    ...missedWithStub.map(
      (m) =>
        `${m.name}, plain stub: ` +
        (m.stub.profile
          ? `self time by package: ${shares(m.stub.profile.packages.slice(0, 4))}; hottest functions: ${shares(m.stub.profile.functions.slice(0, 5))}`
          : 'not profiled') +
        '.',
    ),
    `The TypeScript source as tsx loads it takes ${num(median(sourceRatio), 2)}× the bundle's time (median over the handlers, same stub; range ${num(sourceRatio[0] ?? Number.NaN, 2)}× to ${num(sourceRatio[sourceRatio.length - 1] ?? Number.NaN, 2)}×).`,
  ];
  return { title: 'Warm overhead', tables, notes, failures, data: { targetMicroseconds: TARGET_US, measurements } };
}

const shares = (parts: Array<{ name: string; share: number }>) => parts.map((p) => `${p.name} ${num(p.share * 100)} %`).join(', ');
