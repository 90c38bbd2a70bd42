/**
 * Bring your own library: a UDF wrapping ml.js's random forest (npm install ml-random-forest):
 *   sweep run --strategy udf --udf examples/ml-forest.mjs --param nEstimators=10,30 --param maxFeatures=0.5,1
 * The group is converted to the row arrays the library wants; sweep only sees the metrics that come back.
 */
import { RandomForestRegression } from 'ml-random-forest';

export default function mlForest(group, { params, features, target, seed, metrics: { mae, r2, rmse } }) {
  const training = group.getChild('training');
  const columns = features.map((name) => group.getChild(name).toArray());
  const y = group.getChild(target).toArray();
  const rowOf = (i) => columns.map((c) => c[i]);
  const trainX = [];
  const trainY = [];
  const testX = [];
  const testY = [];
  for (let i = 0; i < group.numRows; i++) {
    if (training.get(i)) trainX.push(rowOf(i)), trainY.push(y[i]);
    else testX.push(rowOf(i)), testY.push(y[i]);
  }
  const forest = new RandomForestRegression({
    nEstimators: Number(params.nEstimators ?? 20),
    maxFeatures: Number(params.maxFeatures ?? 1),
    treeOptions: { maxDepth: Number(params.maxDepth ?? 8) },
    seed,
    noOOB: true,
  });
  forest.train(trainX, trainY);
  const predicted = forest.predict(testX);
  return { r2: r2(testY, predicted), mae: mae(testY, predicted), rmse: rmse(testY, predicted) };
}
