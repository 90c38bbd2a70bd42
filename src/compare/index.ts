/** `sweep compare` as a library: run a sweep under several strategies and worker counts, measure, check the metrics agree. */
export { compareStrategies, defaultStrategies, defaultWorkerCounts, resolveStrategies, DEFAULT_REPEAT, DEFAULT_WARMUP, type CompareOptions } from './compare.js';
export { checkMetricsIdentity, type IdentityReport, type LabelledResult, type Mismatch } from './identity.js';
export type { CompareEntry, CompareResult, CompareRun, Isolation } from './result.js';
export { fastestIndex, relativeTo, summarize, type Relative, type Summary } from './stats.js';
export { buildCompareResult, makeEntries, verdicts, workersLabel, type MeasuredRun } from './summarize.js';
