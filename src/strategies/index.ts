/** Strategies by name (aliases accepted: native-distributed, grouped-udf). */
import { UsageError } from '../errors.js';
import { STRATEGY_ALIASES, type Strategy, type StrategyName } from './strategy.js';
import { native } from './native/native.js';
import { threadPool } from './thread-pool.js';
import { udfStrategy } from './udf/udf.js';

const STRATEGIES: Partial<Record<StrategyName, Strategy>> = { 'thread-pool': threadPool, native, udf: udfStrategy };

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
