/**
 * The functions' log lines as a person reads them on the local system: one short line per request (time, method and
 * route, status, duration, function) instead of Powertools' JSON, a warning or error with its message and details,
 * and no metrics lines (CloudWatch's embedded format, for machines). Deployed stages keep the JSON, and so does the
 * local system with `LOCAL_LOGS=json` (metrics included).
 *
 * The functions write to this process's stdout (serverless offline runs them here, or in worker threads whose output
 * comes through it), so the lines are rewritten on their way out; anything that is not such a line passes as it is.
 */

/** Powertools' own keys, left out of a warning's or error's details. */
const STANDARD_KEYS = new Set([
  'level',
  'message',
  'timestamp',
  'service',
  'cold_start',
  'function_arn',
  'function_memory_size',
  'function_name',
  'function_request_id',
  'sampling_rate',
  'xray_trace_id',
  'requestId',
  'apiRequestId',
]);

const time = (timestamp: unknown) => (typeof timestamp === 'string' ? timestamp.slice(11, 19) : '--:--:--');

/**
 * A line as a person reads it: a string to print, null to print nothing (a metrics line), undefined when it is not
 * one of the functions' JSON lines (printed as it is). `functionPrefix` (`mysfits-local-`) is left off the names.
 */
export function readableLine(line: string, functionPrefix = ''): string | null | undefined {
  if (!line.startsWith('{')) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!entry || typeof entry !== 'object') return undefined;
  if ('_aws' in entry) return null;
  if (typeof entry.level !== 'string' || typeof entry.message !== 'string') return undefined;
  const fn = typeof entry.function_name === 'string' ? entry.function_name.replace(functionPrefix, '') : '';
  if (entry.message === 'request') {
    const duration = typeof entry.durationMs === 'number' ? `${Math.round(entry.durationMs)} ms` : '';
    return `${time(entry.timestamp)} ${String(entry.route)} -> ${String(entry.status)}  ${duration}  (${fn})`;
  }
  const details = Object.fromEntries(Object.entries(entry).filter(([key]) => !STANDARD_KEYS.has(key)));
  const error = details.error as { name?: string; message?: string; stack?: string } | undefined;
  delete details.error;
  const extra = Object.keys(details).length > 0 ? ` ${JSON.stringify(details)}` : '';
  const lines = [`${time(entry.timestamp)} ${entry.level} ${entry.message}${extra}  (${fn})`];
  if (error?.stack) lines.push(error.stack.replace(/^/gm, '    '));
  else if (error?.message) lines.push(`    ${error.name ?? 'Error'}: ${error.message}`);
  return lines.join('\n');
}

export interface ReadableLogs {
  /** From now on the requests are the person's: the start-up probe's request before it is not shown. */
  ready(): void;
}

/** Rewrites this process's stdout, line by line, from now on. */
export function installReadableLogs(functionPrefix: string): ReadableLogs {
  let ready = false;
  let pending = '';
  const write = process.stdout.write.bind(process.stdout) as (chunk: string) => boolean;
  const convert = (line: string): string => {
    const readable = readableLine(line, functionPrefix);
    if (readable === undefined) return `${line}\n`;
    if (readable === null || (!ready && line.includes('"message":"request"'))) return '';
    return `${readable}\n`;
  };
  const rewrite = (text: string): string => {
    pending += text;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    // Only what may be a JSON line waits for its end; anything else (a prompt, a progress dot) goes out now.
    if (pending && !pending.startsWith('{')) {
      lines.push(pending);
      pending = '';
      const last = lines.length - 1;
      return lines.map((line, index) => (index === last ? line : convert(line))).join('');
    }
    return lines.map(convert).join('');
  };
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
    if (text === undefined) return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    const out = rewrite(text);
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    if (out) return write(out) && (callback?.(), true);
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  return {
    ready: () => {
      ready = true;
    },
  };
}
