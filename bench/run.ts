/** `npm run bench [-- --only <part>[,<part>...]] [--profile]`: the benchmarks (BENCHMARKS.md), each part in a fresh process of its own. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderTable, ROOT, TSX, type PartOutput } from './lib/part';

const PARTS: Record<string, () => Promise<{ run(options: { profile: boolean }): Promise<PartOutput> }>> = {
  cold: () => import('./coldStart'),
  warm: () => import('./warmOverhead'),
  roundtrips: () => import('./roundTrips'),
  load: () => import('./load'),
  mix: () => import('./mix'),
  startup: () => import('./startup'),
  report: () => import('./report'),
  site: () => import('./siteClient'),
  lighthouse: () => import('./lighthouse'),
};
/** No part may run longer than this; a part past it is stopped and counts as failed. */
const PART_TIMEOUT_MS = 8 * 60_000;
const RESULTS = join(ROOT, 'bench', 'results.json');

type PartResult = PartOutput & { date: string; durationSeconds: number; loadAverage: { start: number; end: number } };
type Results = { machine: object; date: string; loadAverageBefore: number[]; parts: Record<string, PartResult> };
const readResults = () => JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
const writeResults = (results: Results) => writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

/** Child mode: runs one part in this process, prints it, adds it to results.json; exit code 1 if a check failed. */
async function runPart(name: string, profile: boolean): Promise<void> {
  // The SDK's notice that it will need Node 22 next year, once per process: noise in a benchmark's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const started = performance.now();
  // The 1-minute load average when the part started and ended (the bench's own processes count too).
  const start = loadavg()[0] as number;
  const part = PARTS[name];
  if (!part) throw new Error(`no part ${name}`);
  const output = await (await part()).run({ profile });
  const durationSeconds = (performance.now() - started) / 1000;
  const lines = [`\n## ${output.title}  (${durationSeconds.toFixed(0)} s)\n`, ...output.tables.map((table) => `${renderTable(table)}\n`)];
  lines.push(...output.notes.map((note) => `- ${note}`), ...output.failures.map((failure) => `- FAILED: ${failure}`));
  console.log(lines.join('\n'));
  const results = readResults();
  const loadAverage = { start, end: loadavg()[0] as number };
  results.parts[name] = { date: new Date().toISOString(), durationSeconds, loadAverage, ...output };
  writeResults(results);
  process.exitCode = output.failures.length > 0 ? 1 : 0;
}

async function main(): Promise<void> {
  const options = { only: { type: 'string' }, profile: { type: 'boolean', default: false }, part: { type: 'string' } } as const;
  const { values } = parseArgs({ options });
  if (values.part) return runPart(values.part, values.profile);
  const names = values.only ? values.only.split(',').map((name) => name.trim()) : Object.keys(PARTS);
  const unknown = names.filter((name) => !(name in PARTS));
  if (unknown.length > 0) {
    console.error(`Unknown part: ${unknown.join(', ')}. Parts: ${Object.keys(PARTS).join(', ')} (see BENCHMARKS.md).`);
    process.exit(2);
  }

  const cpu = cpus();
  const machine = {
    cores: cpu.length,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform}/${process.arch}`,
  };
  const started = new Date();
  // Anything else running on the machine skews every figure.
  const loadAverageBefore = loadavg().map((l) => Math.round(l * 100) / 100);
  console.log(
    `Mysfits benchmarks: ${names.join(', ')}\nMachine: ${machine.cores} cores (${machine.cpuModel}), ${machine.totalMemoryGiB} GiB, ` +
      `Node ${machine.node}, ${machine.platform}\nDate: ${started.toISOString()}\nLoad average before: ${loadAverageBefore.join(', ')} (1, 5, 15 min)`,
  );
  // With --only, the other parts' latest results stay in results.json (the mix reads the round trips' counts there).
  let parts: Results['parts'] = {};
  try {
    if (values.only && existsSync(RESULTS)) parts = readResults().parts;
  } catch {
    // not readable: start afresh
  }
  for (const name of names) delete parts[name];
  writeResults({ machine, date: started.toISOString(), loadAverageBefore, parts });

  const failures: string[] = [];
  for (const name of names) {
    const args = [TSX, __filename, '--part', name, ...(values.profile ? ['--profile'] : [])];
    // A fresh process: the functions read their settings once, at load, and no part should measure another's leftovers.
    // Past the timeout the part gets SIGTERM, and cleans up after itself.
    const { status, error } = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', timeout: PART_TIMEOUT_MS });
    if (status === 0) continue;
    const failed = (readResults().parts[name]?.failures ?? []).map((failure) => `${name}: ${failure}`);
    const why = error ? `stopped after ${PART_TIMEOUT_MS / 60_000} min` : `exit code ${status}`;
    failures.push(...(failed.length > 0 ? failed : [`${name}: the part did not finish (${why})`]));
  }
  console.log(`\nWrote bench/results.json (${((Date.now() - started.getTime()) / 60_000).toFixed(1)} min).`);
  if (failures.length > 0) {
    console.error(`\nThe bench FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    process.exit(1);
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
