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

import numpy as np
import pandas as pd

from skgenqc._core.jsonio import from_jsonable, table_from_records, table_schema
from skgenqc._core.jsonio import to_jsonable as _jsonable
from skgenqc._core.files import write_atomically
from skgenqc._core.provenance import provenance as _provenance

SEVERITIES = ("pass", "info", "warn", "fail")
_SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# The overall verdict: fail > warn > pass, and "info" (nothing to grade) never raises it above
# pass. A report of only info findings says "info", never "pass".
_VERDICT_RANK = {"info": 0, "pass": 1, "warn": 2, "fail": 3}
SCHEMA = "skgenqc.report"
SCHEMA_VERSION = 1

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


def holm_adjust(p_values):
    """Holm-Bonferroni adjusted p-values (family-wise error over the values given).

    The adjusted value of the i-th smallest of ``m`` p-values is the running maximum of
    ``(m - j) * p_(j)`` for ``j <= i``, capped at 1; NaN values are left out of ``m`` and stay
    NaN. Rejecting where the adjusted value is below ``alpha`` keeps the chance of any false
    rejection at or below ``alpha`` whatever the dependence between the tests.

    Parameters
    ----------
    p_values : array-like of float

    Returns
    -------
    numpy.ndarray of float
        Same shape as the input.

    Examples
    --------
    >>> holm_adjust([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]
    >>> holm_adjust([]).tolist()
    []
    """
    p = np.asarray(p_values, dtype=np.float64)
    flat = p.ravel()
    out = np.full(flat.shape, np.nan)
    keep = np.flatnonzero(~np.isnan(flat))
    if len(keep):
        order = keep[np.argsort(flat[keep], kind="stable")]
        m = len(order)
        scaled = (m - np.arange(m)) * flat[order]
        out[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return out.reshape(p.shape)


def grade_significant(effects, p_adjusted, warn, fail, *, alpha_warn=0.01, alpha_fail=0.001,
                      cap=None):
    """Severity of the worst of many features: the effect must be large *and* significant.

    A feature fails when its effect is at or above ``fail`` and its multiplicity-adjusted
    p-value is below ``alpha_fail``; it warns when its effect is at or above ``warn`` and its
    adjusted p-value is below ``alpha_warn``. The family's severity is that of its worst
    feature. So a maximum over thousands of noisy features on a few dozen sequences does not
    raise an alarm on its size alone, and a tiny but significant difference on a million
    sequences does not either: both the effect size (an AU-ROC, say) and the evidence for it
    are required.

    Parameters
    ----------
    effects : array-like of float
        The effect of each feature (higher is worse), e.g. a folded AU-ROC.
    p_adjusted : array-like of float
        Each feature's p-value, already adjusted for the number of features compared
        (:func:`holm_adjust`). NaN never counts as significant.
    warn, fail : float
        Effect thresholds.
    alpha_warn, alpha_fail : float, default=0.01, 0.001
        Significance levels of a warn and a fail.
    cap : {None, "warn"}, default=None
        The highest severity this kind of evidence may reach (``"warn"`` for evidence that
        may be the biology itself, such as a k-mer enriched at random positions).

    Returns
    -------
    severity : str
        ``"pass"``, ``"warn"`` or ``"fail"``; ``"info"`` when there are no features.
    index : int or None
        Position of the feature that decided the verdict (the most significant of the
        worst band), or ``None`` when the verdict is pass or info.

    Examples
    --------
    >>> grade_significant([0.75, 0.62], [0.2, 1e-6], warn=0.6, fail=0.7)
    ('warn', 1)
    >>> grade_significant([0.75, 0.62], [1e-5, 1e-6], warn=0.6, fail=0.7)
    ('fail', 0)
    >>> grade_significant([0.75], [1e-5], warn=0.6, fail=0.7, cap="warn")
    ('warn', 0)
    >>> grade_significant([0.75, 0.62], [0.2, 0.3], warn=0.6, fail=0.7)
    ('pass', None)
    """
    effects = np.asarray(effects, dtype=np.float64).ravel()
    p = np.asarray(p_adjusted, dtype=np.float64).ravel()
    if effects.shape != p.shape:
        raise ValueError(f"grade_significant needs one p-value per effect, got {effects.shape} "
                         f"effects and {p.shape} p-values.")
    if cap not in (None, "warn"):
        raise ValueError(f"cap must be None or 'warn', got {cap!r}.")
    if effects.size == 0:
        return "info", None
    p = np.where(np.isnan(p), np.inf, p)
    effects = np.where(np.isnan(effects), -np.inf, effects)
    bands = [("fail", fail, alpha_fail), ("warn", warn, alpha_warn)]
    if cap == "warn":
        bands = [("warn", warn, alpha_warn)]
    for severity, level, alpha in bands:
        hits = np.flatnonzero((effects >= level) & (p < alpha))
        if len(hits):
            return severity, int(hits[np.argmin(p[hits])])
    return "pass", None


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
    caption : str, optional
        What the figure shows, in words (the report's caption).

    Examples
    --------
    >>> PlotRequest("plot_bar", {"a": 1.0}, "title", "value")
    PlotRequest('plot_bar', 3 args, 0 kwargs)
    """

    __slots__ = ("plot", "args", "kwargs", "caption")

    def __init__(self, plot, *args, caption=None, **kwargs):
        self.plot = str(plot)
        self.args = args
        self.kwargs = kwargs
        self.caption = caption

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
        out["warn_threshold"] = _jsonable(self.threshold.get("warn"))
        out["fail_threshold"] = _jsonable(self.threshold.get("fail"))
        out["figures"] = [str(name) for name in self.figures]
        if self.table is not None:
            table = self.table if max_rows is None else self.table.head(max_rows)
            out["table"] = _jsonable(table)
            out["table_rows"] = int(len(self.table))
            out["table_schema"] = table_schema(self.table)
        return out

    @classmethod
    def from_dict(cls, data):
        """Rebuild a finding from :meth:`to_dict`'s output (or its JSON).

        Examples
        --------
        >>> f = Finding("x", "X", "warn", evidence={"sizes": {0: 3, 1: 5}},
        ...             table=pd.DataFrame({"id": ["a"], "n": [2]}))
        >>> g = Finding.from_dict(json.loads(json.dumps(f.to_dict())))
        >>> g.evidence["sizes"], g.table["n"].dtype.name
        ({0: 3, 1: 5}, 'int64')
        """
        known = {"check", "title", "severity", "pitfall", "value", "threshold", "message",
                 "recommendation", "evidence", "figures"}
        missing = {"check", "title", "severity"} - set(data)
        if missing:
            raise ValueError(f"a finding needs {sorted(missing)}; got keys {sorted(data)}.")
        kwargs = {k: from_jsonable(v) for k, v in data.items() if k in known}
        if "table" in data and data["table"] is not None:
            kwargs["table"] = table_from_records(data["table"], data.get("table_schema"))
        return cls(**kwargs)


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
    provenance : dict, optional
        Where the report came from (skgenqc and library versions, date, the call,
        input files with sizes and checksums); recorded now when not given.

    Examples
    --------
    >>> r = Report([Finding("x", "X", "pass"), Finding("y", "Y", "warn")], title="demo")
    >>> r.worst_severity
    'warn'
    >>> r.to_frame()[["check", "severity"]].values.tolist()
    [['x', 'pass'], ['y', 'warn']]
    """

    def __init__(self, findings=None, *, title="skgenqc report", kind="qc",
                 metadata=None, figures=None, provenance=None):
        self.findings = list(findings or [])
        self.title = title
        self.kind = kind
        self.metadata = dict(metadata or {})
        self.figures = dict(figures or {})
        self.provenance = dict(provenance) if provenance is not None else _provenance()

    def __iter__(self):
        return iter(self.findings)

    def __len__(self):
        return len(self.findings)

    def get(self, check, default=None):
        """The first finding whose ``check`` is the given name, else ``default``."""
        for finding in self.findings:
            if finding.check == check:
                return finding
        return default

    def __getitem__(self, check):
        """Return the first finding whose ``check`` is the given name."""
        finding = self.get(check)
        if finding is not None:
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
        """Add another report's findings, figures and metadata to this one.

        Settings already here are kept; the other report's ``stages`` (time and
        memory per stage) follow this one's, as its run followed.
        """
        self.findings.extend(other.findings)
        self.figures.update(other.figures)
        for key, value in other.metadata.items():
            if key == "stages" and isinstance(self.metadata.get(key), list):
                self.metadata[key] = [*self.metadata[key], *value]
            else:
                self.metadata.setdefault(key, value)
        return self

    @property
    def worst_severity(self):
        """The overall verdict: fail > warn > pass; ``"info"`` never raises it above pass.

        A report with no findings, or only informational ones, has nothing graded
        and says ``"info"``: silence is not a pass.
        """
        if not self.findings:
            return "info"
        return max((f.severity for f in self.findings), key=_VERDICT_RANK.__getitem__)

    def by_severity(self):
        """The findings, worst first (fail, warn, pass, info), check order within a severity.

        Examples
        --------
        >>> r = Report([Finding("a", "A", "pass"), Finding("b", "B", "fail"),
        ...             Finding("c", "C", "info"), Finding("d", "D", "warn")])
        >>> [f.check for f in r.by_severity()]
        ['b', 'd', 'a', 'c']
        """
        return sorted(self.findings, key=lambda f: -_VERDICT_RANK[f.severity])

    def fails(self, level="fail"):
        """Whether any finding is at ``level`` (``"warn"`` or ``"fail"``) or worse, for CI gating."""
        if level not in ("warn", "fail"):
            raise ValueError(f"level={level!r} is not one of 'warn', 'fail'.")
        return any(_VERDICT_RANK[f.severity] >= _VERDICT_RANK[level] for f in self.findings)

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
            worst = max((f.severity for f in members), key=_VERDICT_RANK.__getitem__)
            rows.append({
                "pitfall": pitfall,
                "verdict": worst,
                "n_findings": len(members),
                "worst_checks": ", ".join(f.check for f in members if f.severity == worst),
            })
        return pd.DataFrame(rows, columns=["pitfall", "verdict", "n_findings", "worst_checks"])

    def to_frame(self):
        """One row per finding: check, pitfall, severity, value, both thresholds, message.

        ``warn_threshold`` and ``fail_threshold`` always mean the same thing, whatever
        the finding's severity.

        Returns
        -------
        pandas.DataFrame
        """
        columns = ["check", "title", "pitfall", "severity", "value", "warn_threshold",
                   "fail_threshold", "message", "recommendation"]
        rows = [{
            "check": f.check,
            "title": f.title,
            "pitfall": f.pitfall,
            "severity": f.severity,
            "value": f.value,
            "warn_threshold": f.threshold.get("warn"),
            "fail_threshold": f.threshold.get("fail"),
            "message": f.message,
            "recommendation": f.recommendation,
        } for f in self.findings]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self, *, max_rows=None):
        """Every number of the report as plain JSON-compatible types, with schema and provenance.

        Figures are not included (they are drawn from the data when a page is rendered);
        their names stay with each finding.
        """
        return {
            "schema": SCHEMA,
            "schema_version": SCHEMA_VERSION,
            "title": self.title,
            "kind": self.kind,
            "worst_severity": self.worst_severity,
            "provenance": _jsonable(self.provenance),
            "metadata": _jsonable(self.metadata),
            "pitfalls": _jsonable(self.pitfall_summary()),
            "findings": [f.to_dict(max_rows=max_rows) for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data):
        """Rebuild a report from :meth:`to_dict`'s output.

        Findings, tables (with their dtypes), evidence (integer keys included),
        metadata and provenance come back; figures do not travel in JSON.

        Examples
        --------
        >>> r = Report([Finding("x", "X", "warn", evidence={"n": 2})], title="t")
        >>> back = Report.from_json(r.to_json())
        >>> back.title, back["x"].severity, back.to_frame().equals(r.to_frame())
        ('t', 'warn', True)
        """
        if not isinstance(data, dict) or "findings" not in data:
            raise ValueError("a report needs a dict with 'findings' (the output of "
                             "Report.to_dict or to_json).")
        schema = data.get("schema", SCHEMA)
        version = data.get("schema_version", SCHEMA_VERSION)
        if schema != SCHEMA or not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(f"schema {schema!r} version {version!r} is not one this skgenqc "
                             f"reads ({SCHEMA!r} up to version {SCHEMA_VERSION}).")
        return cls([Finding.from_dict(f) for f in data["findings"]],
                   title=data.get("title", "skgenqc report"), kind=data.get("kind", "qc"),
                   metadata=from_jsonable(data.get("metadata", {})),
                   provenance=from_jsonable(data.get("provenance", {})))

    @classmethod
    def from_json(cls, text_or_path):
        """Rebuild a report from its JSON text or a JSON file written by :meth:`to_json`."""
        text = str(text_or_path)
        if not text.lstrip().startswith("{"):
            with open(text_or_path, encoding="utf-8") as handle:
                text = handle.read()
        return cls.from_dict(json.loads(text))

    def to_json(self, path=None, *, indent=2, max_rows=None):
        """Serialise to JSON; write to ``path`` atomically when given."""
        text = json.dumps(self.to_dict(max_rows=max_rows), indent=indent)
        if path is not None:
            write_atomically(path, text)
        return text

    def to_html(self, path=None, *, max_rows=10):
        """Render self-contained HTML (styles and figures embedded, no network).

        Parameters
        ----------
        path : str or path-like, optional
            Where to write the page; written atomically (no half-written files).
        max_rows : int or None, default=10
            Rows shown per detailed table; the full count is stated and the whole
            table is in the JSON report.

        Returns
        -------
        str
            The HTML document.
        """
        from skgenqc.report.html import render_html

        html = render_html(self, max_rows=max_rows)
        if path is not None:
            write_atomically(path, html)
        return html

    def _repr_html_(self):
        from skgenqc.report.html import render_summary_html

        return render_summary_html(self)

    def __repr__(self):
        counts = pd.Series([f.severity for f in self.findings]).value_counts()
        parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in ("fail", "warn", "pass", "info"))
        return f"<{type(self).__name__} {self.title!r}: {len(self.findings)} findings ({parts})>"
