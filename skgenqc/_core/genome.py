"""Genome primitives of the bottom floor: chromosome names and families, coordinates, intervals.

One implementation that io, qc, the split diagnostics and the splitters all call, so
``1``, ``chr1`` and ``Chr01`` are one chromosome everywhere and a coordinate string
means the same thing in every room.  Coordinates are 0-based and half-open (BED's
convention).  This module imports nothing else from skgenqc.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["INTERVAL_ALIASES", "interval_column_name", "normalize_chromosome", "chromosome_family", "chromosome_sort_key", "list_chromosomes",
           "parse_coordinates", "is_coordinate_list", "check_interval_bounds",
           "integer_coordinates", "interval_keys"]

# Chromosome proper once a chr/Chr/CHR prefix is removed: 1, 01, 2L (fly), 1A (wheat), X, Y, W, Z,
# M or MT (mitochondrion).
_MAIN = r"(?i:0*(?P<num>\d+)(?P<arm>[A-Za-z]?)|(?P<sex>[XYWZ])|(?P<mito>MT?))"
_MAIN_RE = re.compile(rf"^(?i:chr)?{_MAIN}$")
# "<chromosome>_<anything>": random, alt, fix and novel patches of that chromosome.
_ON_CHROM_RE = re.compile(rf"^(?i:chr)?{_MAIN}_")
# Unplaced scaffolds: chrUn_*, GRC scaffold accessions (GL000009.2, KI270302v1, JH584295.1) and
# RefSeq contigs (NT_113878.1). Chromosome accessions (CM000663.2, NC_000001.11) are not among them.
_UNPLACED_RE = re.compile(r"^(?:(?i:chr)?Un(?:_|$)"
                          r"|(?:GL|JH|KB|KI|KN|KQ|KV|KZ|ML|MU)\d{6}(?:[.v]\d+)?$"
                          r"|N[TW]_\d+(?:\.\d+)?$)")
_COORD_RE = r"^\s*[^:\s]+:[\d,]+-[\d,]+(?:\([+-.]\))?\s*$"

_COORD = re.compile(r"^\s*([^:\s]+):([\d,]+)-([\d,]+)(?:\(([+-.])\))?\s*$")

# Larger coordinates do not fit int64 safely (and no genome is that long).
_MAX_COORDINATE = 2**62


def _as_strings(s):
    """Names as a str Series; whole-number floats (1.0 read from a CSV) become '1'."""
    s = pd.Series(s, dtype=object)
    num = pd.to_numeric(s, errors="coerce")
    whole = num.notna() & np.isfinite(num.astype(float)) & (num % 1 == 0)
    s = s.astype(str).str.strip()
    if whole.any():
        s[whole] = num[whole].astype(np.int64).astype(str)
    return s


def _factorize(names):
    """Codes and distinct values, so the string work runs once per distinct name."""
    codes, uniques = pd.factorize(pd.Series(np.asarray(names, dtype=object).ravel(), dtype=object))
    return codes, np.asarray(uniques, dtype=object)


def _canonical(s):
    """Canonical names of a str Series (called on distinct values only)."""
    parts = s.str.extract(_MAIN_RE)
    out = s.copy()
    num = parts["num"].notna()
    out[num] = "chr" + parts["num"][num] + parts["arm"][num]
    sex = parts["sex"].notna()
    out[sex] = "chr" + parts["sex"][sex].str.upper()
    out[parts["mito"].notna()] = "chrM"
    return out


def normalize_chromosome(names):
    """Canonical UCSC-style chromosome names.

    ``1``/``chr1``/``Chr1``/``CHR01`` become ``chr1``; ``X``/``x``/``chrX``
    become ``chrX``; ``M``/``MT``/``chrMT`` become ``chrM``. Unplaced and
    alt contigs (``chrUn_KI270302v1``, ``chr1_KI270706v1_random``,
    ``GL000009.2``) are kept as given; :func:`chromosome_family` maps them to
    the chromosome they belong with.

    Parameters
    ----------
    names : str or array-like of str or int

    Returns
    -------
    numpy.ndarray of object, or str when ``names`` is a single str

    Examples
    --------
    >>> normalize_chromosome(["1", "chr1", "X", "MT", "chrUn_KI270302v1"]).tolist()
    ['chr1', 'chr1', 'chrX', 'chrM', 'chrUn_KI270302v1']
    """
    if isinstance(names, str):
        return str(normalize_chromosome([names])[0])
    codes, uniques = _factorize(names)
    return _canonical(_as_strings(uniques)).to_numpy(dtype=object)[codes]


def chromosome_family(names):
    """The chromosome each sequence belongs with, for leakage purposes.

    ``chr1_KI270706v1_random`` and ``chr6_GL000250v2_alt`` belong with
    ``chr1`` and ``chr6``; HLA allele contigs (``HLA-A*01:01:01:01``) with
    ``chr6``; unplaced scaffolds (``chrUn_*``, ``GL000009.2``, ``KI270302.1``,
    ``NT_*``) form one family ``chrUn``. Anything else (``chrEBV``, a
    scaffold of another assembly) is its own family.

    Parameters
    ----------
    names : str or array-like of str

    Returns
    -------
    numpy.ndarray of object, or str when ``names`` is a single str

    Examples
    --------
    >>> chromosome_family(["chr1_KI270706v1_random", "GL000009.2", "2", "chrEBV"]).tolist()
    ['chr1', 'chrUn', 'chr2', 'chrEBV']
    """
    if isinstance(names, str):
        return str(chromosome_family([names])[0])
    codes, uniques = _factorize(names)
    u = _as_strings(uniques)
    out = _canonical(u)
    on_chrom = u.str.match(_ON_CHROM_RE)
    out[on_chrom] = _canonical(u[on_chrom].str.split("_").str[0])
    out[u.str.startswith("HLA-")] = "chr6"
    out[u.str.match(_UNPLACED_RE)] = "chrUn"
    return out.to_numpy(dtype=object)[codes]


def chromosome_sort_key(name):
    """chr1 < chr2 < chr10 < chrX < chrY < chrM < others < chrUn."""
    m = _MAIN_RE.match(name)
    if m and m["num"]:
        return (0, int(m["num"]), name)
    if m:
        return (1, "XYWZM".find((m["sex"] or "M").upper()), name)
    return (3 if name == "chrUn" else 2, 0, name)


def list_chromosomes(names, limit=30):
    names = sorted({str(n) for n in names}, key=chromosome_sort_key)
    more = f", ... ({len(names)} in all)" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def parse_coordinates(values, *, name="coord"):
    """Parse ``chrN:start-end`` strings (optionally ``(+)``/``(-)``) into columns.

    Parameters
    ----------
    values : iterable of str
    name : str
        Argument name for error messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``chrom``, ``start``, ``end`` and ``strand`` when given.

    Examples
    --------
    >>> parse_coordinates(["chr1:100-200", "chrX:5-10"]).values.tolist()
    [['chr1', 100, 200], ['chrX', 5, 10]]
    """
    # A single string would otherwise be split into characters ("c", "h", ...).
    if isinstance(values, (str, bytes)):
        raise TypeError(
            f"{name} must be a list of 'chrom:start-end' strings, got a single "
            f"{type(values).__name__} {values!r}; wrap it in a list."
        )
    if not hasattr(values, "__iter__"):
        raise TypeError(
            f"{name} must be a list of 'chrom:start-end' strings, got {type(values).__name__} "
            f"{values!r}."
        )
    series = pd.Series(list(values), dtype=object)
    parts = series.astype(str).str.extract(_COORD)
    bad = parts[0].isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{name}[{i}] = {series.iloc[i]!r} is not a coordinate; expected 'chrom:start-end' "
            "with whole numbers start, end >= 0 (e.g. 'chr1:100-200' or 'chr1:100-200(-)')."
        )
    out = pd.DataFrame({"chrom": parts[0].to_numpy()})
    for column, group in (("start", 1), ("end", 2)):
        digits = parts[group].str.replace(",", "")
        too_long = digits.str.len() > 18
        if too_long.any():
            i = int(np.flatnonzero(too_long.to_numpy())[0])
            raise ValueError(
                f"{name}[{i}] = {series.iloc[i]!r}: {column} is too large for a genome coordinate."
            )
        out[column] = digits.astype(np.int64).to_numpy()
    if parts[3].notna().any():
        out["strand"] = parts[3].fillna(".").to_numpy()
    check_interval_bounds(out, lambda i: f"{name}[{i}] = {series.iloc[i]!r}")
    return out


def _show(value):
    """A cell value as the user wrote it (1.5, not np.float64(1.5))."""
    return repr(value) if isinstance(value, str) else str(value)


def integer_coordinates(frame, where):
    """Convert ``start``/``end`` to int64, naming the first cell that is not a whole number.

    ``where(i)`` says where row ``i`` is (file and line). Fractional values are
    rejected rather than truncated: 1.5 in a BED file is a broken file, not 1.
    """
    for column in ("start", "end"):
        raw = frame[column]
        values = pd.to_numeric(raw, errors="coerce")
        bad = values.isna() | (values % 1 != 0) | (values.abs() >= _MAX_COORDINATE)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            if pd.isna(raw.iloc[i]):
                found = "is empty"
            elif abs(values.iloc[i]) >= _MAX_COORDINATE:
                found = f"is {_show(raw.iloc[i])}, too large"
            else:
                found = f"is {_show(raw.iloc[i])}"
            raise ValueError(
                f"{where(i)}: column {column!r} {found}; expected a whole-number 0-based "
                "genome coordinate."
            )
        frame[column] = values.astype(np.int64)
    return frame


def check_interval_bounds(frame, where):
    """Reject negative starts and end < start; ``where(i)`` names row ``i`` for the message."""
    negative = (frame["start"] < 0).to_numpy()
    if negative.any():
        i = int(np.flatnonzero(negative)[0])
        raise ValueError(
            f"{where(i)}: start is negative ({frame['start'].iloc[i]}); expected 0-based "
            "coordinates >= 0."
        )
    bad = (frame["end"] < frame["start"]).to_numpy()
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{where(i)}: end < start ({frame['start'].iloc[i]}-{frame['end'].iloc[i]}); "
            "expected end >= start (0-based, half-open)."
        )


def is_coordinate_list(values):
    """Whether every value is a ``chrom:start-end`` string (the form :func:`parse_coordinates` reads).

    Examples
    --------
    >>> is_coordinate_list(["chr1:1-5", "2:3-4(-)"]), is_coordinate_list(["chr1", "chr2"])
    (True, False)
    """
    s = pd.Series(list(values), dtype=object)
    return bool(len(s) and s.map(type).eq(str).all() and s.str.match(_COORD_RE).all())


def interval_keys(frame):
    """One hashable key per interval, with the chromosome normalised.

    ``1:100-200`` and ``chr1:100-200`` get the same key, so identity and
    overlap checks cannot miss a copy that differs only in naming.

    Parameters
    ----------
    frame : pandas.DataFrame
        With ``chrom``, ``start`` and ``end``.

    Returns
    -------
    pandas.Series of str

    Examples
    --------
    >>> interval_keys(pd.DataFrame({"chrom": ["1", "chr1"], "start": [5, 5], "end": [9, 9]})).tolist()
    ['chr1:5-9', 'chr1:5-9']
    """
    chrom = pd.Series(normalize_chromosome(frame["chrom"].to_numpy()), index=frame.index, dtype=object)
    return chrom + ":" + frame["start"].astype(np.int64).astype(str) + "-" + \
        frame["end"].astype(np.int64).astype(str)


#: Other names of the interval columns, matched without case (UCSC, Bioconductor, Genomic
#: Benchmarks' ``region``).
INTERVAL_ALIASES = {"chr": "chrom", "chromosome": "chrom", "region": "chrom", "seqnames": "chrom",
                    "chromstart": "start", "chromend": "end"}


def interval_column_name(name):
    """The interval column a table column stands for (``chrom``/``start``/``end``), or None.

    Examples
    --------
    >>> [interval_column_name(c) for c in ["Chr", "chromStart", "END", "gene"]]
    ['chrom', 'start', 'end', None]
    """
    lower = str(name).lower()
    lower = INTERVAL_ALIASES.get(lower, lower)
    return lower if lower in ("chrom", "start", "end") else None
