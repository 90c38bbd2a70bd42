"""The scikit-learn / pandas side of the bench suite (run by /usr/bin/python3, Debian's python3-sklearn and
python3-pandas). Modes:
  readcsv FILE                      pandas.read_csv throughput and peak RSS
  readfeather FILE / readparquet FILE   the same for pandas.read_feather / read_parquet (need pyarrow)
  grid FILE FOLDS MODEL GRID N_JOBS GridSearchCV on the CSV (target column "target"), folds from the raw uint8 file
                                    FOLDS (the same assignment as ours, through PredefinedSplit), grid as JSON in
                                    our parameter names. Prints one JSON object; {"missing": ...} when not installed.
  classify FILE FOLDS MODEL GRID N_JOBS
                                    GridSearchCV of RandomForestClassifier(max_features="sqrt") or LogisticRegression
                                    (regParam λ as C = 1/(λ·n_train)) on a classification CSV (target: class
                                    indices), scored by log loss, on our folds; prints ms and the best log loss.
  boost FILE FOLDS                  one fit on a holdout's training rows (FOLDS: 255 train, 0 test) of scikit-learn's
                                    HistGradientBoostingRegressor and XGBoost's XGBRegressor (hist), 100 iterations,
                                    learning rate 0.1 (HGB: 31 leaves, 20 rows per leaf, no early stopping; XGBoost:
                                    depth 6), both on all cores; prints each one's fit ms and test r2
  boostgrid FILE FOLDS GRID         GridSearchCV over HistGradientBoostingRegressor (our names: learningRate,
                                    iterations) on our folds, n_jobs=1 (HGB itself runs on every core)
  optuna FILE FOLDS SPACE TRIALS SEED N_JOBS
                                    Optuna's TPESampler(seed) over RandomForestRegressor, the mean CV r2 on the same
                                    folds as the objective; SPACE as JSON {name: [min, max, log]} in our names.
"""
import json, resource, sys, time, warnings

def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def main():
    mode = sys.argv[1]
    try:
        import numpy as np
        import pandas as pd
    except ImportError as e:
        print(json.dumps({"missing": str(e)})); return
    if mode in ("readfeather", "readparquet"):
        try:
            import pyarrow  # noqa: F401
        except ImportError as e:
            print(json.dumps({"missing": str(e)})); return
        t0 = time.perf_counter()
        df = pd.read_feather(sys.argv[2]) if mode == "readfeather" else pd.read_parquet(sys.argv[2])
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({"ms": ms, "rows": len(df), "maxRssMB": rss_mb(), "pandas": pd.__version__})); return
    if mode == "readcsv":
        t0 = time.perf_counter()
        df = pd.read_csv(sys.argv[2])
        ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({"ms": ms, "rows": len(df), "maxRssMB": rss_mb(), "pandas": pd.__version__})); return
    try:
        import sklearn
        from sklearn.ensemble import RandomForestRegressor
        from sklearn.linear_model import ElasticNet
        from sklearn.model_selection import GridSearchCV, PredefinedSplit
    except ImportError as e:
        print(json.dumps({"missing": str(e)})); return
    if mode == "optuna":
        return optuna_search(*sys.argv[2:])
    if mode == "boost":
        return boost(*sys.argv[2:])
    if mode == "boostgrid":
        return boost_grid(*sys.argv[2:])
    if mode == "classify":
        return classify(*sys.argv[2:])
    path, folds_path, model, grid, n_jobs = sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5]), int(sys.argv[6])
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy()
    X = df.to_numpy()
    folds = np.fromfile(folds_path, dtype=np.uint8).astype(np.int64)
    folds[folds == 255] = -1  # a holdout's training rows: never a test row
    if model == "rf":
        est = RandomForestRegressor(random_state=0, max_features=1.0)
        names = {"numTrees": "n_estimators", "maxDepth": "max_depth", "minSamplesLeaf": "min_samples_leaf", "bootstrap": "bootstrap"}
        conv = lambda k, v: None if (k == "maxDepth" and v == "none") else v
    else:
        est = ElasticNet()  # sklearn's defaults (tol 1e-4, max_iter 1000): tol 1e-6 took > 6 min at 1M rows with alpha 0
        names = {"regParam": "alpha", "elasticNetParam": "l1_ratio"}
        conv = lambda k, v: v
    param_grid = {names[k]: [conv(k, v) for v in vs] for k, vs in grid.items() if k in names}
    warnings.filterwarnings("ignore")  # alpha=0 and convergence notes: timing, not advice
    search = GridSearchCV(est, param_grid, cv=PredefinedSplit(folds), scoring="r2", n_jobs=n_jobs, refit=False)
    t0 = time.perf_counter()
    search.fit(X, y)
    ms = (time.perf_counter() - t0) * 1000
    best = int(np.argmax(search.cv_results_["mean_test_score"]))
    print(json.dumps({"ms": ms, "configs": len(search.cv_results_["params"]), "bestR2": float(search.cv_results_["mean_test_score"][best]),
                      "bestParams": {k: (None if v is None else v) for k, v in search.cv_results_["params"][best].items()},
                      "maxRssMB": rss_mb(), "sklearn": sklearn.__version__}))

