"""In-fold transformers: known answers, leak-free use in pipelines, API checks, bad inputs.

scikit-learn's ``parametrize_with_checks`` runs on ConfounderRegressor (with
column indices; names need a DataFrame, which most checks do not give),
EffectSizeSelector and UnivariateTopK (F test and mutual information).  All
checks pass; none is marked as an expected failure.  Notes:

- ConfounderRegressor with ``confounders=[0]`` on one-column X has nothing
  left to residualise; it raises the "1 feature(s)" ValueError that
  ``check_fit2d_1feature`` accepts.
- UnivariateTopK refuses a single example (``check_fit2d_1sample`` accepts the
  "1 sample(s)" ValueError): mutual information needs neighbours.
- EffectSizeSelector declares ``allow_nan`` (methylation arrays have missing
  beta values; class means ignore them), so the NaN-rejection checks are
  replaced by scikit-learn's NaN-acceptance ones.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import Pipeline as ImbPipeline
from imblearn.under_sampling import RandomUnderSampler
from sklearn.base import clone
from sklearn.feature_selection import SelectKBest
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import StratifiedKFold, cross_val_score, cross_validate
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVR
from sklearn.utils.estimator_checks import parametrize_with_checks

from skgenqc.preprocessing import ConfounderRegressor, EffectSizeSelector, UnivariateTopK


@parametrize_with_checks([
    ConfounderRegressor([0]),
    ConfounderRegressor([0], keep_confounders=True, model=Ridge()),
    EffectSizeSelector(),
    EffectSizeSelector(0.5, effect="cohens_d", max_features=2),
    UnivariateTopK(k=2),
    UnivariateTopK(k=2, score_func="mutual_info", random_state=0),
])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


# --- ConfounderRegressor ----------------------------------------------------------------------

def _confounded(seed=0, n=600):
    """Features driven by GC plus noise; the label depends on GC only."""
    rng = np.random.default_rng(seed)
    gc = rng.uniform(0.3, 0.7, n)
    X = pd.DataFrame(rng.normal(0, 0.05, (n, 5)), columns=[f"f{j}" for j in range(5)])
    X = X.add(np.outer(gc, [2.0, -1.0, 0.5, 3.0, 0.0]), axis=0)
    X.insert(2, "gc", gc)
    y = (gc + rng.normal(0, 0.05, n) > 0.5).astype(int)
    return X, y, gc


def test_confounder_regression_removes_planted_linear_confound():
    X, _, gc = _confounded()
    assert abs(np.corrcoef(X["f3"], gc)[0, 1]) > 0.9
    out = ConfounderRegressor("gc").set_output(transform="pandas").fit_transform(X)
    assert list(out.columns) == ["f0", "f1", "f2", "f3", "f4"]
    for col in out.columns:
        assert abs(np.corrcoef(out[col], gc)[0, 1]) < 1e-8
    # learned on one half, applied to the other: still close to zero
    X, _, gc = _confounded(n=4000)
    cr = ConfounderRegressor(["gc"]).fit(X.iloc[:2000])
    held_out = cr.transform(X.iloc[2000:])
    for j in range(held_out.shape[1]):
        assert abs(np.corrcoef(held_out[:, j], gc[2000:])[0, 1]) < 0.1


def test_confounder_regression_keeps_confounders_and_column_order():
    X, _, gc = _confounded()
    cr = ConfounderRegressor(["gc"], keep_confounders=True).set_output(transform="pandas")
    out = cr.fit_transform(X)
    assert list(out.columns) == list(X.columns)
    assert np.allclose(out["gc"], gc)
    assert cr.confounder_indices_.tolist() == [2]
    arr = ConfounderRegressor([2]).fit_transform(X.to_numpy())
    assert np.allclose(arr, out.drop(columns="gc").to_numpy())
    names = ConfounderRegressor([2]).fit(X.to_numpy()).get_feature_names_out()
    assert names.tolist() == ["x0", "x1", "x3", "x4", "x5"]


def test_confounder_regression_with_other_models():
    X, _, gc = _confounded()
    ridge = ConfounderRegressor("gc", model=Ridge(alpha=1e-6)).fit(X)
    assert isinstance(ridge.model_, Ridge)
    svr = ConfounderRegressor("gc", model=SVR(kernel="linear", C=10, epsilon=0.01)).fit(X)
    assert isinstance(svr.model_, MultiOutputRegressor)
    out = svr.transform(X)
    assert abs(np.corrcoef(out[:, 3], gc)[0, 1]) < 0.2
    assert svr.model is not None and not hasattr(svr.model, "estimators_")  # cloned, untouched


def test_confounder_regression_in_a_pipeline_removes_the_shortcut():
    X, y, _ = _confounded()
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    raw = cross_val_score(LogisticRegression(max_iter=1000), X.drop(columns="gc"), y,
                          cv=cv, scoring="roc_auc")
    gc_only = cross_val_score(LogisticRegression(), X[["gc"]], y, cv=cv, scoring="roc_auc")
    pipe = make_pipeline(ConfounderRegressor("gc"), LogisticRegression(max_iter=1000))
    corrected = cross_val_score(pipe, X, y, cv=cv, scoring="roc_auc")
    assert raw.mean() > 0.9 and gc_only.mean() > 0.9
    assert corrected.mean() < 0.65


def test_confounder_regressor_bad_inputs():
    X, _, _ = _confounded()
    with pytest.raises(ValueError, match=r"\['GC'\] are not in X; available columns: .*'gc'"):
        ConfounderRegressor(["GC"]).fit(X)
    with pytest.raises(ValueError, match="'gc' is a column name, but X has no column names"):
        ConfounderRegressor("gc").fit(X.to_numpy())
    with pytest.raises(ValueError, match="column index 9 is out of range for X with 6 columns"):
        ConfounderRegressor([9]).fit(X)
    with pytest.raises(ValueError, match="covers all of them"):
        ConfounderRegressor(list(X.columns)).fit(X)
    with pytest.raises(ValueError, match="more than once"):
        ConfounderRegressor(["gc", 2]).fit(X)
    with pytest.raises(ValueError, match="empty"):
        ConfounderRegressor([]).fit(X)
    X_nan = X.copy()
    X_nan.loc[3, "gc"] = np.nan
    with pytest.raises(ValueError, match=r"\['gc'\] contain missing values"):
        ConfounderRegressor("gc").fit(X_nan)
    X_const = X.assign(batch=1.0)
    with pytest.warns(UserWarning, match=r"\['batch'\] are constant"):
        ConfounderRegressor(["gc", "batch"]).fit(X_const)
    with pytest.raises(TypeError, match="model"):
        ConfounderRegressor("gc", model="ols").fit(X)
    with pytest.raises(TypeError, match="neither a column name"):
        ConfounderRegressor([1.5]).fit(X)
    fitted = ConfounderRegressor("gc").fit(X)
    with pytest.raises(ValueError, match="features"):
        fitted.transform(X.to_numpy()[:, :4])


def test_confounder_regressor_clone_and_params():
    cr = ConfounderRegressor(["gc"], model=Ridge(), keep_confounders=True)
    twin = clone(cr)
    assert twin.get_params()["confounders"] == ["gc"]
    assert twin.get_params()["keep_confounders"] is True


# --- selectors ----------------------------------------------------------------------------------

def _methylation(seed=0, n=200, p=500, planted=(3, 17, 250, 499)):
    """Beta values in [0, 1]; planted probes differ by 0.3 between classes."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.zeros(n // 2, int), np.ones(n - n // 2, int)]
    X = np.clip(rng.normal(0.5, 0.08, (n, p)), 0, 1)
    X[np.ix_(y == 1, list(planted))] += 0.3
    return np.clip(X, 0, 1), y, list(planted)


