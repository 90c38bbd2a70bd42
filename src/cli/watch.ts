/**
 * What a running sweep shows on stderr: the progress line's best so far, and with --verbose one line per
 * finished trial ("trial 4  numTrees=50 maxDepth=8  r2 0.4213 ± 0.0310  fit 120 ms"). The trials come from the
 * library's onTrial hook; only the parameters the user swept are named.
 */
import type { PreparedSweep } from '../api/types.js';
import { beats } from '../eval/direction.js';
import { formatParams } from '../sweep/trial-params.js';
import type { TrialResult } from '../sweep/result.js';
import type { Progress } from '../report/progress.js';
import { formatDuration, formatSignificant } from '../util/format.js';

export interface Watch {
  onTrial(t: TrialResult): void;
}

/** The onTrial hook that keeps `progress` showing the best trial so far, and prints trial lines when `verbose`. */
export function watchTrials(prep: PreparedSweep, progress: Progress, verbose: boolean): Watch {
  const swept = Object.keys(prep.space);
  const { metric, direction } = prep;
  let best: number | undefined;
  let finished = 0;
  return {
    onTrial(t) {
      finished++;
      const value = t.status === 'ok' ? t.metrics?.[metric] : undefined;
      const params = formatParams(t.params, swept.filter((n) => n in t.params));
      if (value !== undefined && Number.isFinite(value) && (best === undefined || beats(value, best, direction))) {
        best = value;
        progress.best(`best ${metric} ${formatSignificant(value, 4)}${params === '' ? '' : ` (${params})`}`);
      }
      if (!verbose) return;
      const label = `trial ${t.number ?? finished}`;
      const rung = t.rung !== undefined ? `  rung ${t.rung}` : '';
      if (t.status !== 'ok' || value === undefined) {
        progress.line(`${label}${rung}  ${params}  ${t.status}${t.error !== undefined ? `: ${t.error}` : ''}`);
        return;
      }
      const sd = t.metricsStd?.[metric];
      const spread = sd !== undefined && Number.isFinite(sd) ? ` ± ${formatSignificant(sd, 3)}` : '';
      progress.line(`${label}${rung}  ${params}  ${metric} ${formatSignificant(value, 4)}${spread}  fit ${formatDuration(t.fitMs)}`);
    },
  };
}
