/** shared/visitorSalts.ts: one secret salt per day, shared by every instance, created once, cached, deleted after its day. */
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dailySalts, expiresAt } from '../../shared/visitorSalts';
import { serveSalts, type SaltItems } from '../support/saltTable';

const TABLE = 'test-visitor-salts';
const stub = mockClient(DynamoDBDocumentClient);
const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
let items: SaltItems;

beforeEach(() => {
  stub.reset();
  items = serveSalts(stub);
});

test('the first request of a day creates its salt with a conditional write, and the item carries its TTL', async () => {
  const salt = await dailySalts(documents(), TABLE).saltFor('2026-12-01');
  expect(salt).toHaveLength(32);
  expect(stub).toHaveReceivedCommandWith(PutCommand, {
    TableName: TABLE,
    Item: { Day: '2026-12-01', Salt: salt.toString('base64'), ExpiresAt: Date.parse('2026-12-02T01:00:00Z') / 1000 },
    ConditionExpression: 'attribute_not_exists(#day)',
    ExpressionAttributeNames: { '#day': 'Day' },
  });
  expect(expiresAt('2026-12-31')).toBe(Date.parse('2027-01-01T01:00:00Z') / 1000);
});

test("a day's salt already there is read (consistently), not replaced", async () => {
  items.set('2026-12-01', { Day: '2026-12-01', Salt: Buffer.alloc(32, 5).toString('base64'), ExpiresAt: 1 });
  const salt = await dailySalts(documents(), TABLE).saltFor('2026-12-01');
  expect(salt).toEqual(Buffer.alloc(32, 5));
  expect(stub).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { Day: '2026-12-01' }, ConsistentRead: true });
  expect(stub).not.toHaveReceivedCommand(PutCommand);
});

test("concurrent first requests of many instances end with one salt: the losers of the conditional write read the winner's", async () => {
  // Every instance reads before any writes (the worst interleaving), then all try to create the day's salt.
  let reads = 0;
  const allRead = new Promise<void>((resolve) => {
    stub.on(GetCommand).callsFake(async (input) => {
      reads += 1;
      if (reads <= 20) {
        if (reads === 20) resolve();
        await allRead;
        return { Item: undefined };
      }
      return { Item: items.get(String(input.Key?.Day)) };
    });
  });
  const instances = Array.from({ length: 20 }, () => dailySalts(documents(), TABLE));
  const salts = await Promise.all(instances.map((instance) => instance.saltFor('2026-12-01')));
  expect(new Set(salts.map((salt) => salt.toString('hex'))).size).toBe(1);
  expect(items.size).toBe(1);
  expect(salts[0]?.toString('base64')).toBe(items.get('2026-12-01')?.Salt);
  expect(stub.commandCalls(PutCommand)).toHaveLength(20);
});

test('an instance asks DynamoDB once a day, whatever the number of requests, and again for the next day', async () => {
  const salts = dailySalts(documents(), TABLE);
  const [a, b] = await Promise.all([salts.saltFor('2026-12-01'), salts.saltFor('2026-12-01')]);
  await salts.saltFor('2026-12-01');
  expect(a).toEqual(b);
  expect(stub.commandCalls(GetCommand)).toHaveLength(1);
  const next = await salts.saltFor('2026-12-02');
  expect(next).not.toEqual(a);
  expect(stub.commandCalls(GetCommand)).toHaveLength(2);
});

test('a failure is not cached: the next request asks again', async () => {
  stub
    .on(GetCommand)
    .rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))
    .callsFake((input) => ({ Item: items.get(String(input.Key?.Day)) }));
  const salts = dailySalts(documents(), TABLE);
  await expect(salts.saltFor('2026-12-01')).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
  await expect(salts.saltFor('2026-12-01')).resolves.toHaveLength(32);
});
