"""Numeric features for the probes that fit their own models (adversarial groups, shift).

The auditor's headline use feeds raw sequences (an object array of ``str``, a
Series, a DataFrame with a text column) into a Pipeline whose first steps make
the features (``KmerVectorizer``...).  Probes that need a numeric matrix never
cast ``X`` to float themselves: they use ``X`` as it is when it is numeric,
else the user's own featurizing steps (the Pipeline without its final
estimator, samplers left out because they change the rows), else they report
"not run" with the reason.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone

#: Densify a sparse featurized matrix only up to this many cells (the shift probe's
#: gradient boosting and per-feature KS need dense columns).
MAX_DENSE_CELLS = 20_000_000


def as_numeric(X):
    """``X`` as a 2-D float array (or sparse matrix), or None when it holds text.

    Parameters
    ----------
    X : array-like, sparse matrix, Series or DataFrame

    Returns
    -------
    ndarray, sparse matrix or None

    Examples
    --------
    >>> as_numeric([[1, 2], [3, 4]]).dtype.name
    'float64'
    >>> as_numeric(np.array(["ACGT", "GGCC"], dtype=object)) is None
    True
    >>> as_numeric(pd.DataFrame({"seq": ["AC", "GT"], "gc": [0.5, 0.5]})) is None
    True
    """
    if sparse.issparse(X):
        return X.astype(np.float64)
    if isinstance(X, pd.DataFrame):
        if not all(pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
                   for t in X.dtypes):
            return None
        return X.to_numpy(dtype=np.float64)
    if isinstance(X, pd.Series):
        if not pd.api.types.is_numeric_dtype(X.dtype):
            return None
        return X.to_numpy(dtype=np.float64)[:, None]
    try:
        array = np.asarray(X)
    except Exception:  # noqa: BLE001 - ragged or exotic containers are "not numeric"
        return None
    if array.dtype.kind not in "biuf":
        if array.dtype.kind != "O":
            return None
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            return None
    array = array.astype(np.float64, copy=False)
    if array.ndim == 1:
        array = array[:, None]
    return array if array.ndim == 2 else None


def featurizer_steps(estimator):
    """The steps of a Pipeline before its final estimator, samplers and passthrough left out.

    Returns an empty list when ``estimator`` is not a Pipeline of two or more steps.
    """
    steps = getattr(estimator, "steps", None)
    if not steps or len(steps) < 2:
        return []
    return [step for _, step in steps[:-1]
            if step is not None and step != "passthrough" and not hasattr(step, "fit_resample")]


def numeric_features(estimator, X, y, *others):
    """Numeric versions of ``X`` (and of ``others``, e.g. ``X_new``) for a probe's own model.

    Parameters
    ----------
    estimator : estimator
        The audited estimator; when ``X`` holds text and this is a Pipeline,
        its featurizing steps are fitted on ``(X, y)`` and applied to every input.
    X : array-like
    y : array-like
    *others : array-like
        More inputs to featurize the same way.

    Returns
    -------
    arrays : list or None
        ``[X, *others]`` as float matrices (dense, or sparse when large), or None.
    how : str
        Where the features came from, or why there are none (for a "not run" finding).

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> pipe = make_pipeline(CountVectorizer(analyzer="char"), LogisticRegression())
    >>> arrays, how = numeric_features(pipe, np.array(["ACGT", "GGCC"], dtype=object), [0, 1])
    >>> arrays[0].shape, how
    ((2, 4), "the features made by the Pipeline's steps (CountVectorizer) fitted on X")
    >>> numeric_features(LogisticRegression(), ["ACGT", "GGCC"], [0, 1])[0] is None
    True
    """
    inputs = (X, *others)
    numeric = [as_numeric(a) for a in inputs]
    if all(a is not None for a in numeric):
        return numeric, "the features as given"
    steps = featurizer_steps(estimator)
    if not steps:
        return None, ("X is not numeric (it holds text, e.g. sequences) and the estimator is "
                      "not a Pipeline whose first steps make numeric features")
    names = ", ".join(type(s).__name__ for s in steps)
    try:
        fitted, Xt = [], X
        for step in steps:
            step = clone(step)
            Xt = step.fit(Xt, np.asarray(y)).transform(Xt)
            fitted.append(step)
        out = [Xt]
        for other in others:
            Ot = other
            for step in fitted:
                Ot = step.transform(Ot)
            out.append(Ot)
    except Exception as err:  # noqa: BLE001 - user code
        return None, (f"X is not numeric and the Pipeline's steps ({names}) could not "
                      f"featurize it: {type(err).__name__}: {err}"[:300])
    converted = [as_numeric(a) for a in out]
    if any(a is None for a in converted):
        return None, f"the Pipeline's steps ({names}) do not give numeric features"
    return converted, f"the features made by the Pipeline's steps ({names}) fitted on X"


def dense_or_none(matrix):
    """A dense array, or None when a sparse ``matrix`` is too large to densify."""
    if not sparse.issparse(matrix):
        return np.asarray(matrix)
    if matrix.shape[0] * matrix.shape[1] > MAX_DENSE_CELLS:
        return None
    return matrix.toarray()
