/**
 * Part 1, cold start: each function bundled as serverless.yml's custom.esbuild builds it, the same with @aws-sdk/*
 * left to the runtime, and with the options before the cold-start work (the yardstick of issue 13: at most 300 KB
 * a bundle, at most 0.6x its cold start); bundle sizes, and a fresh node process loading the bundle and serving its
 * sample event against a real DynamoDB Local, next to a bare `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { functionBuildOptions } from '../dev/esbuildOptions';
import { readableStack } from '../shared/stackTraces';
import { BEFORE_OPTIONS, buildBundle, type Variant } from './lib/bundles';
import { FUNCTIONS as ALL_FUNCTIONS, SERVICE } from '../dev/functions';
import { startBenchDatabase } from './lib/database';
import { FUNCTIONS, ROOT, type FunctionName } from './lib/functions';
import { progress, type PartOutput } from './lib/part';
import { median, num, percentile, ratio, summarise, type Summary } from './lib/stats';

/** Timed runs per function and variant (the brief asks for at least 10), after one untimed warm-up run each. */
const RUNS = 12;
/** A probe that takes longer than this has hung: fail rather than wait. */
const PROBE_TIMEOUT_MS = 20_000;
const PROBE = join(__dirname, 'coldStartProbe.cjs');

/** serverless.yml's provider-level environment (every function's), as strings. */
const providerEnvironment = (): Record<string, string> =>
  Object.fromEntries(Object.entries(SERVICE.provider.environment ?? {}).map(([name, value]) => [name, String(value)]));

/** The function also timed with source-map support at load the other way round. */
const MAPS_FUNCTION: FunctionName = 'likeMysfit';
const VARIANTS: readonly Variant[] = ['before', 'deployed', 'external', 'withoutTools', 'powertoolsTracer'];
const VARIANT_LABEL: Record<Variant, string> = {
  before: 'before (bundled)',
  deployed: 'deployed (bundled)',
  external: 'runtime',
  withoutTools: 'without metrics and tracing',
  powertoolsTracer: 'deployed + Powertools Tracer',
};
/** The targets of issue 13, checked on every run (a miss fails the bench, not a test). */
/** The builds also timed with source-map support at load the other way round. */
const MAP_VARIANTS: readonly Variant[] = ['before', 'deployed'];
const MAX_BUNDLE_BYTES = 300_000;
const MAX_COLD_START_RATIO = 0.6;

interface Bundle {
  fn: FunctionName;
  variant: Variant;
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Share of the output that is the AWS SDK (@aws-sdk, @smithy, @aws-crypto). */
  sdkShare: number;
  /** Bytes of output per package (our own code is `(project)`), largest first. */
  packages: Array<{ name: string; bytes: number }>;
}

async function bundleFor(fn: FunctionName, variant: Variant): Promise<Bundle> {
  const { file, metafile } = await buildBundle(fn, variant);
  const code = readFileSync(file);
  return {
    fn,
    variant,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${file}.map`).size,
    ...packageShares(metafile),
  };
}

const isSdk = (name: string) => /^@(aws-sdk|smithy|aws-crypto)\//.test(name);

/** What each package contributes to the output, from esbuild's metafile. */
function packageShares(metafile: Metafile): Pick<Bundle, 'sdkShare' | 'packages'> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path);
      const name = match?.[1] ?? '(project)';
      bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  const packages = [...bytes].map(([name, size]) => ({ name, bytes: size })).sort((a, b) => b.bytes - a.bytes);
  const total = packages.reduce((sum, p) => sum + p.bytes, 0);
  const sdk = packages.filter((p) => isSdk(p.name)).reduce((sum, p) => sum + p.bytes, 0);
  return { sdkShare: total ? sdk / total : 0, packages };
}

/** The largest package other than the AWS SDK, with its share of the bundle: `zod 44 %`. */
function largestOther(bundle: Bundle): string {
  const total = bundle.packages.reduce((sum, p) => sum + p.bytes, 0);
  const top = bundle.packages.find((p) => !isSdk(p.name));
  return top && total ? `${top.name} ${num((top.bytes / total) * 100)} %` : '-';
}

interface ProbeTimings {
  bootMs: number;
  requireMs: number;
  invokeMs: number;
  statusCode: number;
}

interface ProcessRun {
  wallMs: number;
  probe?: ProbeTimings;
}

/** Spawns a process, timing it from spawn to exit; returns the probe's line when it printed one. */
function timedProcess(args: string[], env: Record<string, string>): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}:\n${stderr}${stdout}`.slice(0, 4000)));
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH-PROBE '));
      resolve({ wallMs, probe: line ? (JSON.parse(line.slice('BENCH-PROBE '.length)) as ProbeTimings) : undefined });
    });
  });
}

