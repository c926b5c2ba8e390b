/** npm run report: its options (which days, which clicks, which output), the table it prints, and the command itself. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { clicksStack } from '../support/clicksStack';
import { PROJECT_ROOT } from '../../dev/paths';
import { runReport } from '../../scripts/report';
import { formatReport, formatRows } from '../../scripts/report/format';
import { parseReportOptions, UsageError } from '../../scripts/report/options';
import { loadQueries } from '../../scripts/report/queries';

const NOW = new Date('2026-12-03T07:30:00Z');

describe('the options', () => {
  test.each([
    { args: [], range: { from: '2026-11-27', to: '2026-12-03' }, what: 'the last 7 days, today included' },
    { args: ['--days', '1'], range: { from: '2026-12-03', to: '2026-12-03' }, what: 'today' },
    { args: ['--days', '30'], range: { from: '2026-11-04', to: '2026-12-03' }, what: 'the last 30 days' },
    { args: ['--since', '2026-02-27'], range: { from: '2026-02-27', to: '2026-12-03' }, what: 'a day to today' },
    { args: ['--since', '2026-12-03'], range: { from: '2026-12-03', to: '2026-12-03' }, what: 'today' },
  ])('$args: $what', ({ args, range }) => {
    expect(parseReportOptions(args, NOW).range).toEqual(range);
  });

  test('the defaults: a table of the local clicks', () => {
    expect(parseReportOptions([], NOW)).toEqual({
      range: { from: '2026-11-27', to: '2026-12-03' },
      format: 'table',
      region: 'us-east-1',
      stage: undefined,
      dir: undefined,
    });
  });

  test('a stage, its region, json', () => {
    expect(parseReportOptions(['--stage', 'prod', '--region', 'eu-west-1', '--format', 'json'], NOW)).toMatchObject({
      stage: 'prod',
      region: 'eu-west-1',
      format: 'json',
    });
  });

  test.each([
    [['--days', '0'], '--days 0 is not a whole number of days from 1 to 3660.'],
    [['--days', '2.5'], '--days 2.5 is not a whole number of days from 1 to 3660.'],
    [['--days', 'seven'], '--days seven is not a whole number of days from 1 to 3660.'],
    [['--days=-3'], '--days -3 is not a whole number of days from 1 to 3660.'],
    [['--since', '2026-02-30'], '--since 2026-02-30 is not a date (YYYY-MM-DD).'],
    [['--since', '2026-2-3'], '--since 2026-2-3 is not a date (YYYY-MM-DD).'],
    [['--since', 'yesterday'], '--since yesterday is not a date (YYYY-MM-DD).'],
    [['--since', '2026-12-04'], '--since 2026-12-04 is after today (2026-12-03, UTC).'],
    [['--days', '3', '--since', '2026-12-01'], 'Give --days or --since, not both.'],
    [['--format', 'csv'], '--format csv is neither table nor json.'],
    [['--stage', 'prod', '--dir', '/tmp/x'], 'Give --stage (Athena) or --dir (a local folder), not both.'],
    [['--region', 'us-east-1'], '--region goes with --stage (the local report has no region).'],
    [['--stage', 'pr od'], '--stage pr od is not a stage name (letters, digits and -).'],
    [['--stage', 'prod', '--region', 'mars'], '--region mars is not an AWS region.'],
  ])('%j: %s', (args, message) => {
    expect(() => parseReportOptions(args, NOW)).toThrow(new UsageError(message));
  });

  test.each([[['--bucket', 'b']], [['--days']], [['--days', '-3']], [['extra']]])(
    '%j: an unknown option or a missing value names the options',
    (args) => {
      expect(() => parseReportOptions(args, NOW)).toThrow(
        /^[^\n]+; the options are --days N or --since YYYY-MM-DD, --format table\|json[^\n]+\.$/,
      );
    },
  );
});

describe('the table', () => {
  test('a header, then the rows aligned: text to the left, numbers to the right, null as -', () => {
    // Arrange
    const rows = [
      { name: 'Evangeline', views: 12, rate: 0.5 },
      { name: 'Pauly', views: 3, rate: null },
    ];
    // Act
    const text = formatRows(rows);
    // Assert
    expect(text).toBe(['  name        views  rate', '  Evangeline     12   0.5', '  Pauly           3     -'].join('\n'));
  });

  test('no rows: (none)', () => {
    expect(formatRows([])).toBe('  (none)');
  });

  test("the report: the days, each question's heading and table in the files' order, and what Athena scanned", () => {
    // Arrange
    const queries = loadQueries().slice(0, 2);
    const report = { most_viewed: [{ name: 'Evangeline', views: 5 }], most_liked: [] };
    const scans = [
      { name: 'most_viewed', bytesScanned: 3 * 1024 ** 2, costUsd: 0.0000476837 },
      { name: 'most_liked', bytesScanned: 512, costUsd: 0.0000476837 },
    ];
    // Act
    const text = formatReport(queries, report, { from: '2026-11-27', to: '2026-12-03' }, 'stage prod (Athena, us-east-1)', scans);
    // Assert
    expect(text).toBe(
      [
        'Mysfits clicks, 2026-11-27 to 2026-12-03 (UTC days), stage prod (Athena, us-east-1)\n',
        'Most viewed mysfits\n  name        views\n  Evangeline      5\n  (scanned 3.0 MB: 0.000048 USD)\n',
        'Most liked mysfits\n  (none)\n  (scanned 512 B: 0.000048 USD)\n',
        'Athena scanned 3.0 MB in all: 0.000095 USD\n',
      ].join('\n'),
    );
  });
});

describe('npm run report', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mysfits-report-cli-'));
    const today = new Date().toISOString().slice(0, 10);
    const [year, month, day] = today.split('-');
    const folder = join(dir, 'bucket', 'clicks', `year=${year}`, `month=${month}`, `day=${day}`);
    mkdirSync(folder, { recursive: true });
    const at = new Date().toISOString();
    const click = {
      eventTime: at,
      receivedAt: at,
      userId: 'ada',
      signedIn: true,
      action: 'view',
      mysfitId: 'id-e',
      name: 'Evangeline',
      goodevil: 'Evil',
      lawchaos: 'Lawful',
    };
    writeFileSync(join(folder, 'object'), `${JSON.stringify(click)}\n${JSON.stringify(click)}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = (...args: string[]) =>
    spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/report.ts', ...args], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: 60_000,
    });

  test('--format json: only {"<query>": [rows]} on stdout', () => {
    // Arrange / Act
    const { status, stdout, stderr } = report('--dir', join(dir, 'bucket'), '--format', 'json');
    // Assert
    expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
    const answers = JSON.parse(stdout) as Record<string, unknown[]>;
    expect(Object.keys(answers)).toEqual(loadQueries().map((q) => q.name));
    expect(answers.most_viewed).toEqual([{ mysfitid: 'id-e', name: 'Evangeline', views: 2 }]);
  }, 60_000);

  test('an empty folder: an empty report, not an error', () => {
    // Arrange / Act
    const { status, stdout } = report('--dir', join(dir, 'nothing-here'), '--days', '30');
    // Assert
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Mysfits clicks, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC days\), .*nothing-here \(DuckDB\)\n/);
    expect(stdout).toContain('Most viewed mysfits\n  (none)\n');
  }, 60_000);

  test.each([
    [['--since', '2026-02-30'], '--since 2026-02-30 is not a date (YYYY-MM-DD).\n'],
    [['--stage', 'prod', '--region', 'moon-1'], '--region moon-1 is not an AWS region.\n'],
  ])(
    '%j: one sentence on stderr, nothing on stdout, exit 2',
    (args, message) => {
      // Arrange / Act
      const { status, stdout, stderr } = report(...args);
      // Assert
      expect({ status, stdout, stderr }).toEqual({ status: 2, stdout: '', stderr: message });
    },
    60_000,
  );
});

describe('npm run report -- --stage <stage> (Athena mocked)', () => {
  const athenaMock = mockClient(AthenaClient);
  const cloudFormationMock = mockClient(CloudFormationClient);
  const MB = 1024 ** 2;

  beforeEach(() => {
    athenaMock.reset();
    cloudFormationMock.reset();
    cloudFormationMock.on(DescribeStacksCommand, { StackName: 'mysfits-prod' }).resolves(clicksStack());
    let next = 0;
    athenaMock.on(StartQueryExecutionCommand).callsFake(() => ({ QueryExecutionId: `q-${++next}` }));
    athenaMock.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'views', Type: 'bigint' }] },
        Rows: [{ Data: [{ VarCharValue: 'views' }] }, { Data: [{ VarCharValue: '7' }] }],
      },
    });
  });

  /** Runs the command with the mocks; what it printed and its exit code. */
  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runReport(args, {
      stdout: (text) => out.push(text),
      stderr: (text) => err.push(text),
      athena: new AthenaClient({ region: 'us-east-1' }),
      cloudFormation: new CloudFormationClient({ region: 'us-east-1' }),
      now: NOW,
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  test("prints every question and, per query, the bytes scanned and their cost; the days are the stage's query parameters", async () => {
    // Arrange
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 2 * MB } } });
    // Act
    const { code, stdout, stderr } = await run('--stage', 'prod', '--days', '3');
    // Assert
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Mysfits clicks, 2026-12-01 to 2026-12-03 \(UTC days\), stage prod \(Athena, us-east-1\)\n/);
    expect(stdout).toContain('Most viewed mysfits\n  views\n      7\n  (scanned 2.0 MB: 0.000048 USD)\n');
    expect(stdout).toContain(`Athena scanned ${(2 * loadQueries().length).toFixed(1)} MB in all: `);
    expect(athenaMock.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input.ExecutionParameters)).toEqual(
      loadQueries().map(() => ["'2026-12-01'", "'2026-12-03'"]),
    );
  });

  test('--format json: the answers alone on stdout, what each query scanned on stderr', async () => {
    // Arrange
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' }, Statistics: { DataScannedInBytes: 0 } } });
    // Act
    const { code, stdout, stderr } = await run('--stage', 'prod', '--format', 'json');
    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(Object.fromEntries(loadQueries().map((q) => [q.name, [{ views: 7 }]])));
    expect(stderr.trim().split('\n')).toEqual(loadQueries().map((q) => `${q.name}: scanned 0 B, 0.000048 USD`));
  });

  test('a query that fails in Athena: its reason on stderr, nothing on stdout, exit 1', async () => {
    // Arrange
    athenaMock.on(GetQueryExecutionCommand).resolves({
      QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'HIVE_BAD_DATA: Error parsing field value' } },
    });
    // Act
    const { code, stdout, stderr } = await run('--stage', 'prod');
    // Assert
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^The query most_viewed failed in Athena \(q-1\): HIVE_BAD_DATA: Error parsing field value\n$/);
  });

  test('an unknown stage: one sentence, exit 2, no query started', async () => {
    // Arrange: CloudFormation's answer for a stack that is not there.
    cloudFormationMock
      .on(DescribeStacksCommand, { StackName: 'mysfits-nope' })
      .rejects(Object.assign(new Error('Stack with id mysfits-nope does not exist'), { name: 'ValidationError' }));
    // Act
    const { code, stdout, stderr } = await run('--stage', 'nope');
    // Assert
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe('There is no stage nope in us-east-1 (no stack mysfits-nope): deploy it first or check --stage and --region.\n');
    expect(athenaMock.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);
  });
});
