"""Read sequence files (FASTA/FASTQ, CSV/TSV) into plain DataFrames.

Every reader returns a :class:`pandas.DataFrame` with a ``sequence`` column,
an ``id`` column (FASTA header or the table's id column, else the row number)
and, when known, ``label``.  Case is kept: soft-masking is information.
Errors name the file, the line or column, and what was expected.
"""

from __future__ import annotations

import os
from pathlib import Path

import dnaio
import numpy as np
import pandas as pd

FASTA_SUFFIXES = (".fa", ".fasta", ".fna", ".fas", ".fq", ".fastq", ".faa", ".ffn")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")


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
        "optionally followed by .gz."
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
    except (UnicodeDecodeError, EOFError, OSError) as err:
        raise ValueError(
            f"{str(path)!r} could not be read as FASTA/FASTQ (binary or truncated content?): {err}"
        ) from None
    if not seqs:
        raise ValueError(f"{str(path)!r} holds no FASTA/FASTQ records.")
    frame = pd.DataFrame({"id": ids, "sequence": seqs})
    bad = [i for i, s in enumerate(seqs[:1000]) if any(ord(c) > 127 or c.isspace() for c in s)]
    if bad:
        raise ValueError(
            f"{str(path)!r}: record {ids[bad[0]]!r} holds non-text or whitespace characters; "
            "expected sequence letters."
        )
    if label is not None:
        frame["label"] = label
    elif label_from_header is not None:
        frame["label"] = _labels_from_headers(frame["id"], label_from_header, path)
    return frame


def _labels_from_headers(headers, rule, path):
    if callable(rule):
        return headers.map(rule)
    extracted = headers.str.extract(rule, expand=False)
    if isinstance(extracted, pd.DataFrame):
        raise ValueError(f"label_from_header={rule!r} must have exactly one capture group.")
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
    if sep is None:
        name = _strip_compression(path.name).lower()
        sep = "\t" if name.endswith((".tsv", ".tab")) else ","
    try:
        frame = pd.read_csv(path, sep=sep, low_memory=False)
    except (pd.errors.ParserError, UnicodeDecodeError, EOFError, OSError) as err:
        raise ValueError(f"{str(path)!r} could not be parsed as a table (sep={sep!r}): {err}") from None
    except pd.errors.EmptyDataError:
        raise ValueError(f"{str(path)!r} holds no rows.") from None
    columns = [sequence_column] if isinstance(sequence_column, str) else list(sequence_column)
    wanted = columns + ([label_column] if label_column else []) + ([id_column] if id_column else [])
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{str(path)!r} has no column {missing[0]!r}; its columns are "
            f"{list(frame.columns)}. Pass the right name (sequence_column=, label_column=)."
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
    paths = list(paths)
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
