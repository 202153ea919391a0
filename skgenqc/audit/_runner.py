"""Run many (fold x scheme x permutation) fits through joblib, with a progress bar.

Every fit is one task, so ``n_jobs`` spreads all of an audit's work over the
cores, and joblib's Dask or Ray backends spread it over a cluster unchanged.
A fit that raises is recorded (score NaN, the error text kept), never the
end of the whole audit.
"""

from __future__ import annotations

import time
import traceback

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import check_scoring
from sklearn.utils import _safe_indexing
from tqdm.auto import tqdm


def _labels_in(y, index):
    return np.unique(np.asarray(y)[index])


def fit_and_score(estimator, X, y, train, test, scorer, fit_params=None, keep_predictions=False):
    """Fit a clone on ``train`` and score on ``test``; errors become a record, not a crash.

    Returns
    -------
    dict
        ``score``, ``fit_time``, ``error`` (None or a one-line message),
        ``n_test``, ``test_prevalence`` (share of the last class, for binary y).
    """
    out = {"score": np.nan, "fit_time": 0.0, "score_time": 0.0, "error": None,
           "n_test": len(test), "test_prevalence": np.nan}
    classes = np.unique(y)
    if len(classes) == 2:
        out["test_prevalence"] = float(np.mean(np.asarray(y)[test] == classes[-1]))
    if len(_labels_in(y, test)) < 2 and len(classes) >= 2 and not is_regression(y):
        out["error"] = (f"test fold holds one class only ({_labels_in(y, test).tolist()}); "
                        "a ranking score is undefined there")
        return out
    try:
        model = clone(estimator)
        start = time.perf_counter()
        model.fit(_safe_indexing(X, train), np.asarray(y)[train], **(fit_params or {}))
        out["fit_time"] = time.perf_counter() - start
        start = time.perf_counter()
        X_test = _safe_indexing(X, test)
        out["score"] = float(scorer(model, X_test, np.asarray(y)[test]))
        if keep_predictions:
            out["predictions"] = continuous_predictions(model, X_test)
        out["score_time"] = time.perf_counter() - start
    except Exception as err:  # noqa: BLE001 - any failure of user code is reported per fold
        last = traceback.format_exception_only(type(err), err)[-1].strip()
        out["error"] = last[:300]
    return out


def continuous_predictions(model, X):
    """A ranking score per sample: positive-class probability, decision value or prediction."""
    if hasattr(model, "predict_proba"):
        proba = model.predict_proba(X)
        return proba[:, -1] if proba.shape[1] == 2 else proba
    if hasattr(model, "decision_function"):
        return model.decision_function(X)
    return model.predict(X)


def is_regression(y):
    """Whether ``y`` is a continuous target: floats with more than 20 distinct values."""
    y = np.asarray(y)
    return y.dtype.kind == "f" and len(np.unique(y)) > 20


def run_tasks(tasks, *, n_jobs=None, progress=False, desc="audit"):
    """Run a list of zero-argument-style task tuples ``(func, args, kwargs)`` with joblib.

    The results come back in task order whatever the backend.
    """
    parallel = Parallel(n_jobs=n_jobs, return_as="generator")
    results = parallel(delayed(func)(*args, **kwargs) for func, args, kwargs in tasks)
    return list(tqdm(results, total=len(tasks), desc=desc, disable=not progress, unit="fit"))


def make_scorer_for(estimator, scoring, y):
    """Resolve ``scoring`` with a clear error when the estimator cannot rank.

    For binary targets the default is AU-ROC, which needs ``predict_proba`` or
    ``decision_function``.
    """
    ranking = {"roc_auc", "average_precision", "neg_log_loss", "roc_auc_ovr", "roc_auc_ovo",
               "neg_brier_score"}
    if scoring is None:
        if is_regression(y):
            scoring = "r2"
        else:
            scoring = "roc_auc" if len(np.unique(y)) == 2 else "roc_auc_ovr"
    if isinstance(scoring, str) and scoring in ranking and hasattr(estimator, "fit"):
        final = estimator.steps[-1][1] if hasattr(estimator, "steps") else estimator
        if not (hasattr(final, "predict_proba") or hasattr(final, "decision_function")):
            raise TypeError(
                f"scoring={scoring!r} ranks samples and needs predict_proba or decision_function, "
                f"which {type(final).__name__} lacks; pass scoring='accuracy' (or another "
                "label metric) or an estimator that scores."
            )
    if hasattr(estimator, "fit"):
        return scoring, check_scoring(estimator, scoring=scoring)
    return scoring, None
