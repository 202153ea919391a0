"""The one splitter base class and the machinery every splitter shares.

:class:`BaseGenomicSplitter` gives each splitter scikit-learn's parameter
handling (``clone``, ``get_params``, declarative ``_parameter_constraints``
checked in ``split`` and ``get_n_splits``), ``groups`` metadata routing, one
way to seed (:func:`fold_rng`), one meaning of ``stratify``
(:func:`resolve_stratify`), balanced whole-group fold assignment
(:func:`balanced_folds`), the oversized-group warning and :meth:`roles`.
:class:`BaseRepeatedSplitter` repeats any of them with fresh seeds, as
scikit-learn's ``_RepeatedSplits`` does.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
from sklearn.model_selection import BaseCrossValidator
from sklearn.model_selection._split import GroupsConsumerMixin
from sklearn.utils import check_random_state, indexable
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.multiclass import type_of_target

from skgenqc._core.params import ParamsMixin

#: Constraint fragments shared by the splitters' ``_parameter_constraints``.
N_SPLITS = [Interval(numbers.Integral, 2, None, closed="left")]
STRATIFY = ["boolean", StrOptions({"auto"})]
SHUFFLE = ["boolean"]
RANDOM_STATE = ["random_state"]

ROLES = ("train", "test", "excluded")


class BaseGenomicSplitter(ParamsMixin, GroupsConsumerMixin, BaseCrossValidator):
    """Base class of every skgenqc splitter.

    A subclass declares ``_parameter_constraints``, stores its constructor
    arguments untouched and implements either ``_iter_test_masks`` (training
    is the complement of the test fold) or ``_iter_masks`` yielding boolean
    ``(train, test)`` masks (training is smaller: a gap, dropped pairs, a
    validation set). ``split``, ``get_n_splits`` and :meth:`roles` come from
    here, so they validate the parameters the same way and always agree.

    Defaults are repeatable: every splitter that draws random numbers takes
    ``random_state=0`` by default, so two calls with default settings give the
    same folds (``cross_val_score(..., cv=cv)`` and a later
    ``split_diagnostics(cv.split(...))`` see one split). ``stratify="auto"``
    (the default wherever it exists) balances classes when ``y`` is given and
    is binary or multiclass.

    Examples
    --------
    >>> import numpy as np
    >>> class EvenOdd(BaseGenomicSplitter):
    ...     _parameter_constraints = {}
    ...     def _n_splits(self, X, y, groups):
    ...         return 2
    ...     def _iter_test_masks(self, X, y=None, groups=None):
    ...         idx = np.arange(len(X))
    ...         yield idx % 2 == 0
    ...         yield idx % 2 == 1
    >>> EvenOdd().roles(np.zeros((4, 1)))
       split_0 split_1
    0     test   train
    1    train    test
    2     test   train
    3    train    test
    """

    _parameter_constraints: dict = {}

    def split(self, X, y=None, groups=None):
        """Generate indices to split data into training and test set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), optional
        groups : array-like, optional
            What the splitter keeps apart (see the class).

        Yields
        ------
        train, test : numpy.ndarray of int
        """
        self._validate_params()
        for train, test in self._iter_masks(X, y, groups):
            yield np.flatnonzero(train), np.flatnonzero(test)

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of (train, test) splits that :meth:`split` yields.

        Returns
        -------
        int
        """
        self._validate_params()
        return self._n_splits(X, y, groups)

    def _n_splits(self, X, y, groups):
        return int(self.n_splits)

    def _iter_masks(self, X, y=None, groups=None):
        """Boolean (train, test) masks; by default training is the complement of test."""
        X, y, groups = indexable(X, y, groups)
        for test in self._iter_test_masks(X, y, groups):
            test = np.asarray(test, dtype=bool)
            yield ~test, test

    def roles(self, X, y=None, groups=None):
        """Role of every row in every split: ``"train"``, ``"test"`` or ``"excluded"``.

        A row is ``"excluded"`` from a split when it is in neither its
        training nor its test set: the gap rows of :class:`GenomicBlockKFold`,
        the pairs :class:`PairKFold` cannot place, the validation chromosomes
        of :class:`ChromosomeHoldout`. Rebuilding train and test from this
        table gives exactly the sets :meth:`split` yields.

        Parameters
        ----------
        X, y, groups
            As for :meth:`split`.

        Returns
        -------
        pandas.DataFrame
            One row per sample, columns ``split_0`` .. ``split_{k-1}``.
        """
        self._validate_params()
        columns = {}
        n = None
        for i, (train, test) in enumerate(self._iter_masks(X, y, groups)):
            n = len(test)
            role = np.full(n, "excluded", dtype=object)
            role[train] = "train"
            role[test] = "test"
            columns[f"split_{i}"] = role
        return pd.DataFrame(columns, index=pd.RangeIndex(n or 0))


