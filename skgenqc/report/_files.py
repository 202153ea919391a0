"""Kept for old imports: atomic writes live on the bottom floor, :mod:`skgenqc._core.files`."""

from skgenqc._core.files import write_atomically  # noqa: F401
