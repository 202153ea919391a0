"""Shared machinery of the splitters: group validation and balanced group-to-fold assignment."""

from __future__ import annotations

import heapq
import warnings

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator


class SplitterParamsMixin:
    """``get_params``/``set_params`` for splitters, so ``sklearn.base.clone`` works on them.

    scikit-learn's own splitters cannot be cloned; ours can, because users put
    them inside estimators (search objects, auditors) that clone their parameters.
    """

    _get_param_names = classmethod(BaseEstimator._get_param_names.__func__)
    get_params = BaseEstimator.get_params
    set_params = BaseEstimator.set_params


def check_groups(groups, n_samples, *, name="groups", ndim=1):
    """Validate a groups array: right length and shape, no missing ids.

    Parameters
    ----------
    groups : array-like
        One id per sample (``ndim=1``) or one row per sample (``ndim=2``).
    n_samples : int
        Expected length.
    name : str
        Argument name used in messages.
    ndim : {1, 2}
        Expected dimensionality.

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> check_groups(["a", "b"], 2).tolist()
    ['a', 'b']
    """
    if groups is None:
        raise ValueError(f"The '{name}' parameter should not be None.")
    if isinstance(groups, (pd.Series, pd.DataFrame)):
        groups = groups.to_numpy()
    arr = np.asarray(groups, dtype=object if not isinstance(groups, np.ndarray) else None)
    if arr.ndim != ndim:
        shape = "(n_samples,)" if ndim == 1 else "(n_samples, 2)"
        raise ValueError(f"{name} must have shape {shape}, got shape {arr.shape}.")
    if len(arr) != n_samples:
        raise ValueError(f"{name} has {len(arr)} entries but X has {n_samples} samples.")
    missing = pd.isna(pd.DataFrame(arr.reshape(len(arr), -1))).any(axis=1).to_numpy()
    if missing.any():
        i = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"{name}[{i}] is missing (NaN/None); {int(missing.sum())} sample(s) have no group id. "
            "Give every sample a group (e.g. its own id) or drop those samples."
        )
    return arr


def encode_labels(y, n_samples):
    """Integer class codes for stratification (one class when ``y`` is None)."""
    if y is None:
        return np.zeros(n_samples, dtype=np.int64), 1
    y = np.asarray(y)
    if len(y) != n_samples:
        raise ValueError(f"y has {len(y)} entries but X has {n_samples} samples.")
    if y.ndim != 1:
        raise ValueError(f"y must be 1-dimensional for stratification, got shape {y.shape}.")
    _, codes = np.unique(y, return_inverse=True)
    return codes.astype(np.int64), int(codes.max()) + 1 if len(codes) else 1


def group_label_counts(group_codes, label_codes, n_groups, n_labels):
    """(n_groups, n_labels) matrix of sample counts."""
    flat = group_codes * n_labels + label_codes
    return np.bincount(flat, minlength=n_groups * n_labels).reshape(n_groups, n_labels)


