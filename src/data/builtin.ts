/**
 * Datasets shipped inside the package (datasets/, see its README for source and licence). Paths resolve from
 * this module's own URL, so they work from a global install, npx or a checkout: dist/data/ → ../../datasets/.
 */
import { fileURLToPath } from 'node:url';

export const BUILTIN_DATASETS = {
  /** scikit-learn's load_diabetes(): 442 × 10, features mean-centred and scaled to unit sum of squares. */
  diabetes: 'diabetes.csv',
  /** load_diabetes(scaled=False): the original measurements. */
  'diabetes-raw': 'diabetes-raw.csv',
  /** load_iris(): 150 × 4, three classes (setosa, versicolor, virginica). */
  iris: 'iris.csv',
  /** load_breast_cancer(): 569 × 30, two classes (malignant, benign). */
  'breast-cancer': 'breast-cancer.csv',
  /** load_wine(): 178 × 13, three classes (class_0, class_1, class_2). */
  wine: 'wine.csv',
} as const;

export type BuiltinName = keyof typeof BUILTIN_DATASETS;

export const DEFAULT_DATA = 'diabetes';

export function isBuiltin(spec: string): spec is BuiltinName {
  return Object.hasOwn(BUILTIN_DATASETS, spec);
}

export function builtinPath(name: BuiltinName): string {
  return fileURLToPath(new URL(`../../datasets/${BUILTIN_DATASETS[name]}`, import.meta.url));
}
