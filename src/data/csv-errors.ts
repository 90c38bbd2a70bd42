/**
 * Turning the errors of the file system and of csv-parse into DataErrors that name the file, the line and the
 * column, never a stack trace or a parser message without the file name.
 */
import { DataError } from '../errors.js';

interface FsError {
  code: string;
  syscall?: string;
}

const FS_MESSAGES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a data file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the file name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error while reading',
};

export function isFsError(err: unknown): err is FsError {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) && typeof (err as { syscall?: unknown }).syscall === 'string';
}

export function fsErrorToDataError(err: unknown, file: string): DataError {
  if (err instanceof DataError) return err;
  if (isFsError(err)) return new DataError(FS_MESSAGES[err.code] ?? `cannot read the file (${err.code})`, { file });
  return new DataError(`cannot read the file: ${err instanceof Error ? err.message : String(err)}`, { file });
}

const CSV_MESSAGES: Record<string, string> = {
  CSV_MAX_RECORD_SIZE: 'line is too long (over 4 MiB): not a CSV file with line breaks, or an unclosed quote',
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (the file ends inside quotes)',
  CSV_INVALID_CLOSING_QUOTE: 'unexpected character after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'unexpected character after a closing quote',
};

/** csv-parse errors carry `code`, `lines` (1-based) and `column` (0-based field index without a header map). */
export function csvErrorToDataError(err: unknown, file: string, header: readonly string[] | null): DataError {
  const e = (err ?? {}) as { code?: unknown; lines?: unknown; column?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const line = typeof e.lines === 'number' && e.lines >= 1 ? e.lines : undefined;
  const index = typeof e.column === 'number' && e.column >= 0 ? e.column : undefined;
  let message = (code && CSV_MESSAGES[code]) ?? `malformed CSV${code ? ` (${code})` : ''}`;
  if (index !== undefined && header && index < header.length) message = `column "${header[index]}": ${message}`;
  const column = line !== undefined && index !== undefined && code !== 'CSV_MAX_RECORD_SIZE' ? index + 1 : undefined;
  return new DataError(message, { file, line, column });
}
