/**
 * Where parsed CSV records go: the first record is the header (checked, then mapped to the selected
 * columns); every later record has its selected cells parsed into column blocks, without allocating.
 * Unselected columns are never looked at. A feature column that holds text becomes a label column (its type
 * settled at the end: data/types.ts); a missing cell is NaN, an error or drops its row, as --missing says.
 */
import { DataError } from '../errors.js';
import { ColumnBlocks } from './columns.js';
import type { Dataset, FeatureInfo, GroupColumn } from './dataset.js';
import { cellKind, parseCell } from './number.js';
import type { LoadedData, LoadOptions } from './options.js';
import { checkHeader, listNames, selectColumns, type ColumnSelection } from './select.js';
import { settleLabels } from './types.js';
import { cellLabel, numberLabel, recodeSorted, TextLabels } from './task.js';

const MIN_ROWS = 2;

export class RecordSink {
  /** Header names once the first record is in. */
  header: string[] | null = null;
  /** Records seen, the header included (kept in step with csv-parse's own counter). */
  records = 0;
  failed = false;
  private selection: ColumnSelection | null = null;
  private blocks: ColumnBlocks | null = null;
  private dropped = 0;
  private firstDropLine: number | undefined;
  private readonly drop: boolean;
  private readonly strict: boolean;
  private readonly naWords: ReadonlySet<string>;
  /** Per feature: its labels once it is a label column (null while numeric), and the rows read before that. */
  private featureLabels: (TextLabels | null)[] = [];
  private featureNumericRows: number[] = [];
  /** Per feature: 1 forced categorical, 2 forced numeric, 0 inferred. */
  private forced: Uint8Array = new Uint8Array(0);
  /**
   * A target holding text: every target cell is then a label (a number cell by its shortest form, so "1" and
   * "1.0" are one class), coded in order of first appearance; rows read before the first text cell are recoded
   * from their numbers at the end.
   */
  private labels: TextLabels | null = null;
  private numericRows = 0;
  /** Rows dropped for a missing target (always), and the first one's line. */
  private targetDropped = 0;
  private firstTargetDropLine: number | undefined;

  /** `expectedRows`: the data rows the input should hold (the CSV fast path counts a file's lines): see ColumnBlocks. */
  constructor(
    private readonly file: string,
    private readonly name: string,
    private readonly options: LoadOptions,
    private readonly expectedRows?: number,
  ) {
    this.drop = options.missing === 'drop';
    this.strict = options.missing === 'error';
    this.naWords = naWordsOf(options);
  }

  /** A cell that holds no value: empty or blank, a word that means none, or a --na-values word. */
  isMissing(s: string): boolean {
    return isMissingText(s, this.naWords);
  }

  /** Whether a missing feature cell may be kept as NaN (the fast path gives up otherwise: drop and error are ours). */
  get keepsMissing(): boolean {
    return !this.drop && !this.strict;
  }

  /** Whether feature k is (now) a label column: its every cell, numbers too, is a label. */
  isLabelFeature(k: number): boolean {
    return this.featureLabels[k] !== null;
  }

  /** Feature k must hold numbers (--numeric). */
  isNumericFeature(k: number): boolean {
    return this.forced[k] === 2;
  }

  /** The code of a label of feature k, which becomes a label column if it is not one yet (the pending row is this one). */
  featureLabel(k: number, text: string): number {
    let labels = this.featureLabels[k];
    if (labels === null) {
      labels = new TextLabels();
      this.featureLabels[k] = labels;
      this.featureNumericRows[k] = this.blocks!.rows;
    }
    return labels.code(text);
  }

  /** True once a target cell held text: every later target cell is a label (see `labels`). */
  get hasTextTarget(): boolean {
    return this.labels !== null;
  }

  /** The code of a target label (the fast path's text target; the row is the one being written). */
  targetLabel(text: string): number {
    if (this.labels === null) {
      this.labels = new TextLabels();
      this.numericRows = this.blocks!.rows;
    }
    return this.labels.code(text);
  }

  /** The code of a group column's label (--fold-col, --group-col): every cell of it is a label. */
  groupLabel(text: string): number {
    return this.groups.code(text);
  }

  private readonly groups = new TextLabels();

  /** The selection and the column blocks once the header is in: the CSV fast path writes rows into them directly. */
  get columns(): { source: Int32Array; blocks: ColumnBlocks; targetK: number; groupK: number } | null {
    if (!this.selection || !this.blocks) return null;
    const f = this.selection.featureNames.length;
    return { source: this.selection.source, blocks: this.blocks, targetK: this.selection.source[f] >= 0 ? f : -1, groupK: this.selection.groupName !== undefined ? f + 1 : -1 };
  }

