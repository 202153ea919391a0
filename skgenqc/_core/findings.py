"""The one findings model shared by dataset QC, split diagnostics and the auditor (bottom floor).

A :class:`Finding` is the result of one check: what was measured, which of the
five pitfalls of Whalen et al. (2022) it bears on, how severe it is, the number
behind the verdict, the threshold it was compared with, the evidence (counts,
percentages, the records involved) and what to do about it.  A :class:`Report`
is an ordered collection of findings plus the tables and figures that explain
them; it renders to a DataFrame, a dict/JSON and self-contained HTML.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

SEVERITIES = ("pass", "info", "warn", "fail")
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

PITFALLS = (
    "distributional differences",
    "dependent examples",
    "confounding",
    "leaky preprocessing",
    "unbalanced classes",
    "data validity",
)


def severity_rank(severity):
    """Order severities so that the worst one can be found with ``max``.

    Parameters
    ----------
    severity : {"pass", "info", "warn", "fail"}
        A severity name.

    Returns
    -------
    int
        0 for ``"pass"`` up to 3 for ``"fail"``.

    Examples
    --------
    >>> severity_rank("warn") > severity_rank("pass")
    True
    """
    try:
        return _SEVERITY_RANK[severity]
    except KeyError:
        raise ValueError(
            f"severity={severity!r} is not one of {', '.join(SEVERITIES)}."
        ) from None


def grade(value, warn, fail, *, higher_is_worse=True):
    """Turn a number into a severity by comparing it with two thresholds.

    Parameters
    ----------
    value : float or None
        The measured value. ``None`` or NaN gives ``"info"`` (nothing to grade).
    warn, fail : float
        Thresholds; a value at or beyond ``fail`` fails, at or beyond ``warn`` warns.
    higher_is_worse : bool, default=True
        Direction of the comparison.

    Returns
    -------
    str
        One of ``"pass"``, ``"warn"``, ``"fail"`` or ``"info"``.

    Examples
    --------
    >>> grade(0.8, warn=0.6, fail=0.75)
    'fail'
    >>> grade(2.0, warn=5, fail=1, higher_is_worse=False)
    'warn'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "info"
    if higher_is_worse:
        if value >= fail:
            return "fail"
        if value >= warn:
            return "warn"
        return "pass"
    if value <= fail:
        return "fail"
    if value <= warn:
        return "warn"
    return "pass"


def grade_share(count, total, *, warn=0.0, fail=0.02):
    """Severity of a count/share verdict (duplicates, leaked records, shared groups).

    ``count`` of ``total`` records are affected. No affected record passes; a
    share at or above ``fail`` fails; any other positive count warns when its
    share is above ``warn`` (``warn=0`` warns on the first one) and passes
    otherwise. Every check that grades "how many records have this problem"
    calls this, so they agree on what the thresholds mean.

    Parameters
    ----------
    count : int
        Records with the problem.
    total : int
        Records examined. With none examined nothing was measured, which is
        never a pass: the severity is ``"info"``.
    warn, fail : float, default=0.0, 0.02
        Shares: above ``warn`` warns, at or above ``fail`` fails.

    Returns
    -------
    severity : str
    share : float
        ``count / total`` (NaN when ``total`` is 0).

    Examples
    --------
    >>> grade_share(0, 100)
    ('pass', 0.0)
    >>> grade_share(1, 100)
    ('warn', 0.01)
    >>> grade_share(2, 100)
    ('fail', 0.02)
    >>> grade_share(1, 100, warn=0.05)
    ('pass', 0.01)
    """
    count, total = int(count), int(total)
    if count < 0 or total < 0 or count > total:
        raise ValueError(f"grade_share needs 0 <= count <= total, got count={count}, "
                         f"total={total}.")
    if total == 0:
        return "info", float("nan")
    share = count / total
    if count == 0:
        return "pass", share
    if share >= fail:
        return "fail", share
    if share > warn:
        return "warn", share
    return "pass", share


