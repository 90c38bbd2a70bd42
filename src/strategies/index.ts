/**
 * Strategies by name (aliases accepted: native-distributed, grouped-udf). Each strategy's module is imported
 * when it first runs, not at start-up: the udf strategy brings apache-arrow (~150 modules), and a small sweep's
 * whole process should not pay for strategies it does not use.
 */
import { UsageError } from '../errors.js';
import { STRATEGY_ALIASES, type Strategy, type StrategyName } from './strategy.js';

function lazy(name: StrategyName, load: () => Promise<Strategy>): Strategy {
  return { name, run: async (plan, hooks) => (await load()).run(plan, hooks) };
}

const STRATEGIES: Partial<Record<StrategyName, Strategy>> = {
  'thread-pool': lazy('thread-pool', async () => (await import('./thread-pool.js')).threadPool),
  native: lazy('native', async () => (await import('./native/driver/native.js')).native),
  udf: lazy('udf', async () => (await import('./udf/udf.js')).udfStrategy),
};

export function availableStrategies(): StrategyName[] {
  return Object.keys(STRATEGIES) as StrategyName[];
}

export function resolveStrategyName(name: string): StrategyName {
  const resolved = STRATEGY_ALIASES[name.trim().toLowerCase()];
  if (!resolved || !STRATEGIES[resolved]) {
    throw new UsageError(`unknown strategy "${name}" (choose ${availableStrategies().join(', ')})`);
  }
  return resolved;
}

export function getStrategy(name: string): Strategy {
  return STRATEGIES[resolveStrategyName(name)]!;
}
