// Cold-start probe, run by bench/coldStart.ts in a fresh node process: require one bundle, invoke its handler once
// with a sample event, and print the timings as one JSON line. Usage: node coldStartProbe.cjs <bundle.js> <event.json>
'use strict';
const [bundle, eventFile] = process.argv.slice(2);
// Read before the clock starts: the Lambda runtime hands the handler a parsed event.
const event = JSON.parse(require('node:fs').readFileSync(String(eventFile), 'utf8'));
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'bench-cold-start',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench-cold-start',
  memoryLimitInMB: '256',
  awsRequestId: '00000000-0000-4000-8000-00000000c01d',
  logGroupName: '/aws/lambda/bench-cold-start',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};

const clock = require('node:perf_hooks').performance;
const start = clock.now();
const { handler } = require(String(bundle));
const loaded = clock.now();
handler(event, context).then(
  (/** @type {{ statusCode: number }} */ response) => {
    const timings = { requireMs: loaded - start, invokeMs: clock.now() - loaded, statusCode: response.statusCode };
    process.stdout.write(`BENCH-PROBE ${JSON.stringify(timings)}\n`);
    // Exit now: the bench measures load + first invocation, not how long idle keep-alive sockets linger.
    process.exit(0);
  },
  (/** @type {unknown} */ error) => {
    console.error(error);
    process.exit(1);
  },
);
