/**
 * Stack traces that name our TypeScript files and lines, paid for only when an error is logged.
 *
 * Node's `--enable-source-maps` reads and parses every bundle's map while the bundle loads: about a tenth of each
 * cold start (BENCHMARKS.md), on every start, for traces that are rarely printed. The bundles still carry their
 * `.map` (serverless.yml, custom.esbuild), and this reads it the first time a frame of that bundle has to be named.
 * Errors thrown while a bundle loads are printed by the Lambda runtime itself, unmapped: their messages say what
 * is missing (shared/settings.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/** `at name (file:line:column)` or `at file:line:column`, as V8 writes a frame. */
const FRAME = /^(\s*at (?:.*? \()?)(\/[^():]+\.c?js):(\d+):(\d+)(\)?)$/;

/** Each bundle's map, read once; `null` when the file has none (the source itself, under tsx or jest). */
const maps = new Map<string, SourceMap | null>();

function mapOf(file: string): SourceMap | null {
  let map = maps.get(file);
  if (map === undefined) {
    try {
      map = existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null;
    } catch {
      map = null; // an unreadable map leaves the trace as it is: a log line never fails because of it
    }
    maps.set(file, map);
  }
  return map;
}

/** A source as the map names it, relative to the bundle (`../../../shared/http.ts`): the project's path, `shared/http.ts`. */
const projectPath = (source: string): string => source.replace(/^(?:\.\.?\/)+/, '');

/** The trace with every frame of a bundled file named by its source file, line and column; other lines unchanged. */
export function readableStack(stack: string): string {
  return stack
    .split('\n')
    .map((line) => {
      const frame = FRAME.exec(line);
      if (!frame) return line;
      const [, head, file, row, column, tail] = frame as unknown as [string, string, string, string, string, string];
      const map = mapOf(file);
      const entry = map?.findEntry(Number(row) - 1, Number(column) - 1);
      if (!entry || !('originalSource' in entry) || !entry.originalSource) return line;
      return `${head}${projectPath(entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}${tail}`;
    })
    .join('\n');
}

const mapped = new WeakSet<Error>();

/** Rewrites an error's trace (and its causes') once, in place, just before it is logged. */
export function mapErrorStack(error: Error): void {
  for (let e: unknown = error; e instanceof Error && !mapped.has(e); e = e.cause) {
    mapped.add(e);
    if (typeof e.stack === 'string') e.stack = readableStack(e.stack);
  }
}
