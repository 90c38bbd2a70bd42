"""scikit-learn 1.2 reference numbers for test/models/gbt-accuracy.test.ts (Debian python3-sklearn).

On our tables and folds (export-gbt.mjs): HistGradientBoostingRegressor / Classifier with max_iter=100,
learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0, max_bins=255,
early_stopping=False (its defaults otherwise), per data set the mean over folds and seeds of r2 (regression) or of
accuracy and log loss (breast-cancer, wine); once on the raw features, once on our bin codes of them (export-gbt.mjs:
binned on all rows, as sweep bins; fitted on those, HistGradientBoosting's bins and ours are the same partitions).   /usr/bin/python3 test/reference/gbt.py /tmp/gbt.json
"""
import json, sys
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.metrics import accuracy_score, log_loss, r2_score

data = json.load(open(sys.argv[1] if len(sys.argv) > 1 else '/tmp/gbt.json'))
params = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=0.0, max_bins=255, early_stopping=False)
for name, spec in data.items():
  for table in ['x', 'codes']:
    X, y = np.array(spec[table]), np.array(spec['y'])
    scores = []
    for fold_of in spec['folds']:
        fold_of = np.array(fold_of)
        for f in sorted(set(fold_of.tolist()) - {-1}):
            tr, te = fold_of != f, fold_of == f
            if name in ('breast-cancer', 'wine'):
                p = HistGradientBoostingClassifier(**params).fit(X[tr], y[tr]).predict_proba(X[te])
                scores.append((accuracy_score(y[te], p.argmax(1)), log_loss(y[te], p, labels=sorted(set(y.tolist())))))
            else:
                scores.append((r2_score(y[te], HistGradientBoostingRegressor(**params).fit(X[tr], y[tr]).predict(X[te])),))
    print(name, table, ' '.join(f'{v:.4f}' for v in np.mean(scores, axis=0)), f'({len(scores)} fits)')
