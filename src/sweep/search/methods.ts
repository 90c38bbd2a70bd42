/**
 * Search methods as candidate generators (scikit-learn's ParameterGrid / ParameterSampler, Optuna's samplers):
 * a method proposes the configs of the next ROUND from the results of the rounds before it, and nothing else.
 * Rounds are the synchronisation points: the whole round is evaluated before the next is proposed, so the trials
 * never depend on timing, the strategy or the number of workers.
 *   grid   — every combination of the lists (one round; the classic sweep).
 *   random — `trials` configs, trial k drawn by keyed randomness (seed, k, parameter): one round.
 *   tpe    — rounds of `batch` trials; each round sees the finished trials of the earlier rounds (tpe.ts).
 *   halving, hyperband — rungs of successive halving over a resource (halving.ts): a rung is a round, and
 *            the next rung's candidates are the best of this one at a larger resource.
 */
import { UsageError } from '../../errors.js';
import type { Params, ParamValue } from '../../models/params.js';
import { randomValue } from './random.js';
import type { SearchSpace } from './space.js';
import { tpeValue, type Observation } from './tpe.js';
import { halvingRungs, hyperbandBrackets, promote, promotedCount, type Rung } from './halving.js';

export const SEARCH_METHODS = ['grid', 'random', 'tpe', 'halving', 'hyperband'] as const;
export type SearchMethod = (typeof SEARCH_METHODS)[number];

export const DEFAULT_BATCH = 8;
export const MAX_TRIALS = 100_000;

export interface SearchSettings {
  method: SearchMethod;
  /** random/tpe: the number of configs to try. */
  trials?: number;
  /** tpe: configs proposed per round (independent of --workers; default 8). */
  batch: number;
  /** halving/hyperband: the resource (numTrees: a forest's trees), its factor η and smallest amount. */
  resource?: string;
  factor?: number;
  minResource?: number;
  /** halving/hyperband: the resource's full amount (the parameter's value in the defaults). */
  maxResource?: number;
  /** halving over rows: the fewest rows a rung may have (its folds need test rows). */
  leastResource?: number;
  /** Stop dispatching new trials once this much wall time is spent (finished trials stay valid). */
  timeBudgetMs?: number;
}

/** "10m", "90s", "1.5h", "2d" or plain seconds, as milliseconds. */
export function parseDuration(text: string, flag = '--time-budget'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(text);
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const ms = m ? Number(m[1]) * unit[(m[2] ?? 's').toLowerCase()] : NaN;
  if (!(ms > 0 && ms <= 2 ** 31 - 1)) throw new UsageError(`${flag} must be a duration such as 90s, 10m or 2h (at most 24.8 days), got ${JSON.stringify(text)}`);
  return ms;
}

export const DEFAULT_FACTOR = 3;

/** What a search planner sees of a finished trial. */
export interface TrialView {
  number: number;
  params: Params;
  /** The ranking metric when the trial finished ok with a finite one. */
  value: number | undefined;
  meta?: TrialMeta;
}

/** Where a trial sits in a halving search. */
export interface TrialMeta {
  candidate: number;
  rung: number;
  resource: number;
  bracket?: number;
}

export interface Round {
  configs: Params[];
  meta?: TrialMeta[];
}

/**
 * The rounds of a search, one at a time: `next(trials)` gets every trial so far (in number order) and returns the
 * next round's configs, or undefined when the search is done.
 */
export interface Planner {
  next(trials: readonly TrialView[]): Round | undefined;
}

