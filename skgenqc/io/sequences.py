"""Read sequence files (FASTA/FASTQ, CSV/TSV) into plain DataFrames.

Every reader returns a :class:`pandas.DataFrame` with a ``sequence`` column,
an ``id`` column (FASTA header or the table's id column, else the row number)
and, when known, ``label``.  Case is kept: soft-masking is information.
Errors name the file, the line or column, and what was expected.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import dnaio
import numpy as np
import pandas as pd

from skgenqc._core.genome import interval_column_name
from skgenqc.io.sources import (
    BOM,
    DECOMPRESSION_ERRORS,
    check_input,
    first_line,
    header_fields,
    is_stream,
    read_all,
    read_error,
    read_stream,
    sniff_separator,
)

FASTA_SUFFIXES = (".fa", ".fasta", ".fna", ".fas", ".fq", ".fastq", ".faa", ".ffn")
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".tab")

# A sequence letter or header character outside printable ASCII (NUL, control
# characters, non-ASCII) means the file is not what it claims to be.
_NOT_SEQUENCE_TEXT = re.compile(r"[^\x21-\x7e]")
_NOT_HEADER_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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


def read_fasta(path, *, label=None, label_from_header=None):
    """Read a FASTA or FASTQ file (plain or compressed) into a DataFrame.

    Parameters
    ----------
    path : str or path-like
        The file, or a named pipe (read once). FASTQ is recognised from its
        content. Headers may hold any UTF-8 text; a byte order mark is ignored.
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
    path = check_input(path, "FASTA/FASTQ file")
    expected = "a FASTA/FASTQ file"
    data = read_stream(path, "FASTA/FASTQ file", expected) if is_stream(path) else None
    ids, seqs = [], []
    try:
        _read_with_dnaio(path if data is None else io.BytesIO(data), ids, seqs)
    except dnaio.exceptions.FileFormatError as err:
        # dnaio reads ASCII only: a UTF-8 header ("Ångström") or a byte order mark is
        # refused as a format error. Such files are read again, decoded, in Python.
        raw = data if data is not None else read_all(path, expected)
        if raw.isascii() and not (data is None and _starts_with_bom(path)):
            raise format_error(path, err, len(ids) + 1) from None
        try:
            ids, seqs = _parse_fasta_text(raw.decode("utf-8"), path)
        except UnicodeDecodeError as decode_err:
            raise read_error(path, decode_err, expected) from None
    # UnicodeDecodeError is a ValueError, so it must come before any broader clause.
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, expected) from None
    if not seqs:
        raise ValueError(f"{str(path)!r} holds no FASTA/FASTQ records.")
    check_record_text(path, ids, seqs, source=data if data is not None else path)
    frame = pd.DataFrame({"id": ids, "sequence": seqs})
    if label is not None:
        frame["label"] = label
    elif label_from_header is not None:
        frame["label"] = labels_from_headers(frame["id"], label_from_header, path)
    return frame


def _read_with_dnaio(source, ids, seqs):
    # The lists are filled in place, so after a format error their length says how many
    # records were good (the error then names the record number, not only the line).
    with dnaio.open(source) as reader:
        for record in reader:
            ids.append(record.name)
            seqs.append(record.sequence)


def format_error(path, err, record):
    """A ValueError for dnaio's format error: the file, the record number and the line.

    Examples
    --------
    >>> err = dnaio.exceptions.FastqFormatError("Length of sequence and qualities differ", 7)
    >>> format_error("r.fq", err, 2)
    ValueError("'r.fq' is not valid FASTA/FASTQ: record 2, line 8: Length of sequence and qualities differ.")
    """
    line = getattr(err, "line", None)
    where = f"record {record}" + (f", line {line + 1}" if line is not None else "")
    message = getattr(err, "message", None) or str(err)
    return ValueError(f"{str(path)!r} is not valid FASTA/FASTQ: {where}: {message}.")


def record_line(source, record):
    """The line (1-based) where FASTA/FASTQ record number ``record`` starts, or None.

    Read only when an error is reported, so a bad record deep inside a large
    file can be named by its line without counting lines on the good path.

    Examples
    --------
    >>> record_line(b">a\\nAC\\nGT\\n>b\\nAC\\n", 2)
    4
    """
    import xopen

    handle = io.BytesIO(source) if isinstance(source, bytes) else xopen.xopen(source, "rb")
    with handle:
        seen = 0
        fastq = None
        for number, line in enumerate(handle, start=1):
            if fastq is None:
                if not line.strip():
                    continue
                fastq = line.lstrip(BOM).startswith(b"@")
                first = number
            if fastq:
                return first + 4 * (record - 1) if record >= 1 else None
            if line.startswith(b">") or (number == first and line.startswith(BOM + b">")):
                seen += 1
                if seen == record:
                    return number
    return None


