"""k-mer count matrices (sparse), optionally reverse-complement canonical."""

from __future__ import annotations

import numpy as np
from scipy import sparse

from skgenqc.features.encoding import canonical_kmer_codes, kmer_codes, kmer_names


def kmer_count_matrix(packed, k, *, canonical=False, presence=False):
    """Sparse (n_sequences, n_kmers) matrix of k-mer counts.

    Parameters
    ----------
    packed : PackedSequences
    k : int
        k-mer length (1 to 12 here: the columns are all 4**k k-mers, or the
        canonical ones).
    canonical : bool, default=False
        Merge each k-mer with its reverse complement (columns are the canonical k-mers).
    presence : bool, default=False
        1 where the k-mer occurs at least once instead of counts.

    Returns
    -------
    matrix : scipy.sparse.csr_matrix
    names : list of str
        Column names.

    Examples
    --------
    >>> from skgenqc.features.encoding import pack_sequences
    >>> m, names = kmer_count_matrix(pack_sequences(["AAC", "GTT"]), 2, canonical=True)
    >>> m.toarray().tolist()
    [[1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]]
    >>> names[:3]
    ['AA', 'AC', 'AG']
    """
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= 12:
        raise ValueError(f"k={k!r} must be an integer from 1 to 12 for a count matrix.")
    codes, seq = kmer_codes(packed, k, canonical=canonical)
    if canonical:
        columns = canonical_kmer_codes(k)
        col = np.searchsorted(columns, codes.astype(np.int64))
    else:
        columns = np.arange(4 ** k)
        col = codes.astype(np.int64)
    data = np.ones(len(col), dtype=np.int32)
    matrix = sparse.csr_matrix((data, (seq, col)), shape=(packed.n_sequences, len(columns)))
    matrix.sum_duplicates()
    if presence:
        matrix.data[:] = 1
    return matrix, kmer_names(k, columns)
