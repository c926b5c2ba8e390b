/** Part cold: each function's bundle, as deployed and as the yardsticks build it: its sizes, and a fresh process's cold start. */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { functionBuildOptions } from '../dev/esbuildOptions';
import { FUNCTIONS as ALL_FUNCTIONS, SERVICE } from '../dev/functions';
import { readableStack } from '../shared/stackTraces';
import { BEFORE_OPTIONS, buildBundle, FUNCTIONS, type Variant } from './lib/bundles';
import { startBenchDatabase } from './lib/database';
import { npmPackage } from './lib/profile';
import { progress, ROOT, timedProcess, type PartOutput } from './lib/part';
import { median, num, p50p90, percentile, ratio } from './lib/stats';

/** Timed runs per function and build (at least 10), after one untimed warm-up run each. */
const RUNS = 12;
const PROBE = join(__dirname, 'coldStartProbe.cjs');
const LABEL: Record<Variant, string> = {
  before: 'before (bundled)',
  deployed: 'deployed (bundled)',
  external: 'runtime',
  withoutTools: 'without metrics and tracing',
  powertoolsTracer: 'deployed + Powertools Tracer',
};
const VARIANTS = Object.keys(LABEL) as Variant[];
/** The function, and the builds, also timed with source-map support at load the other way round. */
const MAPS_FUNCTION = 'likeMysfit';
const MAP_VARIANTS: readonly Variant[] = ['before', 'deployed'];
/** The targets of issue 13, checked on every run (a miss fails the bench). */
const MAX_BUNDLE_BYTES = 300_000;
const MAX_COLD_START_RATIO = 0.6;

const isSdk = (name: string) => /^@(aws-sdk|smithy|aws-crypto)\//.test(name);

