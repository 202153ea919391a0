"""Coordinate-only inputs: tell sequences from coordinates, and read coordinates of any form.

Genomic datasets often come as intervals without sequences: BED files, tables
with ``chrom``/``region``, ``start``, ``end`` columns or ``chrN:start-end``
coordinates, and the Genomic Benchmarks folder layout.  :func:`input_kind`
says which of these a path is (from its name and header, without reading it
whole) and :func:`read_coordinates` reads any of them into the frame
:func:`~skgenqc.io.read_intervals` returns.  The parsing itself is
:mod:`skgenqc.io.intervals` and :mod:`skgenqc._core.genome`; this module only
chooses the reader.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from skgenqc._core.genome import is_coordinate_list, parse_coordinates
from skgenqc.io.intervals import (
    _CHROM_NAMES,
    _leading_non_data,
    fetch_sequences,
    read_genomic_benchmark,
    read_intervals,
)
from skgenqc.io.sequences import (
    FASTA_SUFFIXES,
    TABLE_SUFFIXES,
    _strip_compression,
    file_kind,
    read_columns,
)
from skgenqc.io.sources import check_input, header_fields, is_stream, sniff_separator

__all__ = ["input_kind", "read_coordinates", "BED_SUFFIXES", "COORDINATE_COLUMNS"]

BED_SUFFIXES = (".bed", ".narrowpeak", ".broadpeak", ".bedgraph")
#: Columns holding ``chrom:start-end`` strings, in the order they are looked for; ``id`` and
#: ``name`` count only when every value is a coordinate.
COORDINATE_COLUMNS = ("coord", "coords", "coordinate", "coordinates", "interval", "locus",
                      "position", "id", "name")
_NAMED_COORDINATES = COORDINATE_COLUMNS[:-2]


def _is_benchmark_folder(path):
    return path.is_dir() and any(
        next((path / split).glob("*.csv*"), None) is not None for split in ("train", "test")
        if (path / split).is_dir())


def _header_and_row(path):
    """The fields of the first data line and of the line after it ([] when there is none)."""
    import xopen

    skipped, line = _leading_non_data(path)
    if line is None:
        return [], []
    name = _strip_compression(path.name).lower()
    sep = sniff_separator(line.rstrip("\r\n"), "," if name.endswith(".csv") else "\t")
    with xopen.xopen(path, "rt", encoding="utf-8-sig", errors="replace") as handle:
        lines = [next(handle, "") for _ in range(skipped + 2)]

    def split(text):
        text = text.rstrip("\r\n")
        return [c.strip().strip("\"'") for c in header_fields(text, sep)] if text else []

    return split(lines[skipped]), split(lines[skipped + 1])


def _coordinate_header(fields, row):
    """Whether a header names a coordinate column (``id``/``name`` when its value is one)."""
    lower = [f.lower() for f in fields]
    if any(c in _NAMED_COORDINATES for c in lower):
        return True
    return any(c in ("id", "name") and i < len(row) and is_coordinate_list([row[i]])
               for i, c in enumerate(lower))


def _interval_header(fields):
    lower = [f.lower() for f in fields]
    return any(c in _CHROM_NAMES for c in lower) and {"start", "end"} <= set(lower)


def _looks_like_bed(fields):
    """chrom, start, end as the first three fields, start and end whole numbers."""
    return len(fields) >= 3 and all(f.isdigit() for f in fields[1:3])


def input_kind(path, *, sequence_column="sequence"):
    """What an input holds: ``"sequences"``, ``"coordinates"`` or ``"benchmark"`` (a folder).

    A folder is a Genomic Benchmarks dataset when it holds
    ``train/<class>.csv[.gz]`` or ``test/<class>.csv[.gz]``.  A FASTA/FASTQ
    file holds sequences; a BED file (``.bed``, ``.narrowPeak``, ...)
    coordinates.  A table holds sequences when its header names
    ``sequence_column``, else coordinates when it has chromosome, start and end
    columns (``chrom``, ``chr``, ``chromosome``, ``region`` or ``seqnames``), a
    coordinate column (``coord``, ``interval``, ``locus``, ...) or BED-like
    lines without a header.

    Parameters
    ----------
    path : str or path-like
    sequence_column : str or list of str, default="sequence"
        The column(s) that make a table a sequence table.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        For a missing path, a folder that is no Genomic Benchmarks dataset, or a
        file whose kind cannot be told (the message says what is accepted).

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "peaks.txt"), "w").write("chr1\\t10\\t20\\n")
    >>> _ = open(os.path.join(d, "seqs.csv"), "w").write("sequence,label\\nACGT,1\\n")
    >>> _ = open(os.path.join(d, "cage.csv"), "w").write("coord,k562\\nchr1:5-9,0\\n")
    >>> [input_kind(os.path.join(d, f)) for f in ("peaks.txt", "seqs.csv", "cage.csv")]
    ['coordinates', 'sequences', 'coordinates']
    >>> os.makedirs(os.path.join(d, "ds", "train"))
    >>> _ = open(os.path.join(d, "ds", "train", "positive.csv"), "w").write("region,start,end\\n")
    >>> input_kind(os.path.join(d, "ds"))
    'benchmark'
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file or folder path (str or path-like), got "
                        f"{type(path).__name__} {path!r}.")
    path = Path(path)
    if path.is_dir():
        if _is_benchmark_folder(path):
            return "benchmark"
        raise ValueError(
            f"{str(path)!r} is a folder but not a Genomic Benchmarks dataset; expected "
            "train/<class>.csv.gz and/or test/<class>.csv.gz inside it, or give files.")
    name = _strip_compression(path.name).lower()
    if name.endswith(FASTA_SUFFIXES):
        return "sequences"
    if name.endswith(BED_SUFFIXES):
        return "coordinates"
    if is_stream(path):  # a pipe can be read once only: its name decides
        file_kind(path)
        return "sequences"
    check_input(path, "input")
    fields, row = _header_and_row(path)
    wanted = [sequence_column] if isinstance(sequence_column, str) else list(sequence_column)
    if any(column in fields for column in wanted):
        return "sequences"
    if _interval_header(fields) or _coordinate_header(fields, row) or _looks_like_bed(fields):
        return "coordinates"
    if name.endswith(TABLE_SUFFIXES):
        return "sequences"  # read_table then says which column is missing
    raise ValueError(
        f"cannot tell the format of {str(path)!r}: expected a FASTA/FASTQ suffix "
        f"({', '.join(FASTA_SUFFIXES)}), a BED suffix ({', '.join(BED_SUFFIXES)}), a table "
        f"({', '.join(TABLE_SUFFIXES)}) with a {sequence_column!r} column or chrom,start,end "
        "(or chrom:start-end coordinate) columns, or a Genomic Benchmarks folder.")


