"""Supervised feature selectors meant to live inside the cross-validation loop.

Selecting features on all rows and then cross-validating is pitfall 4 of
Whalen et al. 2022: on pure noise, picking the 200 of 10,000 features most
correlated with the label before CV gives ~90 % accuracy.  These selectors
are ordinary scikit-learn transformers, so inside a Pipeline they see only the
training fold, and the test fold is scored honestly.
"""

from __future__ import annotations

import numbers
from functools import partial
from itertools import combinations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.feature_selection import SelectKBest, SelectorMixin, chi2, f_classif
from sklearn.feature_selection import mutual_info_classif
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from skgenqc._core.params import reject_bools

__all__ = ["EffectSizeSelector", "UnivariateTopK"]

_EFFECTS = ("mean_difference", "cohens_d")


def _class_stats(X, y, classes):
    """Per-class nan-aware mean, variance (ddof=1) and non-missing count."""
    means, variances, counts = [], [], []
    for c in classes:
        block = X[y == c]
        n = (~np.isnan(block)).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.nansum(block, axis=0) / n
            var = np.nansum((block - mean) ** 2, axis=0) / (n - 1)
        means.append(mean), variances.append(var), counts.append(n)
    return np.array(means), np.array(variances), np.array(counts)


class EffectSizeSelector(SelectorMixin, BaseEstimator):
    """Keep features whose class means differ by at least ``threshold``.

    The selector behind "differentially methylated probes": a feature is kept
    when the absolute difference of its class means (``effect=
    "mean_difference"``, e.g. 0.2 in beta values) or the absolute Cohen's d
    (``effect="cohens_d"``) reaches ``threshold``.  With more than two classes
    the largest effect over class pairs counts.  Missing values (NaN) are
    ignored in the means.  Fit it inside a Pipeline so the effect sizes come
    from the training fold only.

    Parameters
    ----------
    threshold : float or None, default=0.2
        Minimum absolute effect; None keeps every feature (then use
        ``max_features``).
    effect : {"mean_difference", "cohens_d"}, default="mean_difference"
        Effect size measure.  Cohen's d divides the mean difference by the
        pooled standard deviation.
    max_features : int or None, default=None
        Keep at most this many of the passing features, the largest effects
        first.

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
        Absolute effect size of each feature (0 where it cannot be computed).
    class_means_ : ndarray of shape (n_classes, n_features)
    classes_ : ndarray
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined only when X has string column names.

    See Also
    --------
    UnivariateTopK : Keep the k features with the best univariate test score.

    Examples
    --------
    >>> X = np.array([[0.1, 0.5, 0.9], [0.2, 0.5, 0.8], [0.6, 0.5, 0.3], [0.7, 0.6, 0.2]])
    >>> y = np.array([0, 0, 1, 1])
    >>> sel = EffectSizeSelector(threshold=0.2).fit(X, y)
    >>> sel.get_support().tolist(), sel.scores_.round(2).tolist()
    ([True, False, True], [0.5, 0.05, 0.6])
    """

    _parameter_constraints: dict = {
        "threshold": [Interval(numbers.Real, 0, None, closed="left"), None],
        "effect": [StrOptions(set(_EFFECTS))],
        "max_features": [Interval(numbers.Integral, 1, None, closed="left"), None],
    }

    def __init__(self, threshold=0.2, *, effect="mean_difference", max_features=None):
        self.threshold = threshold
        self.effect = effect
        self.max_features = max_features

    def fit(self, X, y):
        """Compute the effect size of every feature on the training data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            Class labels (two or more classes).

        Returns
        -------
        self
        """
        self._validate_params()
        reject_bools(self, ["max_features"], {"max_features": "an int in the range [1, inf) or None"})
        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan", dtype=np.float64)
        check_classification_targets(y)
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(f"y has {len(classes)} class ({classes.tolist()}); an effect size "
                             "between classes needs at least 2 classes")
        means, variances, counts = _class_stats(X, y, classes)
        scores = np.zeros(X.shape[1])
        with np.errstate(invalid="ignore", divide="ignore"):
            for a, b in combinations(range(len(classes)), 2):
                diff = np.abs(means[a] - means[b])
                if self.effect == "cohens_d":
                    pooled = np.sqrt(((counts[a] - 1) * variances[a]
                                      + (counts[b] - 1) * variances[b])
                                     / (counts[a] + counts[b] - 2))
                    # zero spread: any difference is infinitely large, none is zero
                    diff = np.where(pooled > 0, diff / pooled,
                                    np.where(diff > 0, np.inf, 0.0))
                scores = np.fmax(scores, np.nan_to_num(diff, nan=0.0, posinf=np.inf))
        self.classes_ = classes
        self.class_means_ = means
        self.scores_ = scores
        support = np.ones(X.shape[1], dtype=bool)
        if self.threshold is not None:
            support &= scores >= self.threshold
        if self.max_features is not None and support.sum() > self.max_features:
            order = np.argsort(-np.where(support, scores, -1.0), kind="stable")
            support = np.zeros_like(support)
            support[order[: self.max_features]] = True
        self.support_ = support
        return self

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.support_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        return tags


