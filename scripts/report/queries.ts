/**
 * The clickstream's questions: one SQL file a question in queries/, in the SQL both Athena (Trino) and DuckDB run
 * (docs/CLICKS-SQL.md). Each filters on the partitions with two parameters, the first and the last day asked for.
 * The report runs them locally and in Athena; ./infra/clickstream.js makes each an Athena named query.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../dev/paths';

export const QUERIES_DIR = join(PROJECT_ROOT, 'queries');

export interface ClickQuery {
  /** The file's name without its order (NN-) and .sql: the key of the report's JSON and the named query's name. */
  name: string;
  /** The first comment line up to its colon: the question, as a heading ("Most viewed mysfits"). */
  title: string;
  /** The comment lines at the top: the question and its parameters. */
  description: string;
  /** The file as written. */
  sql: string;
}

/** The partition filter every query has (once): the days from the first `?` to the second, both included. */
export const PARTITION_FILTER = "year || '-' || month || '-' || day BETWEEN ? AND ?";

/** Every query of the folder, in the order of the files; a file that breaks the rules above is an error, not a query left out. */
export function loadQueries(dir = QUERIES_DIR): ClickQuery[] {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
  return files.map((file) => {
    const sql = readFileSync(join(dir, file), 'utf8');
    const name = /^\d\d-([a-z][a-z0-9_]*)\.sql$/.exec(file)?.[1];
    if (!name)
      throw new Error(`queries/${file}: a query's file is named NN-name.sql (its place in the report, then lower case, digits and _)`);
    const lines = sql.split('\n');
    const code = lines.findIndex((line) => !line.startsWith('--'));
    const comments = lines.slice(0, code === -1 ? lines.length : code);
    const parametersAt = comments.findIndex((line) => line.startsWith('-- Parameters:'));
    const title = /^-- ([^:]+):/.exec(comments[0] ?? '')?.[1];
    if (parametersAt < 1 || !title)
      throw new Error(`queries/${file}: starts with "-- <question>: <what it answers>", then a "-- Parameters:" line`);
    if (sql.split(PARTITION_FILTER).length !== 2 || (sql.match(/\?/g) ?? []).length !== 2) {
      throw new Error(`queries/${file}: filters on the partitions exactly once, with ${PARTITION_FILTER}, and has no other ?`);
    }
    if (/;\s*$/.test(sql)) throw new Error(`queries/${file}: ends without a semicolon (Athena runs one statement)`);
    const text = (lines: string[]) => lines.map((line) => line.replace(/^--\s?/, '')).join(' ');
    return { name, title, description: text(comments), sql };
  });
}

/** The first and last day (YYYY-MM-DD, UTC) a report covers, both included. */
export interface DayRange {
  from: string;
  to: string;
}

/** A row of a result: what both engines give back, as JSON has it. */
export type Row = Record<string, string | number | boolean | null>;

export type Report = Record<string, Row[]>;