/** The bundle's sizes, and the output bytes per package from esbuild's metafile (our own code is `(project)`). */
async function bundleFor(fn: string, variant: Variant) {
  const { file, metafile } = await buildBundle(fn, variant);
  const code = readFileSync(file);
  const bytes = new Map<string, number>();
  for (const [path, input] of Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs))) {
    const name = npmPackage(path) ?? '(project)';
    bytes.set(name, (bytes.get(name) ?? 0) + input.bytesInOutput);
  }
  const packages = [...bytes].sort((a, b) => b[1] - a[1]);
  const total = packages.reduce((sum, [, size]) => sum + size, 0);
  const sdk = packages.filter(([name]) => isSdk(name)).reduce((sum, [, size]) => sum + size, 0);
  const other = packages.find(([name]) => !isSdk(name));
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${file}.map`).size,
    sdkShare: total ? sdk / total : 0,
    largestOther: other && total ? `${other[0]} ${num((other[1] / total) * 100)} %` : '-',
    packages: packages.slice(0, 10),
  };
}

type Probe = { requireMs: number; invokeMs: number; statusCode: number; wallMs: number };

export async function run(): Promise<PartOutput> {
  progress('building the bundles with esbuild');
  type Bundle = Awaited<ReturnType<typeof bundleFor>>;
  const bundles = new Map<string, Bundle>();
  // Every function's bundle is held to the size target, also those not timed (they need more than DynamoDB).
  for (const fn of ALL_FUNCTIONS) {
    for (const variant of FUNCTIONS.includes(fn) ? VARIANTS : (['before', 'deployed'] as const))
      bundles.set(`${fn}/${variant}`, await bundleFor(fn, variant));
  }
  const bundle = (fn: string, variant: Variant) => bundles.get(`${fn}/${variant}`) as Bundle;

  // Only what a function gets in Lambda (serverless.yml's environment), not this shell's settings.
  const provider = Object.fromEntries(Object.entries(SERVICE.provider.environment ?? {}).map(([k, v]) => [k, String(v)]));
  const { NODE_OPTIONS: nodeOptions, ...deployedEnv } = provider;
  // Before, node loaded each bundle's map at start (NODE_OPTIONS=--enable-source-maps); now not, unless serverless.yml sets it again.
  const mapsAtLoad = (variant: Variant) => variant === 'before' || /--enable-source-maps/.test(String(nodeOptions ?? ''));
  const samples = new Map<string, Probe[]>();
  const bareEnv = { PATH: process.env.PATH ?? '' };
  const baseline: number[] = [];
  progress('starting DynamoDB Local (in memory), creating and seeding the tables');
  const database = await startBenchDatabase();
  try {
    const functionEnv = { ...bareEnv, ...deployedEnv, ...database.functionEnv };
    // `flipped`: the same bundle with source-map support at load the other way round, for what it costs.
    const probe = async (fn: string, variant: Variant, record: boolean, flipped = false) => {
      const env = { ...functionEnv, ...(mapsAtLoad(variant) !== flipped ? { NODE_OPTIONS: '--enable-source-maps' } : {}) };
      const args = [PROBE, bundle(fn, variant).file, join(ROOT, 'events', `${fn}.json`)];
      const { wallMs, stdout } = await timedProcess(process.execPath, args, { env, timeoutMs: 20_000 });
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH-PROBE '));
      if (!line) throw new Error(`the probe for ${fn} (${variant}) printed no timings`);
      const key = `${fn}/${variant}${flipped ? '/flipped' : ''}`;
      if (record) samples.set(key, [...(samples.get(key) ?? []), { ...(JSON.parse(line.slice('BENCH-PROBE '.length)) as Probe), wallMs }]);
    };
    const nodeE0 = async () => (await timedProcess(process.execPath, ['-e', '0'], { env: bareEnv, timeoutMs: 20_000 })).wallMs;

    progress('one untimed run of each bundle (disk cache, DynamoDB Local warm-up)');
    for (const fn of FUNCTIONS) for (const variant of VARIANTS) await probe(fn, variant, false);
    await nodeE0();
    for (let i = 0; i < RUNS; i++) {
      progress(`timed round ${i + 1}/${RUNS}: node -e 0, then ${FUNCTIONS.length * VARIANTS.length + MAP_VARIANTS.length} fresh processes`);
      baseline.push(await nodeE0());
      // Interleaved, and the builds take turns going first, so drift on the machine hits all alike.
      for (const fn of FUNCTIONS) for (const variant of i % 2 ? [...VARIANTS].reverse() : VARIANTS) await probe(fn, variant, true);
      for (const variant of MAP_VARIANTS) await probe(MAPS_FUNCTION, variant, true, true);
    }
  } finally {
    await database.stop();
  }

  const failures: string[] = [];
  for (const [key, runs] of samples) {
    const statuses = [...new Set(runs.map((r) => r.statusCode))];
    if (statuses.some((code) => code !== 200)) failures.push(`cold start: ${key} answered ${statuses.join(', ')}, not 200`);
  }
  for (const fn of ALL_FUNCTIONS) {
    const { bytes } = bundle(fn, 'deployed');
    if (bytes > MAX_BUNDLE_BYTES) failures.push(`cold start: ${fn}'s bundle is ${num(bytes)} bytes, over ${num(MAX_BUNDLE_BYTES)}`);
  }
  /** A figure of every run of a function's build: require, first invoke, both (in-process) or spawn to exit. */
  type Figure = 'requireMs' | 'invokeMs' | 'inProcess' | 'wallMs';
  const figures = (key: string, figure: Figure) =>
    (samples.get(key) ?? []).map((r) => (figure === 'inProcess' ? r.requireMs + r.invokeMs : r[figure]));
  const med = (fn: string, variant: Variant, figure: Figure = 'inProcess') => median(figures(`${fn}/${variant}`, figure));

  const sizeTable = {
    title: 'Cold start: bundle sizes (bytes of the .js; gzip at the default level)',
    columns:
      'function | before: bytes | deployed: bytes | deployed ÷ before | gzip | of which SDK | largest other package | SDK left to the runtime: bytes',
    rows: ALL_FUNCTIONS.map((fn) => {
      const [before, deployed, external] = [bundle(fn, 'before'), bundle(fn, 'deployed'), bundles.get(`${fn}/external`)];
      const sizes = [num(before.bytes), num(deployed.bytes), ratio(deployed.bytes, before.bytes), num(deployed.gzipBytes)];
      return [fn, ...sizes, `${num(deployed.sdkShare * 100)} %`, deployed.largestOther, external ? num(external.bytes) : '-'];
    }),
    notes: [
      `Target: at most ${num(MAX_BUNDLE_BYTES)} bytes a function. "before": ${JSON.stringify(BEFORE_OPTIONS)}; "deployed": custom.esbuild. "SDK": @aws-sdk, @smithy, @aws-crypto.`,
    ],
  };
  const timingTable = {
    title: `Cold start: a fresh node process loads the bundle and serves its sample event (ms, median (p90) of ${RUNS} runs)`,
    columns: 'function | build | require | first invoke | in-process | process wall | wall ÷ node -e 0',
    rows: [
      ...FUNCTIONS.flatMap((fn) =>
        VARIANTS.map((variant) => {
          const key = `${fn}/${variant}`;
          const cells = (['requireMs', 'invokeMs', 'inProcess', 'wallMs'] as const).map((figure) => p50p90(figures(key, figure)));
          return [fn, LABEL[variant], ...cells, ratio(med(fn, variant, 'wallMs'), median(baseline))];
        }),
      ),
      ['node -e 0', '-', '-', '-', '-', p50p90(baseline), '1.00×'],
    ],
  };
  const ratioTable = {
    title: 'Cold start: the deployed build ÷ the others (in-process medians)',
    columns: 'function | deployed ÷ before: require | first invoke | in-process | deployed ÷ runtime: in-process',
    rows: FUNCTIONS.map((fn) => [
      fn,
      ...(['requireMs', 'invokeMs', 'inProcess'] as const).map((figure) => ratio(med(fn, 'deployed', figure), med(fn, 'before', figure))),
      ratio(med(fn, 'deployed'), med(fn, 'external')),
    ]),
    notes: [`Target: the median over the functions, deployed ÷ before, at most ${MAX_COLD_START_RATIO}× in-process.`],
  };
  const toolsTable = {
    title: 'Cold start: what the observability tools cost (Powertools Metrics and shared/tracing.ts; and Powertools Tracer, not used)',
    columns:
      'function | without: bytes | deployed: bytes | with Powertools Tracer: bytes | without: in-process ms | deployed | with Powertools Tracer | deployed ÷ without | Tracer ÷ deployed',
    rows: FUNCTIONS.map((fn) => {
      const builds = ['withoutTools', 'deployed', 'powertoolsTracer'] as const;
      const [without = NaN, deployed = NaN, tracer = NaN] = builds.map((variant) => med(fn, variant));
      const times = [without, deployed, tracer].map((ms) => num(ms, 1));
      return [fn, ...builds.map((variant) => num(bundle(fn, variant).bytes)), ...times, ratio(deployed, without), ratio(tracer, deployed)];
    }),
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
    columns: 'build | .map bytes | maps loaded at start | in-process, as built | in-process, the other way | maps at start ÷ not',
    rows: MAP_VARIANTS.map((variant) => {
      const asBuilt = med(MAPS_FUNCTION, variant);
      const flipped = median(figures(`${MAPS_FUNCTION}/${variant}/flipped`, 'inProcess'));
      const [on, off] = mapsAtLoad(variant) ? [asBuilt, flipped] : [flipped, asBuilt];
      const map = [num(bundle(MAPS_FUNCTION, variant).mapBytes), mapsAtLoad(variant) ? 'yes' : 'no'];
      return [LABEL[variant], ...map, num(asBuilt, 1), num(flipped, 1), ratio(on, off)];
    }),
    notes: [
      `The deployed map has no sources' text; the logger reads it at the first logged error (shared/stackTraces.ts): ${num(firstMapMs, 1)} ms for this map, once per process.`,
    ],
  };

  const medianOf = (variant: Variant) => median(FUNCTIONS.map((fn) => med(fn, variant)));
  const [before, deployed] = [medianOf('before'), medianOf('deployed')];
  const overRatio = `${num(deployed / before, 2)}× the ${num(before, 1)} ms before, over ${MAX_COLD_START_RATIO}×`;
  if (deployed / before > MAX_COLD_START_RATIO)
    failures.push(`cold start: ${num(deployed, 1)} ms in-process (median of the functions), ${overRatio}`);
  const notes = [
    `In-process cold start, median over the ${FUNCTIONS.length} functions: before ${num(before)} ms, deployed ${num(deployed)} ms (${ratio(deployed, before)}), ` +
      `SDK left to the runtime ${num(medianOf('external'))} ms; a bare node -e 0 takes ${num(median(baseline))} ms wall. Measured on Node ${process.version}.`,
  ];
  const p90s = FUNCTIONS.flatMap((fn) =>
    VARIANTS.map((variant) => percentile(figures(`${fn}/${variant}`, 'inProcess'), 90) / med(fn, variant)),
  );
  const spread = median(p90s);
  if (spread > 1.5) notes.push(`Noisy machine: the p90 of a run is typically ${num(spread, 1)}× its median.`);

  return {
    title: 'Cold start',
    tables: [sizeTable, timingTable, ratioTable, toolsTable, mapsTable],
    notes,
    failures,
    data: {
      esbuild: { before: BEFORE_OPTIONS, deployed: functionBuildOptions() },
      bundles: Object.fromEntries(bundles),
      nodeE0WallMs: baseline,
      samples: Object.fromEntries(samples),
    },
  };
}
