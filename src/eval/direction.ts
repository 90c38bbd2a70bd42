/** Whether a metric is maximised (r2, accuracy, AUC) or minimised (errors, losses). */
export type Direction = 'max' | 'min';

/** Whether score `a` is better than `b` in this direction (strictly: a tie is not better). */
export function beats(a: number, b: number, direction: Direction): boolean {
  return direction === 'max' ? a > b : a < b;
}
