"""The audit's answer in one place: the reported score, the honest one and the inflation.

The auditor's probes each answer one question; a reader wants the sum first: what
would be reported (random cross-validation), what the leakage-aware CV gives, how big
the difference is (with its interval), whether the honest score beats chance, and
which pitfall accounts for the problem. :func:`audit_headline` reads those numbers
from the findings' evidence only, so a report rebuilt from its JSON has the same
headline as the one the auditor returned.
"""

from __future__ import annotations

import math

_RANK = {"fail": 3, "warn": 2, "pass": 1, "info": 0}


def _number(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def audit_headline(report):
    """Headline numbers and sentences of an audit report.

    Parameters
    ----------
    report : Report
        A report of kind ``"audit"`` (as :meth:`LeakageAuditor.audit` returns, or
        rebuilt with ``Report.from_json``).

    Returns
    -------
    dict or None
        ``None`` when the report holds none of the scores. Otherwise keys
        ``reported`` (random-CV mean), ``honest`` (the given CV's mean),
        ``inflation`` and ``inflation_ci95`` (random minus given, with its bootstrap
        interval), ``null_mean`` and ``p_value`` (label-permutation null),
        ``confounder_score``, ``pitfall`` and ``check`` (the worst warning or failing
        finding: what accounts for the problem), ``severity`` and ``sentences`` (the
        headline in words, worst news first). Missing numbers are ``None``.

    Examples
    --------
    >>> from skgenqc._core.findings import Finding, Report
    >>> gap = Finding("dependence_gap", "Random vs blocked CV", "fail", pitfall="dependent examples",
    ...               value=0.2, evidence={"random_mean": 0.9, "blocked_mean": 0.7, "gap": 0.2,
    ...                                    "gap_ci95": [0.15, 0.25]})
    >>> head = audit_headline(Report([gap], kind="audit", metadata={"scoring": "roc_auc"}))
    >>> head["reported"], head["honest"], head["pitfall"]
    (0.9, 0.7, 'dependent examples')
    >>> print(head["sentences"][0])
    Random cross-validation scores 0.900 (roc_auc); the leakage-aware CV scores 0.700: inflated by 0.200 (95 % interval 0.150 to 0.250).
    """
    gap = report.get("dependence_gap")
    null = report.get("permutation_null") or report.get("workflow_permutation_null")
    confounders = report.get("confounder_only_baseline")
    if gap is None and null is None and confounders is None:
        return None
    gap_ev = {} if gap is None else gap.evidence
    null_ev = {} if null is None else null.evidence
    conf_ev = {} if confounders is None else confounders.evidence
    ci = gap_ev.get("gap_ci95") or [None, None]
    head = {
        "scoring": str(report.metadata.get("scoring", "score")),
        "reported": _number(gap_ev.get("random_mean")),
        "honest": _number(gap_ev.get("blocked_mean", null_ev.get("observed"))),
        "inflation": _number(gap_ev.get("gap")),
        "inflation_ci95": [_number(ci[0]), _number(ci[1])],
        "null_mean": _number(null_ev.get("null_mean")),
        "p_value": _number(null_ev.get("p_value")),
        "confounder_score": _number(conf_ev.get("confounder_score")),
    }
    flagged = [f for f in report.findings if f.severity in ("warn", "fail")]
    worst = max(flagged, key=lambda f: _RANK[f.severity], default=None)
    head["severity"] = report.worst_severity
    head["check"] = None if worst is None else str(worst.check)
    head["pitfall"] = None if worst is None else (None if worst.pitfall is None else str(worst.pitfall))
    head["sentences"] = _sentences(head, worst)
    return head


def _fmt(value):
    return "n/a" if value is None else f"{value:.3f}"


def _sentences(head, worst):
    out = []
    scoring = head["scoring"]
    if head["reported"] is not None and head["honest"] is not None:
        text = (f"Random cross-validation scores {_fmt(head['reported'])} ({scoring}); the "
                f"leakage-aware CV scores {_fmt(head['honest'])}")
        low, high = head["inflation_ci95"]
        if head["inflation"] is not None:
            interval = ""
            if low is not None and high is not None:
                interval = f"95 % interval {_fmt(low)} to {_fmt(high)}"
            if interval and low <= 0 <= high:
                text += (f": a difference of {_fmt(head['inflation'])} ({interval}, which "
                         "includes 0: no inflation detected)")
            else:
                text += f": inflated by {_fmt(head['inflation'])}"
                text += f" ({interval})" if interval else ""
        out.append(text + ".")
    elif head["honest"] is not None:
        out.append(f"The cross-validated score is {_fmt(head['honest'])} ({scoring}).")
    if head["p_value"] is not None:
        if head["p_value"] > 0.05:
            out.append(f"That score is not distinguishable from chance: label-permutation null "
                       f"mean {_fmt(head['null_mean'])}, p = {head['p_value']:.2g}.")
        else:
            out.append(f"It beats its label-permutation null (mean {_fmt(head['null_mean'])}, "
                       f"p = {head['p_value']:.2g}).")
    if head["confounder_score"] is not None:
        out.append(f"Confounders alone score {_fmt(head['confounder_score'])}.")
    if worst is None:
        out.append("No probe warns or fails.")
    else:
        at_chance = (worst.check == "permutation_null" and head["p_value"] is not None
                     and head["p_value"] > 0.05)
        if at_chance:
            # The null probe files under leaky preprocessing because a null far above chance is
            # that leak; a score at its null is the opposite case, so the pitfall would mislead.
            out.append(f"Worst finding: {worst.severity.upper()} {worst.check}: the model does "
                       "not beat chance here, so there is no score to inflate (no leak implied).")
        else:
            out.append(f"Worst finding: {worst.severity.upper()} {worst.check}"
                       + (f" ({worst.pitfall})." if worst.pitfall else "."))
    return out

