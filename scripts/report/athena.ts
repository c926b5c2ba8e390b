/**
 * The report for a deployed stage: Athena runs the same query files over the Glue table, in the stage's workgroup
 * (whose configuration, enforced, writes the results encrypted to the bucket's athena-results/). Each query is
 * started, waited for with backoff up to a time limit (then stopped), and its results read page by page.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type ColumnInfo,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { ClickQuery, DayRange, Report, Row } from './queries';

/** Athena's published price: 5 USD per TB scanned, each query billed by the MB rounded up, at least 10 MB. */
export const USD_PER_TB = 5;
const MB = 1024 ** 2;
const TB = 1024 ** 4;
const MIN_BILLED_BYTES = 10 * MB;

export const costOf = (bytesScanned: number): number => (Math.max(MIN_BILLED_BYTES, Math.ceil(bytesScanned / MB) * MB) / TB) * USD_PER_TB;

/** Where a stage's queries run: its stack's outputs. */
export interface AthenaTarget {
  database: string;
  workGroup: string;
}

/** A bad environment the user can fix (an unknown stage): the report says so and exits 2. */
export class UnknownStage extends Error {}

/** A query that Athena did not answer: it failed, was cancelled, or ran past the time limit. */
export class QueryFailed extends Error {}

/** The clicks database and workgroup of stage `stage` (stack mysfits-<stage>), from the stack's outputs. */
export async function findStage(cloudFormation: CloudFormationClient, stage: string, region: string): Promise<AthenaTarget> {
  const stackName = `mysfits-${stage}`;
  let outputs: Record<string, string | undefined>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  } catch (error) {
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) {
      throw new UnknownStage(
        `There is no stage ${stage} in ${region} (no stack ${stackName}): deploy it first or check --stage and --region.`,
      );
    }
    throw error;
  }
  const database = outputs.ClicksDatabaseName;
  const workGroup = outputs.ClicksWorkGroupName;
  if (!database || !workGroup) {
    throw new UnknownStage(
      `The stack ${stackName} has no ClicksDatabaseName and ClicksWorkGroupName outputs: deploy this version of the stage first.`,
    );
  }
  return { database, workGroup };
}

export interface WaitOptions {
  /** How long a query may run before it is stopped and counts as failed. */
  timeoutMs: number;
  /** The first pause between polls; each next one is twice as long, up to maxPollMs. */
  firstPollMs: number;
  maxPollMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const DEFAULT_WAIT: WaitOptions = {
  timeoutMs: 5 * 60_000,
  firstPollMs: 250,
  maxPollMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

export interface AthenaResult {
  rows: Row[];
  bytesScanned: number;
  costUsd: number;
  queryExecutionId: string;
}

/** A value as Athena returns it (always text) in its column's type; no value is null. */
function typed(value: string | undefined, column: ColumnInfo): Row[string] {
  if (value === undefined) return null;
  switch (column.Type) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'double':
    case 'float':
    case 'real':
    case 'decimal':
      return Number(value);
    case 'boolean':
      return value === 'true';
    default:
      return value;
  }
}

/** Starts `query` for `range`, waits for it, and reads every page of its results. */
export async function runAthenaQuery(
  athena: AthenaClient,
  target: AthenaTarget,
  query: ClickQuery,
  range: DayRange,
  wait: WaitOptions = DEFAULT_WAIT,
): Promise<AthenaResult> {
  const { QueryExecutionId: id } = await athena.send(
    new StartQueryExecutionCommand({
      QueryString: query.sql,
      QueryExecutionContext: { Database: target.database, Catalog: 'AwsDataCatalog' },
      WorkGroup: target.workGroup,
      // Athena substitutes parameters as SQL literals: the days are strings, so quoted.
      ExecutionParameters: [`'${range.from}'`, `'${range.to}'`],
    }),
  );
  if (!id) throw new QueryFailed(`Athena did not start the query ${query.name}.`);

  const started = wait.now();
  let pause = wait.firstPollMs;
  for (;;) {
    const { QueryExecution } = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = QueryExecution?.Status?.State;
    if (state === 'SUCCEEDED') {
      const bytesScanned = QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
      return { rows: await readResults(athena, id), bytesScanned, costUsd: costOf(bytesScanned), queryExecutionId: id };
    }
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = QueryExecution?.Status?.StateChangeReason ?? QueryExecution?.Status?.AthenaError?.ErrorMessage ?? 'no reason given';
      throw new QueryFailed(`The query ${query.name} ${state === 'FAILED' ? 'failed' : 'was cancelled'} in Athena (${id}): ${reason}`);
    }
    if (wait.now() - started >= wait.timeoutMs) {
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      throw new QueryFailed(`The query ${query.name} did not finish in ${Math.round(wait.timeoutMs / 1000)} s, so it was stopped (${id}).`);
    }
    await wait.sleep(Math.min(pause, Math.max(0, wait.timeoutMs - (wait.now() - started))));
    pause = Math.min(pause * 2, wait.maxPollMs);
  }
}

async function readResults(athena: AthenaClient, id: string): Promise<Row[]> {
  const rows: Row[] = [];
  let columns: ColumnInfo[] | undefined;
  let nextToken: string | undefined;
  let first = true;
  do {
    const page: GetQueryResultsCommandOutput = await athena.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken, MaxResults: 1000 }),
    );
    columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    // A SELECT's first row (of the first page only) is the header.
    const data = (page.ResultSet?.Rows ?? []).slice(first ? 1 : 0);
    first = false;
    for (const row of data) {
      const cells = row.Data ?? [];
      rows.push(Object.fromEntries(columns.map((column, i) => [column.Name ?? `_${i}`, typed(cells[i]?.VarCharValue, column)])));
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return rows;
}

export interface AthenaReport {
  report: Report;
  /** Per query, in order: bytes scanned and their cost. */
  scans: Array<{ name: string; bytesScanned: number; costUsd: number }>;
}

/** Every query, run side by side (Athena queues what it cannot run at once); the first failure fails the report. */
export async function runAthena(
  athena: AthenaClient,
  target: AthenaTarget,
  queries: ClickQuery[],
  range: DayRange,
  wait: WaitOptions = DEFAULT_WAIT,
): Promise<AthenaReport> {
  const results = await Promise.all(queries.map((query) => runAthenaQuery(athena, target, query, range, wait)));
  return {
    report: Object.fromEntries(queries.map((query, i) => [query.name, results[i]?.rows ?? []])),
    scans: queries.map((query, i) => ({
      name: query.name,
      bytesScanned: results[i]?.bytesScanned ?? 0,
      costUsd: results[i]?.costUsd ?? 0,
    })),
  };
}
