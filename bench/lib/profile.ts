/** Profiles calls in-process with V8's sampling CPU profiler (what --cpu-prof records), self time by package through source maps. */
import { Session } from 'node:inspector/promises';
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './part';

/** Self time by package (npm packages by name, this repository's code by file: shared/http.ts) and by function, largest first. */
export type ProfileSummary = Awaited<ReturnType<typeof profileByPackage>>;
export type Share = ProfileSummary['packages'][number];

const maps = new Map<string, SourceMap | undefined>();

/** The npm package a file belongs to (`@middy/core`), by the last node_modules/ in its path. */
export const npmPackage = (path: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(path)?.[1];

/** A bundle's code named by the file its source map says it came from; a script without a map as it is. */
function originalFile(path: string, line: number, column: number): string {
  if (!maps.has(path))
    maps.set(path, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))) : undefined);
  const entry = maps.get(path)?.findEntry(line, column);
  return entry && 'originalSource' in entry && entry.originalSource ? resolve(dirname(path), entry.originalSource) : path;
}

/** Where a profile node's code (a path, `node:` module or nothing) lives: an npm package, this repository's file, or `(node)`, `(gc)`, `(V8)`. */
function packageOf(url: string, functionName: string): string {
  if (url === '')
    return functionName === '(garbage collector)' ? '(gc)' : /^\((program|idle|root)\)$/.test(functionName) ? functionName : '(V8)';
  const pkg = npmPackage(url);
  if (pkg !== undefined) return pkg;
  if (url.startsWith('node:') || !url.startsWith(ROOT + sep)) return '(node)';
  const file = relative(ROOT, url);
  // The benchmark's own loop and fixtures, kept apart from the code under test.
  return /^(bench|tests)\//.test(file) ? '(bench harness)' : file;
}

const shares = (counts: Map<string, number>, total: number) =>
  [...counts].map(([name, n]) => ({ name, share: n / total })).sort((a, b) => b.share - a.share);

/** Runs `call` on each of `inputs` (made beforehand, so making them is not profiled) under the profiler, for at most `capMs`. */
export async function profileByPackage(call: (input: unknown) => Promise<unknown>, inputs: unknown[], capMs: number) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
    const end = performance.now() + capMs;
    let calls = 0;
    for (; calls < inputs.length && performance.now() < end; calls++) await call(inputs[calls]);
    const { profile } = await session.post('Profiler.stop');
    const byPackage = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    for (const { callFrame, hitCount = 0 } of profile.nodes) {
      const path = callFrame.url.startsWith('file:') ? fileURLToPath(callFrame.url) : callFrame.url;
      const url = path.startsWith(sep) ? originalFile(path, callFrame.lineNumber, callFrame.columnNumber) : path;
      const pkg = packageOf(url, callFrame.functionName);
      // Idle time and the profiler's own are not the code's.
      if (hitCount === 0 || /^\((program|idle|root)\)$/.test(pkg)) continue;
      total += hitCount;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hitCount);
      const name = `${callFrame.functionName || '(anonymous)'} ${url.startsWith(ROOT) ? relative(ROOT, url) : pkg}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + hitCount);
    }
    return { calls, packages: shares(byPackage, total), functions: shares(byFunction, total).slice(0, 15) };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
