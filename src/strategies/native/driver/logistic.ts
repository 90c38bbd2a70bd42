/**
 * Logistic regression, natively (Spark's LogisticRegression: the driver iterates, every step's gradient and
 * Hessian are summed over the data partitions where they live). Each (config, fold) runs the solver
 * (models/linear/logistic.ts logisticSolver) on the driver; each of its requests becomes one logistic job per
 * worker, whose per-partition sums the driver merges in partition order — exactly as the whole-model fit merges its
 * own partitions' sums, so the coefficients, and the metrics, are the same bits in every strategy. The fitted model
 * is scored on the driver.
 */
import { performance } from 'node:perf_hooks';
import { logisticSolver, mergePartitionSums, type LogisticModel } from '../../../models/linear/logistic.js';
import { checkClassesPresent, FittedLogistic, logisticOptions } from '../../../models/logistic.js';
import { foldRows } from '../../evaluate.js';
import { designNames, fittedDesign } from '../../../models/linear/design.js';
import { imputeOf } from '../../../models/linear/linear.js';
import { designRef, type DesignRef } from '../protocol.js';
import { failedOutcome, inPartitionOrder, scoreFold, type NativeContext } from './context.js';

export async function runLogistic(ctx: NativeContext, foldsOf: Map<number, number[]>): Promise<void> {
  const { plan, hooks, evaluation } = ctx;
  const classes = plan.data.classes;
  const tasks = [...foldsOf].flatMap(([config, folds]) => folds.map((fold) => ({ config, fold })));
  await Promise.all(
    tasks.map(async ({ config, fold }) => {
      if (hooks.signal?.aborted) return;
      try {
        if (!classes) throw new Error('logistic regression fits a classification; the target is numeric');
        const { train, test } = foldRows(evaluation, fold);
        checkClassesPresent(plan.data, train);
        const t0 = performance.now();
        const params = plan.configs[config];
        // On data with categories or missing values the fold's design, fitted on its training rows (linear/design.ts);
        // the workers encode their own rows through it, so the driver never encodes the table.
        const impute = imputeOf(params);
        const design = fittedDesign(plan.data, train, impute, evaluation.cache) ?? undefined;
        const names = design ? designNames(design, plan.data.featureNames) : plan.data.featureNames;
        const ref = design ? designRef(fold, impute, design) : undefined;
        const model = await solveOnWorkers(ctx, fold, classes.length, logisticSolver(names.length, classes.length, logisticOptions(params), (j) => names[j]), ref);
        const fitted = new FittedLogistic(params, plan.data.featureNames, classes, model, design);
        hooks.onOutcome(scoreFold(ctx, fitted, config, fold, test, performance.now() - t0));
      } catch (err) {
        hooks.onOutcome(failedOutcome(config, fold, err));
      }
    }),
  );
}

/** Drive the solver: every request answered by all workers for their partitions, merged in partition order. */
async function solveOnWorkers(ctx: NativeContext, fold: number, classes: number, solver: ReturnType<typeof logisticSolver>, design: DesignRef | undefined): Promise<LogisticModel> {
  let step = solver.next();
  while (!step.done) {
    const request = step.value;
    const job = ctx.workers.newJobId();
    const replies = await Promise.all(ctx.blocks.map((b, w) => ctx.workers.run(w, { type: 'logistic', job, fold, partitions: b.partitions, classes, request, ...(design ? { design } : {}) })));
    step = solver.next(mergePartitionSums(inPartitionOrder(replies, (r) => r.sums, ctx.plan.partitions, 'logistic sums')));
  }
  return step.value;
}
