/**
 * Regression or classification, and the classes of a classification.
 *
 * `--task auto` (the default) calls a target a classification when it holds text (the loader found a cell that is
 * not a number) or when it is integer-valued with at most AUTO_MAX_CLASSES distinct values and at least
 * AUTO_ROWS_PER_CLASS rows per value on average (0/1 labels, 1…5 stars); anything else is a regression (six rows of
 * five different integers are measurements, not classes). That is scikit-learn's `type_of_target` ("binary"/"multiclass" for integers) with a
 * cap, so an integer-valued measurement such as diabetes' progression score (214 distinct values) stays a regression.
 *
 * Classes are sorted as scikit-learn's `classes_` (np.unique): numerically when every class is a number, else as
 * text by code unit; the target becomes class indices 0…K−1 in that order.
 */
import { allocateDataset, extrasOf, type Dataset } from './dataset.js';
import { DataError, UsageError } from '../errors.js';
import { parseCell } from './number.js';

export type TaskKind = 'regression' | 'classification';
export type TaskChoice = TaskKind | 'auto';
export const TASK_CHOICES: readonly TaskChoice[] = ['auto', 'regression', 'classification'];

/** An integer target with at most this many distinct values is a classification under --task auto. */
export const AUTO_MAX_CLASSES = 20;
/** … and at least this many rows per distinct value on average. */
export const AUTO_ROWS_PER_CLASS = 5;
/** More classes than this are refused (one histogram column per class in every tree node). */
export const MAX_CLASSES = 250;

/** A text target as the loader reads it: each distinct label gets a code in order of first appearance. */
export class TextLabels {
  private readonly codes = new Map<string, number>();
  readonly names: string[] = [];

  code(label: string): number {
    let c = this.codes.get(label);
    if (c === undefined) {
      c = this.names.length;
      this.codes.set(label, c);
      this.names.push(label);
    }
    return c;
  }

  get size(): number {
    return this.names.length;
  }
}

/** Labels in scikit-learn's classes_ order: numerically if all are numbers, else by code unit. */
export function sortClassNames(names: readonly string[]): string[] {
  const numeric = names.every((n) => n.trim() !== '' && Number.isFinite(Number(n)));
  return [...names].sort(numeric ? (a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A label as text: a number's shortest round-trip form ("1", "2.5"), so 1 and 1.0 are one class. */
export function numberLabel(v: number): string {
  return String(v);
}

/**
 * A cell as a label, the one rule of every reader: a number by its shortest text (numberLabel), else the text
 * trimmed. `value` is the cell parsed (parseCell), when the caller has it already.
 */
export function cellLabel(text: string, value: number = parseCell(text)): string {
  return value === value ? numberLabel(value) : text.trim();
}

/**
 * Recode y (codes into `names`, in first-seen order) in place to indices into the sorted class names, which are
 * returned.
 */
export function recodeSorted(y: Float64Array, names: readonly string[]): string[] {
  const sorted = sortClassNames(names);
  const rank = new Map(sorted.map((n, i) => [n, i] as const));
  const map = Float64Array.from(names, (n) => rank.get(n)!);
  for (let i = 0; i < y.length; i++) y[i] = map[y[i]];
  return sorted;
}

export interface ResolvedTask {
  data: Dataset;
  task: TaskKind;
  /** Why, in a line for stderr and the report ("classification: 2 classes (benign, malignant) in target"). */
  reason: string;
  /** Whether the user should be told on stderr: a classification, or a numeric target that could have been one. */
  notable: boolean;
}

function distinctValues(y: Float64Array, cap: number): number[] | null {
  const seen = new Set<number>();
  for (let i = 0; i < y.length; i++) {
    seen.add(y[i]);
    if (seen.size > cap) return null;
  }
  return [...seen].sort((a, b) => a - b);
}

function isIntegerValued(y: Float64Array): boolean {
  for (let i = 0; i < y.length; i++) if (!Number.isInteger(y[i])) return false;
  return true;
}

function classList(names: readonly string[]): string {
  const shown = names.slice(0, 6).join(', ');
  return names.length > 6 ? `${shown}, …` : shown;
}

/** The dataset as the task asks: a classification gets its classes (y recoded to class indices), a regression none. */
export function resolveTask(data: Dataset, asked: TaskChoice = 'auto', where = data.name): ResolvedTask {
  if (!TASK_CHOICES.includes(asked)) throw new UsageError(`--task must be one of ${TASK_CHOICES.join(', ')}, got "${asked}"`);
  const target = `target "${data.targetName}"`;
  if (data.classes !== undefined) {
    if (asked === 'regression') throw new DataError(`--task regression: ${target} holds text (${classList(data.classes)}), not numbers`, { file: where });
    return { data: checkClasses(data, where), task: 'classification', reason: `classification: ${data.classes.length} classes (${classList(data.classes)}) in ${target}`, notable: true };
  }
  if (asked === 'regression') return { data, task: 'regression', reason: `regression: ${target} (--task regression)`, notable: false };
  const values = distinctValues(data.y, asked === 'classification' ? MAX_CLASSES : AUTO_MAX_CLASSES);
  if (asked === 'auto') {
    const why =
      values === null ? ` with more than ${AUTO_MAX_CLASSES} distinct values`
      : !isIntegerValued(data.y) ? ' and not integer-valued'
      : data.rows < AUTO_ROWS_PER_CLASS * values.length ? ` with ${values.length} distinct values in ${data.rows} rows`
      : '';
    if (why !== '') return { data, task: 'regression', reason: `regression: ${target} is numeric${why} (--task classification to override)`, notable: values !== null && isIntegerValued(data.y) };
  }
  if (values === null) throw new DataError(`--task classification: ${target} has more than ${MAX_CLASSES} distinct values`, { file: where });
  const names = values.map(numberLabel);
  const index = new Map(values.map((v, i) => [v, i] as const));
  const out = allocateDataset(data.name, data.featureNames, data.targetName, data.rows, names);
  out.x.set(data.x);
  for (let i = 0; i < data.rows; i++) out.y[i] = index.get(data.y[i])!;
  Object.assign(out, { ...extrasOf(data), classes: names });
  const how = asked === 'auto' ? `integer-valued with ${values.length} distinct values; --task regression to override` : '--task classification';
  return { data: checkClasses(out, where), task: 'classification', reason: `classification: ${names.length} classes (${classList(names)}) in ${target} (${how})`, notable: true };
}

function checkClasses(data: Dataset, where: string): Dataset {
  const k = data.classes!.length;
  if (k < 2) throw new DataError(`target "${data.targetName}" has a single class (${data.classes![0]}): nothing to classify`, { file: where });
  if (k > MAX_CLASSES) throw new DataError(`target "${data.targetName}" has ${k} classes, more than the ${MAX_CLASSES} supported`, { file: where });
  return data;
}
