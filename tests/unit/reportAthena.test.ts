/**
 * The report for a deployed stage, with Athena and CloudFormation mocked: what it starts, how it waits (backoff, a
 * time limit), how it pages through the results, and what a failed or timed-out query does.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryExecutionCommandOutput,
  type QueryExecutionState,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { clicksStack } from '../support/clicksStack';
import 'aws-sdk-client-mock-jest';
import { costOf, findStage, QueryFailed, runAthena, runAthenaQuery, UnknownStage, type WaitOptions } from '../../scripts/report/athena';
import { loadQueries } from '../../scripts/report/queries';

const athenaMock = mockClient(AthenaClient);
const cloudFormationMock = mockClient(CloudFormationClient);
const athena = new AthenaClient({ region: 'us-east-1' });
const TARGET = { database: 'mysfits_prod_clicks', workGroup: 'mysfits-prod-clicks' };
const RANGE = { from: '2026-11-20', to: '2026-11-26' };
const QUERIES = loadQueries();
const MOST_VIEWED = QUERIES.find((q) => q.name === 'most_viewed')!;
const MB = 1024 ** 2;

/** A clock that moves only when the report sleeps, and the sleeps it asked for. */
function fakeWait(timeoutMs = 60_000): WaitOptions & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    timeoutMs,
    firstPollMs: 250,
    maxPollMs: 2_000,
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const execution = (state: QueryExecutionState, extra: Record<string, unknown> = {}): GetQueryExecutionCommandOutput => ({
  $metadata: {},
  QueryExecution: { QueryExecutionId: 'q-1', Status: { State: state }, ...extra },
});
const cell = (value?: string) => (value === undefined ? {} : { VarCharValue: value });
const COLUMNS = [
  { Name: 'mysfitid', Type: 'varchar' },
  { Name: 'name', Type: 'varchar' },
  { Name: 'views', Type: 'bigint' },
];
const HEADER = { Data: COLUMNS.map((c) => cell(c.Name)) };

beforeEach(() => {
  athenaMock.reset();
  cloudFormationMock.reset();
  athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
});

describe('one query', () => {
  test("starts the file's SQL in the stage's workgroup and database, the days as quoted parameters, no output location of its own", async () => {
    // Arrange
    athenaMock.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { Statistics: { DataScannedInBytes: 0 } }));
    athenaMock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [HEADER] } });
    // Act
    await runAthenaQuery(athena, TARGET, MOST_VIEWED, RANGE, fakeWait());
    // Assert
    expect(athenaMock).toHaveReceivedCommandTimes(StartQueryExecutionCommand, 1);
    const input = athenaMock.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(input).toEqual({
      QueryString: MOST_VIEWED.sql,
      QueryExecutionContext: { Database: 'mysfits_prod_clicks', Catalog: 'AwsDataCatalog' },
      WorkGroup: 'mysfits-prod-clicks',
      ExecutionParameters: ["'2026-11-20'", "'2026-11-26'"],
    });
  });

  test('polls until it succeeds, waiting twice as long each time up to the most', async () => {
    // Arrange
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('QUEUED'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolvesOnce(execution('RUNNING'))
      .resolves(execution('SUCCEEDED', { Statistics: { DataScannedInBytes: 3 * MB } }));
    athenaMock.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [HEADER] } });
    const wait = fakeWait();
    // Act
    const result = await runAthenaQuery(athena, TARGET, MOST_VIEWED, RANGE, wait);
    // Assert
    expect(wait.sleeps).toEqual([250, 500, 1000, 2000, 2000, 2000]);
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 7);
    expect(athenaMock).toHaveReceivedCommandWith(GetQueryExecutionCommand, { QueryExecutionId: 'q-1' });
    expect(result).toMatchObject({ rows: [], bytesScanned: 3 * MB, queryExecutionId: 'q-1' });
  });

  test('pages through the results: the header row only on the first page, values in their column types, none as null', async () => {
    // Arrange
    athenaMock.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { Statistics: { DataScannedInBytes: 1234 } }));
    const columns = [...COLUMNS, { Name: 'rate', Type: 'double' }, { Name: 'signedin', Type: 'boolean' }];
    const meta = { ResultSetMetadata: { ColumnInfo: columns } };
    athenaMock
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ...meta,
          Rows: [
            { Data: columns.map((c) => cell(c.Name)) },
            { Data: [cell('id-e'), cell('Evangeline'), cell('5'), cell('0.3333'), cell('true')] },
          ],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({
        ResultSet: { ...meta, Rows: [{ Data: [cell('id-c'), cell('CoCo'), cell('3'), cell(), cell('false')] }] },
        NextToken: 'page-3',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-3' })
      .resolves({ ResultSet: { ...meta, Rows: [{ Data: [cell('id-p'), cell(), cell('1'), cell('1'), cell('true')] }] } });
    // Act
    const result = await runAthenaQuery(athena, TARGET, MOST_VIEWED, RANGE, fakeWait());
    // Assert
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(result.rows).toEqual([
      { mysfitid: 'id-e', name: 'Evangeline', views: 5, rate: 0.3333, signedin: true },
      { mysfitid: 'id-c', name: 'CoCo', views: 3, rate: null, signedin: false },
      { mysfitid: 'id-p', name: null, views: 1, rate: 1, signedin: true },
    ]);
  });

  test('a query that fails in Athena is an error with its reason, and no results are read', async () => {
    // Arrange
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce(execution('RUNNING'))
      .resolves(
        execution('FAILED', {
          Status: { State: 'FAILED', StateChangeReason: "COLUMN_NOT_FOUND: line 5:3: Column 'mysfitid' cannot be resolved" },
        }),
      );
    // Act
    const run = runAthenaQuery(athena, TARGET, MOST_VIEWED, RANGE, fakeWait());
    // Assert
    await expect(run).rejects.toThrow(QueryFailed);
    await expect(runAthenaQuery(athena, TARGET, MOST_VIEWED, RANGE, fakeWait())).rejects.toThrow(
      /^The query most_viewed failed in Athena \(q-1\): COLUMN_NOT_FOUND: line 5:3: Column 'mysfitid' cannot be resolved$/,
    );
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
  });

  test('a query still running at the time limit is stopped and is an error', async () => {
    // Arrange
    athenaMock.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    athenaMock.on(StopQueryExecutionCommand).resolves({});
    const wait = fakeWait(10_000);
    // Act
    const run = runAthenaQuery(athena, TARGET, MOST_VIEWED, RANGE, wait);
    // Assert
    await expect(run).rejects.toThrow(/^The query most_viewed did not finish in 10 s, so it was stopped \(q-1\)\.$/);
    expect(athenaMock).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-1' });
    expect(wait.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(athenaMock).toHaveReceivedCommandTimes(GetQueryResultsCommand, 0);
  });
});

