"""Where the bytes of an input come from: regular files, named pipes, compression, a BOM.

A regular file is opened by name (so dnaio and pandas can stream and decompress
it themselves).  A named pipe (FIFO), ``/dev/stdin`` or a process substitution
can be read only once and has no size, so it is read into memory in one pass
and decompressed by its magic bytes; the readers then parse that buffer.
A UTF-8 byte order mark at the start of a file is dropped.
"""

from __future__ import annotations

import csv
import io
import lzma
import os
import stat
import zlib
from pathlib import Path

BOM = b"\xef\xbb\xbf"


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


def read_error(path, err, expected):
    """A ValueError naming the file and saying whether it is binary or truncated/corrupt."""
    if isinstance(err, UnicodeDecodeError):
        byte = err.object[err.start:err.start + 1]
        return ValueError(
            f"{str(path)!r} holds bytes that are not text (e.g. {byte!r}: {err.reason}); "
            f"expected {expected} (UTF-8 text, or compressed with a matching .gz/.bz2/.xz "
            "suffix)."
        )
    return ValueError(
        f"{str(path)!r} could not be read as {expected}; the file looks truncated or corrupt "
        f"({type(err).__name__}: {err})."
    )


def is_stream(path):
    """True for an existing input that is neither a regular file nor a folder (a FIFO, a tty).

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> fifo = os.path.join(d, "pipe.fa")
    >>> os.mkfifo(fifo)
    >>> is_stream(fifo), is_stream(d)
    (True, False)
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_input(path, what):
    """The input as a :class:`~pathlib.Path`, or a ValueError saying why it cannot be read.

    A stream is never stat-sized (a pipe always reports size 0); its emptiness
    is checked when it is read.

    Examples
    --------
    >>> check_input("no/such/file.fa", "FASTA/FASTQ file")
    Traceback (most recent call last):
    ...
    ValueError: FASTA/FASTQ file 'no/such/file.fa' does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{what} {str(path)!r} does not exist.")
    if path.is_dir():
        raise ValueError(f"{what} {str(path)!r} is a folder; expected a file.")
    if not is_stream(path) and path.stat().st_size == 0:
        raise ValueError(f"{what} {str(path)!r} is empty; expected at least one record.")
    return path


def _decompress(raw):
    """Decompress by magic bytes (in memory: xopen takes file objects only from 2.0 on)."""
    import bz2
    import gzip

    if raw.startswith(b"\x1f\x8b"):
        return gzip.decompress(raw)
    if raw.startswith(b"BZh"):
        return bz2.decompress(raw)
    if raw.startswith(b"\xfd7zXZ\x00"):
        return lzma.decompress(raw)
    if raw.startswith(b"\x28\xb5\x2f\xfd"):
        import zstandard  # what xopen uses for .zst; a clear ImportError otherwise

        return zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    return raw


def read_stream(path, what, expected):
    """Read a pipe once, whole, and decompress it when its first bytes say it is compressed.

    Returns
    -------
    bytes
        The decompressed content, a leading UTF-8 BOM removed.
    """
    with open(path, "rb") as handle:
        raw = handle.read()
    if not raw:
        raise ValueError(f"{what} {str(path)!r} is empty (the stream sent no data); expected at "
                         "least one record.")
    try:
        data = _decompress(raw)
    except DECOMPRESSION_ERRORS as err:
        raise read_error(path, err, expected) from None
    return data[len(BOM):] if data.startswith(BOM) else data


def read_all(path, expected):
    """The decompressed bytes of a regular file (for a second, slower reading), BOM removed."""
    import xopen

    try:
        with xopen.xopen(path, "rb") as handle:
            data = handle.read()
    except DECOMPRESSION_ERRORS as err:
        raise read_error(path, err, expected) from None
    return data[len(BOM):] if data.startswith(BOM) else data


def first_line(source):
    """The first line of a file or buffer as text (BOM and line end removed; ``""`` if none)."""
    import xopen

    if isinstance(source, bytes):
        line = source.split(b"\n", 1)[0]
    else:
        with xopen.xopen(source, "rb") as handle:
            line = handle.readline()
    if line.startswith(BOM):
        line = line[len(BOM):]
    return line.decode("utf-8", errors="replace").rstrip("\r\n")


_SEPARATORS = ("\t", ",", ";")


def sniff_separator(header, default):
    """The field separator of a table, from its header line.

    The default (from the file suffix) wins whenever it occurs in the header;
    otherwise the candidate (tab, comma, semicolon) that splits the header into
    the most fields is used, so a tab-separated ``.txt`` or ``.csv`` is read
    right.  A header without any separator is one column: the default stays.

    Examples
    --------
    >>> sniff_separator("sequence\\tlabel", ","), sniff_separator("a,b", "\\t")
    ('\\t', ',')
    >>> sniff_separator("sequence", ",")
    ','
    """
    if default in header:
        return default
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else default


def header_fields(header, sep):
    """Column names of a header line, split as the csv module (and pandas) would."""
    try:
        return next(csv.reader([header], delimiter=sep))
    except (StopIteration, csv.Error):
        return header.split(sep)
