"""Per-sequence composition statistics, computed on the packed buffer.

One pass of ``numpy.bincount`` per statistic over the whole buffer gives, for
every sequence, its length, base counts, non-ACGT counts, lowercase count, GC
fraction and dinucleotide frequencies.  This is what the class checks, the
covariate-matched samplers and the composition featurizer build on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.encoding import BASES, INVALID, as_sequence_list, is_lowercase, pack_sequences

DINUCLEOTIDES = [a + b for a in BASES for b in BASES]


def _per_sequence_counts(packed, n_codes, codes, seq_index):
    """Counts of each code per sequence as an (n_sequences, n_codes) array."""
    flat = seq_index * n_codes + codes
    counts = np.bincount(flat, minlength=packed.n_sequences * n_codes)
    return counts.reshape(packed.n_sequences, n_codes)


PAD = 5  # code of a padding cell in a codes matrix (never counted)


def codes_matrix(packed, *, right_aligned=False, max_waste=2.0):
    """The 2-bit codes as an (n_sequences, max_length) matrix, padded with ``PAD``.

    Row-wise numpy reductions over this matrix are several times faster than
    bincounts over per-position sequence indices, and most genomic datasets
    have one or a few lengths.  Returns None when padding would waste more
    than ``max_waste`` times the data (very uneven lengths).

    Examples
    --------
    >>> from skgenqc.features.encoding import pack_sequences
    >>> codes_matrix(pack_sequences(["ACG", "T"])).tolist()
    [[0, 1, 2], [3, 5, 5]]
    >>> codes_matrix(pack_sequences(["ACG", "T"]), right_aligned=True).tolist()
    [[0, 1, 2], [5, 5, 3]]
    """
    lengths = packed.lengths
    n = packed.n_sequences
    width = int(lengths.max(initial=0))
    if n == 0 or width == 0 or n * width > max_waste * max(int(lengths.sum()), 1) + 1_000_000:
        return None
    if (lengths == width).all():
        return packed.codes.reshape(n, width)
    out = np.full((n, width), PAD, dtype=np.uint8)
    for length in np.unique(lengths):
        rows = np.flatnonzero(lengths == length)
        if length == 0:
            continue
        cols = np.arange(length)
        src = packed.codes[packed.offsets[rows][:, None] + cols[None, :]]
        if right_aligned:
            out[rows[:, None], (width - length) + cols[None, :]] = src
        else:
            out[rows[:, None], cols[None, :]] = src
    return out


def _counts_from_matrix(packed, matrix, dinucleotides):
    """Base, lowercase and dinucleotide counts per row of a codes matrix."""
    n = packed.n_sequences
    base_counts = np.empty((n, 5), dtype=np.int64)
    for code in range(5):
        base_counts[:, code] = np.count_nonzero(matrix == code, axis=1)
    lower_mask = is_lowercase(packed.raw)
    if (packed.lengths == matrix.shape[1]).all():
        lower = np.count_nonzero(lower_mask.reshape(matrix.shape), axis=1)
    else:
        cumulative = np.concatenate([[0], np.cumsum(lower_mask, dtype=np.int64)])
        lower = cumulative[packed.offsets[1:]] - cumulative[packed.offsets[:-1]]
    di = None
    if dinucleotides:
        # 6 * left + right is unique for codes 0..5 (N = 4, padding = 5).
        pair = matrix[:, :-1] * np.uint8(6) + matrix[:, 1:]
        di = np.empty((n, 16), dtype=np.int64)
        for a in range(4):
            for b in range(4):
                di[:, a * 4 + b] = np.count_nonzero(pair == a * 6 + b, axis=1)
    return base_counts, lower, di


def composition_table(sequences, *, dinucleotides=True, packed=None):
    """Length, base composition, GC content and dinucleotide frequencies per sequence.

    Definitions (the ones genomic-benchmarks-qc uses, so numbers agree):

    - ``length``: number of characters.
    - ``A``, ``C``, ``G``, ``T``: fraction of the sequence's characters
      (case-insensitive; U counts as T).
    - ``N``: fraction of characters that are not A/C/G/T (N and IUPAC codes).
    - ``gc_content``: (G + C) / length (named so it cannot clash with the
      dinucleotide ``GC``).
    - ``lowercase``: fraction of lowercase (soft-masked) characters.
    - dinucleotides ``AA`` ... ``TT``: overlapping pair counts divided by
      ``length - 1`` (pairs that include a non-ACGT character count towards
      no dinucleotide).

    Parameters
    ----------
    sequences : list, array or Series of str
    dinucleotides : bool, default=True
        Include the 16 dinucleotide columns.
    packed : PackedSequences, optional
        Reuse an already packed buffer of the same sequences.

    Returns
    -------
    pandas.DataFrame
        One row per sequence.

    Examples
    --------
    >>> t = composition_table(["ACGTNN", "ggcc"])
    >>> t[["length", "gc_content", "N", "lowercase"]].round(3).values.tolist()
    [[6.0, 0.333, 0.333, 0.0], [4.0, 1.0, 0.0, 1.0]]
    >>> float(t.loc[0, "CG"])
    0.2
    """
    if packed is None:
        packed = pack_sequences(as_sequence_list(sequences))
    lengths = packed.lengths.astype(np.float64)
    matrix = codes_matrix(packed)
    if matrix is not None:
        base_counts, lower, di = _counts_from_matrix(packed, matrix, dinucleotides)
    else:
        seq_index = packed.sequence_index()
        base_counts = _per_sequence_counts(packed, 5, packed.codes.astype(np.int64), seq_index)
        lower = np.bincount(seq_index, weights=is_lowercase(packed.raw),
                            minlength=packed.n_sequences)
        di = None
        if dinucleotides:
            codes = packed.codes
            pair_ok = (codes[:-1] != INVALID) & (codes[1:] != INVALID) & (
                seq_index[:-1] == seq_index[1:])
            pair_code = (codes[:-1][pair_ok].astype(np.int64) * 4 + codes[1:][pair_ok])
            di = _per_sequence_counts(packed, 16, pair_code, seq_index[:-1][pair_ok])
    with np.errstate(invalid="ignore", divide="ignore"):
        fractions = base_counts / lengths[:, None]
        table = pd.DataFrame({
            "length": lengths,
            "A": fractions[:, 0],
            "C": fractions[:, 1],
            "G": fractions[:, 2],
            "T": fractions[:, 3],
            "N": fractions[:, INVALID],
            "gc_content": (base_counts[:, 1] + base_counts[:, 2]) / lengths,
            "lowercase": lower / lengths,
        })
        if dinucleotides:
            di = di / np.maximum(lengths - 1, 1)[:, None]
            for j, name in enumerate(DINUCLEOTIDES):
                table[name] = di[:, j]
    return table


def positional_composition(sequences, labels=None, *, max_positions=100, from_end=False,
                           packed=None):
    """Base fractions at each position, counted from the start or the end.

    Parameters
    ----------
    sequences : list, array or Series of str
    labels : array-like, optional
        Class of each sequence; fractions are given per class.
    max_positions : int, default=100
        Positions 0 .. max_positions - 1 are profiled.
    from_end : bool, default=False
        Count positions from the 3' end.
    packed : PackedSequences, optional

    Returns
    -------
    pandas.DataFrame
        Index ``(label, position)``; columns ``A, C, G, T, N`` (fractions of the
        sequences long enough to have that position) and ``n`` (that count).

    Examples
    --------
    >>> p = positional_composition(["AC", "AG"], max_positions=2)
    >>> p.loc[("all", 1), ["C", "G"]].tolist()
    [0.5, 0.5]
    """
    if packed is None:
        packed = pack_sequences(as_sequence_list(sequences))
    labels = np.repeat("all", packed.n_sequences) if labels is None else np.asarray(labels)
    classes, class_index = np.unique(labels, return_inverse=True)
    matrix = codes_matrix(packed, right_aligned=from_end)
    if matrix is not None:
        # Column j of a right-aligned matrix is position (width - 1 - j) from the end.
        view = matrix[:, ::-1] if from_end else matrix
        view = view[:, :max_positions]
        counts = np.zeros((len(classes), max_positions, 5), dtype=np.float64)
        for c in range(len(classes)):
            rows = view[class_index == c]
            for code in range(5):
                counts[c, : view.shape[1], code] = np.count_nonzero(rows == code, axis=0)
        counts = counts.reshape(len(classes) * max_positions, 5)
    else:
        seq_index = packed.sequence_index()
        pos = np.arange(len(packed.codes), dtype=np.int64) - packed.offsets[seq_index]
        if from_end:
            pos = packed.lengths[seq_index] - 1 - pos
        keep = pos < max_positions
        flat = (class_index[seq_index[keep]] * max_positions + pos[keep]) * 5 + packed.codes[keep]
        counts = np.bincount(flat, minlength=len(classes) * max_positions * 5)
        counts = counts.reshape(len(classes) * max_positions, 5).astype(np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        fractions = counts / totals
    index = pd.MultiIndex.from_product([classes.tolist(), range(max_positions)],
                                       names=["label", "position"])
    out = pd.DataFrame(fractions, index=index, columns=list(BASES) + ["N"])
    out["n"] = totals[:, 0].astype(np.int64)
    return out[out["n"] > 0]
