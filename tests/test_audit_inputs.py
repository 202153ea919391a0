"""Inputs no fit could use are refused before fitting, naming the column: a constant target,
NaN in the target, in a confounder column, or in a feature column the estimator cannot take.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgenqc.audit import LeakageAuditor
from skgenqc.audit._inputs import accepts_nan

FITS = []


class Recording(LogisticRegression):
    """Records every fit, so a test can tell that the error came before any."""

    def fit(self, X, y, sample_weight=None):
        FITS.append(len(X))
        return super().fit(X, y, sample_weight)


def _data(n=80, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = pd.DataFrame({"gc": rng.normal(size=n) + y, "length": rng.normal(size=n),
                      "depth": rng.normal(size=n)})
    return X, y


def _audit(estimator, X, y, **kwargs):
    return LeakageAuditor(estimator, cv=StratifiedKFold(3), n_permutations=2, n_repeats=1,
                          random_state=0).audit(X, y, **kwargs)


@pytest.fixture(autouse=True)
def _no_fits_yet():
    FITS.clear()


def test_constant_target_is_an_error_before_fitting():
    X, y = _data()
    with pytest.raises(ValueError, match=r"y is constant: all 80 values are 1\b"):
        _audit(Recording(), X, np.ones(80, dtype=int))
    assert FITS == []


def test_nan_in_target_names_the_row():
    X, y = _data()
    y = y.astype(float)
    y[7] = np.nan
    with pytest.raises(ValueError, match=r"y holds NaN .* in 1 of 80 rows \(first at row 7\)"):
        _audit(Recording(), X, y)
    assert FITS == []


def test_nan_in_a_feature_column_names_it():
    X, y = _data()
    X.loc[[5, 9], "length"] = np.nan
    with pytest.raises(ValueError, match=r"X column 'length' holds NaN in 2 of 80 rows "
                                         r"\(first at row 5\); Recording does not accept"):
        _audit(Recording(), X, y)
    assert FITS == []
    with pytest.raises(ValueError, match=r"X column 1 holds NaN"):  # an array: its position
        _audit(make_pipeline(StandardScaler(), Recording()), X.to_numpy(), y)
    assert FITS == []


def test_nan_in_a_sparse_feature_column_names_it():
    X, y = _data()
    matrix = sparse.csr_matrix(X.to_numpy())
    matrix.data[matrix.indices == 2] = np.nan
    with pytest.raises(ValueError, match=r"X column 2 holds NaN in 80 of 80 rows"):
        _audit(Recording(), matrix, y)


def test_several_nan_columns_are_listed():
    X, y = _data()
    X.loc[3, ["gc", "depth"]] = np.nan
    with pytest.raises(ValueError, match=r"column 'gc' .*\(and 1 more: column 'depth'\)"):
        _audit(Recording(), X, y)


def test_nan_in_a_confounder_column_names_it():
    X, y = _data()
    confounders = pd.DataFrame({"gc_content": X["gc"], "batch_depth": X["depth"]})
    confounders.loc[11, "batch_depth"] = np.nan
    with pytest.raises(ValueError, match=r"confounders column 'batch_depth' holds NaN in 1 of "
                                         r"80 rows \(first at row 11\)"):
        _audit(Recording(), X, y, confounders=confounders)
    assert FITS == []


def test_estimators_that_take_nan_are_audited():
    X, y = _data()
    X.loc[[5, 9], "length"] = np.nan
    imputed = _audit(make_pipeline(SimpleImputer(), Recording()), X, y)
    assert len(FITS) > 0 and not imputed.scores["error"].notna().any()
    native = _audit(HistGradientBoostingClassifier(max_iter=5), X, y)
    assert not native.scores["error"].notna().any()


def test_a_workflow_gets_x_as_it_is():
    X, y = _data()
    X.loc[5, "gc"] = np.nan

    def workflow(X, y, groups):
        return 0.5 + 0.0 * float(np.nanmean(X.to_numpy()))

    report = LeakageAuditor(workflow, cv=None, n_permutations=2, random_state=0).audit(X, y)
    assert report["workflow_permutation_null"].severity in ("pass", "warn", "fail")


def test_accepts_nan_follows_the_pipeline_steps():
    from sklearn.compose import make_column_transformer

    assert not accepts_nan(LogisticRegression())
    assert accepts_nan(HistGradientBoostingClassifier())
    assert accepts_nan(make_pipeline(SimpleImputer(), LogisticRegression()))
    # StandardScaler passes NaN through; the logistic regression after it cannot take it.
    assert not accepts_nan(make_pipeline(StandardScaler(), LogisticRegression()))
    assert accepts_nan(make_pipeline(StandardScaler(), HistGradientBoostingClassifier()))
    columns = make_column_transformer((SimpleImputer(), [0, 1]), remainder="passthrough")
    assert accepts_nan(make_pipeline(columns, LogisticRegression()))
