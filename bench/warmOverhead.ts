/**
 * Part 2, warm overhead: what a warm handler costs per invocation apart from DynamoDB itself. In-process, on the
 * handler as deployed (esbuild bundle as serverless.yml builds it, SDK left external so the mock reaches it), with
 * the document client mocked (aws-sdk-client-mock) answering like the table would, after a warm-up; median and p99
 * against a 50 µs target. Also with a plain stub instead of the mock, and the TypeScript source under tsx. A handler
 * that misses is profiled (V8 CPU profile of a readable twin bundle, self time by package).
 */
import { createRequire } from 'node:module';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { buildBundle, sourceOfLine } from './lib/bundles';
import { FUNCTIONS, ROOT, type FunctionName } from './lib/functions';
import { progress, type PartOutput } from './lib/part';
import { profileByPackage, type ProfileSummary } from './lib/profile';
import { median, num, summarise, type Summary } from './lib/stats';

const WARM_UP_CALLS = 2_000;
const WARM_UP_CAP_MS = 5_000;
/** Timed calls per measurement, in rounds of BLOCK calls that go round every measurement in turn. */
const TIMED_CALLS = 20_000;
const BLOCK = 1_000;
/** Timed time per measurement, at most. */
const TIMED_CAP_MS = 10_000;
const TARGET_US = 50;
/** Calls (and a time cap) profiled for a handler that misses the target. */
const PROFILED_CALLS = 5_000;
const PROFILE_CAP_MS = 5_000;

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Handlers = Record<FunctionName, Handler>;
/** The handler code measured: the deployed bundle (minified), its readable twin (for profiles), or the TS source. */
type Flavour = 'bundle' | 'readable' | 'source';
/** What stands in for DynamoDB: aws-sdk-client-mock, or a plain function in place of send(). */
type Double = 'mock' | 'stub';
type Verdict = 'PASS' | 'MISS' | '-';

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

interface Run {
  calls: number;
  microseconds: Summary;
  meanMicroseconds: number;
  wrongStatus: number;
  profile?: ProfileSummary;
}

interface Measurement {
  name: string;
  baseline: boolean;
  sends: number;
  /** The bundle with aws-sdk-client-mock, as asked: the verdict is on this one. */
  mock: Run;
  /** The bundle with the plain stub: the handler's own cost. */
  stub: Run;
  /** The TypeScript source under tsx, with the plain stub. */
  source?: Run;
  verdict: Verdict;
  stubVerdict: Verdict;
}

/** One thing timed: a case, on one flavour of the code, with one double. */
interface Slot {
  c: Case;
  flavour: Flavour;
  double: Double;
  samples: Float64Array;
  n: number;
  spentMs: number;
  wrong: number;
}