HGB = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, early_stopping=False)

def boost(path, folds_path):
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.metrics import r2_score
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy()
    X = df.to_numpy()
    folds = np.fromfile(folds_path, dtype=np.uint8)
    tr, te = folds == 255, folds == 0
    out = {}
    t0 = time.perf_counter()
    m = HistGradientBoostingRegressor(**HGB).fit(X[tr], y[tr])
    out["hgb"] = {"ms": (time.perf_counter() - t0) * 1000, "r2": r2_score(y[te], m.predict(X[te]))}
    try:
        import xgboost
        t0 = time.perf_counter()
        x = xgboost.XGBRegressor(tree_method="hist", n_estimators=100, learning_rate=0.1, max_depth=6, n_jobs=0).fit(X[tr], y[tr])
        out["xgb"] = {"ms": (time.perf_counter() - t0) * 1000, "r2": r2_score(y[te], x.predict(X[te])), "version": xgboost.__version__}
    except ImportError as e:
        out["xgb"] = {"missing": str(e)}
    print(json.dumps(out))

def boost_grid(path, folds_path, grid_json):
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.model_selection import GridSearchCV, PredefinedSplit
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy()
    X = df.to_numpy()
    folds = np.fromfile(folds_path, dtype=np.uint8).astype(np.int64)
    folds[folds == 255] = -1
    grid = json.loads(grid_json)
    names = {"learningRate": "learning_rate", "iterations": "max_iter"}
    search = GridSearchCV(HistGradientBoostingRegressor(**{k: v for k, v in HGB.items() if k not in ("max_iter", "learning_rate")}),
                          {names[k]: v for k, v in grid.items()}, cv=PredefinedSplit(folds), scoring="r2", n_jobs=1, refit=False)
    t0 = time.perf_counter()
    search.fit(X, y)
    ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"ms": ms, "bestR2": float(np.max(search.cv_results_["mean_test_score"])), "configs": len(search.cv_results_["params"])}))

def classify(path, folds_path, model, grid_json, n_jobs):
    import numpy as np
    import pandas as pd
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, PredefinedSplit
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy().astype(np.int64)
    X = df.to_numpy()
    folds = np.fromfile(folds_path, dtype=np.uint8).astype(np.int64)
    grid = json.loads(grid_json)
    k = int(folds.max()) + 1
    n_train = len(y) * (k - 1) / k
    if model == "rf":
        est = RandomForestClassifier(random_state=0, max_features="sqrt")
        names = {"numTrees": "n_estimators", "maxDepth": "max_depth", "minSamplesLeaf": "min_samples_leaf", "criterion": "criterion"}
        param_grid = {names[k]: [None if v == "none" else v for v in vs] for k, vs in grid.items()}
    else:
        est = make_pipeline(StandardScaler(), LogisticRegression(max_iter=10000))
        param_grid = {"logisticregression__C": [1 / (v * n_train) for v in grid["regParam"]]}
    warnings.filterwarnings("ignore")
    search = GridSearchCV(est, param_grid, cv=PredefinedSplit(folds), scoring="neg_log_loss", n_jobs=int(n_jobs), refit=False)
    t0 = time.perf_counter()
    search.fit(X, y)
    ms = (time.perf_counter() - t0) * 1000
    best = int(np.argmax(search.cv_results_["mean_test_score"]))
    print(json.dumps({"ms": ms, "configs": len(search.cv_results_["params"]), "bestLogLoss": -float(search.cv_results_["mean_test_score"][best]),
                      "maxRssMB": rss_mb(), "sklearn": sklearn.__version__}))

def optuna_search(path, folds_path, space_json, trials, seed, n_jobs):
    try:
        import optuna
    except ImportError as e:
        print(json.dumps({"missing": str(e)})); return
    import numpy as np
    import pandas as pd
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.model_selection import PredefinedSplit, cross_val_score
    df = pd.read_csv(path)
    y = df.pop("target").to_numpy()
    X = df.to_numpy()
    folds = np.fromfile(folds_path, dtype=np.uint8).astype(np.int64)
    cv = PredefinedSplit(folds)
    space = json.loads(space_json)
    names = {"numTrees": "n_estimators", "maxDepth": "max_depth", "minSamplesLeaf": "min_samples_leaf", "maxFeatures": "max_features"}
    def objective(trial):
        params = {}
        for k, (lo, hi, log) in space.items():
            if isinstance(lo, int) and isinstance(hi, int):
                params[names[k]] = trial.suggest_int(k, lo, hi, log=log)
            else:
                params[names[k]] = trial.suggest_float(k, lo, hi, log=log)
        est = RandomForestRegressor(random_state=0, n_jobs=int(n_jobs), **params)
        return float(cross_val_score(est, X, y, cv=cv, scoring="r2").mean())
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=int(seed)))
    t0 = time.perf_counter()
    study.optimize(objective, n_trials=int(trials))
    ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"ms": ms, "bestR2": study.best_value, "bestParams": study.best_params, "maxRssMB": rss_mb(), "optuna": optuna.__version__}))

main()
