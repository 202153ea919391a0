"""Blocked K-fold over genomic coordinates, with a buffer (gap) between train and test.

Cutting each chromosome into contiguous blocks and testing whole blocks keeps
most neighbours of a test sample out of training (the 1-D analogue of spatial
block cross-validation, as in verde's ``BlockKFold``). Samples at the edge of
a block still have neighbours across the edge; ``gap`` drops from each
training set every sample within ``gap`` bp of that fold's test samples.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.utils import indexable
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _num_samples

from skgenqc._core.genome import normalize_chromosome
from skgenqc.io.intervals import parse_coordinates
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

__all__ = ["GenomicBlockKFold"]

_FORMS = ("an (n_samples, 2) array of (chrom, position), an (n_samples, 3) array of "
          "(chrom, start, end), a DataFrame with chrom and start[/end] columns, or "
          "'chrom:start-end' strings")


def _coordinate_table(groups, n_samples, name):
    """(chrom, start[, end]) object array of shape (n_samples, 2 or 3) from any accepted form."""
    if isinstance(groups, pd.DataFrame):
        cols = {str(c).lower(): c for c in groups.columns}
        if "chrom" in cols:
            pos = next((cols[c] for c in ("start", "pos", "position") if c in cols), None)
            if pos is None:
                raise ValueError(f"{name} has a 'chrom' column but no 'start' (or 'pos') column; "
                                 f"its columns are {list(groups.columns)}.")
            keep = [cols["chrom"], pos] + ([cols["end"]] if "end" in cols else [])
            groups = groups[keep]
        return _coordinate_table(groups.to_numpy(dtype=object), n_samples, name)
    if groups is None:
        raise ValueError(f"The '{name}' parameter should not be None; pass {_FORMS}.")
    arr = np.asarray(groups, dtype=object)
    if arr.ndim == 1:
        values = check_groups(arr, n_samples, name=name)
        try:
            table = parse_coordinates(values, name=name)
        except ValueError as err:
            raise ValueError(f"{err} {name} must give genomic coordinates: {_FORMS}.") from None
        return table[["chrom", "start", "end"]].to_numpy(dtype=object)
    if arr.ndim != 2 or arr.shape[1] not in (2, 3):
        raise ValueError(f"{name} must be {_FORMS}; got shape {arr.shape}.")
    return check_groups(arr, n_samples, name=name, ndim=2)


def _genomic_coordinates(groups, n_samples, *, name="groups"):
    """Validated coordinates of each sample: canonical chromosome, start and end.

    A (chrom, position) row is the point ``start = end = position``.

    Returns
    -------
    chrom : numpy.ndarray of object
    start, end : numpy.ndarray of int64
    """
    table = _coordinate_table(groups, n_samples, name)
    columns = ["start", "end"] if table.shape[1] == 3 else ["position"]
    values = []
    for j, column in enumerate(columns, start=1):
        raw = pd.Series(table[:, j], dtype=object)
        num = pd.to_numeric(raw, errors="coerce")
        bad = num.isna() | ~np.isfinite(num.astype(float)) | (num % 1 != 0) | (num.abs() >= 2**62)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(f"{name}[{i}] has {column} {raw.iloc[i]!r}; expected a whole-number "
                             "0-based genome coordinate.")
        num = num.to_numpy().astype(np.int64)
        if (num < 0).any():
            i = int(np.flatnonzero(num < 0)[0])
            raise ValueError(f"{name}[{i}] has negative {column} {num[i]}; expected 0-based "
                             "coordinates >= 0.")
        values.append(num)
    start, end = values[0], values[-1]
    if (end < start).any():
        i = int(np.flatnonzero(end < start)[0])
        raise ValueError(f"{name}[{i}] has end < start ({start[i]}-{end[i]}); expected "
                         "end >= start (0-based, half-open).")
    return normalize_chromosome(table[:, 0]), start, end


def _linear_coordinates(codes, start, end, gap):
    """Place chromosomes end to end, more than ``gap`` apart, so one sorted axis serves all.

    Distances never exceed a chromosome's extent, so a larger gap behaves like
    ``max(end) + 1``; capping it keeps the offsets small.
    """
    gap = min(gap, int(end.max()) + 1)
    extent = np.zeros(int(codes.max()) + 1, dtype=np.int64)
    np.maximum.at(extent, codes, end)
    span = extent + 2 * gap + 2
    if int(extent.sum()) + len(extent) * (2 * gap + 2) >= 2**62:
        raise ValueError("coordinates in groups are too large to lay chromosomes end to end.")
    base = gap + 1 + np.concatenate([[0], np.cumsum(span)[:-1]])
    return base[codes] + start, base[codes] + end, gap


def _near_test(test_mask, start, end, gap):
    """Mask of samples within ``gap`` of any sample in ``test_mask`` (linear coordinates).

    The distance between two intervals is 0 when they overlap or touch and
    otherwise the bp between them, so ``[s, e]`` is near test interval
    ``[ts, te]`` when ``s <= te + gap`` and ``e >= ts - gap``. Test intervals,
    widened by ``gap``, are merged into disjoint runs; each sample then needs
    one binary search for the last run starting at or before its end.
    """
    if not test_mask.any():
        return np.zeros(len(start), dtype=bool)
    order = np.argsort(start[test_mask], kind="stable")
    lo = start[test_mask][order] - gap
    hi = np.maximum.accumulate(end[test_mask][order]) + gap
    first = np.concatenate([[True], lo[1:] > hi[:-1]])
    run_lo, run_hi = lo[first], hi[np.concatenate([first[1:], [True]])]
    k = np.searchsorted(run_lo, end, side="right") - 1
    return (k >= 0) & (run_hi[np.maximum(k, 0)] >= start)


class GenomicBlockKFold(BaseGenomicSplitter):
    """K-fold over contiguous genomic blocks, with an optional buffer around test samples.

    Each chromosome is cut into blocks of ``block_size`` bp (a sample belongs
    to the block holding its midpoint). Whole blocks are assigned to folds,
    balanced by sample count (and class with ``stratify=True``). The test sets
    partition the samples; each training set is the complement of its test set
    minus every sample within ``gap`` bp of a test sample on the same
    chromosome (distance 0 when intervals overlap or touch, else the bp between
    them). With ``gap=0`` only training samples that overlap or touch a test
    sample are dropped; ``gap=None`` drops none. The dropped samples are
    ``"excluded"`` in :meth:`roles`: neither trained on nor tested in that fold.

    Parameters
    ----------
    n_splits : int, default=5
    block_size : int, default=1_000_000
        Block length in bp.
    gap : int or None, default=0
        Buffer in bp between training and test samples.
    shuffle : bool, default=True
        Randomise the order of equal-sized blocks (and so which blocks share a
        fold) and the order of the folds.
    random_state : int, RandomState instance or None, default=0
        Seed used when ``shuffle=True``. The default makes two calls give the
        same folds; pass another int for another (equally balanced) split, or
        None for a fresh one each call.
    stratify : bool or "auto", default="auto"
        Also balance each class of ``y`` across folds: ``"auto"`` when ``y`` is
        given and binary or multiclass, ``True`` requires such a ``y``.

    Notes
    -----
    ``groups`` gives the coordinates: an (n_samples, 2) array of (chrom,
    position), an (n_samples, 3) array of (chrom, start, end), a DataFrame
    with ``chrom``, ``start`` (or ``pos``) and optional ``end`` columns, or
    ``chrom:start-end`` strings. Chromosome names are normalised (``1`` is
    ``chr1``); contigs are separate sequences, so distances across them are
    infinite. For ``permutation_test_score`` pass the coordinates through
    metadata routing (``params={"groups": coords}``): without routing sklearn
    permutes ``y`` only within samples sharing a ``groups`` value, which for
    coordinates means hardly at all.

    See Also
    --------
    skgenqc.model_selection.chromosome.ChromosomeKFold : whole chromosomes per fold.

    Examples
    --------
    >>> import numpy as np
    >>> coords = [["chr1", 100], ["chr1", 500], ["chr1", 900], ["chr1", 1_100],
    ...           ["chr2", 50], ["chr2", 300]]
    >>> cv = GenomicBlockKFold(n_splits=2, block_size=1_000, gap=300, shuffle=False)
    >>> for train, test in cv.split(np.zeros((6, 1)), groups=coords):
    ...     print("train", train, "test", test)
    train [4 5] test [0 1 2]
    train [0 1] test [3 4 5]

    Samples 2 (chr1:900) and 3 (chr1:1,100) lie in different blocks but only
    200 bp apart, so with ``gap=300`` each is left out of training while the
    other is tested.
    """

    _parameter_constraints = {
        "n_splits": N_SPLITS,
        "block_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "gap": [Interval(numbers.Integral, 0, None, closed="left"), None],
        "shuffle": SHUFFLE, "random_state": RANDOM_STATE, "stratify": STRATIFY,
    }

    def __init__(self, n_splits=5, *, block_size=1_000_000, gap=0, shuffle=True,
                 random_state=0, stratify="auto"):
        self.n_splits = n_splits
        self.block_size = block_size
        self.gap = gap
        self.shuffle = shuffle
        self.random_state = random_state
        self.stratify = stratify

    def _folds(self, X, y, groups):
        """Fold of each sample, plus the linear coordinates and gap for the buffer."""
        n_splits, block_size = int(self.n_splits), int(self.block_size)
        gap = None if self.gap is None else int(self.gap)
        stratify = resolve_stratify(self.stratify, y)
        rng = fold_rng(self.shuffle, self.random_state)
        chrom, start, end = _genomic_coordinates(groups, _num_samples(X))
        chrom_codes, chrom_names = pd.factorize(chrom)
        block = ((start + end) // 2) // block_size
        order = np.lexsort((block, chrom_codes))
        new = np.ones(len(order), dtype=bool)
        new[1:] = (np.diff(chrom_codes[order]) != 0) | (np.diff(block[order]) != 0)
        codes = np.empty(len(order), dtype=np.int64)
        codes[order] = np.cumsum(new) - 1
        n_blocks = int(new.sum())
        if n_blocks < n_splits:
            raise ValueError(f"n_splits={n_splits} but the samples fall in only {n_blocks} "
                             f"block(s) of block_size={block_size} bp; use a smaller block_size "
                             "or fewer splits.")
        first = order[new]
        names = np.array([f"{chrom_names[chrom_codes[i]]}:{block[i] * block_size}-"
                          f"{(block[i] + 1) * block_size}" for i in first])
        folds = balanced_folds(codes, names, y, n_splits, stratify=stratify, rng=rng,
                                what="block")
        if gap is None:
            return folds, None
        return folds, _linear_coordinates(chrom_codes, start, end, gap)

    def _iter_masks(self, X, y=None, groups=None):
        """Test masks partition the samples; train drops the samples within ``gap`` of test."""
        X, y, groups = indexable(X, y, groups)
        folds, linear = self._folds(X, y, groups)
        for f in range(int(self.n_splits)):
            test = folds == f
            train = ~test
            if linear is not None:
                train &= ~_near_test(test, *linear)
                if not train.any():
                    raise ValueError(f"gap={self.gap} leaves fold {f} with no training samples; "
                                     "use a smaller gap or a larger block_size.")
            yield train, test
