"""Chromosome-aware splitters: whole chromosomes per fold, named hold-outs, leave-one-out.

Neighbouring positions share sequence context, linkage and regulatory domains,
so a model tested on positions interleaved with its training positions is
partly tested on what it has seen. Names are normalised first (``1``, ``chr1``
and ``Chr1`` are one chromosome) and random/alt contigs join their chromosome,
so ``chr1_KI270706v1_random`` cannot sit in training while ``chr1`` is tested.
"""

from __future__ import annotations

import numbers
from types import MappingProxyType

import numpy as np
import pandas as pd
from sklearn.utils import indexable
from sklearn.utils.validation import _num_samples

from skgenqc._core.genome import (
    chromosome_family,
    chromosome_sort_key,
    is_coordinate_list,
    list_chromosomes,
    normalize_chromosome,
    parse_coordinates,
)
from skgenqc.model_selection._base import (
    N_SPLITS,
    RANDOM_STATE,
    SHUFFLE,
    STRATIFY,
    BaseGenomicSplitter,
    balanced_folds,
    check_groups,
    fold_rng,
    resolve_stratify,
)

__all__ = ["normalize_chromosome", "chromosome_family", "ChromosomeKFold",
           "ChromosomeHoldout", "LeaveOneChromosomeOut", "HOLDOUT_PRESETS"]

HOLDOUT_PRESETS = MappingProxyType({
    # Selene's RandomPositionsSampler defaults.
    "selene": {"validation": ("chr6", "chr7"), "test": ("chr8", "chr9")},
    # gReLU's tutorial split.
    "grelu": {"validation": ("chr10",), "test": ("chr11",)},
})


def _chromosomes_from_groups(groups, n_samples, *, merge_contigs=True, name="groups"):
    """Chromosome (or family) of each sample: ``groups`` is one name per sample,
    ``chrom:start-end`` strings, an (n_samples, 2|3) array with the chromosome
    first or a DataFrame with a ``chrom`` column (the coordinates given to
    GenomicBlockKFold work here too)."""
    if isinstance(groups, pd.DataFrame) and "chrom" in groups.columns:
        groups = groups["chrom"]
    ndim = np.ndim(groups) if groups is not None else 1
    if ndim == 2 and np.shape(groups)[1] not in (2, 3):
        raise ValueError(f"{name} must have shape (n_samples,) with one chromosome per sample, "
                         f"or (n_samples, 2|3) with the chromosome first; got shape "
                         f"{np.shape(groups)}.")
    arr = check_groups(groups, n_samples, name=name, ndim=ndim)
    arr = arr[:, 0] if ndim == 2 else arr
    if len(arr) and isinstance(arr[0], str) and ":" in arr[0] and is_coordinate_list(arr):
        arr = parse_coordinates(arr, name=name)["chrom"].to_numpy()
    return chromosome_family(arr) if merge_contigs else normalize_chromosome(arr)