def _score_func(score_func, random_state):
    if callable(score_func):
        return score_func
    if score_func == "f_classif":
        return f_classif
    if score_func == "chi2":
        return chi2
    if score_func == "mutual_info":
        return partial(mutual_info_classif, random_state=random_state)
    raise ValueError(f"score_func={score_func!r} is not accepted; use 'f_classif', "
                     "'mutual_info', 'chi2' or a callable (X, y) -> scores[, pvalues]")


class UnivariateTopK(SelectorMixin, BaseEstimator):
    """Keep the ``k`` features with the best univariate score (SelectKBest, in-fold).

    A thin wrapper of :class:`~sklearn.feature_selection.SelectKBest` with the
    defaults used for genomic feature matrices: ANOVA F by default, mutual
    information by name (seeded by ``random_state`` so folds are
    reproducible), and ``k`` capped at the number of features instead of
    failing.  Pandas output through ``set_output(transform="pandas")``.

    Parameters
    ----------
    k : int or "all", default=100
        Number of features kept (all of them when X has fewer).
    score_func : {"f_classif", "mutual_info", "chi2"} or callable, default="f_classif"
        Univariate score; a callable takes ``(X, y)`` and returns scores or
        ``(scores, pvalues)``.
    random_state : int, RandomState instance or None, default=None
        Seed for ``score_func="mutual_info"``.

    Attributes
    ----------
    scores_ : ndarray of shape (n_features,)
    pvalues_ : ndarray of shape (n_features,) or None
    k_ : int
        Number of features actually kept.
    selector_ : SelectKBest
        The fitted selector.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined only when X has string column names.

    See Also
    --------
    EffectSizeSelector : Keep features by a class mean difference.
    sklearn.feature_selection.SelectKBest : The wrapped selector.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(100, 20))
    >>> y = np.r_[np.zeros(50), np.ones(50)]
    >>> X[y == 1, 3] += 2
    >>> UnivariateTopK(k=1).fit(X, y).get_support(indices=True).tolist()
    [3]
    """

    _parameter_constraints: dict = {
        "k": [Interval(numbers.Integral, 0, None, closed="left"), StrOptions({"all"})],
        "score_func": [StrOptions({"f_classif", "mutual_info", "chi2"}), callable],
        "random_state": ["random_state"],
    }

    def __init__(self, k=100, *, score_func="f_classif", random_state=None):
        self.k = k
        self.score_func = score_func
        self.random_state = random_state

    def fit(self, X, y):
        """Score every feature on the training data and keep the best ``k``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        self._validate_params()
        reject_bools(self, ["k"], {"k": "an int in the range [0, inf) or a str among {'all'}"})
        # one example cannot be scored (mutual information needs neighbours)
        X, y = validate_data(self, X, y, accept_sparse=["csr", "csc"], ensure_min_samples=2)
        check_classification_targets(y)
        k = X.shape[1] if self.k == "all" else min(self.k, X.shape[1])
        func = _score_func(self.score_func, self.random_state)
        self.selector_ = SelectKBest(func, k=k).fit(X, y)
        self.k_ = k
        self.scores_ = self.selector_.scores_
        self.pvalues_ = self.selector_.pvalues_
        return self

    def _get_support_mask(self):
        check_is_fitted(self)
        return self.selector_.get_support()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.required = True
        return tags
