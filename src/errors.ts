/**
 * Typed errors. Every user-facing failure is a SweepError with a stable `code` and the process exit code
 * it maps to; only the CLI entry point turns them into a message and an exit status (scikit-learn names the
 * parameter, the rule and the value; we add the file:line:column where there is one).
 */

export const EXIT_OK = 0;
export const EXIT_TRIAL_FAILED = 1;
export const EXIT_USAGE = 2;

export class SweepError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /** An optional second line telling the user what to do about it. */
  readonly hint?: string;

  constructor(message: string, options: { code: string; exitCode: number; hint?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
  }
}

/** A bad flag, flag value, grid file or parameter value. Exit 2. */
export class UsageError extends SweepError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'E_USAGE', exitCode: EXIT_USAGE, hint });
  }
}

/** Where in a file a problem is; 1-based line and column, as editors count. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export function formatLocation(loc: SourceLocation): string {
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  return s;
}

/** Bad input data (CSV, data spec). The message starts with file:line:column when known. Exit 2. */
export class DataError extends SweepError {
  readonly location?: SourceLocation;

  constructor(message: string, location?: SourceLocation, hint?: string) {
    super(location ? `${formatLocation(location)}: ${message}` : message, { code: 'E_DATA', exitCode: EXIT_USAGE, hint });
    this.location = location;
  }
}

/** A user UDF module that cannot be loaded or does not export a function. Exit 2, before any work starts. */
export class UdfLoadError extends SweepError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'E_UDF_LOAD', exitCode: EXIT_USAGE, hint });
  }
}

/** A model cannot be fitted on this data with these parameters (e.g. a singular design matrix). Fails one task. */
export class ModelError extends SweepError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'E_MODEL', exitCode: 1, hint });
  }
}

/** An error already in plain-data form (it crossed a thread or process boundary). */
function isErrorRecord(v: unknown): v is ErrorRecord {
  return !(v instanceof Error) && v !== null && typeof v === 'object' && typeof (v as ErrorRecord).name === 'string' && typeof (v as ErrorRecord).message === 'string';
}

/** Plain-data form of an error, as it crosses a thread or process boundary. */
export interface ErrorRecord {
  name: string;
  code?: string;
  message: string;
  /** First stack frame inside user code, when the error came from a user module. */
  frame?: string;
}

export function toErrorRecord(err: unknown): ErrorRecord {
  if (isErrorRecord(err)) {
    const rec: ErrorRecord = { name: err.name, message: err.message };
    if (typeof err.code === 'string') rec.code = err.code;
    if (typeof err.frame === 'string') rec.frame = err.frame;
    return rec;
  }
  if (err instanceof Error) {
    const rec: ErrorRecord = { name: err.name, message: err.message };
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string') rec.code = code;
    return rec;
  }
  return { name: 'Error', message: String(err) };
}

/**
 * Text from the user's files (a CSV header, a cell) is echoed in messages; control characters in it (ANSI escape
 * sequences, a carriage return, a bell) would act on the terminal. Each becomes a visible escape: \x1b, \r, …
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\r') return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
