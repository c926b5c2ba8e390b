/**
 * `npm run bench [-- --only <part>[,<part>...]] [--profile]`: the benchmarks (not part of npm test). Each part runs
 * in a fresh process of its own (the functions read their settings once, at load, and no part should measure
 * another's leftovers), prints its tables, and everything goes to bench/results.json with the machine and the date.
 * Parts: cold, warm, roundtrips, load, mix, startup, report, site, lighthouse. --profile profiles every handler in the warm part, not only misses.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/functions';
import { describeMachine, machine, type Machine } from './lib/machine';
import { EARLIER_RESULTS_ENV, type PartOutput, type PartResult } from './lib/part';
import { renderTable } from './lib/table';

interface PartModule {
  run(options: { profile: boolean }): Promise<PartOutput>;
}

const PARTS: Record<string, { load: () => Promise<PartModule>; what: string }> = {
  cold: { load: () => import('./coldStart'), what: 'cold start per function, AWS SDK bundled vs left to the runtime' },
  warm: { load: () => import('./warmOverhead'), what: 'warm handler overhead per invocation, DynamoDB mocked' },
  roundtrips: { load: () => import('./roundTrips'), what: 'DynamoDB round trips per request, counted' },
  load: { load: () => import('./load'), what: 'the local API under load (autocannon)' },
  mix: { load: () => import('./mix'), what: "docs/CAPACITY.md's traffic mix against the local system" },
  startup: { load: () => import('./startup'), what: 'local stack start-up to the first 200' },
  report: { load: () => import('./report'), what: 'npm run report over 1,000,000 clicks in 30 days: DuckDB vs in memory' },
  site: { load: () => import('./siteClient'), what: "the site's Cognito client: its JavaScript and SRP sign-in time" },
  lighthouse: { load: () => import('./lighthouse'), what: 'Lighthouse on the website (list and a profile), local system' },
};

/** No part may run longer than this; a part past it is stopped (and cleans up after itself) and counts as failed. */
const PART_TIMEOUT_MS = 8 * 60_000;
const RESULTS = join(ROOT, 'bench', 'results.json');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

interface Results {
  machine: Machine;
  date: string;
  /** 1, 5 and 15-minute load averages before the first part: other work on the machine skews every figure. */
  loadAverageBefore: number[];
  parts: Record<string, PartResult>;
}

function printPart(result: PartResult): void {
  const lines = [
    '',
    `## ${result.title}  (${result.durationSeconds.toFixed(0)} s)`,
    '',
    ...result.tables.flatMap((table) => [renderTable(table), '']),
    ...result.notes.map((note) => `- ${note}`),
    ...result.failures.map((failure) => `- FAILED: ${failure}`),
  ];
  console.log(lines.join('\n'));
}

/** Child mode: run one part in this process and write its result to `out`. */
async function runPart(name: string, out: string, profile: boolean): Promise<void> {
  const part = PARTS[name];
  if (!part) throw new Error(`no part ${name}`);
  // The SDK's notice that it will need Node 22 next year, once per process: noise in a benchmark's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const started = performance.now();
  const loadAtStart = loadavg()[0] as number;
  const output = await (await part.load()).run({ profile });
  const loadAverage = { start: loadAtStart, end: loadavg()[0] as number };
  const result: PartResult = {
    part: name,
    date: new Date().toISOString(),
    durationSeconds: (performance.now() - started) / 1000,
    loadAverage,
    ...output,
  };
  printPart(result);
  writeFileSync(out, JSON.stringify(result));
}

/** `earlier`: a file with this run's results so far, for a part that reads another's (the mix reads the round trips). */
function spawnPart(name: string, out: string, profile: boolean, earlier: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, __filename, '--part', name, '--out', out, ...(profile ? ['--profile'] : [])], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, [EARLIER_RESULTS_ENV]: earlier },
    });
    const timer = setTimeout(() => {
      console.error(`\nThe ${name} part ran past ${PART_TIMEOUT_MS / 60_000} min: stopping it.`);
      child.kill('SIGTERM');
    }, PART_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : null));
    });
  });
}

function readResults(): Results | undefined {
  if (!existsSync(RESULTS)) return undefined;
  try {
    return JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      part: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.part) {
    await runPart(values.part, values.out ?? join(tmpdir(), `bench-${values.part}.json`), values.profile ?? false);
    return;
  }

  const names = values.only ? values.only.split(',').map((name) => name.trim()) : Object.keys(PARTS);
  const unknown = names.filter((name) => !(name in PARTS));
  if (unknown.length > 0) {
    console.error(
      `Unknown part: ${unknown.join(', ')}. Parts:\n${Object.entries(PARTS)
        .map(([name, { what }]) => `  ${name.padEnd(11)} ${what}`)
        .join('\n')}`,
    );
    process.exit(2);
  }

  const here = machine();
  const started = new Date();
  const loadAverageBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(
    `Mysfits benchmarks: ${names.join(', ')}\nMachine: ${describeMachine(here)}\nDate: ${started.toISOString()}\n` +
      `Load average before: ${loadAverageBefore.join(', ')} (1, 5, 15 min; anything else running skews the figures)`,
  );

  const scratch = mkdtempSync(join(tmpdir(), 'mysfits-bench-'));
  // With --only, the other parts' latest results stay in results.json.
  const results: Results = {
    machine: here,
    date: started.toISOString(),
    loadAverageBefore,
    parts: names.length < Object.keys(PARTS).length ? (readResults()?.parts ?? {}) : {},
  };
  const failures: string[] = [];
  try {
    for (const name of names) {
      const out = join(scratch, `${name}.json`);
      const earlier = join(scratch, 'earlier.json');
      writeFileSync(earlier, JSON.stringify(results));
      const code = await spawnPart(name, out, values.profile ?? false, earlier);
      if (code !== 0 || !existsSync(out)) {
        failures.push(`${name}: the part did not finish (exit code ${code})`);
        continue;
      }
      const result = JSON.parse(readFileSync(out, 'utf8')) as PartResult;
      results.parts[name] = result;
      failures.push(...result.failures.map((failure) => `${name}: ${failure}`));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const minutes = (Date.now() - started.getTime()) / 60_000;
  console.log(`\nWrote ${join('bench', 'results.json')} (${minutes.toFixed(1)} min).`);
  if (failures.length > 0) {
    console.error(`\nThe bench FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
