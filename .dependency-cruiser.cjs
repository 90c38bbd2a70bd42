/**
 * The import rules of src/ (checked in CI by `npm run depcheck`): no cycles, and imports run one way, from the
 * top layer down. A file may import its own layer and any layer below it, never one above.
 *
 *   cli, index                      the command line and the library's entry file
 *   report                          renderers of a sweep's and a comparison's result (never the reverse)
 *   compare                         running one sweep under several strategies and measuring them
 *   api                             the library's entry points: prepare/execute/run a sweep, save and load models,
 *                                   the typed public options, the defaults (strategy, thread count)
 *   sweep                           grid, aggregation, checkpoints, the result (SweepResult)
 *   cluster                         the BullMQ/Redis transport and its workers
 *   strategies                      drivers, handlers (evaluate: fit and score one task), tasks and their
 *                                   outcomes, the outcome checks (record), the scheduler, local worker threads
 *   models                          model definitions, parameters, the registry
 *   tree, models/linear/{solve,stats} the tree and linear cores
 *   data, eval, util, errors, version
 */
const LAYERS = [
  ['src/(data|eval|util)/', 'src/(errors|version)\\.ts$'],
  ['src/tree/', 'src/models/linear/(solve|stats)\\.ts$'],
  ['src/models/(?!linear/(solve|stats)\\.ts$)'],
  ['src/strategies/'],
  ['src/cluster/'],
  ['src/sweep/'],
  ['src/api/'],
  ['src/compare/'],
  ['src/report/'],
  ['src/cli/', 'src/index\\.ts$'],
];
const path = (patterns) => `^(${patterns.join('|')})`;

const upward = [];
LAYERS.forEach((layer, i) => {
  const above = LAYERS.slice(i + 1).flat();
  if (above.length === 0) return;
  upward.push({
    name: `upward-from-layer-${i}`,
    comment: `${layer.join(' ')} may not import a layer above it (${above.join(' ')})`,
    severity: 'error',
    from: { path: path(layer) },
    to: { path: path(above) },
  });
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'import cycles make the layers meaningless', severity: 'error', from: {}, to: { circular: true } },
    ...upward,
  ],
  options: {
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