  push(record: string[], line: number | undefined): void {
    this.records++;
    if (this.header === null) {
      this.header = checkHeader(record, this.file, line);
      this.selection = selectColumns(this.header, this.options, this.file, line);
      this.blocks = new ColumnBlocks(this.selection.source.length, this.expectedRows);
      const features = this.selection.featureNames;
      this.forced = forcedTypes(features, this.options, this.file, line);
      this.featureLabels = features.map((_, k) => (this.forced[k] === 1 ? new TextLabels() : null));
      this.featureNumericRows = features.map(() => 0);
      return;
    }
    const expected = this.header.length;
    if (record.length !== expected) this.ragged(record, line);
    const source = this.selection!.source;
    const blocks = this.blocks!;
    let empty = false;
    const f = this.selection!.featureNames.length;
    const targetAt = source[f] >= 0 ? f : -1;
    const groupAt = this.selection!.groupName !== undefined ? f + 1 : -1;
    // A missing target (empty, NA, NaN, null, …) always drops its row, counted apart: there is nothing to learn
    // from it, whatever --missing says of features (its empty feature cells are then no error either).
    const targetMissing = targetAt >= 0 && this.isMissing(record[source[targetAt]]);
    for (let k = 0; k < source.length; k++) {
      if (k === targetAt && targetMissing) continue;
      if (source[k] < 0) {
        blocks.set(k, 0); // no target read (prediction input): zeros
        continue;
      }
      const s = record[source[k]];
      if (k === groupAt) {
        if (!this.isMissing(s)) {
          const v = parseCell(s);
          blocks.set(k, this.groupLabel(cellLabel(s, v)));
        } else if (this.drop || targetMissing) empty = true;
        else throw new DataError(`column "${this.selection!.groupName}": missing value (every row needs its fold or group)`, { file: this.file, line, column: source[k] + 1 }, 'use --missing drop to drop rows with missing values');
        continue;
      }
      const v = parseCell(s);
      // A text target (a missing one was skipped above): every target cell from here on is a label.
      if (k === targetAt) {
        if (this.labels !== null || (v !== v && cellKind(s) === 'invalid')) blocks.set(k, this.targetLabel(cellLabel(s, v)));
        else if (v === v) blocks.set(k, v);
        else throw this.cellError(s, source[k], line);
        continue;
      }
      // A feature: a missing cell first (NaN, an error, or its row dropped), then a label or a number.
      if (v !== v && this.isMissing(s)) {
        if (this.drop || targetMissing) empty = true; // keep checking: a bad cell is an error even in a dropped row
        else if (this.strict) throw this.cellError(s, source[k], line);
        else blocks.set(k, NaN);
        continue;
      }
      if (this.featureLabels[k] !== null) {
        blocks.set(k, this.featureLabel(k, cellLabel(s, v)));
        continue;
      }
      if (v === v) {
        blocks.set(k, v);
        continue;
      }
      if (this.forced[k] === 2) throw this.cellError(s, source[k], line);
      blocks.set(k, this.featureLabel(k, s.trim()));
    }
    if (targetMissing) {
      if (this.targetDropped++ === 0) this.firstTargetDropLine = line;
    } else if (!empty) {
      blocks.commit();
    } else {
      if (this.dropped++ === 0) this.firstDropLine = line;
    }
  }

  finish(): LoadedData {
    const where = { file: this.file };
    if (this.header === null) throw new DataError('the file is empty (a header line and data rows are needed)', where);
    const blocks = this.blocks!;
    const rows = blocks.rows;
    const gone = this.dropped + this.targetDropped;
    if (rows === 0 && gone === 0) throw new DataError('the file has a header line but no data rows', where);
    if (rows === 0) throw new DataError(`no rows left: all ${gone} data rows have ${this.targetDropped === gone ? 'a missing target' : this.dropped === gone ? 'empty cells' : 'empty cells or a missing target'}`, where);
    if (rows < MIN_ROWS) {
      const after = gone > 0 ? ` after dropping ${gone} with empty cells or a missing target` : '';
      throw new DataError(`needs at least ${MIN_ROWS} data rows, has ${rows}${after}`, where);
    }
    const sel = this.selection!;
    const groupCodes = sel.groupName !== undefined ? blocks.column(sel.featureNames.length + 1) : undefined;
    let data = blocks.toDataset(this.name, sel.featureNames, sel.targetName);
    if (groupCodes) data = { ...data, groups: groupColumn(sel.groupName!, groupCodes, this.groups.names) };
    if (this.featureLabels.some((l) => l !== null)) data = { ...data, featureInfo: this.settleFeatures(data) };
    if (this.labels !== null) return { data: this.withClasses(data), droppedRows: gone, warnings: this.dropWarnings(rows) };
    if (sel.targetName !== '') checkTargetVaries(data, this.file);
    return { data, droppedRows: gone, warnings: this.dropWarnings(rows) };
  }

  /** Each label feature's rows read before its first text cell coded too, then its type settled (data/types.ts). */
  private settleFeatures(data: Dataset): FeatureInfo[] {
    return data.featureNames.map((name, k): FeatureInfo => {
      const labels = this.featureLabels[k];
      if (labels === null) return { kind: 'numeric' };
      const codes = data.x.subarray(k * data.rows, (k + 1) * data.rows);
      for (let i = 0; i < this.featureNumericRows[k]; i++) if (codes[i] === codes[i]) codes[i] = labels.code(numberLabel(codes[i]));
      return settleLabels(codes, labels, this.forced[k] === 1, name, this.file, this.typeNotes);
    });
  }

