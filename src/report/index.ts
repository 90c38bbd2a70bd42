/** The report layer: the result record, its renderers, the number formatters and the progress spinner. */
export type { FoldResult, TrialResult, SweepResult } from '../sweep/result.js';
export * from '../util/format.js';
export { renderTable, type TableOptions } from './table.js';
export { renderJson } from './json.js';
export { renderCsv, csvField, csvLine } from './csv.js';
export { renderMarkdown } from './markdown.js';
export * from './render.js';
export { summaryLines, formatEvaluation, interruptedLine, fixedParamsLine, type SummaryLine } from './summary.js';
export { splitParams, paramNames, formatParams, formatParamValue, type ParamSplit } from '../sweep/trial-params.js';
export * from './progress.js';
