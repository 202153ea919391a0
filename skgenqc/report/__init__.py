"""Renderings of the one findings model: HTML pages, plots and files.

The model itself (:class:`Finding`, :class:`Report`, severities, pitfalls and the
grading functions) lives on the bottom floor, :mod:`skgenqc._core.findings`, and is
re-exported here.
"""

from skgenqc._core.findings import (
    PITFALLS,
    SEVERITIES,
    Finding,
    Report,
    grade,
    grade_share,
    severity_rank,
)

__all__ = ["Finding", "Report", "PITFALLS", "SEVERITIES", "grade", "grade_share", "severity_rank"]