async function loadBundles(folder: string, minify: boolean): Promise<{ handlers: Handlers; files: Record<FunctionName, string> }> {
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
  // Settings before any function module loads (they are read once, at load). Logging off: one JSON line per
  // request written to a terminal or pipe costs more than everything else a handler does.
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
  const source: Handlers = {
    listMysfits: (await import('../functions/listMysfits')).handler as Handler,
    getMysfit: (await import('../functions/getMysfit')).handler as Handler,
    likeMysfit: (await import('../functions/likeMysfit')).handler as Handler,
    unlikeMysfit: (await import('../functions/unlikeMysfit')).handler as Handler,
    adoptMysfit: (await import('../functions/adoptMysfit')).handler as Handler,
    getMe: (await import('../functions/getMe')).handler as Handler,
  };
  const handlers: Record<Flavour, Handlers> = { bundle: bundle.handlers, readable: readable.handlers, source };

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
  const listBody = JSON.stringify(listResponse);
  const page = (list: object[]) => ({ Items: list, Count: list.length, ScannedCount: list.length });
  const client = lib.DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));

  const cases: Case[] = [
    {
      name: 'listMysfits (all 12: Scan)',
      answers: [['ScanCommand', page(items)]],
      sends: 1,
      fn: 'listMysfits',
      event: eventFor('listMysfits', { queryStringParameters: null }),
    },
    {
      name: `listMysfits (?filter=GoodEvil&value=Evil: Query, ${evil.length} items)`,
      answers: [['QueryCommand', page(evil)]],
      sends: 1,
      fn: 'listMysfits',
      event: sampleEvent('listMysfits'),
    },
    { name: 'getMysfit', answers: [['GetCommand', { Item: items[0] }]], sends: 1, fn: 'getMysfit', event: sampleEvent('getMysfit') },
    {
      name: 'likeMysfit (transaction commits, count read)',
      answers: [
        ['TransactWriteCommand', {}],
        ['GetCommand', { Item: { Likes: 8 } }],
      ],
      sends: 2,
      fn: 'likeMysfit',
      event: sampleEvent('likeMysfit'),
    },
    {
      name: 'unlikeMysfit (transaction commits, count read)',
      answers: [
        ['TransactWriteCommand', {}],
        ['GetCommand', { Item: { Likes: 7 } }],
      ],
      sends: 2,
      fn: 'unlikeMysfit',
      event: sampleEvent('unlikeMysfit'),
    },
    {
      name: 'adoptMysfit (transaction commits)',
      answers: [['TransactWriteCommand', {}]],
      sends: 1,
      fn: 'adoptMysfit',
      event: sampleEvent('adoptMysfit'),
    },
    {
      name: 'getMe (3 likes, 1 adoption)',
      answers: [['QueryCommand', page(activity)]],
      sends: 1,
      fn: 'getMe',
      event: sampleEvent('getMe'),
    },
    {
      name: 'baseline: send() of one GetCommand, alone',
      answers: [['GetCommand', { Item: items[0] }]],
      sends: 1,
      bare: () => client.send(new lib.GetCommand({ TableName: 'bench-mysfits', Key: { MysfitId: items[0]?.MysfitId } })),
    },
    {
      name: `baseline: JSON.stringify of the 12-mysfit list body (${num(listBody.length / 1024, 1)} KiB)`,
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
    Object.defineProperty(lib.DynamoDBDocumentClient.prototype, 'send', {
      configurable: true,
      writable: true,
      value: (command: object) => Promise.resolve(answers.get(command.constructor.name)),
    });
  };
  const restoreSend = () => {
    ddb.restore();
    if (realSend) Object.defineProperty(lib.DynamoDBDocumentClient.prototype, 'send', realSend);
  };

  // A fresh event per call, as Lambda hands each invocation its own (middy normalises headers in place).
  const prepare = (slot: Slot, i: number) => {
    if (slot.double === 'mock' && i % BLOCK === 0) ddb.resetHistory();
    return slot.c.event ? structuredClone(slot.c.event) : undefined;
  };
  const callOf = (c: Case, flavour: Flavour) =>
    c.bare
      ? () => (c.bare as () => Promise<unknown>)()
      : (event: unknown) => (handlers[flavour][c.fn as FunctionName] as Handler)(event as APIGatewayProxyEvent, context);
  const ok = (c: Case, result: unknown) => c.bare !== undefined || (result as APIGatewayProxyResult).statusCode === 200;

  const slots: Slot[] = cases.flatMap((c) =>
    ([['bundle', 'mock'], ['bundle', 'stub'], ...(c.bare ? [] : [['source', 'stub']])] as Array<[Flavour, Double]>).map(
      ([flavour, double]) => ({
        c,
        flavour,
        double,
        samples: new Float64Array(TIMED_CALLS),
        n: 0,
        spentMs: 0,
        wrong: 0,
      }),
    ),
  );
  try {
    for (const slot of slots) {
      progress(`warm-up: ${slot.c.name} (${slot.flavour}, ${slot.double}), ${num(WARM_UP_CALLS)} calls`);
      useDouble(slot.double, slot.c);
      const call = callOf(slot.c, slot.flavour);
      const end = performance.now() + WARM_UP_CAP_MS;
      for (let i = 0; i < WARM_UP_CALLS && performance.now() < end; i++) {
        if (!ok(slot.c, await call(prepare(slot, i)))) slot.wrong++;
      }
      restoreSend();
    }
    // Round robin, a block at a time, the starting slot moving each round: whatever else the machine does meanwhile
    // falls on every measurement alike, which keeps them comparable.
    const rounds = TIMED_CALLS / BLOCK;
    for (let round = 0; round < rounds; round++) {
      if (round % 5 === 0)
        progress(
          `timed rounds ${round + 1}-${Math.min(rounds, round + 5)} of ${rounds}: ${num(BLOCK)} calls of each of ${slots.length} measurements per round`,
        );
      for (let k = 0; k < slots.length; k++) {
        const slot = slots[(k + round) % slots.length] as Slot;
        if (slot.spentMs >= TIMED_CAP_MS) continue;
        useDouble(slot.double, slot.c);
        const call = callOf(slot.c, slot.flavour);
        for (let i = 0; i < BLOCK && slot.n < TIMED_CALLS; i++) {
          const input = prepare(slot, i);
          const start = process.hrtime.bigint();
          const result = await call(input);
          const elapsed = Number(process.hrtime.bigint() - start) / 1_000;
          slot.samples[slot.n++] = elapsed;
          slot.spentMs += elapsed / 1_000;
          if (!ok(slot.c, result)) slot.wrong++;
        }
        restoreSend();
      }
    }
  } finally {
    restoreSend();
  }

  const runOf = async (slot: Slot | undefined): Promise<Run | undefined> => {
    if (!slot) return undefined;
    const samples = slot.samples.subarray(0, slot.n);
    const result: Run = {
      calls: slot.n,
      microseconds: summarise(samples),
      meanMicroseconds: samples.reduce((sum, v) => sum + v, 0) / slot.n,
      wrongStatus: slot.wrong,
    };
    if (!slot.c.bare && slot.flavour === 'bundle' && (result.microseconds.median >= TARGET_US || options.profile)) {
      progress(`${slot.c.name} (${slot.double}): profiling up to ${num(PROFILED_CALLS)} calls of the readable twin`);
      useDouble(slot.double, slot.c);
      try {
        const inputs = Array.from({ length: PROFILED_CALLS }, (_, i) => prepare(slot, i + 1));
        result.profile = await profileByPackage(callOf(slot.c, 'readable'), inputs, {
          capMs: PROFILE_CAP_MS,
          root: ROOT,
          sourceOf: (url, line) => readableFiles.get(url)?.(line + 1),
        });
      } finally {
        restoreSend();
      }
    }
    return result;
  };

  const measurements: Measurement[] = [];
  for (const c of cases) {
    const slotOf = (flavour: Flavour, double: Double) => slots.find((s) => s.c === c && s.flavour === flavour && s.double === double);
    const mock = (await runOf(slotOf('bundle', 'mock'))) as Run;
    const stub = (await runOf(slotOf('bundle', 'stub'))) as Run;
    const sourceRun = await runOf(slotOf('source', 'stub'));
    const verdict = (r: Run): Verdict => (c.bare ? '-' : r.microseconds.median < TARGET_US ? 'PASS' : 'MISS');
    measurements.push({
      name: c.name,
      baseline: c.bare !== undefined,
      sends: c.sends,
      mock,
      stub,
      source: sourceRun,
      verdict: verdict(mock),
      stubVerdict: verdict(stub),
    });
  }

  const failures = measurements
    .filter((m) => m.mock.wrongStatus + m.stub.wrongStatus + (m.source?.wrongStatus ?? 0) > 0)
    .map((m) => `warm overhead: ${m.name} answered calls with a status other than 200`);
  const table = {
    title: `Warm overhead per invocation, DynamoDB mocked (µs; up to ${num(TIMED_CALLS)} timed calls after ${num(WARM_UP_CALLS)} warm-up; target: median < ${TARGET_US} µs)`,
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
      num(m.mock.microseconds.median, 1),
      num(m.mock.microseconds.p99, 1),
      m.verdict,
      num(m.stub.microseconds.median, 1),
      num(m.stub.microseconds.p99, 1),
      m.stubVerdict,
      m.source ? num(m.source.microseconds.median, 1) : '-',
    ]),
    notes: [
      'The handlers as deployed: esbuild bundles as serverless.yml builds them (minified), with @aws-sdk/* external so that the mock, set up here,',
      'reaches the SDK they load. POWERTOOLS_LOG_LEVEL=SILENT: with logging on, the one JSON line per request written to a terminal or pipe',
      "dominates every figure here. Both doubles replace the document client's send(), so no marshalling, signing or HTTP is timed: middy,",
      'validation, the handler and the response, plus the double. aws-sdk-client-mock (sinon) matches and records each call (history cleared',
      "every 1,000 calls, untimed); the plain stub returns the canned answer, so its column is the handler's own cost. The last column runs the",
      'TypeScript source as tsx loads it. Each call gets a fresh copy of the sample event, copied outside the timed region. Measurements take',
      'turns in blocks of 1,000 calls, so that other work on the machine falls on all of them alike.',
    ],
  };
  const tables = [table];
  const profiled = measurements.flatMap((m) =>
    (['mock', 'stub'] as const)
      .filter((d) => m[d].profile)
      .map((d) => ({
        name: m.name,
        double: d,
        verdict: d === 'mock' ? m.verdict : m.stubVerdict,
        profile: m[d].profile as ProfileSummary,
      })),
  );
  if (profiled.length > 0) {
    tables.push({
      title: 'Warm overhead: where the time goes (V8 CPU profile of the readable bundle, self time by package, top 5)',
      columns: ['handler', 'double', 'target', 'self time by package'],
      rows: profiled.map((p) => [
        p.name,
        p.double,
        p.verdict,
        p.profile.packages
          .slice(0, 5)
          .map((s) => `${s.name} ${num(s.share * 100)} %`)
          .join(', '),
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
  const mockShare = (m: Measurement) =>
    (m.mock.profile?.packages ?? [])
      .filter((p) => p.name === 'sinon' || p.name.startsWith('@sinonjs/'))
      .reduce((sum, p) => sum + p.share, 0);
  const sourceRatio = handlersOnly
    .map((m) => (m.source?.microseconds.median ?? Number.NaN) / m.stub.microseconds.median)
    .sort((a, b) => a - b);
  const notes = [
    missed.length === 0
      ? `Every handler is under the ${TARGET_US} µs target (median, with aws-sdk-client-mock); slowest: ${slowest(handlersOnly, 'mock')}.`
      : `${missed.length} of ${handlersOnly.length} handlers miss the ${TARGET_US} µs target with aws-sdk-client-mock (slowest: ${slowest(handlersOnly, 'mock')}).`,
    ...(sendAlone && missed.length > 0
      ? [
          `What dominates there is the mock: one send() through aws-sdk-client-mock costs ${num(sendAlone.mock.microseconds.median, 1)} µs on its own (plain stub: ` +
            `${num(sendAlone.stub.microseconds.median, 1)} µs): sinon matches each call against every on(Command), records it and creates an Error ` +
            'for its call stack; like and unlike pay it twice.' +
            (missed.some((m) => m.mock.profile)
              ? ` In the profiles sinon and @sinonjs/* take ${missed
                  .filter((m) => m.mock.profile)
                  .map((m) => `${num(mockShare(m) * 100)} %`)
                  .join(', ')} of the time.`
              : ''),
        ]
      : []),
    missedWithStub.length === 0
      ? `With the plain stub (the handlers' own cost) every handler is under ${TARGET_US} µs; slowest: ${slowest(handlersOnly, 'stub')}.`
      : `With the plain stub (the handlers' own cost), ${handlersOnly.length - missedWithStub.length} of ${handlersOnly.length} are under ${TARGET_US} µs; missing: ${missedWithStub.map((m) => `${m.name} ${num(m.stub.microseconds.median, 1)} µs`).join('; ')}.`,
    ...missedWithStub.map((m) => `${m.name}, plain stub: ${describeProfile(m.stub.profile)}.`),
    `The TypeScript source as tsx loads it takes ${num(median(sourceRatio), 2)}× the bundle's time (median over the handlers, same stub; range ${num(sourceRatio[0] ?? Number.NaN, 2)}× to ${num(sourceRatio[sourceRatio.length - 1] ?? Number.NaN, 2)}×).`,
  ];
  return { title: 'Warm overhead', tables, notes, failures, data: { targetMicroseconds: TARGET_US, measurements } };
}

const slowest = (ms: Measurement[], double: Double) => {
  const top = [...ms].sort((a, b) => b[double].microseconds.median - a[double].microseconds.median)[0];
  return top ? `${top.name}, ${num(top[double].microseconds.median, 1)} µs` : '-';
};

function describeProfile(profile: ProfileSummary | undefined): string {
  if (!profile) return 'not profiled';
  const packages = profile.packages
    .slice(0, 4)
    .map((p) => `${p.name} ${num(p.share * 100)} %`)
    .join(', ');
  const functions = profile.functions
    .slice(0, 5)
    .map((f) => `${f.name} ${num(f.share * 100)} %`)
    .join(', ');
  return `self time by package: ${packages}; hottest functions (self time): ${functions}`;
}
