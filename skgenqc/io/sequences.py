"""Read sequence files (FASTA/FASTQ, CSV/TSV) into plain DataFrames.

Every reader returns a :class:`pandas.DataFrame` with a ``sequence`` column,
an ``id`` column (FASTA header or the table's id column, else the row number)
and, when known, ``label``.  Case is kept: soft-masking is information.
Errors name the file, the line or column, and what was expected.
"""

from __future__ import annotations

import lzma
import os
import re
import zlib
from pathlib import Path

import dnaio
import numpy as np
import pandas as pd

FASTA_SUFFIXES = (".fa", ".fasta", ".fna", ".fas", ".fq", ".fastq", ".faa", ".ffn")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")

# A sequence letter or header character outside printable ASCII (NUL, control
# characters, non-ASCII) means the file is not what it claims to be.
_NOT_SEQUENCE_TEXT = re.compile(r"[^\x21-\x7e]")
_NOT_HEADER_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _decompression_errors():
    """Exceptions that mean "corrupt or truncated file" rather than a bug.

    The decompressors do not share a base class: gzip raises ``EOFError`` or
    ``zlib.error``, and xopen (used by dnaio) may decompress with python-isal,
    whose error class derives from ``Exception`` only.
    """
    errors = [EOFError, OSError, zlib.error, lzma.LZMAError]
    try:
        from isal.isal_zlib import error as isal_error
    except ImportError:  # isal is optional for xopen
        pass
    else:
        errors.append(isal_error)
    return tuple(errors)


DECOMPRESSION_ERRORS = _decompression_errors()


_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _parser_error(path, err, sep):
    """Restate pandas' tokenizer error ("C error: Expected 2 fields in line 3, saw 4")."""
    found = _FIELD_COUNT.search(str(err))
    if found:
        expected, line, seen = found.groups()
        return ValueError(
            f"{str(path)!r}: line {line} has {seen} fields but earlier lines have {expected} "
            f"(fields split on sep={sep!r}); every line needs the same number of fields."
        )
    return ValueError(f"{str(path)!r} could not be parsed with sep={sep!r}: {str(err).strip()}")


def _read_error(path, err, expected):
    """A ValueError naming the file and saying whether it is binary or truncated/corrupt."""
    if isinstance(err, UnicodeDecodeError):
        byte = err.object[err.start:err.start + 1]
        return ValueError(
            f"{str(path)!r} holds bytes that are not text (e.g. {byte!r}: {err.reason}); "
            f"expected {expected} (plain text, or compressed with a matching .gz/.bz2/.xz suffix)."
        )
    return ValueError(
        f"{str(path)!r} could not be read as {expected}; the file looks truncated or corrupt "
        f"({type(err).__name__}: {err})."
    )


def _strip_compression(name):
    for ext in (".gz", ".bz2", ".xz", ".zst"):
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return name


def file_kind(path):
    """Guess ``"fasta"`` or ``"table"`` from a file name (compression suffixes ignored).

    Examples
    --------
    >>> file_kind("reads.fq.gz"), file_kind("data.tsv")
    ('fasta', 'table')
    """
    name = _strip_compression(os.path.basename(str(path))).lower()
    if name.endswith(FASTA_SUFFIXES):
        return "fasta"
    if name.endswith(TABLE_SUFFIXES):
        return "table"
    raise ValueError(
        f"cannot tell the format of {str(path)!r} from its name: expected a FASTA/FASTQ suffix "
        f"({', '.join(FASTA_SUFFIXES)}) or a table suffix ({', '.join(TABLE_SUFFIXES)}), "
        "optionally followed by .gz, .bz2, .xz or .zst."
    )


def _check_file(path, what):
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{what} {str(path)!r} does not exist.")
    if path.is_dir():
        raise ValueError(f"{what} {str(path)!r} is a folder; expected a file.")
    if path.stat().st_size == 0:
        raise ValueError(f"{what} {str(path)!r} is empty; expected at least one record.")
    return path


