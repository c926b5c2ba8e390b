/** Profiles a call in-process with V8's sampling CPU profiler (what --cpu-prof records) and sums self time by package. */
import { Session } from 'node:inspector/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Share {
  name: string;
  share: number;
}

export interface ProfileSummary {
  samples: number;
  calls: number;
  /** Self time by package, largest first: npm packages by name, this repository's code by file (shared/http.ts). */
  packages: Share[];
  /** The hottest functions by self time. */
  functions: Array<Share & { package: string }>;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Maps a script and a 0-based line to the source file it came from (for bundles), relative to the project root. */
export type SourceOf = (url: string, line: number) => string | undefined;

/** Where a profile node's code lives: `pkg` (npm package, or this repository's file) and a short `file` label. */
function locate(url: string, line: number, functionName: string, root: string, sourceOf?: SourceOf): { pkg: string; file: string } {
  const original = url ? sourceOf?.(url, line) : undefined;
  if (original !== undefined) return locate(`file://${join(root, original)}`, line, functionName, root);
  if (url === '') {
    if (functionName === '(garbage collector)') return { pkg: '(gc)', file: '' };
    if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)') return { pkg: functionName, file: '' };
    return { pkg: '(V8)', file: '' };
  }
  if (url.startsWith('node:')) return { pkg: '(node)', file: url };
  const path = url.startsWith('file:') ? fileURLToPath(url) : url;
  const marker = `${sep}node_modules${sep}`;
  const modules = path.lastIndexOf(marker);
  if (modules >= 0) {
    const inside = path.slice(modules + marker.length);
    const [first, second] = inside.split(sep);
    return { pkg: first?.startsWith('@') ? `${first}/${second}` : (first ?? path), file: inside };
  }
  if (path.startsWith(root + sep)) {
    const file = relative(root, path);
    // The benchmark's own loop and fixtures, kept apart from the code under test.
    if (file.startsWith(`bench${sep}`) || file.startsWith(`tests${sep}`)) return { pkg: '(bench harness)', file };
    return { pkg: file, file };
  }
  return { pkg: '(node)', file: path };
}

function shares(counts: Map<string, number>, total: number): Share[] {
  return [...counts].map(([name, n]) => ({ name, share: n / total })).sort((a, b) => b.share - a.share);
}

/**
 * Runs `call` on each of `inputs` (made beforehand, so making them is not profiled), stopping after `capMs`, under
 * the profiler; (idle) and (program) samples are left out.
 */
export async function profileByPackage(
  call: (input: unknown) => Promise<unknown>,
  inputs: unknown[],
  options: { capMs: number; root: string; sourceOf?: SourceOf },
): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 50 });
    await session.post('Profiler.start');
    const end = performance.now() + options.capMs;
    let n = 0;
    while (n < inputs.length && performance.now() < end) {
      await call(inputs[n]);
      n++;
    }
    const { profile } = await session.post('Profiler.stop');
    const byPackage = new Map<string, number>();
    const byFunction = new Map<string, number>();
    const functionPackage = new Map<string, string>();
    let total = 0;
    for (const node of profile.nodes as ProfileNode[]) {
      const hits = node.hitCount ?? 0;
      if (hits === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const { pkg, file } = locate(url, lineNumber, functionName, options.root, options.sourceOf);
      if (pkg === '(idle)' || pkg === '(program)' || pkg === '(root)') continue;
      total += hits;
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
      const name = `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
      functionPackage.set(name, pkg);
    }
    return {
      samples: total,
      calls: n,
      packages: shares(byPackage, total),
      functions: shares(byFunction, total)
        .slice(0, 15)
        .map((f) => ({ ...f, package: functionPackage.get(f.name) ?? '?' })),
    };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
