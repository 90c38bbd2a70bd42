/**
 * Logistic regression: unpenalised coefficients against scikit-learn 1.2.1 (LogisticRegression(penalty='none',
 * solver='newton-cg', tol=1e-12) on StandardScaler features, coefficients mapped back to the original scale;
 * committed as literals), penalised ones against the documented (Spark) objective by its optimality conditions,
 * and perfect separation refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../dist/data/load.js';
import { fitLogistic, logisticProbabilities, type LogisticOptions } from '../../dist/models/linear/logistic.js';

const REF = {"binary": {"coef": [[1.0365501954848337, -11.7475753843762, 13.826017099833921, 11.542966341107896, -32.904161694079484, 22.819292431288524, -0.47837269645333563, 0.8475998225608462, 29.574032810711167, 0.06497444365128889]], "intercept": [0.004325295643542492]}, "multi": {"coef": [[0.3538193745992, 5.843482845997391, -9.836372275135208, -8.407065749461687, -3.516793502846613, 4.34792870472892, 10.64453491848298, 2.247692466408547, -14.7087934439778, -0.8135396435958626], [1.0712073189861704, -0.5820845474568761, -2.556099790029051, -1.786745064503366, 15.193322553494806, -12.159131435412288, -9.66389035070431, -2.5059601915265572, -6.545187656498841, 1.1544112114782075], [-1.4250266935853724, -5.2613982985395955, 12.392472065165645, 10.193810813963584, -11.676529050647044, 7.8112027306841965, -0.9806445677811817, 0.25826772511732743, 21.253981100476313, -0.34087156788311007]], "intercept": [-0.1774564217496366, 0.39867784424136365, -0.22122142249173848]}};

const OPTS: LogisticOptions = { regParam: 0, elasticNetParam: 0, standardization: true, fitIntercept: true, family: 'auto' };

async function diabetes() {
  const { data } = await loadData('diabetes', {});
  const sorted = [...data.y].sort((a, b) => a - b);
  const n = data.rows;
  const quantile = (q: number) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
  };
  const median = quantile(0.5);
  const cuts = [quantile(1 / 3), quantile(2 / 3)];
  const binary = Int32Array.from(data.y, (v) => (v > median ? 1 : 0));
  const terciles = Int32Array.from(data.y, (v) => cuts.filter((c) => c <= v).length);
  return { x: data.x, n, p: data.featureNames.length, binary, terciles };
}

/** The documented objective at original-scale coefficients (rows of p) and intercepts. */
function objective(x: Float64Array, n: number, p: number, y: Int32Array, coef: Float64Array, icpt: Float64Array, o: LogisticOptions): number {
  const m = coef.length / p;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: m }, (_, k) => icpt[k] + Array.from({ length: p }, (_, j) => coef[k * p + j] * x[j * n + i]).reduce((a, b) => a + b, 0));
    if (m === 1) loss += Math.log1p(Math.exp(-Math.abs(z[0]))) + Math.max(z[0], 0) - (y[i] === 1 ? z[0] : 0);
    else {
      const mx = Math.max(...z);
      loss += mx + Math.log(z.reduce((s, v) => s + Math.exp(v - mx), 0)) - z[y[i]];
    }
  }
  loss /= n;
  const std = Array.from({ length: p }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[j * n + i];
    const mu = s / n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[j * n + i] - mu) ** 2;
    return Math.sqrt(v / (n - 1));
  });
  let l1 = 0;
  let l2 = 0;
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < p; j++) {
      const w = coef[k * p + j] * (o.standardization ? std[j] : 1);
      l1 += Math.abs(w);
      l2 += w * w;
    }
  }
  return loss + o.regParam * (o.elasticNetParam * l1 + ((1 - o.elasticNetParam) / 2) * l2);
}

describe('logistic regression', () => {
  it("equals scikit-learn's unpenalised binary fit to 1e-6 (diabetes, target above its median)", async () => {
    const d = await diabetes();
    const fit = fitLogistic(d.x, d.n, d.p, d.binary, 2, OPTS);
    expect(fit.binomial).toBe(true);
    REF.binary.coef[0].forEach((w: number, j: number) => expect(Math.abs(fit.coefficients[j] - w)).toBeLessThan(1e-6));
    expect(Math.abs(fit.intercepts[0] - REF.binary.intercept[0])).toBeLessThan(1e-6);
    expect(fit.iterations).toBeLessThan(20);
    const proba = logisticProbabilities(fit, d.x, d.n);
    for (let i = 0; i < d.n; i++) expect(proba[2 * i] + proba[2 * i + 1]).toBeCloseTo(1, 14);
  });
  it("equals scikit-learn's unpenalised multinomial fit to 1e-6 (diabetes terciles; centred over classes)", async () => {
    const d = await diabetes();
    const fit = fitLogistic(d.x, d.n, d.p, d.terciles, 3, OPTS);
    expect(fit.binomial).toBe(false);
    REF.multi.coef.forEach((row: number[], k: number) => row.forEach((w, j) => expect(Math.abs(fit.coefficients[k * d.p + j] - w)).toBeLessThan(1e-6)));
    REF.multi.intercept.forEach((b: number, k: number) => expect(Math.abs(fit.intercepts[k] - b)).toBeLessThan(1e-6));
  });
  it('minimises the documented objective with L2, elastic net and without standardization (no nearby point is lower; L1 zeros)', async () => {
    const d = await diabetes();
    for (const o of [
      { ...OPTS, regParam: 0.01 },
      { ...OPTS, regParam: 0.02, elasticNetParam: 0.5 },
      { ...OPTS, regParam: 0.05, elasticNetParam: 1 },
      { ...OPTS, regParam: 0.01, standardization: false },
    ]) {
      for (const [y, classes] of [[d.binary, 2], [d.terciles, 3]] as const) {
        const fit = fitLogistic(d.x, d.n, d.p, y, classes, o);
        const f0 = objective(d.x, d.n, d.p, y, fit.coefficients, fit.intercepts, o);
        const h = 1e-5;
        for (let u = 0; u < fit.coefficients.length + fit.intercepts.length; u++) {
          for (const s of [h, -h]) {
            const c = Float64Array.from(fit.coefficients);
            const b = Float64Array.from(fit.intercepts);
            if (u < c.length) c[u] += s;
            else b[u - c.length] += s;
            expect(objective(d.x, d.n, d.p, y, c, b, o)).toBeGreaterThanOrEqual(f0 - 1e-12);
          }
        }
        if (o.elasticNetParam === 1) expect([...fit.coefficients].filter((w) => w === 0).length).toBeGreaterThan(0);
      }
    }
  });
  it('refuses perfectly separated classes without a penalty, and fits them with one (iris setosa against versicolor)', () => {
    const lines = readFileSync('../shared/datasets/iris.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const rows = lines.filter((r) => r[4] !== 'virginica');
    const n = rows.length;
    const x = new Float64Array(4 * n);
    rows.forEach((r, i) => r.slice(0, 4).forEach((v, j) => (x[j * n + i] = Number(v))));
    const y = Int32Array.from(rows, (r) => (r[4] === 'versicolor' ? 1 : 0));
    expect(() => fitLogistic(x, n, 4, y, 2, OPTS)).toThrow(/perfectly separated/);
    const fit = fitLogistic(x, n, 4, y, 2, { ...OPTS, regParam: 0.1 });
    expect([...fit.coefficients].every(Number.isFinite)).toBe(true);
  });
});