/** A search method checked against its space: trials given for random/tpe, ranges only outside the grid. */
export function checkSearch(settings: SearchSettings, space: SearchSpace): void {
  const { method, trials } = settings;
  if (!(SEARCH_METHODS as readonly string[]).includes(method)) throw new UsageError(`--search must be one of ${SEARCH_METHODS.join(', ')}, got ${JSON.stringify(method)}`);
  if (method === 'grid') {
    if (settings.timeBudgetMs !== undefined) throw new UsageError('--time-budget applies to a search; a grid tries every combination', 'add --search random --trials N (the budget stops dispatching new trials)');
    if (trials !== undefined) throw new UsageError('--trials applies to --search random or tpe; a grid tries every combination', 'add --search random --trials N to sample the grid');
    return;
  }
  if (method === 'halving' || method === 'hyperband') {
    checkHalving(settings, space);
    return;
  }
  if (trials === undefined) throw new UsageError(`--search ${method} needs --trials N (how many configs to try)`);
  if (!(Number.isInteger(trials) && trials >= 1 && trials <= MAX_TRIALS)) throw new UsageError(`--trials must be an integer from 1 to ${MAX_TRIALS}, got ${trials}`);
  if (!(Number.isInteger(settings.batch) && settings.batch >= 1 && settings.batch <= 1024)) throw new UsageError(`--batch must be an integer from 1 to 1024, got ${settings.batch}`);
  if (Object.keys(space).length === 0) throw new UsageError(`--search ${method} needs something to search: give a range (--trees 10..200) or a list of values`);
}

/** The planner of a checked search (checkSearch) over its space. */
export function planner(settings: SearchSettings, space: SearchSpace, defaults: Params, seed: number, direction: 'max' | 'min'): Planner {
  if (settings.method === 'halving' || settings.method === 'hyperband') return halvingPlanner(settings, space, defaults, seed, direction);
  const sizes = roundSizes(settings);
  let round = 0;
  return {
    next(trials) {
      if (round >= sizes.length) return undefined;
      const sign = direction === 'max' ? -1 : 1;
      const history: Observation[] = trials.filter((t) => t.value !== undefined).map((t) => ({ number: t.number, params: t.params, loss: sign * t.value! }));
      return { configs: propose(settings, space, defaults, seed, trials.length, sizes[round++], history) };
    },
  };
}

/**
 * Halving: one bracket of rungs; hyperband: its brackets one after the other. Candidates are numbered across the
 * whole search and drawn by keyed randomness (seed, candidate, parameter) — or, for a space of lists without
 * --trials, are the grid's combinations (HalvingGridSearchCV).
 */
function halvingPlanner(settings: SearchSettings, space: SearchSpace, defaults: Params, seed: number, direction: 'max' | 'min'): Planner {
  const factor = settings.factor ?? DEFAULT_FACTOR;
  const resource = settings.resource!;
  const maxResource = settings.maxResource!;
  // Rows are not a parameter: a rung's configs are the candidates' own, and its rows come from the driver.
  const rows = resource === 'rows';
  const least = settings.leastResource ?? 1;
  const drawn = Object.fromEntries(Object.entries(space).filter(([name]) => name !== resource));
  // Halving without --trials runs every combination of its lists (HalvingGridSearchCV); hyperband always draws.
  const grid = settings.method === 'halving' && settings.trials === undefined ? gridConfigs(drawn, defaults) : undefined;
  const n0 = settings.trials ?? grid?.length ?? 0;
  const brackets: { start: number; rungs: Rung[] }[] = [];
  const atLeast = (rungs: Rung[]): Rung[] => rungs.map((r) => ({ ...r, resource: Math.min(maxResource, Math.max(least, r.resource)) }));
  if (settings.method === 'halving') brackets.push({ start: 0, rungs: atLeast(halvingRungs(n0, maxResource, factor, settings.minResource)) });
  else {
    let start = 0;
    for (const b of hyperbandBrackets(maxResource, factor, settings.minResource ?? least)) {
      brackets.push({ start, rungs: atLeast(halvingRungs(b.candidates, maxResource, factor, b.resource)) });
      start += b.candidates;
    }
  }
  const candidate = (c: number): Params => {
    if (grid) return grid[c];
    const params: Params = { ...defaults };
    for (const name of Object.keys(drawn).sort()) params[name] = randomValue(seed, c, name, drawn[name]);
    return params;
  };
  let b = 0;
  let rung = 0;
  return {
    next(trials) {
      if (b >= brackets.length) return undefined;
      const { start, rungs } = brackets[b];
      let ids: number[];
      if (rung === 0) ids = Array.from({ length: rungs[0].candidates }, (_, i) => start + i);
      else {
        const previous = trials.filter((t) => t.meta?.rung === rung - 1 && (t.meta.bracket ?? 0) === b);
        ids = promote(previous.map((t) => ({ candidate: t.meta!.candidate, number: t.number, value: t.value })), promotedCount(previous.length, factor), direction);
      }
      const r = rungs[rung].resource;
      const round: Round = {
        configs: ids.map((c) => (rows ? candidate(c) : { ...candidate(c), [resource]: r })),
        meta: ids.map((c) => ({ candidate: c, rung, resource: r, ...(settings.method === 'hyperband' ? { bracket: b } : {}) })),
      };
      rung++;
      if (rung >= rungs.length) {
        b++;
        rung = 0;
      }
      return ids.length > 0 ? round : this.next(trials);
    },
  };
}

