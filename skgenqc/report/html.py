"""Self-contained HTML renderings of a :class:`~skgenqc.report.Report`.

The page is one file a reviewer can open offline or attach to a paper: styles
are inline, figures are embedded as base64 PNGs and nothing is fetched from the
network.  Everything that comes from the data (sequence ids, FASTA headers,
messages, table cells) is escaped by Jinja2's autoescaping, because a FASTA
header is arbitrary text and must never become markup in a browser.

All formatting (numbers, truncation) happens here in Python so that the
template only lays out strings; that keeps the template simple and makes it
impossible for a value to bypass escaping by arriving as ``Markup``.
"""

from __future__ import annotations

import math
from functools import lru_cache

import jinja2
import numpy as np
import pandas as pd

from skgenqc._core.findings import PITFALLS, SEVERITIES, PlotRequest
from skgenqc.report.plots import draw, figure_to_png, png_data_uri

_MAX_ITEMS = 10  # list items shown in evidence/metadata before "... and N more"
_MAX_METADATA_ITEMS = 20  # metadata lists (the features an audit used) show more
_MAX_CELL_ITEMS = 5  # fewer inside table cells, which must stay narrow
_MAX_CHARS = 300  # long strings (whole sequences) are cut so pages stay readable
_MAX_CELL_CHARS = 120


@lru_cache(maxsize=1)
def _template():
    # autoescape=True (not select_autoescape) because the file ends in ".j2",
    # which extension-based selection would not recognise as HTML.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("skgenqc.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("report.html.j2")


