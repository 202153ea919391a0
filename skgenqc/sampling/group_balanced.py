"""Balance classes inside every group (chromosome, batch, cell line) without emptying one.

A global under-sampler can leave one chromosome nearly all positive and another
nearly all negative, so the chromosome itself becomes a shortcut (Whalen et al.
2022, pitfall 5 meets pitfall 2).  Balancing within each group keeps every
group's class ratio at 1:1.

How the groups arrive
---------------------
imbalanced-learn 0.14 forwards metadata to ``fit_resample`` only through
scikit-learn's metadata routing; without routing a ``Pipeline`` silently drops
``sampler__groups``.  So this sampler takes the groups in one of two ways and
refuses to guess when neither is given:

- ``fit_resample(X, y, groups=...)``: directly, or inside a Pipeline with
  ``sklearn.set_config(enable_metadata_routing=True)`` and
  ``sampler.set_fit_resample_request(groups=True)``; ``cross_validate(...,
  params={"groups": groups})`` then gives each training fold its own groups.
- ``group_column``: a column of X (a DataFrame column name, or an index) holds
  the group; works with or without routing.  The column stays in X, so drop it
  afterwards (e.g. ``ColumnTransformer([("drop", "drop", ["chrom"])],
  remainder="passthrough")``) if the model should not see it.

X, y and the groups must have one entry per example; a ``ValueError`` names
the three lengths otherwise.  Group ids compare as Python compares them:
numbers by value (``1``, ``1.0`` and ``np.int64(1)`` are one group), strings as
strings.  Ids mixing strings and numbers (``[1, "1", 2.0]``) are refused:
numpy would silently merge the number 1 with the string "1", pandas would not.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import Interval
from sklearn_compat.utils.validation import validate_data

from imblearn.under_sampling.base import BaseUnderSampler
from imblearn.utils import check_target_type
from imblearn.utils._validation import _check_X
from skgenqc.sampling._checks import check_lengths, group_ids
from skgenqc.sampling.matched import _SequenceSamplerTags, _take_per_cell

__all__ = ["GroupBalancedUnderSampler"]


def _group_values(X, group_column):
    if isinstance(X, pd.DataFrame):
        if group_column in X.columns:
            return X[group_column].to_numpy()
        if isinstance(group_column, numbers.Integral) and not isinstance(group_column, bool):
            if -X.shape[1] <= group_column < X.shape[1]:
                return X.iloc[:, group_column].to_numpy()
        shown = list(X.columns[:20]) + (["..."] if X.shape[1] > 20 else [])
        raise ValueError(f"group_column={group_column!r} is not a column of X; "
                         f"available columns: {shown}")
    if not isinstance(group_column, numbers.Integral) or isinstance(group_column, bool):
        raise ValueError(f"group_column={group_column!r} is a name, but X is an array "
                         "without column names; pass a column index or a DataFrame")
    n_features = X.shape[1]
    if not -n_features <= group_column < n_features:
        raise ValueError(f"group_column={group_column} is out of range for X with "
                         f"{n_features} columns")
    col = X[:, [group_column]]
    return (col.toarray() if sparse.issparse(col) else np.asarray(col)).ravel()


class GroupBalancedUnderSampler(_SequenceSamplerTags, BaseUnderSampler):
    """Under-sample so that classes are balanced within every group.

    In a group that holds every class, each class keeps as many examples as the
    group's rarest class (drawn at random).  A group lacking a class cannot be
    balanced; rather than emptying it, ``min_per_group`` of its examples are
    kept (drawn at random) and a warning names it.  Applied only in ``fit`` of
    an :class:`imblearn.pipeline.Pipeline`, i.e. on training folds.

    Parameters
    ----------
    group_column : str or int, default=None
        Column of X holding the group (name for a DataFrame, or index).  Use it
        when metadata routing is off; otherwise pass ``groups`` to
        ``fit_resample``.
    min_per_group : int, default=1
        Examples kept from a group lacking a class (0 drops such groups).  A
        group with fewer examples than this raises a ``ValueError``.
    random_state : int, RandomState instance or None, default=None
        Seed of the draws.

    Attributes
    ----------
    sampling_strategy_ : dict
        imbalanced-learn's global view (every class but the minority is
        resampled); the per-group counts are in ``group_counts_``.
    sample_indices_ : ndarray of int
        Sorted indices of the kept examples.
    group_counts_ : pandas.DataFrame
        Rows: groups; columns ``(before|after, class)``: examples per class.
    unbalanced_groups_ : list
        Groups lacking at least one class.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined only when X has string column names.

    See Also
    --------
    CovariateMatchedUnderSampler : Match covariates (GC, length) across classes.
    imblearn.under_sampling.RandomUnderSampler : Balance classes globally.

    Notes
    -----
    Groups arrive through ``fit_resample(X, y, groups=...)`` (metadata routing
    in a Pipeline: ``set_fit_resample_request(groups=True)``) or through
    ``group_column``; with neither, ``fit_resample`` raises rather than
    silently balance globally.

    Examples
    --------
    >>> X = np.arange(12).reshape(-1, 1)
    >>> y = np.array([1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0])
    >>> chrom = np.array(["chr1"] * 4 + ["chr2"] * 4 + ["chr3"] * 4)
    >>> sampler = GroupBalancedUnderSampler(random_state=0)
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     X_res, y_res = sampler.fit_resample(X, y, groups=chrom)
    >>> print(w[0].message)  # doctest: +ELLIPSIS
    group(s) ['chr3'] lack class(es) ...
    >>> sampler.group_counts_["after"]
          0  1
    chr1  1  1
    chr2  2  2
    chr3  1  0
    """

    # not a constructor parameter: balance is defined per group, not by a global strategy
    sampling_strategy = "auto"

    _parameter_constraints: dict = {
        "group_column": [None, str, numbers.Integral],
        "min_per_group": [Interval(numbers.Integral, 0, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, group_column=None, min_per_group=1, random_state=None):
        self.group_column = group_column
        self.min_per_group = min_per_group
        self.random_state = random_state

    def fit_resample(self, X, y, *, groups=None):
        """Balance classes within each group.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        groups : array-like of shape (n_samples,), default=None
            Group of each example; required unless ``group_column`` is set.
            Ids compare as Python compares them (``1`` and ``1.0`` are one
            group); a mixture of strings and numbers raises ``ValueError``.

        Returns
        -------
        X_resampled, y_resampled
            Same types as the inputs.
        """
        check_lengths(X, y, groups if groups is not None and hasattr(groups, "__len__")
                      else None)
        return super().fit_resample(X, y, groups=groups)

    def _check_X_y(self, X, y):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = _check_X(X)
        X, y = validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def _fit_resample(self, X, y, groups=None):
        if groups is not None and self.group_column is not None:
            raise ValueError(f"groups were passed and group_column={self.group_column!r} is "
                             "set; give the groups one way only")
        if groups is None and self.group_column is None:
            raise ValueError(
                "GroupBalancedUnderSampler needs groups: call fit_resample(X, y, groups=...) "
                "(in a Pipeline: sklearn.set_config(enable_metadata_routing=True) and "
                "sampler.set_fit_resample_request(groups=True)) or set group_column to the "
                "column of X that holds the group")
        if groups is None:
            groups = group_ids(_group_values(X, self.group_column),
                               name=f"group_column={self.group_column!r}")
        else:
            groups = group_ids(groups)
        if groups.ndim != 1 or len(groups) != len(y):
            raise ValueError(f"groups has shape {groups.shape}; expected ({len(y)},), one "
                             "group per example")
        if pd.isna(groups).any():
            raise ValueError("groups contain missing values; give every example a group")
        group_labels, g = np.unique(groups, return_inverse=True)
        classes, k = np.unique(y, return_inverse=True)
        n_g, n_k = len(group_labels), len(classes)
        counts = np.bincount(g * n_k + k, minlength=n_g * n_k).reshape(n_g, n_k)
        complete = (counts > 0).all(axis=1)
        sizes = counts.sum(axis=1)
        too_small = ~complete & (sizes < self.min_per_group)
        if too_small.any():
            bad = {str(group_labels[i]): int(sizes[i]) for i in np.flatnonzero(too_small)}
            raise ValueError(
                f"min_per_group={self.min_per_group} asks for more examples than group(s) "
                f"lacking a class hold ({bad}); lower min_per_group")
        if not complete.any():
            raise ValueError(f"no group holds every class {classes.tolist()}; nothing can be "
                             "balanced within groups")
        # cells: (group, class) for complete groups, the whole group for the others
        cells = np.where(complete[g], g * n_k + k, n_g * n_k + g)
        alloc = np.concatenate([
            np.repeat(np.where(complete, counts.min(axis=1), 0), n_k),
            np.where(complete, 0, self.min_per_group),
        ])
        members = np.arange(len(y))
        kept, _ = _take_per_cell(members, cells, alloc, check_random_state(self.random_state))
        kept = np.sort(kept)
        after = np.bincount(g[kept] * n_k + k[kept], minlength=n_g * n_k).reshape(n_g, n_k)
        self.group_counts_ = pd.concat(
            {"before": pd.DataFrame(counts, index=group_labels, columns=classes),
             "after": pd.DataFrame(after, index=group_labels, columns=classes)}, axis=1)
        self.unbalanced_groups_ = group_labels[~complete].tolist()
        if self.unbalanced_groups_:
            shown = self.unbalanced_groups_[:10] + (
                ["..."] if len(self.unbalanced_groups_) > 10 else [])
            warnings.warn(
                f"group(s) {shown} lack class(es) of {classes.tolist()} and cannot be "
                f"balanced; kept {self.min_per_group} example(s) of each so no group is "
                "emptied", UserWarning, stacklevel=3)
        self.sample_indices_ = kept
        return _safe_indexing(X, kept), _safe_indexing(y, kept)