class ChromosomeKFold(BaseGenomicSplitter):
    """K-fold over whole chromosomes, balanced by sample count (and class).

    Each chromosome (after :func:`normalize_chromosome` and, when
    ``merge_contigs``, :func:`chromosome_family`) lies entirely in one test
    fold. Chromosomes are placed largest first into the fold that keeps fold
    sizes (and, with ``stratify=True``, each class's share) closest to equal.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (>= 2); groups must hold at least that many chromosomes.
    stratify : bool or "auto", default="auto"
        Also balance each class of ``y`` across folds: ``"auto"`` when ``y`` is
        given and binary or multiclass, ``True`` requires such a ``y``.
    shuffle : bool, default=False
        Randomise the order of equal-sized chromosomes and of the folds. The
        partition is otherwise set by chromosome sizes, which is what balance needs.
    random_state : int, RandomState instance or None, default=0
        Used when ``shuffle=True``; the default keeps calls repeatable.
    merge_contigs : bool, default=True
        Keep random/alt contigs with their chromosome and unplaced scaffolds
        together (``chrUn``).

    See Also
    --------
    LeaveOneChromosomeOut, ChromosomeHoldout
    skgenqc.model_selection.blocks.GenomicBlockKFold : contiguous blocks instead of chromosomes.

    Examples
    --------
    >>> import numpy as np
    >>> chroms = (["chr1"] * 3 + ["1_KI270706v1_random"] + ["2"] * 3 + ["chr3"] * 2
    ...           + ["chr4"] * 2 + ["X"])
    >>> X = np.zeros((len(chroms), 1))
    >>> for train, test in ChromosomeKFold(n_splits=3).split(X, groups=chroms):
    ...     print(test, sorted(set(chromosome_family(np.array(chroms)[test]))))
    [0 1 2 3] ['chr1']
    [ 4  5  6 11] ['chr2', 'chrX']
    [ 7  8  9 10] ['chr3', 'chr4']
    """

    _parameter_constraints = {"n_splits": N_SPLITS, "stratify": STRATIFY, "shuffle": SHUFFLE,
                              "random_state": RANDOM_STATE, "merge_contigs": ["boolean"]}

    def __init__(self, n_splits=5, *, stratify="auto", shuffle=False, random_state=0,
                 merge_contigs=True):
        self.n_splits = n_splits
        self.stratify = stratify
        self.shuffle = shuffle
        self.random_state = random_state
        self.merge_contigs = merge_contigs

    def _iter_test_masks(self, X, y=None, groups=None):
        n_splits = int(self.n_splits)
        chroms = _chromosomes_from_groups(groups, _num_samples(X),
                                         merge_contigs=self.merge_contigs)
        codes, names = pd.factorize(chroms)
        if len(names) < n_splits:
            merged = " (after merging contigs into their chromosomes)" if self.merge_contigs else ""
            raise ValueError(f"n_splits={n_splits} but groups holds only {len(names)} "
                             f"chromosome(s){merged}: {list_chromosomes(names)}; use n_splits <= "
                             f"{len(names)} or GenomicBlockKFold.")
        folds = balanced_folds(codes, np.asarray(names), y, n_splits,
                               stratify=resolve_stratify(self.stratify, y),
                               rng=fold_rng(self.shuffle, self.random_state), what="chromosome")
        for f in range(n_splits):
            yield folds == f


