"""scikit-learn 1.2 pipelines on examples/autos.csv (two text columns, empty and NA cells), on our folds.

Run from the repository root after export-autos-folds.mjs:
    /usr/bin/python3 test/reference/messy.py /tmp/autos-folds.json   (Debian's python3-sklearn, python3-pandas)
Prints, per model, the CV r2 (mean over folds) for each seed; the test commits them as literals.
  linear: SimpleImputer(mean) on the numeric columns, OneHotEncoder(drop="first") on the text ones, LinearRegression
          (least squares: which category is dropped does not change the fit).
  forest: SimpleImputer(mean) + OrdinalEncoder (categories in sorted order, as ours), RandomForestRegressor(100)
          (scikit-learn 1.2's forest takes no missing values).
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

folds = json.load(open(sys.argv[1]))
df = pd.read_csv("examples/autos.csv")
y = df.pop("mpg").to_numpy()
text = ["origin", "brand"]
numeric = [c for c in df.columns if c not in text]
assert len(df) == folds["rows"]


def cv(make, fold_of):
    fold_of = np.asarray(fold_of)
    scores = []
    for f in range(5):
        test = fold_of == f
        model = make()
        model.fit(df[~test], y[~test])
        scores.append(r2_score(y[test], model.predict(df[test])))
    return float(np.mean(scores))


def linear():
    pre = ColumnTransformer([("num", SimpleImputer(strategy="mean"), numeric), ("cat", OneHotEncoder(drop="first"), text)])
    return make_pipeline(pre, LinearRegression())


def forest(seed):
    pre = ColumnTransformer([("num", SimpleImputer(strategy="mean"), numeric), ("cat", OrdinalEncoder(), text)])
    return lambda: make_pipeline(pre, RandomForestRegressor(n_estimators=100, random_state=seed))


out = {
    "linear": [cv(linear, f) for f in folds["folds"]],
    "forest": [cv(forest(seed), f) for seed, f in enumerate(folds["folds"])],
}
print(json.dumps(out, indent=1))
