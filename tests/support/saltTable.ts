/**
 * The visitor salts table as DynamoDB keeps it, in memory, behind aws-sdk-client-mock: GetItem reads it, a PutItem
 * with attribute_not_exists writes only the first item of a day (later ones fail as DynamoDB fails them).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { GetCommandInput, PutCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AwsStub } from 'aws-sdk-client-mock';

export type SaltItems = Map<string, Record<string, unknown>>;

/**
 * Serves the salts table on `stub` (any client's: a test's own module registry has its own command classes, so the
 * commands are told apart by their input: a Key is a GetItem, an Item a PutItem).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a stub of whichever client sends these commands
export function serveSalts(stub: AwsStub<any, any, any>, items: SaltItems = new Map()): SaltItems {
  stub.callsFake((input: GetCommandInput | PutCommandInput) => {
    if ('Key' in input) return { Item: items.get(String(input.Key?.Day)) };
    const day = String(input.Item?.Day);
    if (input.ConditionExpression && items.has(day)) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
    }
    items.set(day, { ...input.Item });
    return {};
  });
  return items;
}
