"""Read sequence files in bounded chunks, so memory does not grow with the file.

The parsing rules are those of :mod:`skgenqc.io.sequences` (the same column
names, label and id handling, the same checks of record text); only the
reading is chunked: dnaio for FASTA/FASTQ (plain, .gz, .bz2, .xz, .zst),
pandas' ``chunksize`` for CSV/TSV and pyarrow's ``iter_batches`` for parquet
(when pyarrow is installed).  A malformed record anywhere in a file stops the
reading with a ValueError naming the file, the record number and the line.
"""

from __future__ import annotations

import io
import numbers
import os
from pathlib import Path

import dnaio
import numpy as np
import pandas as pd
import xopen

from skgenqc.io.sequences import (
    check_record_text,
    check_sequence_column,
    fasta_label,
    file_kind,
    finish_table,
    format_error,
    iter_table_frames,
    labels_from_headers,
    read_fasta,
)
from skgenqc.io.sources import (
    BOM,
    DECOMPRESSION_ERRORS,
    check_input,
    is_stream,
    read_error,
    read_stream,
)

__all__ = ["SequenceChunk", "iter_sequence_chunks", "stream_kind"]

PARQUET_SUFFIXES = (".parquet", ".pq")


class SequenceChunk:
    """A bounded run of consecutive records of one file.

    Sequences and ids are decoded to ``str`` only when asked for: a summary
    reads the packed bytes (:meth:`packed`) directly.

    Attributes
    ----------
    ids : list of str
    sequences : list of str
    labels : list or None
        One label per record, or None when the file carries none.
    label : scalar or None
        The label of every record, when one label covers the chunk (a FASTA file).
    splits : list or None
        The table's ``split`` column (e.g. ``train``/``test``) when it has one.
    source : str
        The file's name.
    first_record : int
        Number (1-based) of the chunk's first record in the file.
    """

    def __init__(self, ids=None, sequences=None, labels=None, splits=None, source="",
                 first_record=1, *, label=None, raw=None, offsets=None, headers=None):
        self._ids, self._sequences = ids, sequences
        self._labels, self.label = labels, label
        self.splits, self.source, self.first_record = splits, source, first_record
        self._raw, self._offsets, self._headers = raw, offsets, headers

    def __len__(self):
        return len(self._sequences) if self._sequences is not None else len(self._offsets) - 1

    def __repr__(self):
        return (f"SequenceChunk({len(self)} records of {self.source!r} from record "
                f"{self.first_record})")

    @property
    def sequences(self):
        if self._sequences is None:
            text = self._raw.tobytes().decode("ascii")
            bounds = self._offsets.tolist()
            self._sequences = [text[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        return self._sequences

    @property
    def ids(self):
        if self._ids is None:
            block, start, end = self._headers
            self._ids = [block[a:b].decode("utf-8", errors="replace")
                         for a, b in zip(start.tolist(), end.tolist())]
        return self._ids

    @property
    def labels(self):
        if self._labels is None and self.label is not None:
            self._labels = [self.label] * len(self)
        return self._labels

    def packed(self):
        """The sequences' bytes and offsets (``raw[offsets[i]:offsets[i + 1]]`` is record i)."""
        if self._raw is None:
            from skgenqc._core.sequences import pack_sequences

            packed = pack_sequences(self._sequences)
            self._raw, self._offsets = packed.raw, packed.offsets
        return self._raw, self._offsets


def stream_kind(path):
    """``"fasta"``, ``"table"`` or ``"parquet"`` from a file name (compression ignored).

    Examples
    --------
    >>> stream_kind("reads.fq.gz"), stream_kind("t.tsv"), stream_kind("t.parquet")
    ('fasta', 'table', 'parquet')
    """
    if str(path).lower().endswith(PARQUET_SUFFIXES):
        return "parquet"
    return file_kind(path)


def iter_sequence_chunks(path, *, chunk_size=100_000, label=None, label_from_header=None,
                         sequence_column="sequence", label_column="label", id_column=None,
                         split_column="split", sep=None):
    """Yield the records of a sequence file in chunks of at most ``chunk_size``.

    Parameters
    ----------
    path : str or path-like
        FASTA/FASTQ (plain or .gz/.bz2/.xz/.zst), CSV/TSV (likewise) or parquet.
        A named pipe is read whole, once (it cannot be re-read for an error's line).
    chunk_size : int, default=100_000
        Records per chunk: memory is bounded by the chunk, not the file.
    label : scalar, optional
        For FASTA/FASTQ: the label of every record. By default the file name
        without suffixes (as :func:`~skgenqc.io.read_sequences` does), unless
        ``label_from_header`` is given.
    label_from_header : str or callable, optional
        For FASTA/FASTQ, see :func:`~skgenqc.io.read_fasta`.
    sequence_column, label_column, id_column, sep
        For tables, see :func:`~skgenqc.io.read_table`.
    split_column : str or None, default="split"
        A table column naming each row's split; read when present.

    Yields
    ------
    SequenceChunk

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> chunks = list(iter_sequence_chunks(data_path("G4_positives.fasta"), chunk_size=40))
    >>> [len(c) for c in chunks], chunks[1].first_record, chunks[0].labels[0]
    ([40, 40, 20], 41, 'G4_positives')
    >>> next(iter_sequence_chunks(data_path("enhancers_test.csv.gz"))).labels[:3]
    [0, 1, 0]
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or path-like), got "
                        f"{type(path).__name__} {path!r}.")
    if (not isinstance(chunk_size, numbers.Integral) or isinstance(chunk_size, bool)
            or chunk_size < 1):
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}.")
    chunk_size = int(chunk_size)
    kind = stream_kind(path)
    if kind == "fasta":
        if label is None and label_from_header is None:
            label = fasta_label(path)
        yield from _fasta_chunks(path, chunk_size, label, label_from_header)
    elif kind == "table":
        frames = iter_table_frames(path, sequence_column=sequence_column,
                                   label_column=label_column, id_column=id_column, sep=sep,
                                   chunk_size=chunk_size)
        yield from _frame_chunks(path, frames, label_column, split_column)
    else:
        yield from _frame_chunks(path, _parquet_frames(path, sequence_column, label_column,
                                                       id_column, chunk_size),
                                 label_column, split_column)


def _frame_chunks(path, frames, label_column, split_column):
    first = 1
    for frame in frames:
        yield SequenceChunk(
            ids=frame["id"].tolist(),
            sequences=frame["sequence"].tolist(),
            labels=frame["label"].tolist() if label_column else None,
            splits=(frame[split_column].astype(str).tolist()
                    if split_column and split_column in frame.columns else None),
            source=Path(path).name,
            first_record=first,
        )
        first += len(frame)


BLOCK_BYTES = 1 << 23  # decompressed bytes parsed at a time by the compiled FASTA parser


def _fasta_chunks(path, chunk_size, label, label_from_header):
    path = check_input(path, "FASTA/FASTQ file")
    data = read_stream(path, "FASTA/FASTQ file", "a FASTA/FASTQ file") if is_stream(path) else None
    try:
        handle = io.BytesIO(data) if data is not None else xopen.xopen(path, "rb")
        with handle:
            head = handle.read(BLOCK_BYTES)
            if head.startswith(BOM):
                head = head[len(BOM):]
            if head.lstrip()[:1] != b"@":
                yield from _fasta_block_chunks(path, handle, head, chunk_size, label,
                                               label_from_header)
                return
    except DECOMPRESSION_ERRORS as err:
        raise read_error(path, err, "a FASTA/FASTQ file") from None
    # FASTQ: dnaio's reader is C, and its errors carry the line.
    yield from _dnaio_chunks(path, data, chunk_size, label, label_from_header)


def _fasta_block_chunks(path, handle, buf, chunk_size, label, label_from_header):
    """FASTA through the compiled block parser: blocks cut just before a header line."""
    from skgenqc.io._fasta_kernel import BAD_HEADER, BAD_SEQUENCE, NO_HEADER, parse

    line, done = 1, 0
    while True:
        more = handle.read(BLOCK_BYTES)
        if more:
            buf += more
            cut = buf.rfind(b"\n>")
            if cut < 0:
                continue  # one record longer than a block: read on
            block, buf = buf[:cut + 1], buf[cut + 1:]
        else:
            block, buf = buf, b""
            if block and not block.endswith(b"\n"):
                block += b"\n"
        out = parse(np.frombuffer(block, dtype=np.uint8), line)
        if out["error"]:
            raise _parse_error(path, block, out, done, (NO_HEADER, BAD_SEQUENCE, BAD_HEADER))
        line = out["line"]
        n = out["n"]
        for start in range(0, n, chunk_size):
            stop = min(start + chunk_size, n)
            offsets = out["offsets"][start:stop + 1]
            chunk = SequenceChunk(
                source=Path(path).name, first_record=done + start + 1, label=label,
                raw=out["raw"][offsets[0]:offsets[-1]], offsets=offsets - offsets[0],
                headers=(block, out["head_start"][start:stop], out["head_end"][start:stop]))
            if label is None:
                chunk._labels = labels_from_headers(pd.Series(chunk.ids), label_from_header,
                                                    path).tolist()
            yield chunk
        done += n
        if not more:
            break
    if done == 0:
        raise ValueError(f"{str(path)!r} holds no FASTA/FASTQ records.")


def _parse_error(path, block, out, done, kinds):
    no_header, bad_sequence, bad_header = kinds
    record = done + max(out["n"], 1)
    if out["error"] == no_header:
        text = block[out["where"]:block.find(b"\n", out["where"])].decode("utf-8", "replace")
        return ValueError(
            f"{str(path)!r} is not valid FASTA/FASTQ: record {record}, line {out['line']}: "
            f"expected '>' at the beginning of a record, but got {text[:40]!r}.")
    name = block[out["head_start"][-1]:out["head_end"][-1]].decode("utf-8", "replace")
    if out["error"] == bad_header:
        char = name[out["where"]] if out["where"] < len(name) else "?"
        return ValueError(
            f"{str(path)!r}: the header of record {record} ({name[:60]!r}) at line "
            f"{out['line']} holds the control character {char!r}; expected a text header. "
            "Is the file binary or corrupt?")
    start = out["offsets"][out["n"] - 1]  # where the open record's sequence starts
    char = bytes([out["seq_out"][start + out["where"]]]).decode("latin-1")
    return ValueError(
        f"{str(path)!r}: record {record} ({name[:60]!r}) at line {out['line']} holds the "
        f"character {char!r} at sequence position {out['where'] + 1}; expected sequence "
        "letters (printable ASCII, no spaces). Is the file binary or corrupt?")


def _dnaio_chunks(path, data, chunk_size, label, label_from_header):
    source = data if data is not None else path
    done = 0
    ids, seqs = [], []
    try:
        with dnaio.open(path if data is None else io.BytesIO(data)) as reader:
            for record in reader:
                ids.append(record.name)
                seqs.append(record.sequence)
                if len(seqs) == chunk_size:
                    yield _fasta_chunk(path, source, ids, seqs, done, label, label_from_header)
                    done += len(seqs)
                    ids, seqs = [], []
    except dnaio.exceptions.FileFormatError as err:
        if done == 0 and not ids:
            # dnaio refuses UTF-8 headers and a byte order mark at the start; read_fasta has
            # the slower decoded path for those (a whole-file reading, for such files only).
            yield from _chunk_frame(path, read_fasta(path, label=label,
                                                     label_from_header=label_from_header),
                                    chunk_size)
            return
        raise format_error(path, err, done + len(ids) + 1) from None
    except (UnicodeDecodeError, *DECOMPRESSION_ERRORS) as err:
        raise read_error(path, err, "a FASTA/FASTQ file") from None
    if seqs or done == 0:
        if not seqs:
            raise ValueError(f"{str(path)!r} holds no FASTA/FASTQ records.")
        yield _fasta_chunk(path, source, ids, seqs, done, label, label_from_header)


def _fasta_chunk(path, source, ids, seqs, done, label, label_from_header):
    check_record_text(path, ids, seqs, first_record=done + 1, source=source)
    if label is not None:
        labels = [label] * len(seqs)
    else:
        labels = labels_from_headers(pd.Series(ids), label_from_header, path).tolist()
    return SequenceChunk(ids=ids, sequences=seqs, labels=labels, source=Path(path).name,
                         first_record=done + 1)


def _chunk_frame(path, frame, chunk_size):
    for start in range(0, len(frame), chunk_size):
        part = frame.iloc[start:start + chunk_size]
        yield SequenceChunk(
            ids=part["id"].tolist(), sequences=part["sequence"].tolist(),
            labels=part["label"].tolist() if "label" in part.columns else None,
            source=Path(path).name, first_record=start + 1)


def _parquet_frames(path, sequence_column, label_column, id_column, chunk_size):
    path = check_input(path, "parquet file")
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError(
            f"reading {str(path)!r} needs pyarrow, which is not installed; `pip install "
            "pyarrow`, or convert the file to CSV/TSV."
        ) from None
    columns = check_sequence_column(sequence_column)
    handle = pq.ParquetFile(path)
    names = handle.schema_arrow.names
    wanted = [c for c in dict.fromkeys(
        [*columns, label_column, id_column, "id", "split"]) if c and c in names]
    first_row = 0
    for batch in handle.iter_batches(batch_size=chunk_size, columns=wanted or None):
        frame = batch.to_pandas()
        yield finish_table(path, frame, columns, label_column, id_column, None,
                           first_row=first_row)
        first_row += len(frame)
    if first_row == 0:
        raise ValueError(f"{str(path)!r} holds no rows.")
