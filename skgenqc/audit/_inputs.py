"""Inputs the auditor refuses before fitting: a constant target, NaN where no step can take it.

Each of these would otherwise make every fit fail (hundreds of them, with an
audit of "nothing measured"), so the error comes first and names the column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from skgenqc.audit._features import as_numeric


def check_target(y):
    """Raise ValueError for a target with NaN or a single value.

    Examples
    --------
    >>> check_target(np.array([1, 1, 1]))
    Traceback (most recent call last):
    ...
    ValueError: y is constant: all 3 values are 1. An audit compares scores, which need at least two classes (or two distinct values of a continuous target); check that --target / y is the column you meant.
    """
    y = np.asarray(y)
    if y.dtype.kind in "fc":
        bad = np.isnan(y)
    else:
        bad = pd.isna(pd.Series(y, dtype=object)).to_numpy()
    if bad.any():
        raise ValueError(f"y holds NaN (missing) in {int(bad.sum())} of {len(y)} rows (first at "
                         f"row {int(np.flatnonzero(bad)[0])}); every sample needs a target: drop "
                         "those rows or fill them.")
    values = pd.unique(pd.Series(y, dtype=object))
    if len(values) < 2:
        shown = values[0] if len(values) else "none"
        raise ValueError(f"y is constant: all {len(y)} values are {shown!r}. An audit compares "
                         "scores, which need at least two classes (or two distinct values of a "
                         "continuous target); check that --target / y is the column you meant.")


def _is_imputer(step):
    cls = type(step)
    return cls.__module__.startswith("sklearn.impute") or cls.__name__.endswith("Imputer")


def _allows_nan(step):
    from sklearn.utils import get_tags

    try:
        return bool(get_tags(step).input_tags.allow_nan)
    except Exception:  # noqa: BLE001 - a third-party object without scikit-learn's tags
        return False


def _contains_imputer(step):
    if _is_imputer(step):
        return True
    if hasattr(step, "get_params"):
        try:
            params = step.get_params(deep=True)
        except Exception:  # noqa: BLE001
            return False
        return any(_is_imputer(v) for v in params.values() if hasattr(v, "fit"))
    return False


def accepts_nan(estimator):
    """Whether ``estimator`` (a Pipeline: its steps in order) can be fitted on data with NaN.

    NaN reaches a step unless an earlier one imputes it; a step accepts it
    when scikit-learn's tags say so (``HistGradientBoostingClassifier``,
    ``StandardScaler``...).  Composite steps (``ColumnTransformer``) holding an
    imputer count as imputing.

    Examples
    --------
    >>> from sklearn.impute import SimpleImputer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> accepts_nan(LogisticRegression()), accepts_nan(make_pipeline(SimpleImputer(), LogisticRegression()))
    (False, True)
    >>> accepts_nan(make_pipeline(StandardScaler(), LogisticRegression()))
    False
    """
    steps = [s for _, s in getattr(estimator, "steps", [(None, estimator)])
             if s is not None and not (isinstance(s, str) and s == "passthrough")]
    for step in steps:
        if _contains_imputer(step):
            return True
        if hasattr(step, "steps"):
            if accepts_nan(step):
                continue
            return False
        if not _allows_nan(step):
            return False
    return True


def _nan_columns(X):
    """``(names, counts, first_rows, n_rows)`` of the numeric columns of ``X`` holding NaN."""
    if isinstance(X, pd.DataFrame):
        mask = X.isna()
        bad = mask.any(axis=0)
        names = [f"column {c!r}" for c in X.columns[bad.to_numpy()]]
        counts = mask.sum(axis=0)[bad].astype(int).tolist()
        first = [int(np.flatnonzero(mask[c].to_numpy())[0]) for c in X.columns[bad.to_numpy()]]
        return names, counts, first, len(X)
    numeric = as_numeric(X)
    if numeric is None:
        return [], [], [], 0
    if sparse.issparse(numeric):
        coo = numeric.tocoo()
        nan = np.isnan(coo.data)
        cols, rows = coo.col[nan], coo.row[nan]
        order = np.unique(cols)
        return ([f"column {c}" for c in order], [int((cols == c).sum()) for c in order],
                [int(rows[cols == c].min()) for c in order], numeric.shape[0])
    numeric = np.asarray(numeric, dtype=float)
    if numeric.ndim == 1:
        numeric = numeric[:, None]
    mask = np.isnan(numeric)
    order = np.flatnonzero(mask.any(axis=0))
    return ([f"column {c}" for c in order], mask[:, order].sum(axis=0).astype(int).tolist(),
            [int(np.flatnonzero(mask[:, c])[0]) for c in order], numeric.shape[0])


def _nan_message(what, X, consequence, fix):
    names, counts, first, n = _nan_columns(X)
    if not names:
        return None
    head = names[0]
    others = (f" (and {len(names) - 1} more: {', '.join(names[1:6])}"
              + (", ..." if len(names) > 6 else "") + ")") if len(names) > 1 else ""
    return (f"{what} {head} holds NaN in {counts[0]} of {n} rows (first at row {first[0]})"
            f"{others}; {consequence}. {fix}")


def check_features(estimator, X):
    """Raise ValueError naming the first feature column with NaN, unless the estimator takes NaN.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = pd.DataFrame({"gc": [0.4, np.nan, 0.5], "length": [200, 210, 190]})
    >>> check_features(LogisticRegression(), X)
    Traceback (most recent call last):
    ...
    ValueError: X column 'gc' holds NaN in 1 of 3 rows (first at row 1); LogisticRegression does not accept missing values, so every fit would fail. Impute inside the Pipeline (sklearn.impute.SimpleImputer), drop those rows, or use an estimator that accepts NaN (HistGradientBoostingClassifier).
    """
    if accepts_nan(estimator):
        return
    final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
    message = _nan_message(
        "X", X, f"{type(final).__name__} does not accept missing values, so every fit would fail",
        "Impute inside the Pipeline (sklearn.impute.SimpleImputer), drop those rows, or use an "
        "estimator that accepts NaN (HistGradientBoostingClassifier).")
    if message:
        raise ValueError(message)


def check_confounders(confounders):
    """Raise ValueError naming the first confounder column with NaN.

    The confounder-only model is a standardised logistic regression, which does
    not take missing values.

    Examples
    --------
    >>> check_confounders(pd.DataFrame({"gc": [0.4, 0.5], "depth": [3.0, np.nan]}))
    Traceback (most recent call last):
    ...
    ValueError: confounders column 'depth' holds NaN in 1 of 2 rows (first at row 1); the confounder-only model (a standardised logistic regression) cannot be fitted with missing values. Fill or drop those rows, or leave the column out of confounders.
    """
    frame = confounders if isinstance(confounders, pd.DataFrame) else pd.DataFrame(confounders)
    message = _nan_message(
        "confounders", frame,
        "the confounder-only model (a standardised logistic regression) cannot be fitted with "
        "missing values", "Fill or drop those rows, or leave the column out of confounders.")
    if message:
        raise ValueError(message)
