"""Combining severities: the worst of several verdicts of one finding."""

from __future__ import annotations

from skgenqc._core.findings import severity_rank


def worst(*severities):
    """The worst of several severities (fail > warn > info > pass).

    Examples
    --------
    >>> worst("pass", "warn", "pass")
    'warn'
    """
    return max(severities, key=severity_rank)
