/**
 * dev/dynamodbWarmUp.cjs, DynamoDB Local's warm-up thread (dev/dynamodbLocal.ts, `warmUp`), against a stand-in that
 * records what it is asked: it waits until the port answers, then lists the tables and reads one item of each
 * (read-only, signed as DynamoDB Local requires), and ends; with nothing listening it gives up and ends.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { freePort } from '../../dev/ports';
import { warmUpWhenListening } from '../../dev/dynamodbLocal';

jest.setTimeout(20_000);

interface Asked {
  target: string | undefined;
  body: unknown;
  signed: boolean;
}

/** A DynamoDB stand-in on `port` with two tables; what it is asked, in order. */
async function standIn(port: number, asked: Asked[]): Promise<Server> {
  const read = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return JSON.parse(text) as unknown;
  };
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const target = req.headers['x-amz-target'] as string | undefined;
      asked.push({ target, body, signed: String(req.headers.authorization).startsWith('AWS4-HMAC-SHA256 Credential=') });
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(target?.endsWith('.ListTables') ? { TableNames: ['mysfits', 'likes'] } : { Items: [], Count: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

test('waits for the port, then lists the tables and reads one item of each, and ends', async () => {
  // Arrange: the thread starts before anything listens, as it does beside a JVM still starting
  const port = await freePort();
  const asked: Asked[] = [];
  const worker = warmUpWhenListening(port);
  const ended = once(worker, 'exit');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const server = await standIn(port, asked);
  try {
    // Act
    const [code] = (await ended) as [number];
    // Assert
    expect(code).toBe(0);
    expect(asked).toEqual([
      { target: 'DynamoDB_20120810.ListTables', body: {}, signed: true },
      { target: 'DynamoDB_20120810.Scan', body: { TableName: 'mysfits', Limit: 1 }, signed: true },
      { target: 'DynamoDB_20120810.Scan', body: { TableName: 'likes', Limit: 1 }, signed: true },
    ]);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('nothing ever listens: it gives up after its time and ends', async () => {
  const worker = warmUpWhenListening(await freePort(), 300);
  const [code] = (await once(worker, 'exit')) as [number];
  expect(code).toBe(0);
});