  /** The text target's classes: the numeric rows read before the first text cell coded too, then all sorted. */
  private withClasses(data: Dataset): Dataset {
    const labels = this.labels!;
    for (let i = 0; i < this.numericRows; i++) data.y[i] = labels.code(numberLabel(data.y[i]));
    const classes = recodeSorted(data.y, labels.names);
    return { ...data, classes };
  }

  /** Lines about inferred types the user may want to change (types.ts mostlyNumbers). */
  private readonly typeNotes: string[] = [];

  private dropWarnings(rows: number): string[] {
    const warnings: string[] = [...this.typeNotes];
    if (this.dropped > 0) {
      const at = this.firstDropLine !== undefined ? ` (the first at line ${this.firstDropLine})` : '';
      warnings.push(`${this.file}: dropped ${this.dropped} of ${rows + this.dropped + this.targetDropped} rows with empty cells${at}`);
    }
    if (this.targetDropped > 0) {
      const at = this.firstTargetDropLine !== undefined ? ` (the first at line ${this.firstTargetDropLine})` : '';
      warnings.push(`${this.file}: dropped ${this.targetDropped} of ${rows + this.dropped + this.targetDropped} rows with a missing target${at}`);
    }
    return warnings;
  }

  private ragged(record: string[], line: number | undefined): never {
    const header = this.header!;
    const got = record.length;
    const expected = header.length;
    if (got > expected) {
      throw new DataError(`row has ${got} fields, expected ${expected} as in the header: extra field ${show(record[expected])}`, {
        file: this.file,
        line,
        column: expected + 1,
      });
    }
    throw new DataError(`row has ${got} fields, expected ${expected} as in the header: column "${header[got]}" is missing`, {
      file: this.file,
      line,
      column: got + 1,
    });
  }

  private cellError(s: string, index: number, line: number | undefined): DataError {
    const name = this.header![index];
    const what = name === this.selection!.targetName ? `target column "${name}"` : `column "${name}"`;
    const where = { file: this.file, line, column: index + 1 };
    if (this.isMissing(s)) {
      return new DataError(`${what}: ${cellKind(s) === 'empty' ? 'empty cell' : `missing value ${show(s)}`}`, where, name === this.selection!.targetName ? undefined : 'use --missing keep (the default) to keep missing values, or --missing drop to drop their rows');
    }
    return new DataError(`${what}: ${show(s)} is not a number`, where, this.forced[this.selection!.featureNames.indexOf(name)] === 2 ? `it is in --numeric ${name}` : undefined);
  }
}

/** A group column from its first-seen codes: values sorted as classes, codes recoded to them. */
export function groupColumn(column: string, firstSeen: Float64Array, names: readonly string[]): GroupColumn {
  const values = recodeSorted(firstSeen, names);
  return { column, codes: Int32Array.from(firstSeen), values };
}

/** R² divides by the target's variance: a constant target makes every score undefined. */
function checkTargetVaries(data: Dataset, file: string): void {
  const y = data.y;
  const first = y[0];
  for (let i = 1; i < y.length; i++) if (y[i] !== first) return;
  throw new DataError(`target column "${data.targetName}" is constant (every value is ${first}): R² is undefined`, { file });
}

/** --categorical and --numeric as per-feature flags (1 categorical, 2 numeric), checked against the features. */
export function forcedTypes(features: readonly string[], options: LoadOptions, file: string, line?: number): Uint8Array {
  const out = new Uint8Array(features.length);
  for (const [flag, list, code] of [['--categorical', options.categorical, 1], ['--numeric', options.numeric, 2]] as const) {
    for (const name of list ?? []) {
      const k = features.indexOf(name);
      if (k < 0) throw new DataError(`${flag}: "${name}" is not one of the features (${listNames(features)})`, { file, line });
      if (out[k] !== 0) throw new DataError(`column "${name}" is in both --categorical and --numeric`, { file, line });
      out[k] = code;
    }
  }
  return out;
}


/** A text label that means "no value" (as pandas reads it): never a class. */
export function isMissingWord(text: string): boolean {
  return /^(na|n\/a|nan|null|none)$/i.test(text);
}

/** Text that holds no value: empty or blank, a word that means none, or one of `naWords` (naWordsOf). */
export function isMissingText(text: string, naWords: ReadonlySet<string>): boolean {
  const t = text.trim();
  return t === '' || isMissingWord(t) || naWords.has(t);
}

/** The --na-values words, trimmed, as isMissingText takes them. */
export function naWordsOf(options: Pick<LoadOptions, 'naValues'>): ReadonlySet<string> {
  return new Set((options.naValues ?? []).map((w) => w.trim()));
}

/** A cell as quoted in messages, cut to a readable length. */
export function show(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}