describe('the cost of a query', () => {
  test.each([
    { scanned: 0, usd: (10 / 1024 ** 2) * 5, why: 'the 10 MB minimum' },
    { scanned: 1, usd: (10 / 1024 ** 2) * 5, why: 'the 10 MB minimum' },
    { scanned: 10 * MB + 1, usd: (11 / 1024 ** 2) * 5, why: 'rounded up to the MB' },
    { scanned: 1024 ** 4, usd: 5, why: '5 USD a TB' },
  ])('$scanned bytes cost $usd USD ($why)', ({ scanned, usd }) => {
    expect(costOf(scanned)).toBeCloseTo(usd, 12);
  });
});

describe('every query', () => {
  test('runs each file and reports its rows, bytes scanned and cost, by name', async () => {
    // Arrange
    let next = 0;
    athenaMock.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++next}` }));
    athenaMock.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId }: { QueryExecutionId: string }) => ({
      QueryExecution: { QueryExecutionId, Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 20 * MB } },
    }));
    athenaMock.on(GetQueryResultsCommand).callsFake(({ QueryExecutionId }: { QueryExecutionId: string }) => ({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'id', Type: 'varchar' }] },
        Rows: [{ Data: [cell('id')] }, { Data: [cell(QueryExecutionId)] }],
      },
    }));
    // Act
    const { report, scans } = await runAthena(athena, TARGET, QUERIES, RANGE, fakeWait());
    // Assert
    expect(Object.keys(report)).toEqual(QUERIES.map((q) => q.name));
    expect(new Set(Object.values(report).map((rows) => rows[0]?.id)).size).toBe(QUERIES.length);
    expect(scans).toEqual(QUERIES.map((q) => ({ name: q.name, bytesScanned: 20 * MB, costUsd: (20 / 1024 ** 2) * 5 })));
    expect(
      athenaMock
        .commandCalls(StartQueryExecutionCommand)
        .map((call) => call.args[0].input.QueryString)
        .sort(),
    ).toEqual(QUERIES.map((q) => q.sql).sort());
  });

  test('one failed query fails the report', async () => {
    // Arrange
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves(execution('CANCELLED', { Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled by user' } }));
    // Act / Assert
    await expect(runAthena(athena, TARGET, QUERIES, RANGE, fakeWait())).rejects.toThrow(
      /was cancelled in Athena \(q-1\): Query cancelled by user/,
    );
  });
});

describe('the stage', () => {
  test("is found by its stack's outputs: the clicks database and workgroup", async () => {
    // Arrange
    cloudFormationMock
      .on(DescribeStacksCommand, { StackName: 'mysfits-prod' })
      .resolves(clicksStack([{ OutputKey: 'ClicksBucketName', OutputValue: 'mysfits-prod-clicksbucket-abc' }]));
    // Act
    const target = await findStage(new CloudFormationClient({ region: 'us-east-1' }), 'prod', 'us-east-1');
    // Assert
    expect(target).toEqual(TARGET);
  });

  test('an unknown stage is named in one sentence', async () => {
    // Arrange
    const missing = Object.assign(new Error('Stack with id mysfits-nope does not exist'), { name: 'ValidationError' });
    cloudFormationMock.on(DescribeStacksCommand).rejects(missing);
    // Act
    const find = findStage(new CloudFormationClient({ region: 'eu-west-1' }), 'nope', 'eu-west-1');
    // Assert
    await expect(find).rejects.toThrow(UnknownStage);
    await expect(findStage(new CloudFormationClient({ region: 'eu-west-1' }), 'nope', 'eu-west-1')).rejects.toThrow(
      'There is no stage nope in eu-west-1 (no stack mysfits-nope): deploy it first or check --stage and --region.',
    );
  });

  test('a stack without the clicks outputs is not a stage the report can use', async () => {
    // Arrange
    cloudFormationMock
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackName: 'mysfits-old', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(), Outputs: [] }] });
    // Act / Assert
    await expect(findStage(new CloudFormationClient({ region: 'us-east-1' }), 'old', 'us-east-1')).rejects.toThrow(UnknownStage);
  });

  test('other errors (no credentials, say) pass through as they are', async () => {
    // Arrange
    cloudFormationMock
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    // Act / Assert
    await expect(findStage(new CloudFormationClient({ region: 'us-east-1' }), 'prod', 'us-east-1')).rejects.toThrow(
      /^Could not load credentials from any providers$/,
    );
  });
});
