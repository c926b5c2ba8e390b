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

async function main(args: string[]): Promise<void> {
  const options = parseReportOptions(args);
  const queries = loadQueries();
  if (options.stage) {
    const target = await findStage(new CloudFormationClient({ region: options.region }), options.stage, options.region);
    const { report, scans } = await runAthena(new AthenaClient({ region: options.region }), target, queries, options.range);
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      for (const scan of scans)
        process.stderr.write(`${scan.name}: scanned ${formatBytes(scan.bytesScanned)}, ${formatUsd(scan.costUsd)}\n`);
    } else {
      process.stdout.write(formatReport(queries, report, options.range, `stage ${options.stage} (Athena, ${options.region})`, scans));
    }
    return;
  }
  const dir = options.dir ?? join(localDataDir(), 'clicks-bucket');
  const report = await runLocal(dir, queries, options.range);
  process.stdout.write(
    options.format === 'json' ? `${JSON.stringify(report)}\n` : formatReport(queries, report, options.range, `${dir} (DuckDB)`),
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    if (error instanceof UsageError || error instanceof UnknownStage) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(error instanceof QueryFailed ? error.message : `The report failed: ${error.message}`);
    process.exit(1);
  });
}