def read_fasta(path, *, label=None, label_from_header=None):
    """Read a FASTA or FASTQ file (plain or compressed) into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        The file. FASTQ is recognised from its content.
    label : scalar, optional
        Label given to every record (one file per class).
    label_from_header : str or callable, optional
        Take the label from the header: a regular expression with one group
        (e.g. ``r"label=(\\w+)"``), or a function of the header string.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``sequence`` and, when a label is known, ``label``.

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> df = read_fasta(data_path("G4_positives.fasta"), label=1)
    >>> df.shape, df.columns.tolist()
    ((100, 3), ['id', 'sequence', 'label'])
    """
    path = _check_file(path, "FASTA/FASTQ file")
    ids, seqs = [], []
    try:
        with dnaio.open(path) as reader:
            for record in reader:
                ids.append(record.name)
                seqs.append(record.sequence)
    except dnaio.exceptions.FileFormatError as err:
        raise ValueError(f"{str(path)!r} is not valid FASTA/FASTQ: {err}") from None
    # UnicodeDecodeError is a ValueError, so it must come before any broader clause.
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise _read_error(path, err, "a FASTA/FASTQ file") from None
    if not seqs:
        raise ValueError(f"{str(path)!r} holds no FASTA/FASTQ records.")
    _check_record_text(path, ids, seqs)
    frame = pd.DataFrame({"id": ids, "sequence": seqs})
    if label is not None:
        frame["label"] = label
    elif label_from_header is not None:
        frame["label"] = _labels_from_headers(frame["id"], label_from_header, path)
    return frame


def _check_record_text(path, ids, seqs):
    """Reject NUL/control/non-ASCII characters, which dnaio passes through unchanged.

    Every record is checked (one C-level regex search each), so binary junk
    late in a file is caught too, not only in the first records.
    """
    for number, (name, seq) in enumerate(zip(ids, seqs), start=1):
        hit = _NOT_SEQUENCE_TEXT.search(seq)
        if hit:
            raise ValueError(
                f"{str(path)!r}: record {number} ({name[:60]!r}) holds the character "
                f"{hit.group()!r} at sequence position {hit.start() + 1}; expected sequence "
                "letters (printable ASCII, no spaces). Is the file binary or corrupt?"
            )
        hit = _NOT_HEADER_TEXT.search(name)
        if hit:
            raise ValueError(
                f"{str(path)!r}: the header of record {number} ({name[:60]!r}) holds the control "
                f"character {hit.group()!r}; expected a text header. Is the file binary or corrupt?"
            )


def _labels_from_headers(headers, rule, path):
    if callable(rule):
        labels = headers.map(rule)
        missing = labels.isna()
        if missing.any():
            raise ValueError(
                f"label_from_header={rule!r} returned no label (None/NaN) for header "
                f"{headers[missing].iloc[0]!r} in {str(path)!r}."
            )
        return labels
    if not isinstance(rule, (str, re.Pattern)):
        raise TypeError(
            f"label_from_header must be a regular expression (str) with one group or a function "
            f"of the header, got {type(rule).__name__} {rule!r}."
        )
    try:
        pattern = re.compile(rule)
    except re.error as err:
        raise ValueError(
            f"label_from_header={rule!r} is not a valid regular expression: {err}."
        ) from None
    if pattern.groups != 1:
        raise ValueError(
            f"label_from_header={rule!r} has {pattern.groups} capture groups; it must have "
            r"exactly one, around the label (e.g. r'label=(\w+)')."
        )
    extracted = headers.str.extract(pattern, expand=False)
    missing = extracted.isna()
    if missing.any():
        first = headers[missing].iloc[0]
        raise ValueError(
            f"label_from_header={rule!r} does not match header {first!r} in {str(path)!r} "
            f"({int(missing.sum())} of {len(headers)} headers unmatched)."
        )
    return extracted


