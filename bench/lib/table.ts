/** The tables the benchmarks print: Markdown pipe tables, aligned, so they read in a terminal and paste into README.md. */

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table (how to read it, what it leaves out). */
  notes?: string[];
}

/** Columns whose first data cell starts with a digit are right-aligned. */
export function renderTable(table: Table): string {
  const widths = table.columns.map((column, i) => Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)));
  const numeric = table.columns.map((_, i) => /^[\d-]/.test(table.rows[0]?.[i] ?? ''));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (numeric[i] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [
    `### ${table.title}`,
    '',
    line(table.columns),
    rule,
    ...table.rows.map(line),
    ...(table.notes?.length ? ['', ...table.notes] : []),
  ].join('\n');
}
