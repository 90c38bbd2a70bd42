/**
 * A k-nearest-neighbours regressor as a sweep UDF, in plain JavaScript (no dependencies):
 *   sweep run --strategy udf --udf examples/knn.mjs --param k=3,5,9
 * Features are standardised with the training rows' mean and standard deviation, then each test row is
 * predicted as the mean target of its k nearest training rows (Euclidean; ties go to the lower row index).
 */
export default function knn(group, { params, features, target, metrics: { mae, r2, rmse } }) {
  const k = Number(params.k ?? 5);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${params.k}`);

  const n = group.numRows;
  const training = group.getChild('training');
  const y = group.getChild(target).toArray();
  const train = [];
  const test = [];
  for (let i = 0; i < n; i++) (training.get(i) ? train : test).push(i);
  if (train.length < k) throw new RangeError(`k = ${k} but the fold has only ${train.length} training rows`);

  // Standardised features, row-major: a[i * f + j].
  const f = features.length;
  const a = new Float64Array(n * f);
  features.forEach((name, j) => {
    const col = group.getChild(name).toArray();
    let mean = 0;
    for (const i of train) mean += col[i];
    mean /= train.length;
    let varSum = 0;
    for (const i of train) varSum += (col[i] - mean) ** 2;
    const sd = Math.sqrt(varSum / train.length) || 1;
    for (let i = 0; i < n; i++) a[i * f + j] = (col[i] - mean) / sd;
  });

  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  const truth = new Float64Array(test.length);
  const predicted = new Float64Array(test.length);
  test.forEach((q, t) => {
    bestD.fill(Infinity);
    for (const i of train) {
      let d = 0;
      for (let j = 0; j < f; j++) d += (a[q * f + j] - a[i * f + j]) ** 2;
      if (d >= bestD[k - 1]) continue;
      let p = k - 1; // insertion into the sorted k best
      while (p > 0 && bestD[p - 1] > d) (bestD[p] = bestD[p - 1]), (bestI[p] = bestI[p - 1]), p--;
      bestD[p] = d;
      bestI[p] = i;
    }
    let s = 0;
    for (let m = 0; m < k; m++) s += y[bestI[m]];
    truth[t] = y[q];
    predicted[t] = s / k;
  });
  return { r2: r2(truth, predicted), mae: mae(truth, predicted), rmse: rmse(truth, predicted) };
}
