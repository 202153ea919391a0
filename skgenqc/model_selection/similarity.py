"""Split sequences so that no test sequence is a near-copy of a training one.

:class:`SimilarityGroupKFold` finds every pair of sequences at or above an
identity threshold (either strand, built-in search, see
:func:`skgenqc.features.find_similar_pairs`), joins them into groups by
single linkage (connected components of the similarity graph), and folds
whole groups with :class:`BalancedGroupKFold`.  Because linked sequences
always share a fold and the search is exhaustive, no pair at or above the
threshold straddles train and test; :func:`~skgenqc.model_selection.split_diagnostics`
and the QC leakage checks run the same search with the same seed rule
(:func:`skgenqc.features.seed_plan`), so they find nothing across its folds.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from sklearn.utils._param_validation import Interval

from skgenqc.features.encoding import as_sequence_list
from skgenqc.features.similarity import find_similar_pairs
from skgenqc.model_selection._base import (
    N_SPLITS,
    RANDOM_STATE,
    SHUFFLE,
    STRATIFY,
    BaseGenomicSplitter,
    balanced_folds,
    fold_rng,
    resolve_stratify,
)


def similarity_groups(sequences, *, threshold=0.9, reverse_complement=True):
    """Single-linkage groups of sequences at or above ``threshold`` identity.

    Parameters
    ----------
    sequences : list, array or Series of str
    threshold : float, default=0.9
        Coverage-aware identity (:func:`~skgenqc.features.sequence_identity`:
        shifted windows count their shift once) at or above which two
        sequences are linked; every such pair is found (exhaustive search).
    reverse_complement : bool, default=True

    Returns
    -------
    numpy.ndarray of int
        Group id of each sequence.

    Examples
    --------
    >>> similarity_groups(["ACGTACGTAAGGCT", "AGCCTTACGTACGT", "TTTTGGGGCCCCAA"]).tolist()
    [0, 0, 1]
    """
    sequences = as_sequence_list(sequences, name="sequences")
    n = len(sequences)
    pairs = find_similar_pairs(sequences, threshold=threshold,
                               reverse_complement=reverse_complement)
    graph = sparse.coo_matrix((np.ones(len(pairs)), (pairs["query"], pairs["target"])),
                              shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels


class SimilarityGroupKFold(BaseGenomicSplitter):
    """K-fold that keeps similar sequences (and their reverse complements) together.

    The sequences are taken from ``groups`` (so they travel through
    scikit-learn's metadata routing next to a numeric ``X``), or from ``X``
    itself when it is a 1-D collection of strings.

    Parameters
    ----------
    n_splits : int, default=5
    threshold : float, default=0.9
        Coverage-aware identity (:func:`~skgenqc.features.sequence_identity`:
        windows shifted by ``s`` bp are ``1 - s / length`` identical) at or
        above which two sequences must share a fold.
    reverse_complement : bool, default=True
        Treat a sequence and the reverse complement of a similar one as similar.
    stratify : bool or "auto", default="auto"
        Balance labels across folds: ``"auto"`` when ``y`` is given and binary
        or multiclass, ``True`` requires such a ``y``.
    shuffle : bool, default=False
        Break ties between equal-sized groups at random and shuffle the fold order.
    random_state : int, RandomState or None, default=0
        Seed used when ``shuffle=True``; the default keeps calls repeatable.

    Notes
    -----
    Guarantee: no pair of sequences at or above ``threshold`` identity (either
    strand) is split between a training and a test fold.  The built-in search
    is exhaustive: its seed length is chosen by the pigeonhole bound
    (:func:`skgenqc.features.seed_plan`) and one shared seed suffices, so
    copies at exactly the threshold with evenly spaced substitutions or
    indels are found at any set size.  The cost is a 9-mer join at 90 %
    identity for 200 bp sequences, and a comparison of every length-compatible
    pair at 87 % and below (see :mod:`skgenqc.features.similarity`).  A
    similarity group larger than a fold is kept whole, with a warning that
    says how many sequences it holds.

    Examples
    --------
    >>> seqs = ["ACGTACGTAAGGCTTA", "TAAGCCTTACGTACGT", "GGGGCCCCAATTGGAA",
    ...         "TTCCAATTGGGGCCCC", "ATATATCGCGCGATAT", "CCCAAAGGGTTTACAC"]
    >>> cv = SimilarityGroupKFold(n_splits=2, stratify=False)
    >>> cv.groups(seqs).tolist()  # 1 is the reverse complement of 0; 3 of 2
    [0, 0, 1, 1, 2, 3]
    >>> for train, test in cv.split(seqs):
    ...     print(train.tolist(), test.tolist())
    [2, 3, 5] [0, 1, 4]
    [0, 1, 4] [2, 3, 5]
    """

    _parameter_constraints = {
        "n_splits": N_SPLITS,
        "threshold": [Interval(numbers.Real, 0, 1, closed="right")],
        "reverse_complement": ["boolean"],
        "stratify": STRATIFY, "shuffle": SHUFFLE, "random_state": RANDOM_STATE,
    }

    def __init__(self, n_splits=5, *, threshold=0.9, reverse_complement=True, stratify="auto",
                 shuffle=False, random_state=0):
        self.n_splits = n_splits
        self.threshold = threshold
        self.reverse_complement = reverse_complement
        self.stratify = stratify
        self.shuffle = shuffle
        self.random_state = random_state

    def _sequences(self, X, groups):
        source, name = (groups, "groups") if groups is not None else (X, "X")
        if source is None:
            raise ValueError("SimilarityGroupKFold needs the sequences: pass them as groups= "
                             "(or as X when X is a list of sequences).")
        arr = np.asarray(source, dtype=object)
        if arr.ndim != 1:
            raise ValueError(
                f"{name} must be a 1-D collection of sequences (str) for SimilarityGroupKFold, "
                f"got shape {arr.shape}; pass the sequences as groups=."
            )
        return as_sequence_list(list(arr), name=name)

    def groups(self, X=None, groups=None):
        """The similarity group of each sequence (for inspection).

        Returns
        -------
        numpy.ndarray of int
        """
        self._validate_params()
        return similarity_groups(self._sequences(X, groups), threshold=self.threshold,
                                 reverse_complement=self.reverse_complement)

    def _iter_masks(self, X=None, y=None, groups=None):
        sequences = self._sequences(X, groups)
        n = len(sequences)
        if X is not None and len(X) != n:
            raise ValueError(f"groups holds {n} sequences but X has {len(X)} samples.")
        if y is not None and len(y) != n:
            raise ValueError(f"y has {len(y)} entries but there are {n} sequences.")
        n_splits = int(self.n_splits)
        labels = similarity_groups(sequences, threshold=self.threshold,
                                   reverse_complement=self.reverse_complement)
        n_groups = int(labels.max()) + 1 if n else 0
        if n_groups < n_splits:
            raise ValueError(f"n_splits={n_splits} is more than the {n_groups} similarity "
                             f"group(s) of the {n} sequences; use fewer splits or a higher "
                             "threshold.")
        fold = balanced_folds(labels, np.arange(n_groups), y, n_splits,
                              stratify=resolve_stratify(self.stratify, y),
                              rng=fold_rng(self.shuffle, self.random_state),
                              what="similarity group",
                              hint=" Raise the threshold or the number of folds to split them.")
        for k in range(n_splits):
            yield fold != k, fold == k
