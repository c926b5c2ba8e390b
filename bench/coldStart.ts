/**
 * Part 1, cold start: each function bundled as serverless.yml's custom.esbuild builds it, with the AWS SDK inside
 * and with @aws-sdk/* left to the runtime; bundle sizes, and a fresh node process loading the bundle and serving
 * its sample event against a real DynamoDB Local, next to a bare `node -e 0`.
 */
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { buildBundle, type Variant } from './lib/bundles';
import { startBenchDatabase } from './lib/database';
import { FUNCTIONS, ROOT, type FunctionName } from './lib/functions';
import { progress, type PartOutput } from './lib/part';
import { median, num, percentile, ratio, summarise, type Summary } from './lib/stats';

/** Timed runs per function and variant (the brief asks for at least 10), after one untimed warm-up run each. */
const RUNS = 12;
/** A probe that takes longer than this has hung: fail rather than wait. */
const PROBE_TIMEOUT_MS = 20_000;
const PROBE = join(__dirname, 'coldStartProbe.cjs');

/** The function also timed without NODE_OPTIONS=--enable-source-maps. */
const MAPS_FUNCTION: FunctionName = 'likeMysfit';
const VARIANTS: readonly Variant[] = ['bundled', 'external'];
const VARIANT_LABEL: Record<Variant, string> = { bundled: 'bundled', external: 'runtime' };

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

