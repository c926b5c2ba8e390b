/** The report's command line: which days, which clicks (this machine's or a stage's), which output. */
import { parseArgs } from 'node:util';
import type { DayRange } from './queries';

export const DEFAULT_DAYS = 7;
const MAX_DAYS = 3660;

/** A command line the report cannot run: one sentence for the user, exit 2. */
export class UsageError extends Error {}

export interface ReportOptions {
  range: DayRange;
  format: 'table' | 'json';
  /** A deployed stage (Athena), else the local folder `dir`. */
  stage?: string;
  region: string;
  /** The folder laid out like the bucket; undefined for the local system's (.local/clicks-bucket/). */
  dir?: string;
}

const DAY = 86_400_000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function parseDay(text: string): Date {
  const date = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(date.getTime()) || isoDay(date) !== text) {
    throw new UsageError(`--since ${text} is not a date (YYYY-MM-DD).`);
  }
  return date;
}

export function parseReportOptions(args: string[], now: Date = new Date()): ReportOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        days: { type: 'string' },
        since: { type: 'string' },
        format: { type: 'string', default: 'table' },
        stage: { type: 'string' },
        region: { type: 'string' },
        dir: { type: 'string' },
      },
    }));
  } catch (error) {
    // node:util's message, its first line only (one sentence): unknown option, missing value.
    const reason = ((error as Error).message.split('\n')[0] ?? '').replace(/\.?\s*$/, '');
    throw new UsageError(
      `${reason}; the options are --days N or --since YYYY-MM-DD, --format table|json, --stage <stage> [--region <region>], --dir <folder>.`,
    );
  }
  if (values.format !== 'table' && values.format !== 'json') throw new UsageError(`--format ${values.format} is neither table nor json.`);
  if (values.days !== undefined && values.since !== undefined) throw new UsageError('Give --days or --since, not both.');
  if (values.stage !== undefined && values.dir !== undefined)
    throw new UsageError('Give --stage (Athena) or --dir (a local folder), not both.');
  if (values.region !== undefined && values.stage === undefined)
    throw new UsageError('--region goes with --stage (the local report has no region).');
  if (values.stage !== undefined && !/^[a-zA-Z0-9-]{1,64}$/.test(values.stage)) {
    throw new UsageError(`--stage ${values.stage} is not a stage name (letters, digits and -).`);
  }
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region))
    throw new UsageError(`--region ${values.region} is not an AWS region.`);

  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  let from: Date;
  if (values.since !== undefined) {
    from = parseDay(values.since);
    if (from > today) throw new UsageError(`--since ${values.since} is after today (${isoDay(today)}, UTC).`);
  } else {
    const days = values.days === undefined ? DEFAULT_DAYS : Number(values.days);
    if (!/^\d+$/.test(values.days ?? '1') || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      throw new UsageError(`--days ${values.days} is not a whole number of days from 1 to ${MAX_DAYS}.`);
    }
    from = new Date(today.getTime() - (days - 1) * DAY);
  }
  return {
    range: { from: isoDay(from), to: isoDay(today) },
    format: values.format,
    stage: values.stage,
    region: values.region ?? 'us-east-1',
    dir: values.dir,
  };
}