def _jsonable(obj):
    """Convert numpy/pandas values into plain JSON types, recursively."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, pd.DataFrame):
        return _jsonable(obj.to_dict(orient="records"))
    if isinstance(obj, pd.Series):
        return _jsonable(obj.tolist())
    if isinstance(obj, np.ndarray):
        return _jsonable(obj.tolist())
    if isinstance(obj, (np.bool_, bool)):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, (np.floating, float)):
        value = float(obj)
        return None if math.isnan(value) or math.isinf(value) else value
    if obj is None or isinstance(obj, (str, int)):
        return obj
    if obj is pd.NA or obj is pd.NaT:
        return None
    return str(obj)


class PlotRequest:
    """A figure described by data, drawn by :mod:`skgenqc.report.plots` when a page is rendered.

    Checks and probes live below the renderers, so they never draw: they ask for
    a plot by the name of a function in :mod:`skgenqc.report.plots` and give its
    arguments. Runs that never render never load matplotlib.

    Parameters
    ----------
    plot : str
        Name of a ``plot_*`` function of :mod:`skgenqc.report.plots`.
    *args, **kwargs
        Its arguments.

    Examples
    --------
    >>> PlotRequest("plot_bar", {"a": 1.0}, "title", "value")
    PlotRequest('plot_bar', 3 args, 0 kwargs)
    """

    __slots__ = ("plot", "args", "kwargs")

    def __init__(self, plot, *args, **kwargs):
        self.plot = str(plot)
        self.args = args
        self.kwargs = kwargs

    def __repr__(self):
        return f"PlotRequest({self.plot!r}, {len(self.args)} args, {len(self.kwargs)} kwargs)"


@dataclass
class Finding:
    """The result of one check.

    Parameters
    ----------
    check : str
        Machine-readable name of the check, e.g. ``"gc_content"``.
    title : str
        One line a person reads, e.g. ``"GC content separates the classes"``.
    severity : {"pass", "info", "warn", "fail"}
        The verdict.
    pitfall : str or None
        Which pitfall of Whalen et al. (2022) the check tests (see ``PITFALLS``).
    value : float or None
        The headline number the verdict rests on.
    threshold : dict
        The thresholds the value was compared with, e.g. ``{"warn": 0.6, "fail": 0.75}``.
    message : str
        What was found, in a sentence with the numbers.
    recommendation : str
        What to do about it.
    evidence : dict
        Every number behind the verdict (counts and percentages) and, for
        duplicate and leakage checks, the records involved.
    table : pandas.DataFrame or None
        A detailed table (one row per feature, pair, record...).
    figures : list of str
        Names of figures in the report that illustrate the finding.

    Examples
    --------
    >>> f = Finding("gc_content", "GC content", "warn", pitfall="confounding",
    ...             value=0.68, threshold={"warn": 0.6, "fail": 0.75})
    >>> f.severity
    'warn'
    """

    check: str
    title: str
    severity: str
    pitfall: str | None = None
    value: float | None = None
    threshold: dict = field(default_factory=dict)
    message: str = ""
    recommendation: str = ""
    evidence: dict = field(default_factory=dict)
    table: pd.DataFrame | None = None
    figures: list = field(default_factory=list)

    def __post_init__(self):
        severity_rank(self.severity)
        if self.pitfall is not None and self.pitfall not in PITFALLS:
            raise ValueError(
                f"pitfall={self.pitfall!r} is not one of {', '.join(PITFALLS)}."
            )

    def to_dict(self, *, max_rows=None):
        """Return the finding as plain JSON-compatible types.

        Parameters
        ----------
        max_rows : int or None
            Truncate the detailed table to this many rows (``None`` keeps all).
        """
        out = {
            "check": self.check,
            "title": self.title,
            "severity": self.severity,
            "pitfall": self.pitfall,
            "value": _jsonable(self.value),
            "threshold": _jsonable(self.threshold),
            "message": self.message,
            "recommendation": self.recommendation,
            "evidence": _jsonable(self.evidence),
        }
        if self.table is not None:
            table = self.table if max_rows is None else self.table.head(max_rows)
            out["table"] = _jsonable(table)
            out["table_rows"] = int(len(self.table))
        return out


class Report:
    """An ordered collection of findings with figures, shared by every part.

    Parameters
    ----------
    findings : list of Finding
        The findings, in the order they should be read.
    title : str
        Title of the report.
    kind : str
        ``"qc"``, ``"split"``, ``"audit"`` or ``"combined"``.
    metadata : dict
        Inputs and settings (file names, record counts, parameters).
    figures : dict of str to PlotRequest, matplotlib Figure or PNG bytes
        Figures referenced by the findings.

    Examples
    --------
    >>> r = Report([Finding("x", "X", "pass"), Finding("y", "Y", "warn")], title="demo")
    >>> r.worst_severity
    'warn'
    >>> r.to_frame()[["check", "severity"]].values.tolist()
    [['x', 'pass'], ['y', 'warn']]
    """

    def __init__(self, findings=None, *, title="skgenqc report", kind="qc",
                 metadata=None, figures=None):
        self.findings = list(findings or [])
        self.title = title
        self.kind = kind
        self.metadata = dict(metadata or {})
        self.figures = dict(figures or {})

    def __iter__(self):
        return iter(self.findings)

    def __len__(self):
        return len(self.findings)

    def __getitem__(self, check):
        """Return the first finding whose ``check`` is the given name."""
        for finding in self.findings:
            if finding.check == check:
                return finding
        known = ", ".join(sorted({f.check for f in self.findings}))
        raise KeyError(f"no finding named {check!r}; the report has: {known}")

    def add(self, finding):
        """Append a finding and return it."""
        if not isinstance(finding, Finding):
            raise TypeError(f"finding must be a Finding, got {type(finding).__name__}.")
        self.findings.append(finding)
        return finding

    def extend(self, other):
        """Add another report's findings, figures and metadata to this one."""
        self.findings.extend(other.findings)
        self.figures.update(other.figures)
        for key, value in other.metadata.items():
            self.metadata.setdefault(key, value)
        return self

    @property
    def worst_severity(self):
        """The most severe verdict among the findings (``"pass"`` if none)."""
        if not self.findings:
            return "pass"
        return max((f.severity for f in self.findings), key=severity_rank)

    def fails(self, level="fail"):
        """Whether any finding is at ``level`` or worse (for CI gating)."""
        return severity_rank(self.worst_severity) >= severity_rank(level)

    def pitfall_summary(self):
        """One row per pitfall with its worst verdict and the findings behind it.

        Returns
        -------
        pandas.DataFrame
            Columns ``pitfall``, ``verdict``, ``n_findings``, ``worst_checks``.
        """
        rows = []
        for pitfall in PITFALLS:
            members = [f for f in self.findings if f.pitfall == pitfall]
            if not members:
                continue
            worst = max((f.severity for f in members), key=severity_rank)
            rows.append({
                "pitfall": pitfall,
                "verdict": worst,
                "n_findings": len(members),
                "worst_checks": ", ".join(f.check for f in members if f.severity == worst),
            })
        return pd.DataFrame(rows, columns=["pitfall", "verdict", "n_findings", "worst_checks"])

    def to_frame(self):
        """One row per finding: check, pitfall, severity, value, threshold, message.

        Returns
        -------
        pandas.DataFrame
        """
        rows = [{
            "check": f.check,
            "title": f.title,
            "pitfall": f.pitfall,
            "severity": f.severity,
            "value": f.value,
            "threshold": f.threshold.get(f.severity if f.severity in ("warn", "fail") else "warn")
            if f.threshold else None,
            "message": f.message,
            "recommendation": f.recommendation,
        } for f in self.findings]
        return pd.DataFrame(rows, columns=["check", "title", "pitfall", "severity", "value",
                                           "threshold", "message", "recommendation"])

    def to_dict(self, *, max_rows=None):
        """Every number of the report as plain JSON-compatible types."""
        return {
            "title": self.title,
            "kind": self.kind,
            "worst_severity": self.worst_severity,
            "metadata": _jsonable(self.metadata),
            "pitfalls": _jsonable(self.pitfall_summary()),
            "findings": [f.to_dict(max_rows=max_rows) for f in self.findings],
        }

    def to_json(self, path=None, *, indent=2, max_rows=None):
        """Serialise to JSON; write to ``path`` atomically when given."""
        text = json.dumps(self.to_dict(max_rows=max_rows), indent=indent)
        if path is not None:
            from skgenqc.report._files import write_atomically

            write_atomically(path, text)
        return text

    def to_html(self, path=None, *, max_rows=50):
        """Render self-contained HTML (styles and figures embedded, no network).

        Parameters
        ----------
        path : str or path-like, optional
            Where to write the page; written atomically (no half-written files).
        max_rows : int, default=50
            Rows shown per detailed table; the full count is stated.

        Returns
        -------
        str
            The HTML document.
        """
        from skgenqc.report.html import render_html

        html = render_html(self, max_rows=max_rows)
        if path is not None:
            from skgenqc.report._files import write_atomically

            write_atomically(path, html)
        return html

    def _repr_html_(self):
        from skgenqc.report.html import render_summary_html

        return render_summary_html(self)

    def __repr__(self):
        counts = pd.Series([f.severity for f in self.findings]).value_counts()
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("fail", "warn", "pass", "info"))
        return f"<{type(self).__name__} {self.title!r}: {len(self.findings)} findings ({parts})>"