def _coordinate_column(frame):
    """The column of ``chrom:start-end`` strings, or None."""
    by_lower = {str(c).lower(): c for c in frame.columns}
    for name in COORDINATE_COLUMNS:
        column = by_lower.get(name)
        if column is not None and (name in _NAMED_COORDINATES
                                   or is_coordinate_list(frame[column].astype(str))):
            return column
    return None


def _read_coordinate_table(path):
    """A table with a ``chrom:start-end`` column, as read_intervals' frame."""
    frame = read_columns(path)
    column = _coordinate_column(frame)
    if column is None:
        raise ValueError(
            f"{str(path)!r} has neither chrom,start,end columns nor a column of 'chrom:start-end' "
            f"coordinates (looked for {', '.join(COORDINATE_COLUMNS)}); its columns are "
            f"{list(frame.columns)}.")
    parsed = parse_coordinates(frame[column].astype(str).tolist(), name=f"{path.name}[{column!r}]")
    if "strand" in frame.columns:
        parsed = parsed.drop(columns="strand", errors="ignore")
    rest = frame.drop(columns=[c for c in parsed.columns if c in frame.columns])
    out = pd.concat([parsed, rest.reset_index(drop=True)], axis=1)
    if "strand" not in out.columns:
        out["strand"] = "."
    if "id" not in out.columns:
        out["id"] = frame[column].astype(str).to_numpy()
    out["id"] = out["id"].astype(str)
    return out


