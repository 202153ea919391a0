"""Fast primitives shared by the QC checks, the featurizers and the splitters.

Sequences are packed into one contiguous byte buffer with offsets (the layout
of a ragged array) and encoded with two bits per base: A=0, C=1, G=2, T=3 and
4 for anything else (N, IUPAC codes, gaps).  All later work (k-mer codes,
composition, per-position profiles) is then a handful of numpy operations on
that buffer, not a Python loop over sequences.  Encoding is case-insensitive;
the lowercase share is measured separately because soft-masking is
information.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

INVALID = 4
BASES = "ACGT"

_CODE = np.full(256, INVALID, dtype=np.uint8)
for _i, _b in enumerate(BASES):
    _CODE[ord(_b)] = _i
    _CODE[ord(_b.lower())] = _i
_CODE[ord("U")] = 3  # RNA: U pairs like T
_CODE[ord("u")] = 3

_IS_LOWER = np.zeros(256, dtype=bool)
_IS_LOWER[ord("a"):ord("z") + 1] = True

_COMPLEMENT = str.maketrans(
    "ACGTUNRYKMSWBDHVacgtunrykmswbdhv", "TGCAANYRMKSWVHDBtgcaanyrmkswvhdb"
)


def reverse_complement(sequence):
    """Reverse complement of a DNA/RNA string, IUPAC-aware and case-preserving.

    Parameters
    ----------
    sequence : str
        The sequence.

    Returns
    -------
    str

    Examples
    --------
    >>> reverse_complement("AACGTn")
    'nACGTT'
    """
    return sequence.translate(_COMPLEMENT)[::-1]


@dataclass
class PackedSequences:
    """Sequences packed into one byte buffer.

    Attributes
    ----------
    raw : numpy.ndarray of uint8
        The characters, concatenated.
    codes : numpy.ndarray of uint8
        2-bit base codes (0-3) or 4 for a non-ACGT character.
    offsets : numpy.ndarray of int64
        ``offsets[i]:offsets[i + 1]`` is sequence ``i`` in ``raw`` and ``codes``.
    """

    raw: np.ndarray
    codes: np.ndarray
    offsets: np.ndarray

    @property
    def lengths(self):
        return np.diff(self.offsets)

    @property
    def n_sequences(self):
        return len(self.offsets) - 1

    def sequence_index(self):
        """For each position in the buffer, the index of its sequence."""
        return np.repeat(np.arange(self.n_sequences, dtype=np.int64), self.lengths)


def as_sequence_list(sequences, *, name="sequences"):
    """Validate sequences and return them as a list of ``str``.

    Parameters
    ----------
    sequences : list, tuple, numpy.ndarray or pandas.Series of str
        The sequences. NaN/None are rejected with the position named.
    name : str
        Argument name used in error messages.

    Returns
    -------
    list of str

    Examples
    --------
    >>> as_sequence_list(["ACGT", "gg"])
    ['ACGT', 'gg']
    """
    if isinstance(sequences, str):
        raise TypeError(
            f"{name} must be a list, array or Series of sequences, got a single str "
            f"{sequences[:20]!r}; wrap it in a list."
        )
    if isinstance(sequences, pd.DataFrame):
        raise TypeError(
            f"{name} must be one column of sequences, got a DataFrame with columns "
            f"{list(sequences.columns)}; select the sequence column."
        )
    if isinstance(sequences, pd.Series):
        values = sequences.tolist()
    else:
        try:
            values = list(sequences)
        except TypeError:
            raise TypeError(
                f"{name} must be an iterable of str, got {type(sequences).__name__}."
            ) from None
    for i, seq in enumerate(values):
        if not isinstance(seq, str):
            if isinstance(seq, bytes):
                values[i] = seq.decode("ascii", errors="replace")
                continue
            missing = seq is None or (isinstance(seq, float) and np.isnan(seq))
            what = "missing (NaN/None)" if missing else f"of type {type(seq).__name__}"
            raise ValueError(f"{name}[{i}] is {what}; every sequence must be a str.")
    return values


def pack_sequences(sequences):
    """Pack sequences into a :class:`PackedSequences` buffer.

    Parameters
    ----------
    sequences : iterable of str
        Sequences; characters outside ASCII are kept as invalid (code 4).

    Returns
    -------
    PackedSequences

    Examples
    --------
    >>> p = pack_sequences(["ACgt", "NA"])
    >>> p.codes.tolist(), p.offsets.tolist()
    ([0, 1, 2, 3, 4, 0], [0, 4, 6])
    """
    seqs = sequences if isinstance(sequences, list) else as_sequence_list(sequences)
    lengths = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
    offsets = np.zeros(len(seqs) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    joined = "".join(seqs)
    encoded = joined.encode("ascii", errors="replace")
    if len(encoded) != offsets[-1]:  # non-BMP characters change the byte count
        encoded = "".join(c if ord(c) < 128 else "?" for c in joined).encode("ascii")
    raw = np.frombuffer(encoded, dtype=np.uint8)
    return PackedSequences(raw=raw, codes=_CODE[raw], offsets=offsets)


def is_lowercase(raw):
    """Boolean mask of lowercase letters in a raw byte buffer."""
    return _IS_LOWER[raw]


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
