"""k-mer codes over packed sequences, shared by the QC checks, the featurizers and the search.

The packing itself (2-bit codes, offsets, reverse complement) lives on the bottom
floor, :mod:`skgenqc._core.sequences`, and is re-exported here.
"""

from __future__ import annotations

import numpy as np

from skgenqc._core.sequences import (  # noqa: F401  (re-exported)
    BASES,
    INVALID,
    PackedSequences,
    as_sequence_list,
    is_lowercase,
    pack_sequences,
    reverse_complement,
)


def kmer_codes(packed, k, *, canonical=False, positions=False):
    """Integer codes of every valid k-mer, with the sequence each came from.

    A k-mer is valid when it lies inside one sequence and holds only A/C/G/T
    (any case).  The code of ``x_1..x_k`` is ``sum(x_j * 4**(k - j))``.

    Parameters
    ----------
    packed : PackedSequences
        Output of :func:`pack_sequences`.
    k : int
        k-mer length, 1 to 31.
    canonical : bool, default=False
        Use the smaller of the k-mer and its reverse complement, so a sequence
        and its reverse complement give the same codes.
    positions : bool, default=False
        Also return the start of each k-mer within its sequence.

    Returns
    -------
    codes : numpy.ndarray of uint32 (k <= 16) or uint64
    seq_index : numpy.ndarray of int32 (int64 beyond 2**31 sequences)
    position : numpy.ndarray of int64
        Only when ``positions=True``.

    Examples
    --------
    >>> codes, idx = kmer_codes(pack_sequences(["ACGT", "AC"]), 2)
    >>> codes.tolist(), idx.tolist()
    ([1, 6, 11, 1], [0, 0, 0, 1])
    >>> kmer_codes(pack_sequences(["AAC", "GTT"]), 3, canonical=True)[0].tolist()
    [1, 1]
    """
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 1 <= k <= 31:
        raise ValueError(f"k={k!r} must be an integer from 1 to 31.")
    codes = packed.codes
    n = len(codes)
    empty = (np.zeros(0, np.uint64), np.zeros(0, np.int64)) + (
        (np.zeros(0, np.int64),) if positions else ())
    if n < k:
        return empty
    n_windows = n - k + 1
    # A window is valid when it holds no invalid base and does not cross a boundary.
    bad = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(codes == INVALID, out=bad[1:])
    valid = bad[k:] == bad[:n_windows]
    del bad
    lengths = packed.lengths
    last_start = packed.offsets[1:] - k  # last valid window start of each sequence
    crosses = np.zeros(n_windows + 1, dtype=np.int32)
    # Mark windows starting after a sequence's last valid start, up to its end.
    ok = lengths >= k
    np.add.at(crosses, np.minimum(last_start[ok] + 1, n_windows), 1)
    np.add.at(crosses, np.minimum(packed.offsets[1:][ok], n_windows), -1)
    short = ~ok
    np.add.at(crosses, np.minimum(packed.offsets[:-1][short], n_windows), 1)
    np.add.at(crosses, np.minimum(packed.offsets[1:][short], n_windows), -1)
    valid &= np.cumsum(crosses[:n_windows], dtype=np.int32) == 0
    starts = np.flatnonzero(valid)
    del valid
    if len(starts) == 0:
        return empty
    # Window codes by doubling: codes of length 2m are two codes of length m side
    # by side, so k-mers cost O(log k) passes over the buffer instead of k.
    dtype = np.uint32 if k <= 16 else np.uint64
    c = np.minimum(codes, 3).astype(dtype)
    out = _window_codes(c, k, dtype)[starts]
    if canonical:
        # Reverse complement of window i: complemented bases read backwards, i.e.
        # the forward code of the reversed complemented buffer at the mirrored start.
        rc = _window_codes((dtype(3) - c)[::-1].copy(), k, dtype)
        np.minimum(out, rc[(n - k) - starts], out=out)
        del rc
    del c
    # int32 halves the memory of the largest array of a k-mer index.
    index_dtype = np.int32 if packed.n_sequences < 2**31 - 1 else np.int64
    seq_index = (np.searchsorted(packed.offsets, starts, side="right") - 1).astype(index_dtype)
    if positions:
        return out, seq_index, starts - packed.offsets[seq_index]
    return out, seq_index


def _window_codes(c, k, dtype):
    """Code of the k-mer starting at every position (k <= 31), by doubling.

    ``c`` holds one 2-bit code per position; the result has ``len(c) - k + 1``
    entries.  Powers-of-two window codes are built by combining two halves,
    then the binary expansion of k is assembled from them.
    """
    n_windows = len(c) - k + 1
    powers = {1: c}
    width = 1
    while width * 2 <= k:
        prev = powers[width]
        nxt = prev[: len(prev) - width] << dtype(2 * width)
        nxt |= prev[width:]
        powers[width * 2] = nxt
        width *= 2
    result = None
    offset = 0
    for size in sorted(powers, reverse=True):
        if k - offset >= size:
            part = powers[size][offset: offset + n_windows]
            if result is None:
                result = part.copy()
            else:
                result <<= dtype(2 * size)
                result |= part
            offset += size
    return result


def sorted_unique(values, *, return_counts=False):
    """Sorted unique values (and counts) of a 1-D array, by sorting.

    numpy's hash-based ``unique`` is several times slower than one sort on the
    tens of millions of integer keys the k-mer work produces.

    Examples
    --------
    >>> u, c = sorted_unique(np.array([3, 1, 3, 2]), return_counts=True)
    >>> u.tolist(), c.tolist()
    ([1, 2, 3], [1, 1, 2])
    """
    values = np.sort(values, kind="stable" if values.dtype == object else None)
    if len(values) == 0:
        return (values, np.zeros(0, np.int64)) if return_counts else values
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    unique = values[first]
    if not return_counts:
        return unique
    starts = np.flatnonzero(first)
    return unique, np.diff(np.append(starts, len(values)))


def kmer_names(k, codes=None):
    """Names of k-mers (``"AA"``, ``"AC"``, ...) for all codes or the given ones.

    Examples
    --------
    >>> kmer_names(2)[:3]
    ['AA', 'AC', 'AG']
    """
    codes = np.arange(4 ** k) if codes is None else np.asarray(codes, dtype=np.int64)
    letters = np.array(list(BASES))
    digits = (codes[:, None] >> (2 * np.arange(k - 1, -1, -1))[None, :]) & 3
    return ["".join(row) for row in letters[digits]]


def canonical_kmer_codes(k):
    """Sorted codes of the canonical k-mers (those not larger than their reverse complement).

    Examples
    --------
    >>> len(canonical_kmer_codes(2)), len(canonical_kmer_codes(3))
    (10, 32)
    """
    codes = np.arange(4 ** k, dtype=np.int64)
    rc = np.zeros_like(codes)
    for j in range(k):
        rc = (rc << 2) | (3 - ((codes >> (2 * j)) & 3))
    return codes[codes <= rc]