def test_effect_size_selector_picks_planted_probes():
    X, y, planted = _methylation()
    sel = EffectSizeSelector(0.2).fit(X, y)
    assert sel.get_support(indices=True).tolist() == planted
    d = EffectSizeSelector(2.0, effect="cohens_d").fit(X, y)
    assert d.get_support(indices=True).tolist() == planted
    top2 = EffectSizeSelector(0.2, max_features=2).fit(X, y)
    assert len(top2.get_support(indices=True)) == 2
    assert set(top2.get_support(indices=True)) <= set(planted)
    only_cap = EffectSizeSelector(None, max_features=4).fit(X, y)
    assert only_cap.get_support(indices=True).tolist() == planted


def test_effect_size_selector_nan_multiclass_and_pandas():
    X, y, planted = _methylation()
    X[::7, 3] = np.nan
    y3 = y.copy()
    y3[:30] = 2
    sel = EffectSizeSelector(0.2).fit(X, y3)
    assert set(planted) <= set(sel.get_support(indices=True))
    assert sel.class_means_.shape == (3, X.shape[1])
    df = pd.DataFrame(X, columns=[f"cg{j:05d}" for j in range(X.shape[1])])
    out = EffectSizeSelector(0.2).set_output(transform="pandas").fit(df, y).transform(df)
    assert list(out.columns) == [f"cg{j:05d}" for j in planted]


