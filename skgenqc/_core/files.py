"""Atomic file writes, so a failed or interrupted run never leaves a half-written output.

One mechanism for every file skgenqc writes (reports, the fold files of ``split``, the
folders of ``clean``): :class:`AtomicFiles` writes each file to a temporary file beside
its destination and renames them all into place only when every one is complete. On any
error, Ctrl-C (``KeyboardInterrupt``) included, it removes its temporary files, the files
it had already renamed into place (putting back a file it replaced) and the folders it
created, so the destination holds either the whole new set or what was there before.
:func:`write_atomically` is the one-file case.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


def _write_handle(handle, data, path):
    """Write ``data`` to the open temporary file of ``path`` (one place, so tests can
    interrupt it)."""
    handle.write(data)


def _mode():
    """The mode a new file gets under the current umask (mkstemp makes 0600 files)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class AtomicFiles:
    """Write a set of files all or nothing: temporary files first, renamed into place at the end.

    Use it as a context manager: :meth:`add` writes each file's content to a temporary
    file in the destination's folder; leaving the block without an error renames every
    temporary file to its destination; an error or ``KeyboardInterrupt`` (in the block
    or while renaming) removes everything this set wrote and the folders it made, and
    puts back the files it had replaced.

    Parameters
    ----------
    make_folders : bool, default=False
        Create missing destination folders (removed again, when still empty, if the
        set is not completed). Without it a missing folder is a ValueError naming it.

    Attributes
    ----------
    written : list of pathlib.Path
        The destinations, in the order given, once the set is complete.

    Raises
    ------
    ValueError
        When a file cannot be written (a missing folder, no permission, a full disk),
        naming the file and the reason; nothing of the set is left.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> with AtomicFiles(make_folders=True) as files:
    ...     files.add(os.path.join(d, "a.txt"), "a")
    ...     files.add(os.path.join(d, "sub", "b.txt"), b"b")
    >>> sorted(os.listdir(d)), [p.name for p in files.written]
    (['a.txt', 'sub'], ['a.txt', 'b.txt'])
    >>> try:
    ...     with AtomicFiles() as files:
    ...         files.add(os.path.join(d, "c.txt"), "c")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> sorted(os.listdir(d))  # no c.txt, no temporary file
    ['a.txt', 'sub']
    """

    def __init__(self, *, make_folders=False):
        self.make_folders = make_folders
        self.written = []
        self._pending = []  # (temporary, destination)
        self._made = []  # folders this set created, outermost first
        self._placed = []  # (destination, backup or None) renamed into place so far

    def __enter__(self):
        return self

    def _folder(self, path):
        folder = path.parent if str(path.parent) else Path(".")
        if folder.is_dir():
            return folder
        if not self.make_folders:
            raise ValueError(f"cannot write {str(path)!r}: folder {str(folder)!r} does not "
                             "exist.")
        missing = []
        for parent in (folder, *folder.parents):
            if parent.is_dir():
                break
            missing.append(parent)
        for parent in reversed(missing):
            try:
                parent.mkdir()
            except OSError as err:
                raise ValueError(f"cannot create the folder {str(parent)!r} for {str(path)!r}: "
                                 f"{err.strerror or err}.") from None
            self._made.append(parent)
        return folder

    def add(self, path, content):
        """Write ``content`` (text, UTF-8 encoded, or bytes) to a temporary file for ``path``.

        The file appears at ``path`` when the set completes.
        """
        path = Path(path)
        data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        folder = self._folder(path)
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as err:
            raise ValueError(f"cannot write {str(path)!r}: {err.strerror or err}.") from None
        self._pending.append((tmp, path))
        try:
            with os.fdopen(fd, "wb") as handle:
                _write_handle(handle, data, path)
            os.chmod(tmp, _mode())
        except OSError as err:
            raise ValueError(f"cannot write {str(path)!r}: {err.strerror or err}.") from None

    def _commit(self):
        for tmp, path in self._pending:
            backup = None
            if path.is_file():  # keep the old file until the whole set is in place
                backup = path.parent / f".{path.name}.{secrets.token_hex(6)}.old"
                try:
                    os.link(path, backup)
                except OSError:
                    backup = None  # no hard links here: a failure cannot restore this file
            # Recorded before the rename: an interrupt between the two must still undo it.
            self._placed.append((path, backup, tmp))
            try:
                os.replace(tmp, path)
            except OSError as err:
                raise ValueError(f"cannot write {str(path)!r}: {err.strerror or err}.") from None
        for _, backup, _ in self._placed:
            if backup is not None:
                backup.unlink(missing_ok=True)
        self.written = [path for _, path in self._pending]
        self._pending, self._placed = [], []

    def _rollback(self):
        for path, backup, tmp in reversed(self._placed):
            if os.path.exists(tmp):  # never renamed: the destination is untouched
                if backup is not None:
                    backup.unlink(missing_ok=True)
            elif backup is not None:
                os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        for tmp, _ in self._pending:
            if os.path.exists(tmp):
                os.unlink(tmp)
        for folder in reversed(self._made):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        self._pending, self._placed, self._made = [], [], []

    def __exit__(self, kind, error, trace):
        if kind is None:
            try:
                self._commit()
                return False
            except BaseException:
                self._rollback()
                raise
        self._rollback()
        return False


def write_atomically(path, content):
    """Write text or bytes to ``path`` through a temporary file and a rename.

    The one-file case of :class:`AtomicFiles`: an error or Ctrl-C leaves no
    temporary file and the old content (if any) in place.

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
    with AtomicFiles() as files:
        files.add(path, content)
