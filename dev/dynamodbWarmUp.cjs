/**
 * A worker thread that warms DynamoDB Local up (dynamodbLocal.ts, `warmUp`): as soon as it listens, one ListTables
 * and a one-item Scan of each table, so that its first requests from the start-up (tables, seed, the first page)
 * find the JVM's request paths loaded and compiled. A thread, because the Framework keeps the main one busy for the
 * second in which the JVM comes up. Plain HTTP, not the AWS SDK: loading the SDK here would cost more CPU than the
 * warm-up saves, and DynamoDB Local does not check signatures (only that there is one). Read-only; any failure is
 * left to the start-up's own requests, which report it.
 */
'use strict';

const { request } = require('node:http');
const { setTimeout: sleep } = require('node:timers/promises');
const { workerData } = require('node:worker_threads');

const { port, timeoutMs } = /** @type {{ port: number, timeoutMs: number }} */ (workerData);
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/** @param {string} operation @param {object} body @returns {Promise<any>} */
function call(operation, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/',
        headers: {
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': `DynamoDB_20120810.${operation}`,
          Authorization: AUTHORIZATION,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function warmUp() {
  const deadline = Date.now() + timeoutMs;
  /** @type {{ TableNames?: string[] } | undefined} */
  let listed;
  while (!listed && Date.now() < deadline) {
    listed = await call('ListTables', {}).catch(() => sleep(20, undefined));
  }
  for (const name of listed?.TableNames ?? []) await call('Scan', { TableName: name, Limit: 1 }).catch(() => undefined);
}

void warmUp();