def _read_one(path, label_column):
    """One coordinate file, with ``label`` when it has ``label_column``."""
    name = _strip_compression(path.name).lower()
    fields, _ = ([], []) if name.endswith(BED_SUFFIXES) else _header_and_row(path)
    if fields and not _looks_like_bed(fields) and not _interval_header(fields):
        frame = _read_coordinate_table(path)
    else:
        frame = read_intervals(path)
    if label_column is not None and label_column in frame.columns:
        frame["label"] = frame[label_column]
    return frame


def _holds_sequences(path):
    """A FASTA/FASTQ file, or a table with a ``sequence`` column."""
    name = _strip_compression(path.name).lower()
    return name.endswith(FASTA_SUFFIXES) or is_stream(path) or "sequence" in _header_and_row(path)[0]


def read_coordinates(paths, *, label_column="label", labels=None, reference=None):
    """Read coordinate-only inputs (BED, coordinate tables, Genomic Benchmarks folders).

    Each path is read by what :func:`input_kind` says it is: a folder in the
    Genomic Benchmarks layout (label = class file name, ``split`` = train or
    test, through :func:`~skgenqc.io.read_genomic_benchmark`), a BED file or a
    ``chrom``/``region``/``chr``, ``start``, ``end`` table (through
    :func:`~skgenqc.io.read_intervals`), or a table with a ``chrom:start-end``
    column (``coord``, ``interval``, ``locus``, ..., or ``id``).  A file
    without a ``label_column`` is labelled with its name (one file per class,
    as FASTA files are) when several files are given.

    Parameters
    ----------
    paths : str, path-like or list of them
    label_column : str or None, default="label"
        Column copied into ``label`` when present.
    labels : list, optional
        One label per path, overriding the file names.
    reference : str, path-like or pyfaidx.Fasta, optional
        Genome FASTA; when given, a ``sequence`` column is fetched for every
        interval (``-`` strand reverse-complemented).

    Returns
    -------
    pandas.DataFrame
        Columns ``chrom``, ``start``, ``end``, ``strand``, ``id``, ``source``
        and, when known, ``label``, ``split`` and ``sequence`` (others kept).

    Raises
    ------
    ValueError
        For a path that holds sequences rather than coordinates, malformed
        coordinates (naming the file and line), or chromosomes the reference
        lacks (all of them listed).

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> for name, rows in (("pos.bed", "chr1\\t10\\t20\\n"), ("neg.bed", "2\\t5\\t9\\n")):
    ...     _ = open(os.path.join(d, name), "w").write(rows)
    >>> frame = read_coordinates([os.path.join(d, "pos.bed"), os.path.join(d, "neg.bed")])
    >>> frame[["chrom", "start", "end", "label"]].values.tolist()
    [['chr1', 10, 20, 'pos'], ['2', 5, 9, 'neg']]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, bytes) or not hasattr(paths, "__iter__"):
        raise TypeError(f"paths must be a path or a list of paths, got {type(paths).__name__} "
                        f"{paths!r}.")
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError("paths is empty; give at least one BED, coordinate table or "
                         "Genomic Benchmarks folder.")
    if labels is not None and len(labels) != len(paths):
        raise ValueError(f"labels has {len(labels)} entries but {len(paths)} paths were given.")
    frames = []
    for i, path in enumerate(paths):
        kind = input_kind(path)
        if kind == "benchmark":
            frame = read_genomic_benchmark(path)
        elif kind == "coordinates" or not _holds_sequences(path):
            frame = _read_one(path, label_column)
            if labels is not None:
                frame["label"] = labels[i]
            elif "label" not in frame.columns and len(paths) > 1:
                frame["label"] = _strip_compression(path.name).rsplit(".", 1)[0]
        else:
            raise ValueError(
                f"{str(path)!r} holds sequences, not coordinates; read it with read_sequences "
                "(or give BED files, chrom,start,end tables or a Genomic Benchmarks folder).")
        frame["source"] = path.name
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    if reference is not None:
        data["sequence"] = fetch_sequences(data, reference)
    return data
