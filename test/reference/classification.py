"""scikit-learn 1.2 reference numbers for test/models/classifier-accuracy.test.ts (Debian python3-sklearn).

On our folds (export-folds.mjs), per data set and seed s = 0..9: 5-fold CV mean accuracy and log loss of
  RandomForestClassifier(n_estimators=100, random_state=s)            (gini, max_features="sqrt")
  RandomForestClassifier(n_estimators=100, criterion="entropy", random_state=s)
  LogisticRegression(C=1.0) on StandardScaler'd features, max_iter=10000 (lbfgs, L2)
Prints the means over seeds.   /usr/bin/python3 test/reference/classification.py /tmp/folds.json

Iris is fitted on its measurements × 10 (whole numbers): scikit-learn's trees cast X to float32, so the midpoint
of 1.6 and 1.8 (float32) is 1.69999998 and a test row's 1.7 (float32 1.70000005) falls right of it; whole numbers
are exact in float32, the splits are scale-invariant, and the reference then is the float64 rule sweep follows.
"""
import json, sys
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

folds = json.load(open(sys.argv[1] if len(sys.argv) > 1 else '/tmp/folds.json'))
for name, spec in folds.items():
    df = pd.read_csv(f'datasets/{name}.csv')
    X = df.drop(columns='target').values
    if name == 'iris':
        X = np.round(X * 10)
    y = np.searchsorted(spec['classes'], df['target'].values)
    models = {
        'rf': lambda s: RandomForestClassifier(100, random_state=s),
        'rf-entropy': lambda s: RandomForestClassifier(100, criterion='entropy', random_state=s),
        'logistic': lambda s: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=10000)),
    }
    for mname, make in models.items():
        acc, ll = [], []
        for s, fold_of in enumerate(spec['folds']):
            fold_of = np.array(fold_of)
            a, l = [], []
            for f in range(5):
                tr, te = fold_of != f, fold_of == f
                m = make(s).fit(X[tr], y[tr])
                p = m.predict_proba(X[te])
                a.append(accuracy_score(y[te], p.argmax(1)))
                l.append(log_loss(y[te], p, labels=range(len(spec['classes']))))
            acc.append(np.mean(a)); ll.append(np.mean(l))
        print(f"{name:14s} {mname:10s} accuracy {np.mean(acc):.4f}  log_loss {np.mean(ll):.4f}")
