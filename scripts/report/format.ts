/** The report as people read it: per question its title and a table (or "(none)"), and for Athena what it scanned. */
import type { ClickQuery, DayRange, Report, Row } from './queries';

const cell = (value: Row[string]) => (value === null ? '-' : String(value));

/** Rows as an aligned table: a header, then the rows; numbers to the right. */
export function formatRows(rows: Row[]): string {
  const first = rows[0];
  if (!first) return '  (none)';
  const columns = Object.keys(first);
  const numeric = columns.map((column) => rows.every((row) => row[column] === null || typeof row[column] === 'number'));
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column] ?? null).length)));
  const line = (cells: string[]) =>
    `  ${cells.map((text, i) => (numeric[i] ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(columns), ...rows.map((row) => line(columns.map((column) => cell(row[column] ?? null))))].join('\n');
}

export const formatBytes = (bytes: number): string =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;

export const formatUsd = (usd: number): string => `${usd.toFixed(6)} USD`;

export function formatReport(
  queries: ClickQuery[],
  report: Report,
  range: DayRange,
  source: string,
  scans?: Array<{ name: string; bytesScanned: number; costUsd: number }>,
): string {
  const scanOf = new Map(scans?.map((scan) => [scan.name, scan]));
  const sections = queries.map((query) => {
    const scan = scanOf.get(query.name);
    const scanned = scan ? `\n  (scanned ${formatBytes(scan.bytesScanned)}: ${formatUsd(scan.costUsd)})` : '';
    return `${query.title}\n${formatRows(report[query.name] ?? [])}${scanned}\n`;
  });
  const total = scans
    ? [
        `Athena scanned ${formatBytes(scans.reduce((sum, s) => sum + s.bytesScanned, 0))} in all: ${formatUsd(scans.reduce((sum, s) => sum + s.costUsd, 0))}\n`,
      ]
    : [];
  return [`Mysfits clicks, ${range.from} to ${range.to} (UTC days), ${source}\n`, ...sections, ...total].join('\n');
}
