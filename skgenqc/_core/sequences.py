"""Sequence primitives of the bottom floor: 2-bit codes, packing, reverse complement.

Sequences are packed into one contiguous byte buffer with offsets (the layout
of a ragged array) and encoded with two bits per base: A=0, C=1, G=2, T=3 and
4 for anything else (N, IUPAC codes, gaps).  All later work (k-mer codes,
composition, per-position profiles) is then a handful of numpy operations on
that buffer, not a Python loop over sequences.  Encoding is case-insensitive;
the lowercase share is measured separately because soft-masking is
information.  This module imports nothing else from skgenqc.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["BASES", "INVALID", "PackedSequences", "as_sequence_list", "is_lowercase",
           "pack_sequences", "reverse_complement", "base_codes"]

INVALID = 4
BASES = "ACGT"

BASE_CODES = np.full(256, INVALID, dtype=np.uint8)
for _i, _b in enumerate(BASES):
    BASE_CODES[ord(_b)] = _i
    BASE_CODES[ord(_b.lower())] = _i
BASE_CODES[ord("U")] = 3  # RNA: U pairs like T
BASE_CODES[ord("u")] = 3

LOWERCASE_TABLE = np.zeros(256, dtype=bool)
LOWERCASE_TABLE[ord("a"):ord("z") + 1] = True

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
    return PackedSequences(raw=raw, codes=BASE_CODES[raw], offsets=offsets)


def is_lowercase(raw):
    """Boolean mask of lowercase letters in a raw byte buffer."""
    return LOWERCASE_TABLE[raw]


def base_codes(raw):
    """2-bit codes (4 for anything but A/C/G/T/U) of a raw byte buffer."""
    return BASE_CODES[raw]

