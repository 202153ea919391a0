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
from sklearn.model_selection import BaseCrossValidator
from sklearn.model_selection._split import GroupsConsumerMixin
from sklearn.utils import check_random_state

from skgenqc.model_selection._base import (
    SplitterParamsMixin,
    assign_groups_to_folds,
    check_groups,
    encode_labels,
    group_label_counts,
    warn_oversized_groups,
)


def _check_n_splits(n_splits):
    if not isinstance(n_splits, numbers.Integral) or isinstance(n_splits, bool) or n_splits < 2:
        raise ValueError(f"n_splits={n_splits!r} must be an integer of at least 2.")
    return int(n_splits)


def _rng(shuffle, random_state):
    if not shuffle:
        return None
    return np.random.default_rng(check_random_state(random_state).randint(np.iinfo(np.int32).max))


class BalancedGroupKFold(SplitterParamsMixin, GroupsConsumerMixin, BaseCrossValidator):
    """K-fold over groups, balanced by sample count and stratified by label.

    No group is split across folds.  Folds are as equal in size as the group
    sizes allow, and with ``stratify=True`` each fold's class shares follow the
    whole data's.

    Parameters
    ----------
    n_splits : int, default=5
    stratify : bool, default=True
        Balance the label distribution (needs ``y``) as well as the sizes.
    shuffle : bool, default=False
        Break ties between equal-sized groups at random, so repeated runs with
        different seeds give different (equally balanced) folds.
    random_state : int, RandomState or None

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

    def __init__(self, n_splits=5, *, stratify=True, shuffle=False, random_state=None):
        self.n_splits = n_splits
        self.stratify = stratify
        self.shuffle = shuffle
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splits."""
        return _check_n_splits(self.n_splits)

    def _fold_of_samples(self, X, y, groups, rng):
        n_samples = len(X) if X is not None else len(groups)
        n_splits = _check_n_splits(self.n_splits)
        groups = check_groups(groups, n_samples)
        names, group_codes = np.unique(groups.astype(str) if groups.dtype == object else groups,
                                       return_inverse=True)
        if len(names) < n_splits:
            raise ValueError(
                f"n_splits={n_splits} is more than the {len(names)} distinct groups in groups."
            )
        labels, n_labels = encode_labels(y if self.stratify else None, n_samples)
        counts = group_label_counts(group_codes, labels, len(names), n_labels)
        warn_oversized_groups(counts.sum(axis=1), n_samples, n_splits, names=names)
        folds = assign_groups_to_folds(counts, n_splits, stratify=self.stratify, rng=rng)
        return folds[group_codes]

    def _iter_test_masks(self, X=None, y=None, groups=None):
        fold = self._fold_of_samples(X, y, groups, _rng(self.shuffle, self.random_state))
        for k in range(_check_n_splits(self.n_splits)):
            yield fold == k

    def split(self, X, y=None, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), optional
            Needed when ``stratify=True``.
        groups : array-like of shape (n_samples,)
            Group of each sample.

        Yields
        ------
        train, test : numpy.ndarray
        """
        # Checked here, before sklearn's generic length check, for a clearer message.
        check_groups(groups, len(X) if X is not None else len(groups))
        return super().split(X, y, groups)


class RepeatedBalancedGroupKFold(SplitterParamsMixin, GroupsConsumerMixin, BaseCrossValidator):
    """:class:`BalancedGroupKFold` repeated with different tie-breaking seeds.

    Parameters
    ----------
    n_splits : int, default=5
    n_repeats : int, default=10
    stratify : bool, default=True
    random_state : int, RandomState or None

    Examples
    --------
    >>> import numpy as np
    >>> g = np.repeat(np.arange(10), 3)
    >>> cv = RepeatedBalancedGroupKFold(n_splits=2, n_repeats=3, random_state=0)
    >>> cv.get_n_splits(), sum(1 for _ in cv.split(g, None, g))
    (6, 6)
    """

    def __init__(self, n_splits=5, *, n_repeats=10, stratify=True, random_state=None):
        self.n_splits = n_splits
        self.n_repeats = n_repeats
        self.stratify = stratify
        self.random_state = random_state

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of splits: ``n_splits * n_repeats``."""
        if not isinstance(self.n_repeats, numbers.Integral) or self.n_repeats < 1:
            raise ValueError(f"n_repeats={self.n_repeats!r} must be a positive integer.")
        return _check_n_splits(self.n_splits) * int(self.n_repeats)

    def split(self, X, y=None, groups=None):
        """Generate train/test indices for every repeat in turn."""
        n_total = self.get_n_splits()
        rs = check_random_state(self.random_state)
        for _ in range(n_total // _check_n_splits(self.n_splits)):
            cv = BalancedGroupKFold(self.n_splits, stratify=self.stratify, shuffle=True,
                                    random_state=rs.randint(np.iinfo(np.int32).max))
            yield from cv.split(X, y, groups)

    def _iter_test_masks(self, X=None, y=None, groups=None):  # pragma: no cover - split overrides
        raise NotImplementedError
