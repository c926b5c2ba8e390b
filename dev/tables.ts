/** The service's DynamoDB tables in a DynamoDB Local: created from the resolved config, under names a caller may choose. */
import {
  CreateTableCommand,
  ListTablesCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { resolvedService, stageParams, tableDefinitions, type ResolvedService } from './service';

/** Table names by the stage parameter that names them in serverless.yml. */
export interface TableNames {
  mysfitsTableName: string;
  activityTableName: string;
  visitorSaltsTableName?: string;
}

/** The service's tables, each renamed as `names` says for the parameter that names it. */
export function renamedTables(service: ResolvedService, names: Partial<TableNames> = {}): CreateTableCommandInput[] {
  const params = stageParams(service, service.provider.stage);
  const renames = Object.fromEntries(Object.entries(names).map(([param, name]) => [String(params[param]), name as string]));
  return Object.values(tableDefinitions(service)).map((table) => ({
    ...table,
    TableName: renames[table.TableName as string] ?? table.TableName,
  }));
}

/** The local stage's tables under the names tests and benchmarks give them. */
export async function localTables(names: TableNames): Promise<CreateTableCommandInput[]> {
  return renamedTables(await resolvedService('local'), names);
}

/** Creates each table unless it exists already (one ListTables, then the missing ones side by side). */
export async function createTables(client: DynamoDBClient, tables: CreateTableCommandInput[]): Promise<void> {
  const existing = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const name of page.TableNames ?? []) existing.add(name);
    start = page.LastEvaluatedTableName;
  } while (start);
  const missing = tables.filter((table) => !existing.has(table.TableName as string));
  await Promise.all(
    missing.map(async (table) => {
      try {
        await client.send(new CreateTableCommand(table));
      } catch (error) {
        // Made meanwhile by another process on the same database (a test tier's workers): there it is.
        if (!(error instanceof ResourceInUseException)) throw error;
      }
    }),
  );
}