interface Timing {
  fn: FunctionName;
  variant: Variant;
  /** require + first invocation, measured inside the process. */
  inProcessMs: Summary;
  requireMs: Summary;
  firstInvokeMs: Summary;
  /** Node's own start-up until the probe's first line. */
  bootMs: Summary;
  /** spawn to exit, measured by the parent. */
  wallMs: Summary;
  statusCodes: number[];
}

/** Before, node loaded each bundle's map at start (NODE_OPTIONS=--enable-source-maps); now not, unless serverless.yml sets it again. */
const mapsAtLoad = (variant: Variant) => variant === 'before' || /--enable-source-maps/.test(providerEnvironment().NODE_OPTIONS ?? '');

export async function run(): Promise<PartOutput> {
  progress('building the bundles with esbuild');
  const bundles = new Map<string, Bundle>();
  for (const fn of FUNCTIONS) {
    for (const variant of VARIANTS) bundles.set(`${fn}/${variant}`, await bundleFor(fn, variant));
  }
  // Every function's bundle is held to the size target, also those not timed (they need more than DynamoDB).
  for (const fn of ALL_FUNCTIONS.filter((f) => !FUNCTIONS.includes(f))) {
    for (const variant of ['before', 'deployed'] as const) bundles.set(`${fn}/${variant}`, await bundleFor(fn, variant));
  }

  progress('starting DynamoDB Local (in memory), creating and seeding the tables');
  const database = await startBenchDatabase();
  const failures: string[] = [];
  const samples = new Map<string, ProbeTimings[]>();
  const walls = new Map<string, number[]>();
  const baseline: number[] = [];
  try {
    // Only what a function gets in Lambda (serverless.yml's environment), not this shell's settings.
    // Only what a function gets in Lambda (serverless.yml's environment), not this shell's settings.
    const deployedEnv = { ...providerEnvironment(), ...database.functionEnv };
    delete deployedEnv.NODE_OPTIONS; // set per build below
    const bareEnv = { PATH: process.env.PATH ?? '' };
    // `flipped`: the same bundle with source-map support at load the other way round, for what it costs.
    const probe = async (bundle: Bundle, record: boolean, flipped = false) => {
      const eventFile = join(ROOT, 'events', `${bundle.fn}.json`);
      const on = mapsAtLoad(bundle.variant) !== flipped;
      const env = { PATH: process.env.PATH ?? '', ...deployedEnv, ...(on ? { NODE_OPTIONS: '--enable-source-maps' } : {}) };
      const result = await timedProcess([PROBE, bundle.file, eventFile], env);
      if (!result.probe) throw new Error(`the probe for ${bundle.fn} (${bundle.variant}) printed no timings`);
      if (!record) return;
      const key = `${bundle.fn}/${bundle.variant}${flipped ? '/flipped' : ''}`;
      samples.set(key, [...(samples.get(key) ?? []), result.probe]);
      walls.set(key, [...(walls.get(key) ?? []), result.wallMs]);
    };

    progress('one untimed run of each bundle (disk cache, DynamoDB Local warm-up)');
    for (const fn of FUNCTIONS) for (const variant of VARIANTS) await probe(bundles.get(`${fn}/${variant}`) as Bundle, false);
    await timedProcess(['-e', '0'], bareEnv);

    for (let i = 0; i < RUNS; i++) {
      progress(`timed round ${i + 1}/${RUNS}: node -e 0, then ${FUNCTIONS.length * VARIANTS.length + MAP_VARIANTS.length} fresh processes`);
      baseline.push((await timedProcess(['-e', '0'], bareEnv)).wallMs);
      // Interleaved, and the variants alternate who goes first, so drift on the machine hits both alike.
      for (const fn of FUNCTIONS) {
        const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) await probe(bundles.get(`${fn}/${variant}`) as Bundle, true);
      }
      for (const variant of MAP_VARIANTS) await probe(bundles.get(`${MAPS_FUNCTION}/${variant}`) as Bundle, true, true);
    }
  } finally {
    await database.stop();
  }

  const timings: Timing[] = [];
  for (const fn of FUNCTIONS) {
    for (const variant of VARIANTS) {
      const runs = samples.get(`${fn}/${variant}`) ?? [];
      const statusCodes = [...new Set(runs.map((r) => r.statusCode))];
      if (statusCodes.some((code) => code !== 200))
        failures.push(`cold start: ${fn} (${variant}) answered ${statusCodes.join(', ')}, not 200`);
      timings.push({
        fn,
        variant,
        inProcessMs: summarise(runs.map((r) => r.requireMs + r.invokeMs)),
        requireMs: summarise(runs.map((r) => r.requireMs)),
        firstInvokeMs: summarise(runs.map((r) => r.invokeMs)),
        bootMs: summarise(runs.map((r) => r.bootMs)),
        wallMs: summarise(walls.get(`${fn}/${variant}`) ?? []),
        statusCodes,
      });
    }
  }
  const bare = summarise(baseline);
  const timing = (fn: FunctionName, variant: Variant) => timings.find((t) => t.fn === fn && t.variant === variant) as Timing;
  const bundle = (fn: FunctionName, variant: Variant) => bundles.get(`${fn}/${variant}`) as Bundle;
  const p50p90 = (s: Summary) => `${num(s.median, 1)} (${num(s.p90, 1)})`;

  const sizeTable = {
    title: 'Cold start: bundle sizes (bytes of the .js; gzip at the default level)',
    columns: [
      'function',
      'before: bytes',
      'deployed: bytes',
      'deployed ÷ before',
      'gzip',
      'of which SDK',
      'largest other package',
      'SDK left to the runtime: bytes',
    ],
    rows: ALL_FUNCTIONS.map((fn) => {
      const before = bundle(fn, 'before');
      const deployed = bundle(fn, 'deployed');
      const external = bundles.get(`${fn}/external`);
      return [
        fn,
        num(before.bytes),
        num(deployed.bytes),
        ratio(deployed.bytes, before.bytes),
        num(deployed.gzipBytes),
        `${num(deployed.sdkShare * 100)} %`,
        largestOther(deployed),
        external ? num(external.bytes) : '-',
      ];
    }),
    notes: [
      `Target: at most ${num(MAX_BUNDLE_BYTES)} bytes a function (a larger one fails the bench). "before": ${JSON.stringify(BEFORE_OPTIONS)}; "deployed": custom.esbuild.`,
      'Shares are of the deployed .js, per package, from esbuild\'s metafile ("SDK": @aws-sdk, @smithy, @aws-crypto). Source maps are written too (not counted here).',
    ],
  };
  for (const fn of ALL_FUNCTIONS) {
    const { bytes } = bundle(fn, 'deployed');
    if (bytes > MAX_BUNDLE_BYTES) failures.push(`cold start: ${fn}'s bundle is ${num(bytes)} bytes, over ${num(MAX_BUNDLE_BYTES)}`);
  }
  const timingTable = {
    title: `Cold start: a fresh node process loads the bundle and serves its sample event (ms, median (p90) of ${RUNS} runs)`,
    columns: ['function', 'build', 'require', 'first invoke', 'in-process', 'process wall', 'wall ÷ node -e 0'],
    rows: [
      ...timings.map((t) => [
        t.fn,
        VARIANT_LABEL[t.variant],
        p50p90(t.requireMs),
        p50p90(t.firstInvokeMs),
        p50p90(t.inProcessMs),
        p50p90(t.wallMs),
        ratio(t.wallMs.median, bare.median),
      ]),
      ['node -e 0', '-', '-', '-', '-', p50p90(bare), '1.00×'],
    ],
    notes: [
      '"in-process" = require + first invoke, timed inside the child; "process wall" = spawn to exit, timed by the parent (node start-up included).',
      "The first invoke includes the DynamoDB client's first connection and request to DynamoDB Local (same machine) and one Powertools log line.",
    ],
  };
  const ratioTable = {
    title: 'Cold start: the deployed build ÷ the others (in-process medians)',
    columns: ['function', 'deployed ÷ before: require', 'first invoke', 'in-process', 'deployed ÷ runtime: in-process'],
    rows: FUNCTIONS.map((fn) => {
      const d = timing(fn, 'deployed');
      const b = timing(fn, 'before');
      return [
        fn,
        ratio(d.requireMs.median, b.requireMs.median),
        ratio(d.firstInvokeMs.median, b.firstInvokeMs.median),
        ratio(d.inProcessMs.median, b.inProcessMs.median),
        ratio(d.inProcessMs.median, timing(fn, 'external').inProcessMs.median),
      ];
    }),
    notes: [
      `Target: the median over the functions, deployed ÷ before, at most ${MAX_COLD_START_RATIO}× in-process (a miss fails the bench). Below 1× against the runtime, bundling the SDK is faster.`,
      '"Runtime" resolves @aws-sdk/* from this project\'s node_modules (CommonJS dist files), as Lambda resolves its own copy.',
    ],
  };

  // The price of the deployed choice, paid once per process at its first logged error: reading the map.
  const deployedMapped = bundle(MAPS_FUNCTION, 'deployed').file;
  const firstMapStart = performance.now();
  const mappedFrame = readableStack(`Error: probe\n    at probe (${deployedMapped}:1:1000)`);
  const firstMapMs = performance.now() - firstMapStart;
  // (The bench's bundles live under node_modules/, so a package's source is named from there: `@smithy/core/...`.)
  if (mappedFrame.includes(deployedMapped) || !/\.[cm]?[jt]s:\d+:\d+\)$/.test(mappedFrame))
    failures.push(`cold start: the deployed map of ${MAPS_FUNCTION} did not name a source: ${mappedFrame}`);
  const mapsTable = {
    title: `Cold start: what node's source-map support (--enable-source-maps) costs when it loads each bundle's map at start (${MAPS_FUNCTION}, ms, medians)`,
    columns: ['build', '.map bytes', 'maps loaded at start', 'in-process, as built', 'in-process, the other way', 'maps at start ÷ not'],
    rows: MAP_VARIANTS.map((variant) => {
      const asBuilt = median((samples.get(`${MAPS_FUNCTION}/${variant}`) ?? []).map((r) => r.requireMs + r.invokeMs));
      const flipped = median((samples.get(`${MAPS_FUNCTION}/${variant}/flipped`) ?? []).map((r) => r.requireMs + r.invokeMs));
      const [on, off] = mapsAtLoad(variant) ? [asBuilt, flipped] : [flipped, asBuilt];
      return [
        VARIANT_LABEL[variant],
        num(bundle(MAPS_FUNCTION, variant).mapBytes),
        mapsAtLoad(variant) ? 'yes' : 'no',
        num(asBuilt, 1),
        num(flipped, 1),
        ratio(on, off),
      ];
    }),
    notes: [
      "The deployed map leaves out the sources' text (sourcesContent: false), and the logger reads it when it first logs an error (shared/stackTraces.ts): " +
        `${num(firstMapMs, 1)} ms for this map, once per process (timed in the bench's own process), instead of at every start.`,
    ],
  };

  const toolsTable = {
    title: 'Cold start: what the observability tools cost (Powertools Metrics and shared/tracing.ts; and Powertools Tracer, not used)',
    columns: [
      'function',
      'without: bytes',
      'deployed: bytes',
      'with Powertools Tracer: bytes',
      'without: in-process ms',
      'deployed',
      'with Powertools Tracer',
      'deployed ÷ without',
      'Tracer ÷ deployed',
    ],
    rows: FUNCTIONS.map((fn) => {
      const ms = (variant: Variant) => timing(fn, variant).inProcessMs.median;
      return [
        fn,
        num(bundle(fn, 'withoutTools').bytes),
        num(bundle(fn, 'deployed').bytes),
        num(bundle(fn, 'powertoolsTracer').bytes),
        num(ms('withoutTools'), 1),
        num(ms('deployed'), 1),
        num(ms('powertoolsTracer'), 1),
        ratio(ms('deployed'), ms('withoutTools')),
        ratio(ms('powertoolsTracer'), ms('deployed')),
      ];
    }),
    notes: [
      '"with Powertools Tracer" adds it to the deployed build, capturing the DynamoDB client as its documentation shows: the cost of the library the tracing does not use (shared/tracing.ts says why).',
    ],
  };

  const medianOf = (variant: Variant) => median(timings.filter((t) => t.variant === variant).map((t) => t.inProcessMs.median));
  const coldStartRatio = medianOf('deployed') / medianOf('before');
  if (coldStartRatio > MAX_COLD_START_RATIO) {
    failures.push(
      `cold start: ${num(medianOf('deployed'), 1)} ms in-process (median of the functions), ${num(coldStartRatio, 2)}× the ${num(medianOf('before'), 1)} ms before, over ${MAX_COLD_START_RATIO}×`,
    );
  }
  const notes = [
    `In-process cold start, median over the ${FUNCTIONS.length} functions: before ${num(medianOf('before'), 0)} ms, deployed ${num(medianOf('deployed'), 0)} ms ` +
      `(${ratio(medianOf('deployed'), medianOf('before'))}), SDK left to the runtime ${num(medianOf('external'), 0)} ms; a bare node -e 0 takes ${num(bare.median, 0)} ms wall.`,
    "Processes run with the function's environment from serverless.yml; the builds before, with NODE_OPTIONS=--enable-source-maps as they were deployed (node -e 0 runs bare).",
    `Measured on Node ${process.version}; Lambda runs nodejs22.x, whose start-up and module loading differ.`,
  ];
  const spread = percentile(
    timings.map((t) => t.inProcessMs.p90 / t.inProcessMs.median),
    50,
  );
  if (spread > 1.5) notes.push(`Noisy machine: the p90 of a run is typically ${num(spread, 1)}× its median.`);

  return {
    title: 'Cold start',
    tables: [sizeTable, timingTable, ratioTable, toolsTable, mapsTable],
    notes,
    failures,
    data: {
      runs: RUNS,
      esbuild: { before: BEFORE_OPTIONS, deployed: functionBuildOptions() },
      nodeE0WallMs: bare,
      bundles: [...bundles.values()].map((b) => ({ ...b, file: undefined, packages: b.packages.slice(0, 10) })),
      timings,
      sourceMaps: Object.fromEntries(
        MAP_VARIANTS.map((variant) => [
          variant,
          {
            asBuilt: samples.get(`${MAPS_FUNCTION}/${variant}`) ?? [],
            flipped: samples.get(`${MAPS_FUNCTION}/${variant}/flipped`) ?? [],
          },
        ]),
      ),
    },
  };
}