def test_univariate_top_k_picks_planted_features_and_caps_k():
    X, y, planted = _methylation()
    sel = UnivariateTopK(k=4).fit(X, y)
    assert sel.get_support(indices=True).tolist() == planted
    mi = UnivariateTopK(k=2, score_func="mutual_info", random_state=0).fit(X[:, :60], y)
    assert mi.get_support(indices=True).tolist() == [3, 17]  # the planted probes among 60
    again = UnivariateTopK(k=2, score_func="mutual_info", random_state=0).fit(X[:, :60], y)
    assert np.array_equal(mi.scores_, again.scores_)
    capped = UnivariateTopK(k=100).fit(X[:, :10], y)
    assert capped.k_ == 10 and capped.get_support().all()
    custom = UnivariateTopK(
        k=1, score_func=lambda X, y: np.abs(X[y == 1].mean(0) - X[y == 0].mean(0)))
    assert custom.fit(X, y).get_support(indices=True)[0] in planted
    df = pd.DataFrame(X, columns=[f"p{j}" for j in range(X.shape[1])])
    names = UnivariateTopK(k=4).fit(df, y).get_feature_names_out().tolist()
    assert names == [f"p{j}" for j in planted]


def test_selector_bad_inputs():
    X, y, _ = _methylation()
    with pytest.raises(ValueError, match="effect"):
        EffectSizeSelector(effect="t_test").fit(X, y)
    with pytest.raises(ValueError, match="threshold"):
        EffectSizeSelector(-0.1).fit(X, y)
    with pytest.raises(ValueError, match="at least 2 classes"):
        EffectSizeSelector().fit(X, np.zeros(len(y)))
    with pytest.raises(ValueError, match="score_func"):
        UnivariateTopK(score_func="anova").fit(X, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        UnivariateTopK().fit(X, np.linspace(0, 1, len(y)))


def test_selection_inside_cv_is_honest_and_outside_is_not():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2000))
    y = rng.integers(0, 2, 100)
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    leaky_X = SelectKBest(k=20).fit_transform(X, y)
    leaky = cross_val_score(LogisticRegression(), leaky_X, y, cv=cv).mean()
    honest = cross_val_score(make_pipeline(UnivariateTopK(k=20), LogisticRegression()),
                             X, y, cv=cv).mean()
    assert leaky > 0.75
    assert honest < 0.65


def test_balancing_and_selection_inside_an_imblearn_pipeline():
    rng = np.random.default_rng(1)
    n = 2000
    y = (rng.random(n) < 0.05).astype(int)
    X = rng.normal(size=(n, 300))
    X[y == 1, :5] += 0.8
    pipe = ImbPipeline([("balance", RandomUnderSampler(random_state=0)),
                        ("select", UnivariateTopK(k=10)),
                        ("clf", LogisticRegression())])
    scoring = {"auc": "roc_auc"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = cross_validate(pipe, X, y, cv=StratifiedKFold(4), scoring=scoring,
                             return_estimator=True)
    # (test-fold prevalence and size are imbalanced-learn's business, not asserted here)
    assert res["test_auc"].mean() > 0.8
    for est in res["estimator"]:
        assert set(est["select"].get_support(indices=True)) >= {0, 1, 2, 3, 4}