export async function run(): Promise<PartOutput> {
  progress('building 12 bundles with esbuild');
  const bundles = new Map<string, Bundle>();
  for (const fn of FUNCTIONS) {
    for (const variant of VARIANTS) bundles.set(`${fn}/${variant}`, await bundleFor(fn, variant));
  }

  progress('starting DynamoDB Local (in memory), creating and seeding the tables');
  const database = await startBenchDatabase();
  const failures: string[] = [];
  const samples = new Map<string, ProbeTimings[]>();
  const walls = new Map<string, number[]>();
  const baseline: number[] = [];
  try {
    // Only what a function gets in Lambda (serverless.yml's environment), not this shell's settings.
    const env = { PATH: process.env.PATH ?? '', ...database.functionEnv, NODE_OPTIONS: '--enable-source-maps' };
    const bareEnv = { PATH: process.env.PATH ?? '' };
    // The same without source-map support, for one function: what parsing the (larger) map costs at load.
    const envWithoutMaps = Object.fromEntries(Object.entries(env).filter(([name]) => name !== 'NODE_OPTIONS'));
    const probe = async (bundle: Bundle, record: boolean, sourceMaps = true) => {
      const eventFile = join(ROOT, 'events', `${bundle.fn}.json`);
      const result = await timedProcess([PROBE, bundle.file, eventFile], sourceMaps ? env : envWithoutMaps);
      if (!result.probe) throw new Error(`the probe for ${bundle.fn} (${bundle.variant}) printed no timings`);
      if (!record) return;
      const key = `${bundle.fn}/${bundle.variant}${sourceMaps ? '' : '/no-maps'}`;
      samples.set(key, [...(samples.get(key) ?? []), result.probe]);
      walls.set(key, [...(walls.get(key) ?? []), result.wallMs]);
    };

    progress('one untimed run of each bundle (disk cache, DynamoDB Local warm-up)');
    for (const bundle of bundles.values()) await probe(bundle, false);
    await timedProcess(['-e', '0'], bareEnv);

    for (let i = 0; i < RUNS; i++) {
      progress(`timed round ${i + 1}/${RUNS}: node -e 0, then ${bundles.size + VARIANTS.length} fresh processes`);
      baseline.push((await timedProcess(['-e', '0'], bareEnv)).wallMs);
      // Interleaved, and the variants alternate who goes first, so drift on the machine hits both alike.
      for (const fn of FUNCTIONS) {
        const order = i % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
        for (const variant of order) await probe(bundles.get(`${fn}/${variant}`) as Bundle, true);
      }
      for (const variant of VARIANTS) await probe(bundles.get(`${MAPS_FUNCTION}/${variant}`) as Bundle, true, false);
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
    title: 'Cold start: bundle sizes (esbuild as serverless.yml builds them; bytes of the .js, gzip at the default level)',
    columns: [
      'function',
      'SDK bundled: bytes',
      'gzip',
      'of which SDK',
      'largest other package',
      'SDK left to the runtime: bytes',
      'gzip',
      'gzip bundled ÷ runtime',
    ],
    rows: FUNCTIONS.map((fn) => {
      const b = bundle(fn, 'bundled');
      const e = bundle(fn, 'external');
      return [
        fn,
        num(b.bytes),
        num(b.gzipBytes),
        `${num(b.sdkShare * 100)} %`,
        largestOther(b),
        num(e.bytes),
        num(e.gzipBytes),
        ratio(b.gzipBytes, e.gzipBytes, 1),
      ];
    }),
    notes: [
      'Shares are of the bundled .js, per package, from esbuild\'s metafile ("SDK": @aws-sdk, @smithy, @aws-crypto). Source maps are written too (not counted).',
    ],
  };
  const timingTable = {
    title: `Cold start: a fresh node process loads the bundle and serves its sample event (ms, median (p90) of ${RUNS} runs)`,
    columns: ['function', 'AWS SDK', 'require', 'first invoke', 'in-process', 'process wall', 'wall ÷ node -e 0'],
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
    title: 'Cold start: SDK bundled ÷ SDK left to the runtime (medians)',
    columns: ['function', 'require', 'first invoke', 'in-process', 'process wall'],
    rows: FUNCTIONS.map((fn) => {
      const b = timing(fn, 'bundled');
      const e = timing(fn, 'external');
      const of = (pick: (t: Timing) => Summary) => ratio(pick(b).median, pick(e).median);
      return [fn, of((t) => t.requireMs), of((t) => t.firstInvokeMs), of((t) => t.inProcessMs), of((t) => t.wallMs)];
    }),
    notes: [
      'Below 1× the bundled SDK is faster. "Runtime" here resolves @aws-sdk/* from this project\'s node_modules (CommonJS dist files), as Lambda resolves its own copy.',
    ],
  };

  const mapsTable = {
    title: `Cold start: what NODE_OPTIONS=--enable-source-maps (set in serverless.yml) costs at load (${MAPS_FUNCTION}, ms, medians)`,
    columns: ['AWS SDK', '.map bytes', 'require, maps on', 'require, maps off', 'in-process, maps on', 'in-process, maps off', 'on ÷ off'],
    rows: VARIANTS.map((variant) => {
      const on = samples.get(`${MAPS_FUNCTION}/${variant}`) ?? [];
      const off = samples.get(`${MAPS_FUNCTION}/${variant}/no-maps`) ?? [];
      const inProcess = (runs: ProbeTimings[]) => median(runs.map((r) => r.requireMs + r.invokeMs));
      return [
        VARIANT_LABEL[variant],
        num(bundle(MAPS_FUNCTION, variant).mapBytes),
        num(median(on.map((r) => r.requireMs)), 1),
        num(median(off.map((r) => r.requireMs)), 1),
        num(inProcess(on), 1),
        num(inProcess(off), 1),
        ratio(inProcess(on), inProcess(off)),
      ];
    }),
    notes: [
      "With source-map support on, node reads and parses the bundle's .map when it loads the bundle; the bundled SDK makes the map larger.",
    ],
  };

  const allBundled = timings.filter((t) => t.variant === 'bundled').map((t) => t.inProcessMs.median);
  const allExternal = timings.filter((t) => t.variant === 'external').map((t) => t.inProcessMs.median);
  const notes = [
    `In-process cold start, median over the six functions: SDK bundled ${num(median(allBundled), 0)} ms, left to the runtime ` +
      `${num(median(allExternal), 0)} ms (${ratio(median(allBundled), median(allExternal))}); a bare node -e 0 takes ${num(bare.median, 0)} ms wall.`,
    "Processes run with the function's environment from serverless.yml, including NODE_OPTIONS=--enable-source-maps (node -e 0 runs bare).",
    `Measured on Node ${process.version}; Lambda runs nodejs22.x, whose start-up and module loading differ.`,
  ];
  const spread = percentile(
    timings.map((t) => t.inProcessMs.p90 / t.inProcessMs.median),
    50,
  );
  if (spread > 1.5) notes.push(`Noisy machine: the p90 of a run is typically ${num(spread, 1)}× its median.`);

  return {
    title: 'Cold start',
    tables: [sizeTable, timingTable, ratioTable, mapsTable],
    notes,
    failures,
    data: {
      runs: RUNS,
      esbuild: { bundle: true, minify: true, sourcemap: true, platform: 'node', target: 'node22', format: 'cjs' },
      nodeE0WallMs: bare,
      bundles: [...bundles.values()].map((b) => ({ ...b, file: undefined, packages: b.packages.slice(0, 10) })),
      timings,
      sourceMaps: Object.fromEntries(
        VARIANTS.map((variant) => [
          variant,
          {
            on: samples.get(`${MAPS_FUNCTION}/${variant}`) ?? [],
            off: samples.get(`${MAPS_FUNCTION}/${variant}/no-maps`) ?? [],
          },
        ]),
      ),
    },
  };
}
