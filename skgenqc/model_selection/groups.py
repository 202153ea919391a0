"""A group k-fold that balances fold sizes and labels with heavy-tailed group sizes.

scikit-learn's ``GroupKFold(shuffle=True)`` ignores group sizes and its
``StratifiedGroupKFold`` scans every fold for every group in Python, which
takes over a minute at a million samples.  :class:`BalancedGroupKFold` places
groups largest first (the LPT rule) and deals single-sample groups out in
bulk, see :func:`skgenqc.model_selection._base.assign_groups_to_folds`.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _num_samples

from skgenqc.model_selection._base import (
    N_SPLITS,
    RANDOM_STATE,
    SHUFFLE,
    STRATIFY,
    BaseGenomicSplitter,
    BaseRepeatedSplitter,
    balanced_folds,
    check_groups,
    fold_rng,
    resolve_stratify,
)


def group_folds(groups, y, n_splits, *, stratify, rng, what="group"):
    """Fold of each sample when whole groups are balanced over ``n_splits`` folds.

    ``groups`` must already be validated (:func:`check_groups`). Shared by
    :class:`BalancedGroupKFold` and the similarity splitter.

    Examples
    --------
    >>> group_folds(np.array([0, 0, 1, 2]), None, 2, stratify=False, rng=None).tolist()
    [0, 0, 1, 1]
    """
    names, codes = np.unique(groups.astype(str) if groups.dtype == object else groups,
                             return_inverse=True)
    if len(names) < n_splits:
        raise ValueError(
            f"n_splits={n_splits} is more than the {len(names)} distinct groups in groups."
        )
    return balanced_folds(codes.ravel(), names, y, n_splits, stratify=stratify, rng=rng,
                          what=what)


class BalancedGroupKFold(BaseGenomicSplitter):
    """K-fold over groups, balanced by sample count and stratified by label.

    No group is split across folds.  Folds are as equal in size as the group
    sizes allow, and when stratifying each fold's class shares follow the
    whole data's.

    Parameters
    ----------
    n_splits : int, default=5
    stratify : bool or "auto", default="auto"
        Balance the label distribution as well as the sizes. ``"auto"``
        stratifies when ``y`` is given and binary or multiclass; ``True``
        requires such a ``y``.
    shuffle : bool, default=False
        Break ties between equal-sized groups at random (and shuffle the fold
        order), so different seeds give different, equally balanced folds.
    random_state : int, RandomState or None, default=0
        Seed used when ``shuffle=True``; the default keeps calls repeatable.

    See Also
    --------
    sklearn.model_selection.StratifiedGroupKFold

    Examples
    --------
    >>> import numpy as np
    >>> groups = np.array(["a"] * 4 + ["b"] * 2 + ["c"] * 2 + ["d"] * 3 + ["e"])
    >>> y = np.array([1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0])
    >>> for train, test in BalancedGroupKFold(n_splits=3).split(groups, y, groups):
    ...     print(sorted(set(groups[test].tolist())), len(test))
    ['a'] 4
    ['d', 'e'] 4
    ['b', 'c'] 4
    """

    _parameter_constraints = {"n_splits": N_SPLITS, "stratify": STRATIFY, "shuffle": SHUFFLE,
                              "random_state": RANDOM_STATE}

    def __init__(self, n_splits=5, *, stratify="auto", shuffle=False, random_state=0):
        self.n_splits = n_splits
        self.stratify = stratify
        self.shuffle = shuffle
        self.random_state = random_state

    def _iter_masks(self, X, y=None, groups=None):
        n_samples = _num_samples(X) if X is not None else len(groups)
        # Checked before sklearn's generic length check, for a clearer message.
        groups = check_groups(groups, n_samples)
        if y is not None and len(y) != n_samples:
            raise ValueError(f"y has {len(y)} entries but X has {n_samples} samples.")
        n_splits = int(self.n_splits)
        fold = group_folds(groups, y, n_splits, stratify=resolve_stratify(self.stratify, y),
                           rng=fold_rng(self.shuffle, self.random_state))
        for k in range(n_splits):
            yield fold != k, fold == k


class RepeatedBalancedGroupKFold(BaseRepeatedSplitter):
    """:class:`BalancedGroupKFold` repeated with different tie-breaking seeds.

    Parameters
    ----------
    n_splits : int, default=5
    n_repeats : int, default=10
    stratify : bool or "auto", default="auto"
    random_state : int, RandomState or None, default=0
        Seeds of the repeats are drawn from it; the default keeps calls repeatable.

    Examples
    --------
    >>> import numpy as np
    >>> g = np.repeat(np.arange(10), 3)
    >>> cv = RepeatedBalancedGroupKFold(n_splits=2, n_repeats=3, random_state=0)
    >>> cv.get_n_splits(), sum(1 for _ in cv.split(g, None, g))
    (6, 6)
    """

    _splitter = BalancedGroupKFold
    _parameter_constraints = {"n_splits": N_SPLITS,
                              "n_repeats": [Interval(numbers.Integral, 1, None, closed="left")],
                              "stratify": STRATIFY, "random_state": RANDOM_STATE}

    def __init__(self, n_splits=5, *, n_repeats=10, stratify="auto", random_state=0):
        self.n_splits = n_splits
        self.n_repeats = n_repeats
        self.stratify = stratify
        self.random_state = random_state