def _is_missing(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _truncate(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _format_items(items, max_items, max_chars):
    """Join the first items of a sequence, saying how many were left out."""
    items = list(items)
    shown = ", ".join(_format_value(v, max_items=max_items, max_chars=max_chars)
                      for v in items[:max_items])
    if len(items) > max_items:
        shown += f" ... and {len(items) - max_items:,} more"
    return shown


def _format_value(value, *, max_items=_MAX_ITEMS, max_chars=_MAX_CHARS):
    """Render any evidence, metadata or cell value as a short plain string.

    Examples
    --------
    >>> _format_value(0.123456)
    '0.1235'
    >>> _format_value(1234567)
    '1,234,567'
    >>> _format_value([f"id{i}" for i in range(12)], max_items=3)
    'id0, id1, id2 ... and 9 more'
    """
    if isinstance(value, pd.DataFrame):
        return f"table of {len(value):,} rows \u00d7 {value.shape[1]} columns"
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray, pd.Series, pd.Index)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        if isinstance(items, np.ndarray):
            items = items.ravel()
        return _format_items(items, max_items, max_chars)
    if isinstance(value, dict):
        pairs = [f"{k}: {_format_value(v, max_items=max_items, max_chars=max_chars)}"
                 for k, v in list(value.items())[:max_items]]
        text = "; ".join(pairs)
        if len(value) > max_items:
            text += f" ... and {len(value) - max_items:,} more"
        return text
    if _is_missing(value):
        return "\u2014"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value.is_integer() and abs(value) >= 1e4 and abs(value) < 1e15:
            return f"{int(value):,}"  # counts stored as floats read better with separators
        return f"{value:.4g}"
    return _truncate(str(value), max_chars)


def _pairs(mapping, max_items=_MAX_ITEMS):
    return [(str(k), _format_value(v, max_items=max_items)) for k, v in (mapping or {}).items()]


def _column_label(label):
    if isinstance(label, tuple):  # MultiIndex columns
        return " / ".join(str(part) for part in label)
    return str(label)


def _table_context(table, max_rows):
    """Header and formatted rows of the first ``max_rows`` rows of a DataFrame."""
    total = len(table)
    head = table if max_rows is None else table.head(max_rows)
    # A RangeIndex is just row numbers; any other index (feature names, ids)
    # carries information and is shown as the first column.
    show_index = not isinstance(table.index, pd.RangeIndex) or table.index.name is not None
    columns = [_column_label(c) for c in head.columns]
    if show_index:
        columns.insert(0, _column_label(table.index.name or ""))

    def cell(v):
        return _format_value(v, max_items=_MAX_CELL_ITEMS, max_chars=_MAX_CELL_CHARS)

    rows = []
    for index, row in zip(head.index, head.itertuples(index=False, name=None)):
        cells = [cell(v) for v in row]
        if show_index:
            cells.insert(0, cell(index))
        rows.append(cells)
    return {"columns": columns, "rows": rows, "shown": f"{len(head):,}", "total": f"{total:,}",
            "truncated": len(head) < total}


def _figure_uri(figure):
    """A data URI for a PlotRequest, a Figure or PNG bytes; None otherwise."""
    if isinstance(figure, PlotRequest):
        figure = draw(figure)  # drawn only when the page is rendered
    if isinstance(figure, (bytes, bytearray, memoryview)):
        return png_data_uri(figure)
    if isinstance(figure, str) and figure.startswith("data:image/png;base64,"):
        return figure
    if hasattr(figure, "savefig"):
        return png_data_uri(figure_to_png(figure))
    return None


class _Figures:
    """Converts each report figure once per rendering, however often it is cited."""

    def __init__(self, figures):
        self._figures = figures
        self._cache = {}

    def get(self, name):
        if name not in self._cache:
            uri = _figure_uri(self._figures[name]) if name in self._figures else None
            note = None
            if name not in self._figures:
                note = f"figure {name!r} is not in the report"
            elif uri is None:
                note = f"figure {name!r} could not be embedded"
            self._cache[name] = {"name": str(name), "uri": uri, "note": note,
                                 "caption": _caption(name, self._figures.get(name))}
        return self._cache[name]


def _caption(name, figure):
    """A figure's caption in words: the one its request gives, else its name made readable."""
    caption = getattr(figure, "caption", None)
    if caption:
        return str(caption)
    return str(name).replace("_", " ").capitalize()


def _headline(report, pitfall, verdict):
    """The number behind a pitfall's verdict: its worst finding's value and message start."""
    for f in report.findings:
        if f.pitfall == pitfall and f.severity == verdict and not _is_missing(f.value) \
                and f.value is not None:
            return f"{f.check} = {_format_value(f.value)}"
    return ""


def _audit_headline(report):
    """The audit's answer first (reported vs honest score, inflation, chance, pitfall)."""
    if str(report.kind) != "audit":
        return None
    from skgenqc.audit.headline import audit_headline

    return audit_headline(report)


def _summary_context(report):
    summary = report.pitfall_summary()
    pitfalls = [{"pitfall": str(row.pitfall), "verdict": str(row.verdict),
                 "n_findings": int(row.n_findings), "checks": str(row.worst_checks),
                 "headline": _headline(report, row.pitfall, row.verdict)}
                for row in summary.itertuples(index=False)]
    checked = {p["pitfall"] for p in pitfalls}
    counts = {s: sum(f.severity == s for f in report.findings) for s in SEVERITIES}
    return {
        "title": str(report.title),
        "kind": str(report.kind),
        "audit_headline": _audit_headline(report),
        "worst": report.worst_severity,
        "counts": [(s, counts[s]) for s in reversed(SEVERITIES)],
        "pitfalls": pitfalls,
        # Pitfalls that no check covered are listed so that silence is not read as a pass.
        "unchecked": [p for p in PITFALLS if p not in checked],
        # What is wrong comes first: fail, warn, pass, info (check order within each).
        "findings": [{
            "anchor": f"finding-{i}",
            "check": str(f.check),
            "title": str(f.title),
            "pitfall": "" if f.pitfall is None else str(f.pitfall),
            "severity": f.severity,
            "value": _format_value(f.value),
            "message": str(f.message),
            "recommendation": _truncate(str(f.recommendation), _MAX_CELL_CHARS),
        } for i, f in enumerate(report.by_severity())],
        "quiet_label": _quiet_label(counts),
        "provenance": _provenance_line(report),
    }


def _quiet_label(counts):
    """The line that unfolds the passing and informational rows, e.g. '16 passing, 2 informational'."""
    parts = [f"{counts['pass']} passing"] if counts.get("pass") else []
    if counts.get("info"):
        parts.append(f"{counts['info']} informational")
    return ", ".join(parts) + " (show)"


def _provenance_line(report):
    """One line saying which skgenqc made the report, when, from what call and which inputs."""
    p = getattr(report, "provenance", None) or {}
    parts = [f"Generated by skgenqc {p.get('skgenqc') or ''}".rstrip()]
    if p.get("created"):
        parts.append(f"on {p['created']}")
    line = " ".join(parts)
    extra = []
    if p.get("call"):
        extra.append(f"call: {_truncate(str(p['call']), _MAX_CHARS)}")
    if p.get("python"):
        libs = ", ".join(f"{k} {v}" for k, v in (p.get("libraries") or {}).items() if v)
        extra.append(f"{p['python']}" + (f"; {libs}" if libs else ""))
    inputs = [f"{i.get('name')} ({i['bytes']:,} bytes, sha256 {i['sha256'][:12]})"
              if "sha256" in i else str(i.get("name")) for i in p.get("inputs") or []]
    if inputs:
        extra.append("inputs: " + _format_items(inputs, _MAX_ITEMS, _MAX_CHARS))
    return line + "." + (" " + " · ".join(extra) if extra else "")


def _check_max_rows(max_rows):
    if max_rows is None:
        return None
    if isinstance(max_rows, (bool, np.bool_)) or not isinstance(max_rows, (int, np.integer)) \
            or max_rows < 0:
        raise ValueError(f"max_rows must be a non-negative integer or None, got {max_rows!r}.")
    return int(max_rows)


def render_html(report, *, max_rows=10):
    """Render a report as a complete, self-contained HTML page.

    Parameters
    ----------
    report : Report
        The report to render.
    max_rows : int or None, default=10
        Rows shown per detailed table (the full count is stated and the whole table
        is in the JSON report); ``None`` shows all.

    Returns
    -------
    str
        The HTML document, with inline CSS and embedded PNG figures.

    Examples
    --------
    >>> from skgenqc.report import Finding, Report
    >>> page = render_html(Report([Finding("ids", "<b>ids</b>", "warn")]))
    >>> "&lt;b&gt;ids&lt;/b&gt;" in page and "<b>ids" not in page
    True
    """
    max_rows = _check_max_rows(max_rows)
    figures = _Figures(report.figures)
    context = _summary_context(report)
    details = []
    cited = set()
    for entry, finding in zip(context["findings"], report.by_severity()):
        cited.update(finding.figures)
        details.append(dict(
            entry,
            open=finding.severity in ("warn", "fail"),
            recommendation=str(finding.recommendation),
            threshold=[(f"{k} threshold", v) for k, v in _pairs(finding.threshold)],
            evidence=_pairs(finding.evidence),
            table=None if finding.table is None else _table_context(finding.table, max_rows),
            figures=[figures.get(name) for name in finding.figures],
        ))
    extra = [figures.get(name) for name in report.figures if name not in cited]
    settings = {k: v for k, v in report.metadata.items() if k != "stages"}
    return _template().render(full=True, metadata=_pairs(settings, _MAX_METADATA_ITEMS),
                              stages=_stages_context(report.metadata.get("stages")),
                              details=details, extra_figures=extra, **context)


#: Column headings of the stages table, by record key (see skgenqc._core.stages).
_STAGE_COLUMNS = {"stage": "stage", "wall_s": "wall s", "cpu_s": "CPU s",
                  "worker_cpu_s": "of which workers", "peak_rss_mb": "peak RSS MiB",
                  "rss_growth_mb": "peak growth MiB", "rss_mb": "RSS at end MiB"}


def _stages_context(stages):
    """The "Time and memory per stage" table of ``metadata["stages"]``, with a total row.

    Examples
    --------
    >>> table = _stages_context([{"stage": "load", "wall_s": 1.5, "cpu_s": 1.2, "peak_rss_mb": 300.0}])
    >>> table["rows"][0][:3], table["total"][:3]
    (['load', '1.500', '1.200'], ['total', '1.500', '1.200'])
    >>> _stages_context(None) is None
    True
    """
    if not stages or not isinstance(stages, (list, tuple)):
        return None
    records = [s for s in stages if isinstance(s, dict)]
    keys = list(_STAGE_COLUMNS)

    def cell(key, value):
        if key == "stage" or _is_missing(value) or not isinstance(value, (int, float)):
            return _format_value(value)
        # Fixed decimals so a column of seconds or MiB lines up: ms, and 0.1 MiB.
        return f"{value:,.3f}" if key.endswith("_s") else f"{value:,.1f}"

    rows = [[cell(key, record.get(key)) for key in keys] for record in records]

    def numbers(key):
        return [float(r[key]) for r in records if isinstance(r.get(key), (int, float))
                and not _is_missing(r.get(key))]

    total = ["total"]
    for key in keys[1:]:
        values = numbers(key)
        if not values:
            total.append(_format_value(None))
        elif key == "peak_rss_mb":
            total.append(cell(key, max(values)))  # a high-water mark: the largest is the run's
        elif key == "rss_mb":
            total.append(cell(key, records[-1].get(key)))  # at the end of the last stage
        else:
            total.append(cell(key, sum(values)))
    note = ("CPU counts this process and its child processes (joblib workers); peak RSS is "
            "this process's resident-memory high-water mark after each stage (it never goes "
            "down, workers not included); peak growth is how much the stage raised it.")
    return {"columns": [_STAGE_COLUMNS[k] for k in keys], "rows": rows, "total": total,
            "note": note}


def render_summary_html(report):
    """Render a compact HTML summary for Jupyter's ``_repr_html_``.

    Shows the title, the worst verdict, one line per pitfall and a table of
    findings; no figures or detail tables, so notebooks stay light.

    Parameters
    ----------
    report : Report
        The report to summarise.

    Returns
    -------
    str
        An HTML fragment (no ``<html>`` element), escaped like :func:`render_html`.

    Examples
    --------
    >>> from skgenqc.report import Finding, Report
    >>> "warn" in render_summary_html(Report([Finding("x", "X", "warn")]))
    True
    """
    return _template().render(full=False, metadata=[], stages=None, details=[],
                              extra_figures=[], **_summary_context(report))
