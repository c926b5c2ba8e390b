/** local/readableLogs.ts: the functions' JSON log lines as a person reads them on the local system. */
import { installReadableLogs, readableLine } from '../../../local/readableLogs';

const request = JSON.stringify({
  level: 'INFO',
  message: 'request',
  timestamp: '2026-12-03T08:01:07.123Z',
  service: 'mysfits',
  cold_start: false,
  function_name: 'mysfits-local-getMysfit',
  route: 'GET /mysfits/{mysfitId}',
  status: 200,
  durationMs: 12.345,
  requestId: 'r-1',
  apiRequestId: 'a-1',
  xray_trace_id: '1-abc',
});

test('a request: time, route, status, milliseconds and function, on one short line', () => {
  const line = readableLine(request, 'mysfits-local-');
  expect(line).toBe('08:01:07 GET /mysfits/{mysfitId} -> 200  12 ms  (getMysfit)');
  expect(line!.length).toBeLessThan(80);
});

test('a warning keeps its details; an error its stack', () => {
  const warning = JSON.stringify({
    level: 'WARN',
    message: 'ID token not checked',
    timestamp: '2026-12-03T08:01:07Z',
    reason: 'JWKS 503',
    function_name: 'mysfits-local-recordClicks',
  });
  expect(readableLine(warning, 'mysfits-local-')).toBe('08:01:07 WARN ID token not checked {"reason":"JWKS 503"}  (recordClicks)');
  const error = JSON.stringify({
    level: 'ERROR',
    message: 'Request failed',
    timestamp: '2026-12-03T08:01:07Z',
    error: { name: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at handler (functions/getMysfit.ts:5:3)' },
  });
  expect(readableLine(error)).toBe(
    '08:01:07 ERROR Request failed  ()\n    TypeError: boom\n        at handler (functions/getMysfit.ts:5:3)',
  );
});

test('a metrics line (embedded metric format) is not shown; anything else is left as it is', () => {
  expect(readableLine(JSON.stringify({ _aws: { CloudWatchMetrics: [] }, Likes: 1 }))).toBeNull();
  expect(readableLine('Starting Offline at stage local')).toBeUndefined();
  expect(readableLine('{ not json')).toBeUndefined();
  expect(readableLine('{"some":"other json"}')).toBeUndefined();
});

test('installed: lines split across writes are joined, the start-up probe is not shown, other output is not held', () => {
  const written: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
  try {
    const logs = installReadableLogs('mysfits-local-');
    process.stdout.write(`${request}\n`); // the probe, before ready
    logs.ready();
    process.stdout.write('progress...');
    process.stdout.write(request.slice(0, 40));
    process.stdout.write(`${request.slice(40)}\n`);
  } finally {
    process.stdout.write = original;
  }
  expect(written.join('')).toBe('progress...08:01:07 GET /mysfits/{mysfitId} -> 200  12 ms  (getMysfit)\n');
});