def _starts_with_bom(path):
    import xopen

    with xopen.xopen(path, "rb") as handle:
        return handle.read(len(BOM)) == BOM


def _parse_fasta_text(text, path):
    """Records of decoded FASTA/FASTQ text: the slow path for what dnaio refuses.

    Headers keep every Unicode letter; sequence lines are joined as dnaio does.
    Errors name the file and the line.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.rstrip("\r") for line in lines]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return [], []
    if lines[first].startswith("@"):
        return _parse_fastq_lines(lines, first, path)
    ids, seqs, chunks = [], [], []
    for number, line in enumerate(lines[first:], start=first + 1):
        if line.startswith(">"):
            if ids:
                seqs.append("".join(chunks))
            ids.append(line[1:])
            chunks = []
        elif not ids:
            raise ValueError(
                f"{str(path)!r} is not valid FASTA/FASTQ: line {number}: expected '>' at the "
                f"beginning of a record, but got {line[:40]!r}."
            )
        elif line:
            chunks.append(line)
    seqs.append("".join(chunks))
    return ids, seqs


def _parse_fastq_lines(lines, first, path):
    body = [line for line in lines[first:] if line]
    ids, seqs = [], []
    for start in range(0, len(body), 4):
        record = body[start:start + 4]
        number = start // 4 + 1
        if len(record) < 4 or not record[0].startswith("@") or not record[2].startswith("+"):
            raise ValueError(
                f"{str(path)!r} is not valid FASTQ: record {number} ({record[0][:60]!r}) needs "
                "four lines: '@name', the sequence, '+' and the qualities."
            )
        if len(record[3]) != len(record[1]):
            raise ValueError(
                f"{str(path)!r} is not valid FASTQ: record {number} ({record[0][1:61]!r}) has "
                f"{len(record[1])} bases but {len(record[3])} quality values."
            )
        ids.append(record[0][1:])
        seqs.append(record[1])
    return ids, seqs


def check_record_text(path, ids, seqs, *, first_record=1, source=None):
    """Reject NUL/control/non-ASCII characters, which dnaio passes through unchanged.

    Every record is checked (one C-level regex search each), so binary junk
    late in a file is caught too, not only in the first records.  The error
    names the file, the record number (counted from ``first_record``) and the
    line where the record starts (``source``: the file or its bytes).

    Examples
    --------
    >>> check_record_text("x.fa", ["a", "b"], ["ACGT", "AC GT"], source=b">a\\nACGT\\n>b\\nAC GT\\n")
    Traceback (most recent call last):
    ...
    ValueError: 'x.fa': record 2 ('b') at line 3 holds the character ' ' at sequence position 3; ...
    """
    for number, (name, seq) in enumerate(zip(ids, seqs), start=first_record):
        hit = _NOT_SEQUENCE_TEXT.search(seq)
        if hit:
            raise ValueError(
                f"{str(path)!r}: record {number} ({name[:60]!r}){_line_note(source, number)} "
                f"holds the character {hit.group()!r} at sequence position {hit.start() + 1}; "
                "expected sequence letters (printable ASCII, no spaces). Is the file binary or "
                "corrupt?"
            )
        hit = _NOT_HEADER_TEXT.search(name)
        if hit:
            raise ValueError(
                f"{str(path)!r}: the header of record {number} ({name[:60]!r})"
                f"{_line_note(source, number)} holds the control character {hit.group()!r}; "
                "expected a text header. Is the file binary or corrupt?"
            )


def _line_note(source, number):
    if source is None:
        return ""
    try:
        line = record_line(source, number)
    except (OSError, EOFError, ValueError):
        return ""
    return f" at line {line}" if line else ""


def labels_from_headers(headers, rule, path):
    """Labels taken from FASTA headers by a one-group regular expression or a function.

    Examples
    --------
    >>> labels_from_headers(pd.Series(["s1 label=1", "s2 label=0"]), r"label=(\\w+)", "x.fa").tolist()
    ['1', '0']
    """
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
        The table (``.csv``, ``.tsv``, ``.txt``, ``.tab``, optionally compressed), or a
        named pipe (read once). A UTF-8 byte order mark is ignored.
    sequence_column : str or list of str, default="sequence"
        Column(s) holding sequences. With several (e.g. miRNA and gene), they are
        kept under their own names and the first is also copied to ``sequence``.
    label_column : str or None, default="label"
        Column holding the target; ``None`` for unlabelled data.
    id_column : str, optional
        Column holding record ids; default: an ``id`` column if present, else row numbers.
    sep : str, optional
        Field separator. When omitted: tab for .tsv/.tab and comma otherwise,
        unless the header line holds no such separator but a tab, comma or
        semicolon (a tab-separated ``.txt`` or ``.csv`` is read right).

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
    path = check_input(path, "table")
    columns = check_sequence_column(sequence_column)
    expected = "a CSV/TSV table"
    data, header, sep = _open_table(path, sep, expected)
    _check_unique_columns(path, header_fields(header, sep), columns, label_column, id_column)
    frame = _read_csv(path, data, sep, expected)
    return finish_table(path, frame, columns, label_column, id_column, sep)


def check_sequence_column(sequence_column):
    """The sequence column(s) as a list, or a TypeError saying what is accepted.

    Examples
    --------
    >>> check_sequence_column("gene"), check_sequence_column(["mirna", "gene"])
    (['gene'], ['mirna', 'gene'])
    """
    if not (isinstance(sequence_column, str) or (
            isinstance(sequence_column, (list, tuple)) and sequence_column
            and all(isinstance(c, str) for c in sequence_column))):
        raise TypeError(
            f"sequence_column must be a column name (str) or a non-empty list of names, "
            f"got {sequence_column!r}."
        )
    return [sequence_column] if isinstance(sequence_column, str) else list(sequence_column)


def finish_table(path, frame, columns, label_column, id_column, sep, *, first_row=0):
    """Check and complete a table read by pandas: the rules every table reader shares.

    The named columns must exist and hold no empty cell (errors give the data
    row, counted from ``first_row`` for a chunk of a larger table); sequences
    become ``str``; ``label``, ``id`` and ``sequence`` are added under their
    canonical names, and interval columns under another name (``chr``,
    ``chromStart``) too.

    Examples
    --------
    >>> frame = pd.DataFrame({"seq": ["ACGT"], "y": [1]})
    >>> finish_table("t.csv", frame, ["seq"], "y", None, ",", first_row=10).to_dict("list")
    {'id': ['10'], 'seq': ['ACGT'], 'y': [1], 'label': [1], 'sequence': ['ACGT']}
    """
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
    if frame.empty and first_row == 0:
        raise ValueError(f"{str(path)!r} holds a header but no rows.")
    for column in columns:
        nan_rows = np.flatnonzero(frame[column].isna().to_numpy())
        if len(nan_rows):
            raise ValueError(
                f"{str(path)!r}: column {column!r} is empty at data row "
                f"{first_row + nan_rows[0] + 1} "
                f"({len(nan_rows)} empty in all); every record needs a sequence."
            )
        frame[column] = frame[column].astype(str)
    if label_column:
        nan_rows = np.flatnonzero(frame[label_column].isna().to_numpy())
        if len(nan_rows):
            raise ValueError(
                f"{str(path)!r}: column {label_column!r} is empty at data row "
                f"{first_row + nan_rows[0] + 1} "
                f"({len(nan_rows)} empty in all)."
            )
        if label_column != "label":
            frame["label"] = frame[label_column]
    if id_column:
        frame["id"] = frame[id_column].astype(str)
    elif "id" not in frame.columns:
        frame.insert(0, "id", [str(i) for i in range(first_row, first_row + len(frame))])
    if columns[0] != "sequence":
        frame["sequence"] = frame[columns[0]]
    # Interval columns under another name (chr, chromStart...) are also given their own name,
    # so the interval checks see a table's coordinates as read_intervals would.
    for column in list(frame.columns):
        canonical = interval_column_name(column)
        if canonical and canonical not in frame.columns:
            frame[canonical] = frame[column]
    return frame


def iter_table_frames(path, *, sequence_column="sequence", label_column="label", id_column=None,
                      sep=None, chunk_size=100_000):
    """Read a CSV/TSV table in bounded chunks, each completed as :func:`read_table` does.

    Parameters
    ----------
    path : str or path-like
        A regular file or a named pipe (a pipe is read whole, once).
    sequence_column, label_column, id_column, sep
        As for :func:`read_table`.
    chunk_size : int, default=100_000
        Rows per chunk.

    Yields
    ------
    pandas.DataFrame
        One chunk of at most ``chunk_size`` rows; default ids continue across chunks.

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> [len(f) for f in iter_table_frames(data_path("enhancers_test.csv.gz"), chunk_size=40)]
    [40, 40, 22]
    """
    path = check_input(path, "table")
    columns = check_sequence_column(sequence_column)
    expected = "a CSV/TSV table"
    data, header, sep = _open_table(path, sep, expected)
    _check_unique_columns(path, header_fields(header, sep), columns, label_column, id_column)
    try:
        reader = pd.read_csv(path if data is None else io.BytesIO(data), sep=sep,
                             encoding="utf-8-sig", chunksize=chunk_size)
        first_row = 0
        with reader:
            for frame in reader:
                yield finish_table(path, frame, columns, label_column, id_column, sep,
                                   first_row=first_row)
                first_row += len(frame)
    except pd.errors.EmptyDataError:
        raise ValueError(f"{str(path)!r} holds no header and no rows; expected a table.") from None
    except pd.errors.ParserError as err:
        raise _parser_error(path, err, sep) from None
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, expected) from None
    if first_row == 0:
        raise ValueError(f"{str(path)!r} holds a header but no rows.")


def fasta_label(path):
    """The label a FASTA file gets from its name: the name without its suffixes.

    Examples
    --------
    >>> fasta_label("data/G4_positives.fasta.gz")
    'G4_positives'
    """
    return _strip_compression(Path(path).name).rsplit(".", 1)[0]


def read_columns(path, *, sep=None):
    """Read any CSV/TSV table (no column required) as a DataFrame.

    The same input handling as :func:`read_table`: compressed files, a named
    pipe (read once), a UTF-8 byte order mark, the separator sniffed from the
    header when ``sep`` is omitted.  Duplicate column names are refused, since
    which of them a caller means cannot be told.

    Parameters
    ----------
    path : str or path-like
    sep : str, optional
        Field separator; by default tab for .tsv/.tab/.txt and comma otherwise,
        unless the header holds only another separator.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.txt")
    >>> _ = open(p, "w").write("gc\\tlabel\\n0.5\\t1\\n")
    >>> read_columns(p).to_dict("list")
    {'gc': [0.5], 'label': [1]}
    """
    path = check_input(path, "table")
    expected = "a CSV/TSV table"
    data, header, sep = _open_table(path, sep, expected)
    names = header_fields(header, sep)
    _check_unique_columns(path, names, [n for n in names if names.count(n) > 1][:1], None,
                          None)
    return _read_csv(path, data, sep, expected)


# Tables whose separator defaults to a tab when the header alone cannot tell.
_TAB_SUFFIXES = (".tsv", ".tab", ".txt")


def _open_table(path, sep, expected):
    """A table's bytes (when it is a stream, else None), its header line and its separator.

    One reading for every table reader: a pipe is read once, a separator not given is
    sniffed from the header (a tab by default for .tsv/.tab/.txt, else a comma).
    """
    data = read_stream(path, "table", expected) if is_stream(path) else None
    try:
        header = first_line(path if data is None else data)
    except DECOMPRESSION_ERRORS as err:
        raise read_error(path, err, expected) from None
    if sep is None:
        name = _strip_compression(path.name).lower()
        sep = sniff_separator(header, "\t" if name.endswith(_TAB_SUFFIXES) else ",")
    return data, header, sep


def _read_csv(path, data, sep, expected):
    """pandas' reader with the byte order mark dropped and errors that name the file."""
    try:
        return pd.read_csv(path if data is None else io.BytesIO(data), sep=sep,
                           low_memory=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raise ValueError(f"{str(path)!r} holds no header and no rows; expected a table.") from None
    except pd.errors.ParserError as err:
        raise _parser_error(path, err, sep) from None
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, expected) from None


def _check_unique_columns(path, names, columns, label_column, id_column):
    """Refuse a header naming a column the reader uses twice.

    pandas would rename the second ``label`` to ``label.1`` and silently read
    the first one only; which of the two is right cannot be guessed.
    """
    used = [*columns, label_column, id_column or "id"]
    for column in dict.fromkeys(c for c in used if c):
        positions = [i + 1 for i, name in enumerate(names) if name.strip() == column]
        if len(positions) > 1:
            raise ValueError(
                f"{str(path)!r} has {len(positions)} columns named {column!r} (columns "
                f"{', '.join(map(str, positions))} of the header); which one to read is "
                "ambiguous. Rename or drop the extra column(s)."
            )


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
                label = fasta_label(path)
            frame = read_fasta(path, label=label, label_from_header=label_from_header)
        else:
            frame = read_table(path, sequence_column=sequence_column, label_column=label_column)
        frame["source"] = str(Path(path).name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