class BaseRepeatedSplitter(BaseGenomicSplitter):
    """A splitter repeated ``n_repeats`` times with fresh seeds (scikit-learn's ``_RepeatedSplits``).

    Subclasses set ``_splitter`` (the class repeated) and take its parameters
    plus ``n_repeats`` and ``random_state``; each repeat runs the splitter with
    ``shuffle=True`` and a seed drawn from ``random_state``.
    """

    _splitter = None

    def _repeats(self):
        params = {k: v for k, v in self.get_params(deep=False).items()
                  if k not in ("n_repeats", "random_state")}
        rs = check_random_state(self.random_state)
        for _ in range(int(self.n_repeats)):
            cv = self._splitter(**params, shuffle=True,
                                random_state=rs.randint(np.iinfo(np.int32).max))
            cv._validate_params()
            yield cv

    def _n_splits(self, X, y, groups):
        return int(self.n_splits) * int(self.n_repeats)

    def _iter_masks(self, X, y=None, groups=None):
        for cv in self._repeats():
            yield from cv._iter_masks(X, y, groups)


def fold_rng(shuffle, random_state):
    """The numpy Generator a splitter draws from (None when it does not shuffle).

    Every splitter seeds the same way, so one ``random_state`` means one thing.

    Examples
    --------
    >>> fold_rng(False, 0) is None
    True
    >>> float(fold_rng(True, 0).random()) == float(fold_rng(True, 0).random())
    True
    """
    if not shuffle:
        return None
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return np.random.default_rng(int(random_state))
    return np.random.default_rng(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def resolve_stratify(stratify, y):
    """Whether to balance classes: ``"auto"`` = when ``y`` is given and binary/multiclass.

    ``True`` insists (and fails clearly without usable labels); ``False`` never.

    Examples
    --------
    >>> resolve_stratify("auto", None), resolve_stratify("auto", [0, 1, 1])
    (False, True)
    >>> resolve_stratify("auto", [0.1, 0.7, 2.5])
    False
    """
    if stratify is False or (isinstance(stratify, np.bool_) and not stratify):
        return False
    kind = None if y is None else type_of_target(y, input_name="y")
    classes = kind in ("binary", "multiclass")
    if isinstance(stratify, str):
        return classes
    if y is None:
        raise ValueError("stratify=True needs class labels y; pass y to split() or set "
                         "stratify=False (or 'auto').")
    if not classes:
        raise ValueError(f"stratify=True needs binary or multiclass y, got y of type {kind!r}; "
                         "set stratify=False (or 'auto') for other targets.")
    return True


def balanced_folds(codes, names, y, n_splits, *, stratify, rng, what, hint=""):
    """Fold of each sample: whole groups (``codes`` into ``names``) balanced over folds.

    Warns about groups larger than a fold, places groups with
    :func:`assign_groups_to_folds` and, when ``rng`` is given, shuffles the
    fold order too.

    Examples
    --------
    >>> balanced_folds(np.array([0, 0, 1, 2, 3]), np.array(list("abcd")), None, 2,
    ...                stratify=False, rng=None, what="group").tolist()
    [0, 0, 1, 1, 0]
    """
    n_samples = len(codes)
    labels, n_labels = encode_labels(y if stratify else None, n_samples)
    counts = group_label_counts(codes, labels, len(names), n_labels)
    warn_oversized_groups(counts.sum(axis=1), n_samples, n_splits, what=what, names=names,
                          hint=hint, stacklevel=4)
    folds = assign_groups_to_folds(counts, n_splits, stratify=stratify, rng=rng)
    if rng is not None:
        folds = rng.permutation(n_splits)[folds]
    return folds[codes]


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


def warn_oversized_groups(sizes, n_samples, n_splits, *, what="group", names=None,
                          plural=None, unit="samples", total="n_samples", hint="",
                          stacklevel=3):
    """Warn when a group holds more samples than one fold should (it is kept whole).

    Returns
    -------
    numpy.ndarray
        Indices of the oversized groups.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_oversized_groups(np.array([8, 1, 1]), 10, 2, names=["big", "b", "c"]).tolist()
    [0]
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    1 group(s) hold more than n_samples / n_splits = 5 samples (largest: 8, e.g. big); each is
    kept whole in one fold, so that fold is larger than the others.
    """
    sizes = np.asarray(sizes)
    limit = n_samples / n_splits
    big = np.flatnonzero(sizes > limit)
    if len(big):
        labels = [str(names[i]) if names is not None else str(i) for i in big[:5]]
        warnings.warn(
            f"{len(big)} {plural or what + '(s)'} hold more than {total} / n_splits = {limit:.0f} {unit} "
            f"(largest: {int(sizes.max())}, e.g. {', '.join(labels)}); each is kept whole in one "
            f"fold, so that fold is larger than the others.{hint}",
            UserWarning, stacklevel=stacklevel)
    return big
