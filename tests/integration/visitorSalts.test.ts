/** The day's visitor salt on DynamoDB Local: many instances asking at once for a new day end with one salt, one item. */
import { dynamodb } from '../../shared/dynamodb';
import { dailySalts, expiresAt } from '../../shared/visitorSalts';
import { createSeededTables, scanAll, tables } from './database';

beforeAll(createSeededTables);

test("20 instances (each its own cache) ask for a new day's salt at once: one salt for all, one item with its TTL", async () => {
  // Arrange
  const day = '2026-12-01';
  const instances = Array.from({ length: 20 }, () => dailySalts(dynamodb, tables.visitorSalts));
  // Act
  const salts = await Promise.all(instances.map((instance) => instance.saltFor(day)));
  // Assert
  expect(new Set(salts.map((salt) => salt.toString('base64'))).size).toBe(1);
  const items = await scanAll(tables.visitorSalts);
  expect(items).toEqual([{ Day: day, Salt: salts[0]?.toString('base64'), ExpiresAt: expiresAt(day) }]);
});

test('the next day has a salt of its own', async () => {
  const salts = dailySalts(dynamodb, tables.visitorSalts);
  const [one, two] = [await salts.saltFor('2026-12-02'), await salts.saltFor('2026-12-03')];
  expect(one.equals(two)).toBe(false);
});
