// A library user's file, compiled by test/types/types.test.ts against the built package (`import … from
// 'hpsweep'` resolves through package.json "exports" to dist/index.d.ts). Every @ts-expect-error line must be
// an error: if the types ever loosen (a grid back to Record<string, unknown>, model back to string), tsc fails.
import { listHistory, readStoredResult, renderAny, renderReport, runSweep, type ForestGrid, type HistoryEntry, type SweepOptions, type SweepResult } from 'hpsweep';

export async function typedUsage(): Promise<string> {
  const forest: SweepResult = await runSweep({ grid: { numTrees: [10, 20], maxDepth: [4, 'none'], maxFeatures: ['sqrt', 0.5] } });
  const linear = await runSweep({ model: 'linear', grid: { regParam: [0, 0.1], elasticNetParam: 1 }, metric: 'rmse', strategy: 'native' });
  const udf = await runSweep({ udf: './my-udf.mjs', grid: { k: [3, 5], kernel: 'rbf' }, metric: 'logloss' });
  const logistic = await runSweep({ data: 'iris', model: 'logistic', grid: { regParam: [0.01, 0.1], family: 'multinomial' }, metric: 'accuracy' });
  const classifier = await runSweep({ data: 'breast-cancer', task: 'classification', grid: { numTrees: 20, criterion: ['gini', 'entropy'] }, metric: 'roc_auc:max' });
  const grid: ForestGrid = { bootstrap: [true, false] };
  const options: SweepOptions = { model: 'rf', grid, preset: 'spark', evaluation: { kind: 'kfold', folds: 3 } };
  await runSweep(options);
  const page: string = await renderAny(forest, 'html');
  const past: HistoryEntry[] = listHistory('.sweep');
  const again: SweepResult | undefined = past[0] ? readStoredResult(past[0]) : undefined;
  const importances = forest.diagnostics?.importances?.map((f) => `${f.feature} ${f.mean}`) ?? [];
  return page + String(again?.schema) + importances.join() + renderReport(forest, 'table') + renderReport(linear, 'json') + String(udf.best?.metrics.logloss) + String(logistic.best?.metrics.accuracy) + String(classifier.data.classes);
}

export async function refusedAtCompileTime(): Promise<void> {
  // @ts-expect-error: "pdf" is not a report format
  await renderAny({} as SweepResult, 'pdf');
  // @ts-expect-error: "svm" is not a model
  await runSweep({ model: 'svm' });
  // @ts-expect-error: numTrees is a forest parameter, not linear's
  await runSweep({ model: 'linear', grid: { numTrees: [10] } });
  // @ts-expect-error: regParam is linear's, not the forest's
  await runSweep({ grid: { regParam: [0.1] } });
  // @ts-expect-error: numTrees takes numbers
  await runSweep({ grid: { numTrees: ['many'] } });
  // @ts-expect-error: not a maxFeatures rule
  await runSweep({ grid: { maxFeatures: ['most'] } });
  // @ts-expect-error: built-in models rank by their own metrics only
  await runSweep({ model: 'linear', metric: 'logloss' });
  // @ts-expect-error: a UDF runs with the udf strategy
  await runSweep({ udf: './u.mjs', strategy: 'native' });
  // @ts-expect-error: the preset is the forest's
  await runSweep({ model: 'linear', preset: 'spark' });
  // @ts-expect-error: not a strategy
  await runSweep({ strategy: 'spark' });
  // @ts-expect-error: logistic regression ranks by classification metrics
  await runSweep({ model: 'logistic', metric: 'r2' });
  // @ts-expect-error: numTrees is a forest parameter, not logistic's
  await runSweep({ model: 'logistic', grid: { numTrees: [10] } });
  // @ts-expect-error: not a criterion
  await runSweep({ grid: { criterion: ['variance'] } });
}
