"""What the probes share to turn scores into verdicts: means, chance, intervals, p-values.

And the two findings a probe returns when it cannot vouch for anything: "Nothing
measured" (every fit failed: a FAIL, never a pass) and "Not run" (too little data:
info, with the reason).
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from skgenqc._core.findings import Finding


def nanmean(values, axis=None):
    """Mean ignoring NaN; NaN (without a warning) where every value is NaN."""
    values = np.asarray(values, dtype=float)
    if axis is not None:
        with np.errstate(invalid="ignore"):
            counts = (~np.isnan(values)).sum(axis=axis)
            return np.where(counts > 0, np.nansum(values, axis=axis) / np.maximum(counts, 1), np.nan)
    ok = ~np.isnan(values)
    return float(values[ok].mean()) if ok.any() else float("nan")


def chance_level(scoring, y):
    """The score a model without information gets, for common metrics."""
    y = np.asarray(y)
    classes, counts = np.unique(y, return_counts=True)
    name = scoring if isinstance(scoring, str) else ""
    if name.startswith("roc_auc") or name == "balanced_accuracy":
        return 0.5
    if name == "average_precision":
        return float(np.mean(y == classes[-1]))
    if name in ("accuracy", "") and len(classes) <= 20:
        return float(counts.max() / counts.sum())
    if name == "r2":
        return 0.0
    return np.nan


def bootstrap_mean_ci(values, rng, n_boot=2000, level=0.95):
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return np.nan, np.nan
    idx = rng.randint(0, len(values), size=(n_boot, len(values)))
    means = values[idx].mean(axis=1)
    return tuple(np.quantile(means, [(1 - level) / 2, (1 + level) / 2]).tolist())


def scores_of(table, scheme):
    """The scores of one scheme in the score table (NaN where a fit failed)."""
    return table.loc[table["scheme"] == scheme, "score"].to_numpy(dtype=float)


def unmeasured(ctx, *schemes):
    """Why the scores of ``schemes`` cannot be used (no fit, or every fit failed), else None."""
    for scheme in schemes:
        scores = ctx.scores(scheme)
        if len(scores) == 0:
            return f"the '{scheme}' scheme has no fits"
        if np.isnan(scores).all():
            errors = ctx.errors(scheme)
            first = errors[0] if errors else "no score"
            return (f"every fit of the '{scheme}' scheme failed ({len(scores)} of "
                    f"{len(scores)}); first error: {first}")
    return None


def nothing_measured(check, title, pitfall, reason):
    """A FAIL for a probe whose numbers could not be measured (never a pass)."""
    return Finding(check=check, title=title, severity="fail", pitfall=pitfall, value=None,
                   message=f"Nothing measured: {reason}.",
                   recommendation=("Fix the failing fits (see failed_fits): a verdict that "
                                   "measured nothing cannot vouch for the score."),
                   evidence={"not_run": True, "reason": reason})


def not_run(check, title, pitfall, reason, **evidence):
    """An info finding for a probe that could not run on these inputs, with the reason."""
    return Finding(check=check, title=title, severity="info", pitfall=pitfall, value=None,
                   message=f"Not run: {reason}.",
                   evidence={"not_run": True, "reason": reason, **evidence})


#: The null must hold at least this many scores for its empirical p-value to reach 0.05
#: (the smallest empirical p is 1 / (n + 1)); below it a normal approximation is used.
MIN_EMPIRICAL_NULL = 19
P_CHANCE = 0.05


def permutation_p(observed, null):
    """p-value of ``observed`` against a null sample, and how it was computed.

    With at least ``MIN_EMPIRICAL_NULL`` null scores: the empirical
    ``(1 + #null >= observed) / (1 + n)``.  With fewer, the empirical p-value
    cannot reach 0.05 whatever the model, so the upper tail of a normal fitted
    to the null is used (2 or more scores); with one, the empirical value.

    Examples
    --------
    >>> permutation_p(0.9, np.full(30, 0.5))
    (0.03225806451612903, 'empirical')
    >>> round(permutation_p(0.6, np.array([0.5, 0.52, 0.48]))[0], 5), permutation_p(0.6, np.array([0.5, 0.52, 0.48]))[1]
    (0.0, 'normal')
    """
    null = np.asarray(null, dtype=float)
    null = null[~np.isnan(null)]
    if len(null) >= MIN_EMPIRICAL_NULL or len(null) < 2:
        return float((1 + np.sum(null >= observed)) / (1 + len(null))), "empirical"
    sd = float(np.std(null, ddof=1))
    if sd == 0:
        return (0.0 if observed > null[0] else 1.0), "normal"
    return float(stats.norm.sf((observed - null.mean()) / sd)), "normal"
