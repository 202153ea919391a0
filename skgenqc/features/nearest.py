"""Each test item's nearest training item: identity first, k-mer containment for the rest.

Two measures, one answer per test item:

1. *Identity*, from the one search of :mod:`skgenqc.features.similarity`
   (coverage-aware, both strands, exhaustive at the threshold): the training
   item of highest identity, when one reaches ``threshold``.
2. *Containment*, for items without an identity hit: the share of the test
   item's distinct canonical k-mers (both strands) found in one training item
   (:func:`kmer_containment`), which catches a test item that is a fragment of
   a longer training item, or shares long stretches with it below the identity
   threshold.

Containment is one sparse product of k-mer presence matrices, computed for a
block of test items at a time, so memory is bounded by ``block`` test items
times the training items they share a k-mer with.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.encoding import as_sequence_list, kmer_codes, pack_sequences, sorted_unique
from skgenqc.features.similarity import find_similar_pairs

NEAREST_COLUMNS = ["train", "identity", "strand", "containment", "containment_train",
                   "set_containment", "method"]


def _check_k(k):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 4 <= int(k) <= 16:
        raise ValueError(f"k={k!r} must be an int from 4 to 16 (k-mer length of the containment).")
    return int(k)


def _presence(seqs, k):
    """(codes, sequence) of each distinct canonical k-mer of each sequence."""
    codes, seq = kmer_codes(pack_sequences(seqs), k, canonical=True)
    key = sorted_unique(codes.astype(np.int64) * max(len(seqs), 1) + seq)
    return key // max(len(seqs), 1), key % max(len(seqs), 1)


def kmer_containment(test, train, *, k=12, block=2000):
    """Share of each test item's k-mers found in its best training item and in the training set.

    k-mers are canonical (a k-mer and its reverse complement count as one), so
    containment is strand-blind; k-mers with a character other than A/C/G/T/U
    are left out.

    Parameters
    ----------
    test, train : list, array or Series of str
        Test items (queries) and training items (targets).
    k : int, default=12
        k-mer length, 4 to 16. At 12, two random 200 bp sequences share a
        k-mer with probability about 1e-3, so a containment of a few percent
        already says something.
    block : int, default=2000
        Test items per sparse product (bounds memory).

    Returns
    -------
    pandas.DataFrame
        One row per test item: ``train`` (position of the training item with the
        highest containment, -1 when no k-mer is shared), ``containment`` (share
        of the test item's distinct k-mers in that item), ``set_containment``
        (share found anywhere in training) and ``n_kmers`` (distinct k-mers of
        the test item; 0 gives NaN shares).

    Examples
    --------
    >>> train = ["ACGTACGTTTGACCAGGATT", "GGGGCCCCAAAATTTTCCGA"]
    >>> test = ["ACGTACGTTTGAC", "TTTTTTTTTTTTTTTTTTTT", "AATCCTGGTCAAACG"]
    >>> r = kmer_containment(test, train, k=6)
    >>> r["train"].tolist()
    [0, -1, 0]
    >>> r["containment"].round(2).tolist(), r["set_containment"].round(2).tolist()
    ([1.0, 0.0, 1.0], [1.0, 0.0, 1.0])
    """
    from scipy import sparse

    k = _check_k(k)
    test = as_sequence_list(test, name="test")
    train = as_sequence_list(train, name="train")
    if isinstance(block, bool) or not isinstance(block, (int, np.integer)) or block < 1:
        raise ValueError(f"block={block!r} must be a positive int (test items per product).")
    n_q, n_t = len(test), len(train)
    q_code, q_seq = _presence([s.upper() for s in test], k)
    t_code, t_seq = _presence([s.upper() for s in train], k)
    n_kmers = np.bincount(q_seq, minlength=n_q)
    # One column per k-mer present in both sets; the others cannot be shared.
    vocab = np.intersect1d(sorted_unique(q_code), sorted_unique(t_code), assume_unique=True)
    in_q = np.isin(q_code, vocab)
    shared_any = np.bincount(q_seq[in_q], minlength=n_q)
    in_t = np.isin(t_code, vocab)
    cols_t = np.searchsorted(vocab, t_code[in_t])
    T = sparse.csr_matrix((np.ones(int(in_t.sum()), dtype=np.int32), (t_seq[in_t], cols_t)),
                          shape=(n_t, len(vocab))).T.tocsr()
    q_seq_in, cols_q = q_seq[in_q], np.searchsorted(vocab, q_code[in_q])
    best = np.full(n_q, -1, dtype=np.int64)
    best_shared = np.zeros(n_q, dtype=np.int64)
    order = np.argsort(q_seq_in, kind="stable")
    q_seq_in, cols_q = q_seq_in[order], cols_q[order]
    bounds = np.searchsorted(q_seq_in, np.arange(0, n_q + block, block))
    for b, lo in enumerate(range(0, n_q, block)):
        hi = min(lo + block, n_q)
        a, z = bounds[b], bounds[b + 1]
        if a == z:
            continue
        Q = sparse.csr_matrix((np.ones(z - a, dtype=np.int32), (q_seq_in[a:z] - lo, cols_q[a:z])),
                              shape=(hi - lo, len(vocab)))
        S = (Q @ T).tocsr()  # shared k-mers of (test item, training item)
        if S.nnz == 0:
            continue
        arg = np.asarray(S.argmax(axis=1)).ravel()
        top = np.asarray(S.max(axis=1).todense()).ravel()
        has = top > 0
        best[lo:hi][has] = arg[has]
        best_shared[lo:hi] = top
    with np.errstate(invalid="ignore", divide="ignore"):
        contain = np.where(n_kmers > 0, best_shared / np.maximum(n_kmers, 1), np.nan)
        set_contain = np.where(n_kmers > 0, shared_any / np.maximum(n_kmers, 1), np.nan)
    return pd.DataFrame({"train": best, "containment": contain, "set_containment": set_contain,
                         "n_kmers": n_kmers.astype(np.int64)})


def nearest_neighbours(test, train, *, threshold=0.9, k=12, pairs=None, block=2000):
    """Each test item's most similar training item, by identity or else by k-mer containment.

    Parameters
    ----------
    test, train : list, array or Series of str
        Test items and training items.
    threshold : float, default=0.9
        Identity at or above which a training item is an identity neighbour
        (:func:`~skgenqc.features.find_similar_pairs`, both strands).
    k : int, default=12
        k-mer length of the containment fallback (:func:`kmer_containment`).
    pairs : pandas.DataFrame, optional
        Hits of ``find_similar_pairs(test, train, threshold=threshold)`` already
        computed (``query``, ``target``, ``identity``, ``strand``), to search once.
    block : int, default=2000
        Test items per containment product.

    Returns
    -------
    pandas.DataFrame
        One row per test item: ``train`` (nearest training item; -1 when
        nothing is shared), ``identity`` (its identity, NaN for a containment
        neighbour), ``strand``, ``containment`` (share of the test item's
        k-mers in its best-containment training item), ``containment_train``
        (that item), ``set_containment`` (share in the whole training set) and
        ``method`` (``"identity"``, ``"containment"`` or ``"none"``).

    Examples
    --------
    >>> train = ["ACGTACGTTTGACCAGGATT", "GGGGCCCCAAAATTTTCCGA"]
    >>> test = ["AATCCTGGTCAAACGTACGT", "ACGTACGTTTGAC", "TTTTTTTTTTTTTTTTTTTT"]
    >>> nn = nearest_neighbours(test, train, k=6)
    >>> nn[["train", "identity", "strand", "method"]].values.tolist()
    [[0, 1.0, '-', 'identity'], [0, nan, '', 'containment'], [-1, nan, '', 'none']]
    """
    test = as_sequence_list(test, name="test")
    train = as_sequence_list(train, name="train")
    if pairs is None:
        pairs = find_similar_pairs(test, train, threshold=threshold)
    else:
        missing = {"query", "target", "identity", "strand"} - set(pairs.columns)
        if missing:
            raise ValueError(f"pairs lacks column(s) {sorted(missing)}; expected the output of "
                             "find_similar_pairs(test, train).")
        pairs = pairs[pairs["identity"] >= threshold - 1e-12]
    n_q = len(test)
    contain = kmer_containment(test, train, k=k, block=block)
    out = pd.DataFrame({"train": contain["train"].to_numpy(), "identity": np.nan, "strand": "",
                        "containment": contain["containment"].to_numpy(),
                        "containment_train": contain["train"].to_numpy(),
                        "set_containment": contain["set_containment"].to_numpy(),
                        "method": np.where(contain["train"].to_numpy() >= 0, "containment",
                                           "none").astype(object)})
    if len(pairs):
        # Highest identity first; ties go to the earlier training item.
        top = pairs.sort_values(["query", "identity", "target"], ascending=[True, False, True],
                                kind="stable").drop_duplicates("query")
        q = top["query"].to_numpy(dtype=np.int64)
        if q.max(initial=-1) >= n_q:
            raise ValueError(f"pairs names query {int(q.max())} but test has {n_q} items.")
        out.loc[q, "train"] = top["target"].to_numpy(dtype=np.int64)
        out.loc[q, "identity"] = top["identity"].to_numpy(dtype=np.float64)
        out.loc[q, "strand"] = top["strand"].astype(str).to_numpy()
        out.loc[q, "method"] = "identity"
    return out.astype({"train": "int64", "containment_train": "int64"})[NEAREST_COLUMNS]
