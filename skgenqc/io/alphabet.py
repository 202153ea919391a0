"""Tell nucleotide sequences from protein sequences before the DNA checks run on them.

The IUPAC nucleotide codes (A C G T U R Y S W K M B D H V N) share most of
their letters with the amino-acid codes, so a protein file "parses" as DNA and
every DNA check then reports nonsense.  The letters E F I J L O P Q Z and the
stop ``*`` are amino-acid codes that no nucleotide code uses; real proteins
hold them at about a third of their positions (L, E, I, P, F, Q are among the
commonest residues).  ``X`` is left out: it also hard-masks DNA.
"""

from __future__ import annotations

import numpy as np

__all__ = ["PROTEIN_LETTERS", "protein_letters", "protein_like", "check_not_protein"]

PROTEIN_LETTERS = frozenset("EFIJLOPQZ*")
_IS_PROTEIN = np.zeros(256, dtype=bool)
_IS_PROTEIN[np.frombuffer("".join(sorted(PROTEIN_LETTERS)).encode(), dtype=np.uint8)] = True
_IS_PROTEIN[np.frombuffer("".join(sorted(PROTEIN_LETTERS)).lower().encode(), dtype=np.uint8)] = True

# A sequence looks like protein when at least this share of its letters are
# protein-only: a stray letter in a long DNA sequence stays far below it.
MIN_LETTER_SHARE = 0.02


def protein_letters(sequence):
    """The protein-only letters (upper-cased, sorted) found in one sequence.

    Parameters
    ----------
    sequence : str

    Returns
    -------
    str
        The letters of ``PROTEIN_LETTERS`` present, e.g. ``"EPQ"``.

    Examples
    --------
    >>> protein_letters("MEEPQSDPSV"), protein_letters("ACGTNRY")
    ('EPQ', '')
    """
    return "".join(sorted({c.upper() for c in sequence} & PROTEIN_LETTERS))


def protein_like(sequences):
    """Per sequence, whether it looks like protein rather than nucleotides.

    Parameters
    ----------
    sequences : list of str

    Returns
    -------
    numpy.ndarray of bool
        True where at least one letter, and at least 2 % of the letters, are
        amino-acid codes that no IUPAC nucleotide code uses.

    Examples
    --------
    >>> protein_like(["MKTAYIAKQRQISFVKSHFSRQ", "ACGTACGTNNRY", ""]).tolist()
    [True, False, False]
    """
    sequences = list(sequences)
    lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    # non-ASCII characters become one "?" each, so positions stay aligned with lengths
    buffer = np.frombuffer("".join(sequences).encode("ascii", "replace"), dtype=np.uint8)
    hits = np.zeros(len(buffer) + 1, dtype=np.int64)
    np.cumsum(_IS_PROTEIN[buffer], out=hits[1:])
    ends = np.cumsum(lengths)
    counts = hits[ends] - hits[ends - lengths]
    return (counts >= 1) & (counts >= MIN_LETTER_SHARE * lengths)


def check_not_protein(sequences, *, what="the input", ids=None, min_share=0.5):
    """Raise ValueError when a large share of the sequences look like protein.

    Parameters
    ----------
    sequences : list of str
    what : str, default="the input"
        How the error names the sequences (a file, a command-line option).
    ids : list of str, optional
        Record ids, to show an example.
    min_share : float, default=0.5
        Share of the non-empty sequences that must look like protein.

    Raises
    ------
    ValueError
        Naming ``what``, how many sequences look like protein, the letters and
        an example, and saying the checks need nucleotide sequences.

    Examples
    --------
    >>> check_not_protein(["ACGTTGCA", "GGCCNNAT"])
    >>> check_not_protein(["MEEPQSDPSVEPPLSQETF", "MKTAYIAKQRQISFVKSHF"], what="'p.faa'")
    Traceback (most recent call last):
    ...
    ValueError: 'p.faa': 2 of 2 sequences look like protein, not DNA/RNA (they hold the \
amino-acid letters EFILPQ, which no nucleotide code uses; e.g. record 1 'MEEPQSDPSVEPPLSQETF'); \
the DNA checks need nucleotide sequences (A, C, G, T/U and IUPAC codes such as N, R, Y).
    """
    sequences = list(sequences)
    like = protein_like(sequences)
    non_empty = sum(1 for s in sequences if s)
    n_like = int(like.sum())
    if not non_empty or n_like < min_share * non_empty:
        return
    first = int(np.flatnonzero(like)[0])
    letters = "".join(sorted(set().union(*(set(protein_letters(sequences[i]))
                                           for i in np.flatnonzero(like)[:1000]))))
    name = f"record {first + 1}" if ids is None else f"record {first + 1} ({str(ids[first])!r})"
    raise ValueError(
        f"{what}: {n_like} of {non_empty} sequences look like protein, not DNA/RNA (they hold "
        f"the amino-acid letters {letters}, which no nucleotide code uses; e.g. {name} "
        f"{sequences[first][:30]!r}); the DNA checks need nucleotide sequences (A, C, G, T/U "
        "and IUPAC codes such as N, R, Y)."
    )
