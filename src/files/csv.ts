import { parse } from 'csv-parse/sync';
import { t } from '../i18n/index.js';

/**
 * The CSV files the CLI reads (roster, dropout list), parsed the same way:
 * - CRLF, LF and a lone CR (old Mac Excel) all end a record, so one file
 *   saved three ways gives the same rows, even when it mixes them;
 * - each record knows the line it starts on (the header is line 1), blank
 *   lines (skipped) and line breaks inside quoted cells counted;
 * - no record (line) is longer than MAX_RECORD characters: a longer one
 *   refuses the file at once, naming its line and column, before anything
 *   could quote it (each column's own limit is checked by the file's reader);
 * - a malformed file is answered by line and column in our words, never with
 *   csv-parse's message, which quotes the raw cell (a student's name).
 */

/** Longer than any row of ours needs (a 督学's `covers` list of 300 schools is about 1 800). */
export const MAX_RECORD = 8000;

export interface CsvRecord {
  /** The line the record starts on (the header is line 1). */
  line: number;
  cells: string[];
}

export type CsvRead = { ok: true; records: CsvRecord[] } | { ok: false; error: string };

interface CsvParseError {
  code?: string;
  lines?: number;
  column?: number;
  records?: number;
}

/**
 * Every line is a record here (blank ones too, dropped below), so that each
 * record's line is counted from the records before it: csv-parse's own `info`
 * would do it but makes a file of 400 000 rows several times slower.
 */
const OPTIONS = { relax_column_count: true, skip_empty_lines: false, trim: true, record_delimiter: '\n', max_record_size: MAX_RECORD } as const;

/**
 * `columnName(i)` names the column at index i in an error, when the caller
 * knows it (a column of the file's contract, never a cell of the file).
 */
export function readCsv(text: string, columnName: (index: number) => string | undefined = () => undefined): CsvRead {
  // A BOM is dropped when the file is decoded; text handed in directly may still start with one.
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let parsed: string[][];
  try {
    parsed = parse(normalized, OPTIONS) as string[][];
  } catch (err) {
    return { ok: false, error: csvError(err as CsvParseError, normalized, columnName) };
  }
  const records: CsvRecord[] = [];
  let line = 1;
  for (const cells of parsed) {
    if (cells.length > 1 || cells[0] !== '') records.push({ line, cells });
    line = nextLine(line, cells);
  }
  return { ok: true, records };
}

/** The line after a record: its own, and one more for each line break inside its quoted cells. */
function nextLine(line: number, cells: readonly string[]): number {
  let next = line + 1;
  for (const c of cells) if (c.includes('\n')) next += c.split('\n').length - 1;
  return next;
}

function csvError(err: CsvParseError, text: string, columnName: (index: number) => string | undefined): string {
  const column = typeof err.column === 'number' ? `${err.column + 1}${columnName(err.column) ? `(${columnName(err.column)})` : ''}` : null;
  // A quote left open runs to the end of the file: its record starts after the last complete one.
  const line = err.code === 'CSV_QUOTE_NOT_CLOSED' && err.records !== undefined ? lineAfter(text, err.records) : (err.lines ?? 1);
  if (column && err.code === 'CSV_MAX_RECORD_SIZE') return t.files.lineTooLong(line, column, MAX_RECORD);
  if (column && err.code === 'CSV_QUOTE_NOT_CLOSED') return t.files.openQuote(line, column);
  if (column && (err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'INVALID_OPENING_QUOTE')) return t.files.badQuote(line, column);
  return t.files.badCsv(line);
}

/** The line the record after the first `records` ones starts on. */
function lineAfter(text: string, records: number): number {
  let line = 1;
  for (const cells of parse(text, { ...OPTIONS, to: records }) as string[][]) line = nextLine(line, cells);
  return line;
}
