"""Where a report came from: package and library versions, date, the call, input checksums.

A report in a paper's supplement must say which skgenqc made it, on which inputs and
with which call, so that it can be traced and compared. Every :class:`~skgenqc.Report`
carries such a record; the CLI adds the command line and the input files.
"""

from __future__ import annotations

import hashlib
import os
import platform
import sys
from datetime import datetime, timezone
from importlib import metadata

# Libraries whose versions change numbers in a report.
KEY_LIBRARIES = ("numpy", "scipy", "pandas", "scikit-learn", "imbalanced-learn", "rapidfuzz",
                 "dnaio")


def _version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def file_record(path, *, chunk=1 << 20):
    """Name, size in bytes and SHA-256 of one input file (a named pipe gets no checksum).

    Only the file's name is kept, never its folder, so a report names no machine's paths.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "a.fa")
    >>> _ = open(p, "w").write(">a\\nACGT\\n")
    >>> r = file_record(p); r["name"], r["bytes"], r["sha256"][:12]
    ('a.fa', 8, 'ec9375345955')
    """
    path = os.fspath(path)
    record = {"name": os.path.basename(path)}
    try:
        stat = os.stat(path)
    except OSError:
        return record
    if not os.path.isfile(path):
        return record
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(chunk), b""):
            digest.update(block)
    record.update(bytes=int(stat.st_size), sha256=digest.hexdigest())
    return record


def provenance(*, call=None, inputs=()):
    """The provenance record of a report made now.

    Parameters
    ----------
    call : str, optional
        The command line or the Python call that made the report.
    inputs : iterable of path-like
        Input files, recorded by name, size and SHA-256.

    Returns
    -------
    dict

    Examples
    --------
    >>> p = provenance(call="DatasetQC().run(...)")
    >>> sorted(p)
    ['call', 'created', 'inputs', 'libraries', 'python', 'skgenqc']
    """
    return {
        "skgenqc": _version("skgenqc"),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "call": call,
        "python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "libraries": {name: _version(name) for name in KEY_LIBRARIES},
        "inputs": [file_record(p) for p in inputs],
    }