def read_table(path, *, sequence_column="sequence", label_column="label", id_column=None,
               sep=None):
    """Read a CSV/TSV table with one or more sequence columns.

    Parameters
    ----------
    path : str or path-like
        The table (``.csv``, ``.tsv``, optionally gzip-compressed).
    sequence_column : str or list of str, default="sequence"
        Column(s) holding sequences. With several (e.g. miRNA and gene), they are
        kept under their own names and the first is also copied to ``sequence``.
    label_column : str or None, default="label"
        Column holding the target; ``None`` for unlabelled data.
    id_column : str, optional
        Column holding record ids; default: an ``id`` column if present, else row numbers.
    sep : str, optional
        Field separator; guessed from the suffix (tab for .tsv/.tab) when omitted.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> df = read_table(data_path("enhancers_test.csv.gz"))
    >>> len(df), sorted(df["label"].unique().tolist())
    (102, [0, 1])
    """
    path = _check_file(path, "table")
    if not (isinstance(sequence_column, str) or (
            isinstance(sequence_column, (list, tuple)) and sequence_column
            and all(isinstance(c, str) for c in sequence_column))):
        raise TypeError(
            f"sequence_column must be a column name (str) or a non-empty list of names, "
            f"got {sequence_column!r}."
        )
    if sep is None:
        name = _strip_compression(path.name).lower()
        sep = "\t" if name.endswith((".tsv", ".tab")) else ","
    try:
        frame = pd.read_csv(path, sep=sep, low_memory=False)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{str(path)!r} holds no header and no rows; expected a table.") from None
    except pd.errors.ParserError as err:
        raise _parser_error(path, err, sep) from None
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise _read_error(path, err, "a CSV/TSV table") from None
    columns = [sequence_column] if isinstance(sequence_column, str) else list(sequence_column)
    wanted = columns + ([label_column] if label_column else []) + ([id_column] if id_column else [])
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        hint = ""
        if frame.shape[1] == 1 and any(s in str(frame.columns[0]) for s in "\t,;"):
            # One column whose name holds a separator: the file uses another one.
            hint = f" The file was split with sep={sep!r}; it seems to use another separator."
        elif missing[0] == label_column:
            hint = " For unlabelled data pass label_column=None."
        raise ValueError(
            f"{str(path)!r} has no column {missing[0]!r}; its columns are "
            f"{list(frame.columns)}. Pass the right name (sequence_column=, label_column=).{hint}"
        )
    if frame.empty:
        raise ValueError(f"{str(path)!r} holds a header but no rows.")
    for column in columns:
        nan_rows = np.flatnonzero(frame[column].isna().to_numpy())
        if len(nan_rows):
            raise ValueError(
                f"{str(path)!r}: column {column!r} is empty at data row {nan_rows[0] + 1} "
                f"({len(nan_rows)} empty in all); every record needs a sequence."
            )
        frame[column] = frame[column].astype(str)
    if label_column:
        nan_rows = np.flatnonzero(frame[label_column].isna().to_numpy())
        if len(nan_rows):
            raise ValueError(
                f"{str(path)!r}: column {label_column!r} is empty at data row {nan_rows[0] + 1} "
                f"({len(nan_rows)} empty in all)."
            )
        if label_column != "label":
            frame["label"] = frame[label_column]
    if id_column:
        frame["id"] = frame[id_column].astype(str)
    elif "id" not in frame.columns:
        frame.insert(0, "id", [str(i) for i in range(len(frame))])
    if columns[0] != "sequence":
        frame["sequence"] = frame[columns[0]]
    return frame


def read_sequences(paths, *, labels=None, sequence_column="sequence", label_column="label",
                   label_from_header=None):
    """Read one or more sequence files into one DataFrame.

    FASTA/FASTQ files without a label rule get their file name (without
    suffixes) as label, so one file per class works out of the box.

    Parameters
    ----------
    paths : str, path-like or list of them
    labels : list, optional
        One label per FASTA file, overriding the file names.
    sequence_column, label_column : str
        For tables, see :func:`read_table`.
    label_from_header : str or callable, optional
        For FASTA, see :func:`read_fasta`.

    Returns
    -------
    pandas.DataFrame
        With a ``source`` column naming the file of each record.

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> df = read_sequences([data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")])
    >>> df["label"].value_counts().sort_index().to_dict()
    {'G4_negatives': 100, 'G4_positives': 100}
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, bytes) or not hasattr(paths, "__iter__"):
        raise TypeError(
            f"paths must be a file path or a list of file paths, got {type(paths).__name__} "
            f"{paths!r}."
        )
    paths = list(paths)
    for i, path in enumerate(paths):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(
                f"paths[{i}] must be a file path (str or path-like), got {type(path).__name__} "
                f"{path!r}."
            )
    if not paths:
        raise ValueError("paths is empty; give at least one FASTA/FASTQ or table file.")
    if labels is not None and len(labels) != len(paths):
        raise ValueError(f"labels has {len(labels)} entries but {len(paths)} files were given.")
    frames = []
    for i, path in enumerate(paths):
        kind = file_kind(path)
        if kind == "fasta":
            label = labels[i] if labels is not None else None
            if label is None and label_from_header is None:
                label = _strip_compression(Path(path).name).rsplit(".", 1)[0]
            frame = read_fasta(path, label=label, label_from_header=label_from_header)
        else:
            frame = read_table(path, sequence_column=sequence_column, label_column=label_column)
        frame["source"] = str(Path(path).name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
