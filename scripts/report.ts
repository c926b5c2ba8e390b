/**
 * `npm run report`: what people do on the site, as the SQL files in queries/ answer it, for the last days.
 *
 *   npm run report [-- --days N | --since YYYY-MM-DD] [--format table|json]    this machine: DuckDB over .local/clicks-bucket/
 *   npm run report -- --dir <folder>                                           another folder laid out like the bucket
 *   npm run report -- --stage <stage> [--region us-east-1]                      a deployed stage: Athena, with what each query costs
 *
 * A bad option, a bad date or an unknown stage: one sentence, exit 2. A query that fails: its reason, exit 1.
 */
import { join } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { localDataDir } from '../dev/paths';
import { findStage, QueryFailed, runAthena, UnknownStage } from './report/athena';
import { formatReport, formatBytes, formatUsd } from './report/format';
import { runLocal } from './report/local';
import { parseReportOptions, UsageError } from './report/options';
import { loadQueries } from './report/queries';

export interface ReportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The AWS clients for a stage (made for its region unless given: tests give mocks). */
  athena?: AthenaClient;
  cloudFormation?: CloudFormationClient;
  /** The end of the range (tests fix it). */
  now?: Date;
}

/** The whole command: prints the report and answers its exit code (0, 1 when a query fails, 2 for bad input). */
export async function runReport(args: string[], io: ReportIo): Promise<number> {
  try {
    await report(args, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownStage) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    io.stderr(`${error instanceof QueryFailed ? error.message : `The report failed: ${(error as Error).message}`}\n`);
    return 1;
  }
}

async function report(args: string[], io: ReportIo): Promise<void> {
  const options = parseReportOptions(args, io.now);
  const queries = loadQueries();
  if (options.stage) {
    const cloudFormation = io.cloudFormation ?? new CloudFormationClient({ region: options.region });
    const target = await findStage(cloudFormation, options.stage, options.region);
    const athena = io.athena ?? new AthenaClient({ region: options.region });
    const { report: answers, scans } = await runAthena(athena, target, queries, options.range);
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify(answers)}\n`);
      for (const scan of scans) io.stderr(`${scan.name}: scanned ${formatBytes(scan.bytesScanned)}, ${formatUsd(scan.costUsd)}\n`);
    } else {
      io.stdout(formatReport(queries, answers, options.range, `stage ${options.stage} (Athena, ${options.region})`, scans));
    }
    return;
  }
  const dir = options.dir ?? join(localDataDir(), 'clicks-bucket');
  const answers = await runLocal(dir, queries, options.range);
  io.stdout(options.format === 'json' ? `${JSON.stringify(answers)}\n` : formatReport(queries, answers, options.range, `${dir} (DuckDB)`));
}

if (require.main === module) {
  void runReport(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}
