"""Atomic file writes, so a failed run never leaves a half-written report."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path, content):
    """Write text or bytes to ``path`` through a temporary file and a rename.

    Parameters
    ----------
    path : str or path-like
        Destination. Its folder must exist.
    content : str or bytes
        What to write (text is UTF-8 encoded).

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> write_atomically(os.path.join(d, "a.txt"), "hi")
    >>> open(os.path.join(d, "a.txt")).read()
    'hi'
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"cannot write {str(path)!r}: folder {str(folder)!r} does not exist.")
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        # mkstemp creates 0600 files; give the report the mode any new file would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
