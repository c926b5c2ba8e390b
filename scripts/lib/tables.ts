/** Creates the tables serverless.yml defines in a DynamoDB Local, under names the caller chooses. */
import {
  CreateTableCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { loadServerlessConfig } from './serverlessConfig';

export interface TableNames {
  mysfitsTableName: string;
  activityTableName: string;
}

/** CreateTable inputs for every AWS::DynamoDB::Table in serverless.yml (local-only settings such as PITR dropped). */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  const { resources } = loadServerlessConfig('local', { ...names });
  return Object.values(resources.Resources)
    .filter((resource) => resource.Type === 'AWS::DynamoDB::Table')
    .map(({ Properties: p }) => {
      return {
        TableName: p.TableName,
        BillingMode: p.BillingMode,
        AttributeDefinitions: p.AttributeDefinitions,
        KeySchema: p.KeySchema,
        GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
      } as CreateTableCommandInput;
    });
}

/** Creates each table unless it exists already. */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of tableDefinitions(names)) {
    try {
      await client.send(new CreateTableCommand(definition));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
}