def assign_groups_to_folds(counts, n_splits, *, stratify=True, rng=None):
    """Assign whole groups to folds, balancing fold sizes and (optionally) label shares.

    Groups are placed largest first (ties in random order when ``rng`` is
    given).  Each group goes to the fold that minimises the resulting sum of
    squared loads, where a fold's load is its sample count relative to the
    ideal fold size plus, when stratifying, each label's count relative to
    that label's ideal share.  Largest-first greedy placement is the classic
    LPT rule: with heavy-tailed group sizes it keeps folds within a few
    percent of each other whenever no single group exceeds a fold.

    Groups of one sample are interchangeable within a label, so after the
    larger groups are placed they are dealt out in bulk to fill each fold's
    remaining (fold, label) capacity; this is what keeps the assignment fast
    for hundreds of thousands of groups.

    Parameters
    ----------
    counts : numpy.ndarray of shape (n_groups, n_labels)
        Samples of each label in each group.
    n_splits : int
    stratify : bool, default=True
    rng : numpy.random.Generator, optional

    Returns
    -------
    numpy.ndarray of shape (n_groups,)
        Fold of each group.

    Examples
    --------
    >>> counts = np.array([[5, 0], [3, 0], [2, 0], [0, 4], [0, 4], [1, 1]])
    >>> assign_groups_to_folds(counts, 2).tolist()
    [0, 1, 1, 1, 0, 0]
    """
    counts = np.asarray(counts, dtype=np.int64)
    n_groups, n_labels = counts.shape
    sizes = counts.sum(axis=1)
    total = max(int(sizes.sum()), 1)
    ideal = total / n_splits
    label_ideal = np.maximum(counts.sum(axis=0) / n_splits, 1e-9)
    folds = np.full(n_groups, -1, dtype=np.int64)
    tie = rng.random(n_groups) if rng is not None else np.arange(n_groups) / max(n_groups, 1)
    order = np.lexsort((tie, -sizes))
    singles = order[sizes[order] == 1]
    multi = order[sizes[order] > 1]
    load = np.zeros(n_splits)
    label_load = np.zeros((n_splits, n_labels))
    w_label = 1.0 if stratify else 0.0
    for g in multi.tolist():
        c = counts[g]
        s = sizes[g]
        # Increase of sum of squared relative loads for each candidate fold.
        cost = (2 * load * s + s * s) / (ideal * ideal)
        if w_label:
            nz = np.flatnonzero(c)
            cost = cost + w_label * ((2 * label_load[:, nz] * c[nz] + c[nz] ** 2)
                                     / label_ideal[nz] ** 2).sum(axis=1) / n_labels
        f = int(np.argmin(cost))
        folds[g] = f
        load[f] += s
        label_load[f] += c
    if len(singles):
        folds[singles] = _deal_singletons(counts[singles].argmax(axis=1), load, label_load,
                                          ideal, label_ideal, stratify)
    return folds


def _deal_singletons(labels, load, label_load, ideal, label_ideal, stratify):
    """Give single-sample groups to the folds with the most room, label by label."""
    n_splits = len(load)
    out = np.empty(len(labels), dtype=np.int64)
    for lab in np.unique(labels):
        idx = np.flatnonzero(labels == lab)
        # Min-heap of (current relative load, fold): take the emptiest fold each time,
        # in runs so that the loop is over folds' turns, not over samples one by one.
        heap = [(_relative(load[f], label_load[f, lab], ideal, label_ideal[lab], stratify), f)
                for f in range(n_splits)]
        heapq.heapify(heap)
        pos = 0
        while pos < len(idx):
            rel, f = heapq.heappop(heap)
            next_rel = heap[0][0] if heap else np.inf
            # How many samples this fold can take before it passes the next-emptiest one.
            step = 1.0 / ideal + (1.0 / label_ideal[lab] if stratify else 0.0)
            take = int(max(1, min(len(idx) - pos, np.floor((next_rel - rel) / step) + 1)))
            out[idx[pos:pos + take]] = f
            load[f] += take
            label_load[f, lab] += take
            pos += take
            heapq.heappush(heap, (_relative(load[f], label_load[f, lab], ideal,
                                            label_ideal[lab], stratify), f))
    return out


def _relative(load, label_load, ideal, label_ideal, stratify):
    return load / ideal + (label_load / label_ideal if stratify else 0.0)


def warn_oversized_groups(sizes, n_samples, n_splits, *, what="group", names=None):
    """Warn when a group holds more samples than one fold should (it is kept whole)."""
    limit = n_samples / n_splits
    big = np.flatnonzero(sizes > limit)
    if len(big):
        labels = [str(names[i]) if names is not None else str(i) for i in big[:5]]
        warnings.warn(
            f"{len(big)} {what}(s) hold more than n_samples / n_splits = {limit:.0f} samples "
            f"(largest: {int(sizes.max())}, e.g. {', '.join(labels)}); each is kept whole in one "
            "fold, so that fold is larger than the others.",
            UserWarning, stacklevel=3)
    return big
