"""Kept for old imports: the findings model lives on the bottom floor, :mod:`skgenqc._core.findings`."""

from skgenqc._core.findings import (  # noqa: F401
    PITFALLS,
    SEVERITIES,
    Finding,
    Report,
    grade,
    grade_share,
    severity_rank,
)
