"""Shared machinery of the splitters: group validation and balanced group-to-fold assignment."""

from __future__ import annotations

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

    Small groups with identical label counts are interchangeable, so after
    the largest groups are placed one by one, the rest are dealt out in bulk,
    bucket by bucket, to the folds with the most room; this is what keeps the
    assignment fast for hundreds of thousands of groups.

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
    # The largest groups are placed one by one; the many small ones are dealt out
    # in bulk, bucket by bucket of identical label counts (they are interchangeable).
    n_greedy = min(n_groups, _GREEDY_GROUPS)
    load = np.zeros(n_splits)
    label_load = np.zeros((n_splits, n_labels))
    w_label = 1.0 if stratify else 0.0
    for g in order[:n_greedy].tolist():
        c = counts[g]
        s = sizes[g]
        # Increase of the sum of squared relative loads for each candidate fold.
        cost = (2 * load * s + s * s) / (ideal * ideal)
        if w_label:
            nz = np.flatnonzero(c)
            cost = cost + w_label * ((2 * label_load[:, nz] * c[nz] + c[nz] ** 2)
                                     / label_ideal[nz] ** 2).sum(axis=1) / n_labels
        f = int(np.argmin(cost))
        folds[g] = f
        load[f] += s
        label_load[f] += c
    rest = order[n_greedy:]
    if len(rest):
        keys, bucket = np.unique(counts[rest], axis=0, return_inverse=True)
        bucket = bucket.ravel()
        for b in np.argsort(-keys.sum(axis=1), kind="stable"):
            members = rest[bucket == b]
            folds[members] = _deal_bucket(len(members), keys[b], load, label_load, ideal,
                                          label_ideal, stratify)
    return folds


_GREEDY_GROUPS = 2000


def _deal_bucket(n_members, c, load, label_load, ideal, label_ideal, stratify):
    """Deal ``n_members`` interchangeable groups (label counts ``c``) to the emptiest folds."""
    n_splits = len(load)
    nz = np.flatnonzero(c)
    size = float(c.sum())
    step = size / ideal + (float(np.sum(c[nz] ** 2 / label_ideal[nz])) / size if stratify else 0.0)

    rel = load / ideal
    if stratify:
        rel = rel + (label_load[:, nz] / label_ideal[nz] * c[nz]).sum(axis=1) / size
    # Water-filling: raise the emptiest folds to a common level, `step` per group.
    order = np.sort(rel)
    for m in range(n_splits, 0, -1):
        level = (n_members * step + order[:m].sum()) / m
        if m == 1 or level >= order[m - 1]:
            break
    take = np.floor(np.maximum(level - rel, 0.0) / step).astype(np.int64)
    while take.sum() > n_members:  # rounding guard
        take[np.argmax(rel + take * step)] -= 1
    for f in np.argsort(rel + take * step, kind="stable")[: n_members - int(take.sum())]:
        take[f] += 1
    out = np.repeat(np.arange(n_splits), take)
    load += take * size
    label_load += take[:, None] * c[None, :]
    return out


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