/** The grid of a space of lists (halving over a grid). */
function gridConfigs(space: SearchSpace, defaults: Params): Params[] {
  let out: Params[] = [{ ...defaults }];
  for (const name of Object.keys(space).sort()) {
    const d = space[name];
    if (d.kind !== 'choice') throw new UsageError(`${name}: a range needs --trials N (how many candidates to draw) with --search halving`);
    out = out.flatMap((p) => d.values.map((v) => ({ ...p, [name]: v })));
  }
  return out;
}

function checkHalving(settings: SearchSettings, space: SearchSpace): void {
  const { trials, factor = DEFAULT_FACTOR, minResource, maxResource, resource } = settings;
  if (trials !== undefined && !(Number.isInteger(trials) && trials >= 1 && trials <= MAX_TRIALS)) throw new UsageError(`--trials must be an integer from 1 to ${MAX_TRIALS}, got ${trials}`);
  if (!(Number.isInteger(factor) && factor >= 2 && factor <= 100)) throw new UsageError(`--factor must be an integer from 2 to 100, got ${factor}`);
  if (resource === undefined) throw new UsageError(`--search ${settings.method} needs a resource`);
  if (resource === 'rows' && maxResource === undefined) return; // checked once the data is loaded (the rows' full amount)
  if (maxResource === undefined || !(Number.isInteger(maxResource) && maxResource >= 1)) throw new UsageError(`the resource ${resource} must be a whole number to grow, got ${maxResource}`);
  if (minResource !== undefined && !(Number.isInteger(minResource) && minResource >= 1 && minResource <= maxResource)) {
    throw new UsageError(`--min-resource must be an integer from 1 to the full ${resource} (${maxResource}), got ${minResource}`);
  }
  if (settings.method === 'hyperband' && trials !== undefined) throw new UsageError('--trials does not apply to --search hyperband: its brackets set the candidates (--min-resource, --factor and the full resource do)');
  const searched = space[resource];
  if (searched !== undefined) throw new UsageError(`${resource} is the resource of --search ${settings.method}: it cannot also be searched`, `give one value (--trees ${maxResource}: the full resource) or choose another --resource`);
  if (trials === undefined && settings.method === 'halving' && Object.values(space).some((d) => d.kind !== 'choice')) throw new UsageError('--search halving over ranges needs --trials N (how many candidates to draw)');
  if (settings.method === 'hyperband' && Object.keys(space).length === 0) throw new UsageError('--search hyperband needs something to search: give a range (--max-depth 2..24) or a list of values');
}

/** The number of trials in each round, in order. */
export function roundSizes(settings: SearchSettings): number[] {
  const trials = settings.trials ?? 0;
  if (settings.method === 'random') return [trials];
  const sizes: number[] = [];
  for (let done = 0; done < trials; done += settings.batch) sizes.push(Math.min(settings.batch, trials - done));
  return sizes;
}

/**
 * The configs of trials first … first + count − 1: the defaults with each searched parameter set (names in sorted
 * order, as a grid's configs). `history`: the finished trials of earlier rounds with a finite ranking metric.
 */
export function propose(settings: SearchSettings, space: SearchSpace, defaults: Params, seed: number, first: number, count: number, history: readonly Observation[]): Params[] {
  const names = Object.keys(space).sort();
  const out: Params[] = [];
  for (let k = first; k < first + count; k++) {
    const params: Params = { ...defaults };
    for (const name of names) {
      const value: ParamValue = settings.method === 'tpe' ? tpeValue(seed, k, name, space[name], history) : randomValue(seed, k, name, space[name]);
      params[name] = value;
    }
    out.push(params);
  }
  return out;
}
