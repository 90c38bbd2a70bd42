/**
 * The library API: everything the CLI does is callable from TypeScript.
 *   import { runSweep, r2 } from 'hpsweep';
 *   const result = await runSweep({ model: 'linear', grid: { regParam: [0, 0.1], elasticNetParam: [0, 1] } });
 */
export { runSweep, prepareSweep, executeSweep, type PreparedSweep, type ExecuteOptions } from './api/run.js';
export type {
  SweepOptions, ForestSweepOptions, BoostSweepOptions, LinearSweepOptions, LogisticSweepOptions, UdfSweepOptions, CommonSweepOptions, ForestGrid, BoostGrid, LinearGrid, LogisticGrid, UdfGrid, Axis, MaxFeatures,
  ClassificationMetricName,
} from './api/public-types.js';
export { expandGrid, type GridAxes } from './sweep/grid.js';
export { r2, corr2, mae, rmse, allMetrics, type Metrics, type MetricName } from './eval/metrics.js';
export { accuracy, balancedAccuracy, logLoss, rocAuc, f1, brier, classificationMetrics, type ClassificationMetric } from './eval/classification.js';
export { loadData } from './data/load.js';
export { resolveTask, type TaskChoice, type TaskKind } from './data/task.js';
export { makeFolds, planFolds, type FoldPlan, type Evaluation } from './data/folds.js';
export type { Dataset } from './data/dataset.js';
export { getModel } from './models/registry.js';
export type { ModelDefinition, FittedModel, SavedModel, ModelKind } from './models/model.js';
export { RESULT_SCHEMA, type SweepResult, type TrialResult, type FoldResult } from './sweep/result.js';
export { listHistory, findHistory, readStoredResult, readResultFile, type HistoryEntry, type SweepSummary, type SweepStatus } from './sweep/history.js';
export type { PooledDiagnostics } from './eval/diagnostics.js';
export * from './report/index.js';
export type { Udf, UdfContext, UdfResult } from './strategies/udf/types.js';
export { SweepError, UsageError, DataError, UdfLoadError, ModelError } from './errors.js';
