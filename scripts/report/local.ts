/**
 * The report on this machine: DuckDB runs the query files over a folder laid out like the clicks bucket
 * (.local/clicks-bucket/ by default), through a `clicks` view with exactly the Glue table's columns and partitions.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import { clickColumns, PARTITION_KEYS } from '../../shared/storedClick';
import type { ClickQuery, DayRange, Report, Row } from './queries';

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * The view's SQL over `<bucket>/clicks/year=*\/month=*\/day=*\/*`: the JSON fields read as the schema types them,
 * named as the Glue columns, then the partitions (strings, as in Glue). A line that is not JSON is a row of nulls, as
 * the Glue table's SerDe reads it (ignore.malformed.json); errors/ and athena-results/ are outside the glob.
 */
export function clicksViewSql(bucket: string, hasFiles: boolean): string {
  const columns = clickColumns();
  if (!hasFiles) {
    const nulls = [
      ...columns.map((c) => `CAST(NULL AS ${c.duckdbType}) AS ${c.name}`),
      ...PARTITION_KEYS.map((key) => `CAST(NULL AS VARCHAR) AS ${key}`),
    ];
    return `CREATE OR REPLACE VIEW clicks AS SELECT ${nulls.join(', ')} WHERE false`;
  }
  const types = columns.map((c) => `${quote(c.field)}: ${quote(c.duckdbType)}`).join(', ');
  const hiveTypes = PARTITION_KEYS.map((key) => `${quote(key)}: 'VARCHAR'`).join(', ');
  const select = [...columns.map((c) => `${ident(c.field)} AS ${c.name}`), ...PARTITION_KEYS].join(', ');
  return (
    `CREATE OR REPLACE VIEW clicks AS SELECT ${select} FROM read_json(${quote(clicksGlob(bucket))}, ` +
    `format = 'newline_delimited', columns = {${types}}, hive_partitioning = true, hive_types = {${hiveTypes}}, ` +
    `ignore_errors = true)`
  );
}

const clicksGlob = (bucket: string) => join(bucket, 'clicks', 'year=*', 'month=*', 'day=*', '*');

/** DuckDB's values as JSON has them: its BIGINT and HUGEINT come back as bigint. */
function toRow(row: Record<string, unknown>): Row {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : (value as Row[string])]),
  );
}

export interface LocalClicks {
  run(query: ClickQuery, range: DayRange): Promise<Row[]>;
  close(): void;
}

/** An in-memory DuckDB with the `clicks` view over `bucket` (a folder with no clicks yet: an empty view). */
export async function openLocalClicks(bucket: string): Promise<LocalClicks> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection: DuckDBConnection = await instance.connect();
  try {
    const files = await connection.runAndReadAll(`SELECT count(*) AS n FROM glob(${quote(clicksGlob(bucket))})`);
    const hasFiles = Number(files.getRowObjectsJS()[0]?.n ?? 0) > 0;
    await connection.run(clicksViewSql(bucket, hasFiles));
  } catch (error) {
    connection.closeSync();
    instance.closeSync();
    throw error;
  }
  return {
    async run(query, range) {
      const result = await connection.runAndReadAll(query.sql, [range.from, range.to]);
      return result.getRowObjectsJS().map(toRow);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Every query over the folder, in order, as `{ name: rows }`. */
export async function runLocal(bucket: string, queries: ClickQuery[], range: DayRange): Promise<Report> {
  const clicks = await openLocalClicks(bucket);
  try {
    const report: Report = {};
    for (const query of queries) report[query.name] = await clicks.run(query, range);
    return report;
  } finally {
    clicks.close();
  }
}