class LeaveOneChromosomeOut(BaseGenomicSplitter):
    """One fold per chromosome, in natural order (chr1, chr2, ..., chrX, chrY, chrM, ...).

    Parameters
    ----------
    merge_contigs : bool, default=True
        Keep random/alt contigs with their chromosome (see :func:`chromosome_family`).

    See Also
    --------
    ChromosomeKFold

    Examples
    --------
    >>> import numpy as np
    >>> chroms = ["chr2", "1", "chr1", "chr2_KI270715v1_random"]
    >>> cv = LeaveOneChromosomeOut()
    >>> cv.get_n_splits(groups=chroms)
    2
    >>> for train, test in cv.split(np.zeros((4, 1)), groups=chroms):
    ...     print(train, test)
    [0 3] [1 2]
    [1 2] [0 3]
    """

    _parameter_constraints = {"merge_contigs": ["boolean"]}

    def __init__(self, *, merge_contigs=True):
        self.merge_contigs = merge_contigs

    def _families(self, X, groups):
        n_samples = _num_samples(X) if X is not None else len(groups)
        chroms = _chromosomes_from_groups(groups, n_samples, merge_contigs=self.merge_contigs)
        return chroms, sorted(set(chroms), key=chromosome_sort_key)

    def _iter_test_masks(self, X, y=None, groups=None):
        chroms, names = self._families(X, groups)
        if len(names) < 2:
            raise ValueError(f"LeaveOneChromosomeOut needs at least 2 chromosomes in groups, "
                             f"got {len(names)}: {list_chromosomes(names)}.")
        for name in names:
            yield chroms == name

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of distinct chromosomes in ``groups``."""
        return super().get_n_splits(X, y, groups)

    def _n_splits(self, X, y, groups):
        if groups is None:
            raise ValueError("The 'groups' parameter should not be None.")
        X, y, groups = indexable(X, y, groups)
        return len(self._families(X, groups)[1])


def _names_param(value, name):
    """A str/int or a list of them as a list; None as []."""
    if value is None or isinstance(value, (str, numbers.Integral)):
        value = [] if value is None else [value]
    if (not isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series, pd.Index))
            or any(isinstance(v, bool) or not isinstance(v, (str, numbers.Integral))
                   for v in value)):
        raise TypeError(f"{name} must be a chromosome name or a list of them (e.g. ['chr8']), "
                        f"got {type(value).__name__} {value!r}.")
    return list(value)


class ChromosomeHoldout(BaseGenomicSplitter):
    """One train/test split holding out named chromosomes (and a validation set).

    ``split`` yields a single (train, test) pair whose train set excludes both
    the test and the validation chromosomes; :meth:`split_with_validation`
    returns all three index arrays.

    Parameters
    ----------
    test : str or list of str, optional
        Test chromosomes, in any naming (``8`` matches ``chr8``).
    validation : str or list of str, optional
        Validation chromosomes, kept out of both train and test.
    preset : {"selene", "grelu"}, optional
        Named split instead of ``test``/``validation``: ``"selene"`` holds out
        chr6, chr7 (validation) and chr8, chr9 (test); ``"grelu"`` chr10
        (validation) and chr11 (test). See ``HOLDOUT_PRESETS``.
    merge_contigs : bool, default=True
        Random/alt contigs follow their chromosome (``chr8_KI270810v1_alt``
        is held out with ``chr8``).

    See Also
    --------
    ChromosomeKFold

    Examples
    --------
    >>> import numpy as np
    >>> chroms = ["chr1", "chr6", "7", "chr8", "9", "chr1", "chr8_KI270810v1_alt"]
    >>> cv = ChromosomeHoldout(preset="selene")
    >>> train, valid, test = cv.split_with_validation(np.zeros((7, 1)), groups=chroms)
    >>> print(train, valid, test)
    [0 5] [1 2] [3 4 6]
    >>> next(ChromosomeHoldout(test=1).split(np.zeros((7, 1)), groups=chroms))
    (array([1, 2, 3, 4, 6]), array([0, 5]))
    """

    _parameter_constraints = {
        "test": [None, str, numbers.Integral, list, tuple, set, frozenset, np.ndarray, pd.Series,
                 pd.Index],
        "validation": [None, str, numbers.Integral, list, tuple, set, frozenset, np.ndarray,
                       pd.Series, pd.Index],
        "preset": [None, str],
        "merge_contigs": ["boolean"],
    }

    def __init__(self, test=None, validation=None, preset=None, *, merge_contigs=True):
        self.test = test
        self.validation = validation
        self.preset = preset
        self.merge_contigs = merge_contigs

    def _resolve(self):
        test, validation = _names_param(self.test, "test"), _names_param(self.validation,
                                                                           "validation")
        if self.preset is not None:
            if not isinstance(self.preset, str) or self.preset.lower() not in HOLDOUT_PRESETS:
                raise ValueError(f"preset={self.preset!r} is not a known preset; expected one "
                                 f"of {sorted(HOLDOUT_PRESETS)} (or pass test=[...]).")
            if test or validation:
                raise ValueError(f"give either preset={self.preset!r} or test/validation "
                                 f"chromosomes, not both (got test={self.test!r}, "
                                 f"validation={self.validation!r}).")
            spec = HOLDOUT_PRESETS[self.preset.lower()]
            test, validation = list(spec["test"]), list(spec["validation"])
        if not test:
            raise ValueError("ChromosomeHoldout needs test chromosomes: pass test=['chr8'] "
                             f"or preset= one of {sorted(HOLDOUT_PRESETS)}.")
        return test, validation

    def _masks(self, X, groups):
        test, validation = self._resolve()
        merge = self.merge_contigs
        chroms = _chromosomes_from_groups(groups, _num_samples(X), merge_contigs=merge)
        present = set(chroms)
        canon = chromosome_family if merge else normalize_chromosome
        masks = []
        for arg, names in (("test", test), ("validation", validation)):
            wanted = set(canon(names)) if names else set()
            missing = sorted(wanted - present, key=chromosome_sort_key)
            if missing:
                raise ValueError(f"{arg} chromosome(s) {', '.join(missing)} (from {arg}="
                                 f"{names!r}) not found in groups, which holds: "
                                 f"{list_chromosomes(present)}.")
            masks.append(np.isin(chroms, list(wanted)))
        test_mask, val_mask = masks
        if (test_mask & val_mask).any():
            raise ValueError(f"chromosome(s) {list_chromosomes(chroms[test_mask & val_mask])} are in both "
                             "test and validation.")
        if (test_mask | val_mask).all():
            raise ValueError(f"test and validation chromosomes cover all of groups "
                             f"({list_chromosomes(present)}); nothing is left for training.")
        return test_mask, val_mask

    def _iter_masks(self, X, y=None, groups=None):
        X, y, groups = indexable(X, y, groups)
        test, val = self._masks(X, groups)
        yield ~(test | val), test

    def split_with_validation(self, X, y=None, groups=None):
        """(train, validation, test) index arrays; validation is empty without ``validation``.

        ``groups`` is the chromosome of each sample (any naming) or coordinates.
        """
        self._validate_params()
        X, y, groups = indexable(X, y, groups)
        test, val = self._masks(X, groups)
        return np.flatnonzero(~(test | val)), np.flatnonzero(val), np.flatnonzero(test)

    def _n_splits(self, X, y, groups):
        return 1
