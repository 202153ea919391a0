"""The auditor's probes, registered with the schemes they need; each turns scores into findings.

Every probe is ``probe(ctx) -> Finding | list of Finding | None`` where ``ctx`` is
the :class:`~skgenqc.audit._registry.AuditContext` (inputs, folds, settings and
the score table of every fitted scheme).  Registration order is report order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgenqc._core.findings import Finding, PlotRequest, grade
from skgenqc.audit._features import dense_or_none, numeric_features
from skgenqc.audit._registry import register_probe
from skgenqc.audit._prevalence import (  # noqa: F401  (public through this module too)
    fold_prevalence,
    is_classification,
    plain_scalar,
    single_class_folds,
)
from skgenqc.audit._schemes import confounder_frame  # noqa: F401  (schemes registered first)
from skgenqc.audit._verdicts import (  # noqa: F401
    MIN_EMPIRICAL_NULL,
    P_CHANCE,
    bootstrap_mean_ci,
    chance_level,
    nanmean,
    not_run,
    nothing_measured,
    permutation_p,
    scores_of,
    unmeasured,
)


@register_probe("dependence_gap", pitfall="dependent examples", needs_schemes=["blocked", "random"],
                requires=["estimator"],
                summary="your (blocked) CV against shuffled folds, with a bootstrap interval "
                        "over folds")
def dependence(ctx):
    """Blocked CV against random CV: the gap and its bootstrap interval.

    Every fit of either scheme failed: FAIL (nothing measured).  Fewer than two
    scored folds in a scheme: not run (info), no interval can be drawn.  A gap
    at or above ``gap_warn`` whose interval includes 0 passes and says so.
    """
    check, title, pitfall = "dependence_gap", "Blocked vs random cross-validation", "dependent examples"
    reason = unmeasured(ctx, "blocked", "random")
    if reason:
        return nothing_measured(check, title, pitfall, reason)
    table, warn, fail, rng = ctx.table, ctx.gap_warn, ctx.gap_fail, ctx.rng
    blocked, random = scores_of(table, "blocked"), scores_of(table, "random")
    if min((~np.isnan(blocked)).sum(), (~np.isnan(random)).sum()) < 2:
        return not_run(check, title, pitfall,
                       f"{int((~np.isnan(blocked)).sum())} blocked and "
                       f"{int((~np.isnan(random)).sum())} random fold scores; an interval "
                       "needs at least 2 of each")
    b_mean, r_mean = nanmean(blocked), nanmean(random)
    gap = r_mean - b_mean
    idx_b = rng.randint(0, len(blocked), size=(2000, len(blocked)))
    idx_r = rng.randint(0, len(random), size=(2000, len(random)))
    gaps = nanmean(random[idx_r], axis=1) - nanmean(blocked[idx_b], axis=1)
    gaps = gaps[~np.isnan(gaps)]
    low, high = np.quantile(gaps, [0.025, 0.975]) if len(gaps) else (np.nan, np.nan)
    severity = "pass"
    if low > 0:
        severity = grade(gap, warn, fail)
    message = (f"Random CV scores {r_mean:.3f}, the given CV {b_mean:.3f}: random CV is higher by "
               f"{gap:.3f} (95% bootstrap interval {low:.3f} to {high:.3f}).")
    passed_because = None
    if severity == "pass" and gap >= warn:
        passed_because = "the interval includes 0"
        message += (f" The gap is at or above gap_warn={warn} but its interval includes 0, so it "
                    "is not distinguishable from no gap: passed on that account (more folds or "
                    "repeats narrow the interval).")
    return Finding(
        check=check, title=title,
        severity=severity, pitfall=pitfall, value=float(gap),
        threshold={"warn": warn, "fail": fail},
        message=message,
        recommendation=("Dependent examples leak across random folds: report the blocked score "
                        "(chromosome, block, similarity or pair splits), not the random one."
                        if severity in ("warn", "fail") else ""),
        evidence={"blocked_mean": b_mean, "random_mean": r_mean, "gap": gap,
                  "gap_ci95": [float(low), float(high)], "blocked_folds": blocked.tolist(),
                  "random_folds": random.tolist(), "passed_because": passed_because},
        figures=["audit_scores"])


def _null_verdict(observed, perm, chance, warn, fail):
    """Severity of a permutation null: its excess over chance, and the model against it.

    The null's mean above chance by ``warn``/``fail`` warns/fails (labels seen
    outside the folds); a model not better than its null (p > 0.05) is at
    least a WARN.
    """
    null_mean = float(nanmean(perm))
    excess = null_mean - chance if not np.isnan(chance) else np.nan
    p, method = permutation_p(observed, perm)
    severity = "pass" if np.isnan(excess) else grade(excess, warn, fail)
    at_chance = p > P_CHANCE
    if at_chance and severity == "pass":
        severity = "warn"
    return severity, excess, null_mean, p, method, at_chance


@register_probe("permutation_null", pitfall="leaky preprocessing",
                needs_schemes=["blocked", "permuted"], requires=["estimator"],
                summary="the score with labels shuffled before the estimator is fitted; a null "
                        "far above chance means something saw the labels outside the folds")
def permutation_null(ctx):
    """Estimator-level null: the whole estimator refitted on permuted labels.

    No permutations: not run (info).  Every fit of the observed or the permuted
    scheme failed: FAIL.  A null above chance warns/fails; a model whose score
    is not better than the null (p > 0.05) is at least a WARN.
    """
    check, title, pitfall = ("permutation_null",
                             "Label-permutation null (labels shuffled before fitting)",
                             "leaky preprocessing")
    if ctx.n_permutations == 0:
        return not_run(check, title, pitfall, "n_permutations=0, no null computed")
    reason = unmeasured(ctx, "blocked", "permuted")
    if reason:
        return nothing_measured(check, title, pitfall, reason)
    table, y, scoring = ctx.table, ctx.y, ctx.scoring
    blocked = nanmean(scores_of(table, "blocked"))
    perm = table[table["scheme"] == "permuted"].groupby("repeat")["score"].mean().to_numpy()
    perm_ok = perm[~np.isnan(perm)]
    chance = chance_level(scoring, y)
    severity, excess, null_mean, p, method, at_chance = _null_verdict(blocked, perm, chance,
                                                                      0.05, 0.15)
    null_std = float(np.std(perm_ok)) if len(perm_ok) else float("nan")
    recommendation = ""
    if not np.isnan(excess) and excess >= 0.05:
        recommendation = ("The null sits above chance: something that uses the labels runs "
                          "outside the folds (or the CV leaks); move it into the Pipeline.")
    elif at_chance:
        recommendation = ("The score is not distinguishable from its permutation null: the "
                          "model does not beat chance on these folds (or use more "
                          "n_permutations).")
    return Finding(
        check=check, title=title,
        severity=severity, pitfall=pitfall, value=excess,
        threshold={"warn": 0.05, "fail": 0.15, "p_value": P_CHANCE},
        message=(f"Score {blocked:.3f}; with shuffled labels the same CV gives {null_mean:.3f} "
                 f"± {null_std:.3f} (chance {chance:.3f}); permutation p = {p:.3g} ({method})."
                 + (" The model is not better than chance." if at_chance else "")),
        recommendation=recommendation,
        evidence={"observed": blocked, "null_mean": null_mean, "null_std": null_std,
                  "chance": chance, "p_value": float(p), "p_method": method,
                  "not_better_than_chance": bool(at_chance), "null_scores": perm.tolist()},
        figures=["audit_null"])


@register_probe("workflow_permutation_null", pitfall="leaky preprocessing",
                needs_schemes=["workflow", "workflow_permuted"], requires=["workflow"],
                summary="the workflow's score with labels shuffled before the whole analysis")
def workflow_null(ctx):
    """Workflow-level null: labels shuffled upstream of every label-using step.

    The workflow failed with the true labels, or on every shuffle: FAIL.  The
    same grading as ``permutation_null`` with ``gap_warn``/``gap_fail``.
    """
    check = "workflow_permutation_null"
    title = "Workflow-level null (labels shuffled before the whole analysis)"
    pitfall = "leaky preprocessing"
    if ctx.n_permutations == 0:
        return not_run(check, title, pitfall, "n_permutations=0, no null computed")
    reason = unmeasured(ctx, "workflow", "workflow_permuted")
    if reason:
        return nothing_measured(check, title, pitfall, reason)
    table, y, scoring, warn, fail = ctx.table, ctx.y, ctx.scoring, ctx.gap_warn, ctx.gap_fail
    observed = float(table.loc[table["scheme"] == "workflow", "score"].iloc[0])
    perm = scores_of(table, "workflow_permuted")
    chance = chance_level(scoring, y)
    severity, excess, null_mean, p, method, at_chance = _null_verdict(observed, perm, chance,
                                                                      warn, fail)
    return Finding(
        check=check, title=title,
        severity=severity, pitfall=pitfall, value=excess,
        threshold={"warn": warn, "fail": fail, "p_value": P_CHANCE},
        message=(f"The workflow scores {observed:.3f}; with labels shuffled before every step it "
                 f"still scores {null_mean:.3f} on average (chance {chance:.3f}, p = {p:.3g})."
                 + (" The workflow is not better than its null." if at_chance else "")),
        recommendation=("A label-using step (feature selection, balancing, tuning) sees the test "
                        "folds: put it inside the cross-validation (a Pipeline)."
                        if not np.isnan(excess) and excess >= warn else
                        ("The score is not distinguishable from its permutation null."
                         if at_chance else "")),
        evidence={"observed": observed, "null_mean": null_mean, "chance": chance,
                  "p_value": float(p), "p_method": method,
                  "not_better_than_chance": bool(at_chance), "null_scores": perm.tolist()},
        figures=["audit_null"])


@register_probe("pipeline_leak_prevented", pitfall="leaky preprocessing",
                needs_schemes=["blocked", "pipeline_fitted_on_all"], requires=["pipeline"],
                summary="what fitting a Pipeline's non-final steps on all rows would have added")
def pipeline_leak(ctx):
    """What the Pipeline prevents; FAIL when the Pipeline itself measured nothing, info when
    only the leaky comparison could not be computed."""
    check, title, pitfall = ("pipeline_leak_prevented",
                             "What fitting the Pipeline's steps on all rows would add",
                             "leaky preprocessing")
    reason = unmeasured(ctx, "blocked")
    if reason:
        return nothing_measured(check, title, pitfall, reason)
    if unmeasured(ctx, "pipeline_fitted_on_all"):
        errors = ctx.errors("pipeline_fitted_on_all")
        return not_run(check, title, pitfall, "fitting the Pipeline's steps on all rows failed: "
                       + (errors[0] if errors else "no score"))
    table, warn, fail = ctx.table, ctx.gap_warn, ctx.gap_fail
    proper = nanmean(scores_of(table, "blocked"))
    leaky = nanmean(scores_of(table, "pipeline_fitted_on_all"))
    gap = leaky - proper
    return Finding(
        check=check, title=title,
        severity="pass", pitfall=pitfall, value=float(gap),
        threshold={"warn": warn, "fail": fail},
        message=(f"Fitting the non-final steps on all rows before CV would report {leaky:.3f} instead "
                 f"of {proper:.3f} ({gap:+.3f}); the Pipeline keeps them inside the folds."),
        evidence={"inside_cv": proper, "outside_cv": leaky, "gap": gap})


@register_probe("class_imbalance", pitfall="unbalanced classes", needs_schemes=["blocked"],
                requires=["estimator"],
                summary="each test fold's class prevalence as a ratio to the data's (either "
                        "way), the population's, average precision relative to prevalence")
def imbalance(ctx):
    """Test-fold prevalence against the data's, graded as a ratio like ``label_balance``.

    For every class and test fold, ``max(fold / data, data / fold)`` of the
    class's share: at or above 1.25 warns, at or above 2 fails (the
    thresholds of the split diagnostics' ``label_balance``), and a class
    absent from a test fold fails.  Leave-one-chromosome-out folds from 2.2 %
    to 8.7 % positive around 5 % in the data fail (5 / 2.2 = 2.3), where an
    absolute difference of 3 points would look small.  A ``population_prevalence``
    1.5 times above or below the data's fails.  Regression targets: info.
    """
    from skgenqc.model_selection.diagnostics import LABEL_RATIO_FAIL, LABEL_RATIO_WARN

    check, title, pitfall = "class_imbalance", "Prevalence in the test folds", "unbalanced classes"
    table, y, scoring, population_prevalence = (ctx.table, ctx.y, ctx.scoring,
                                                ctx.population_prevalence)
    y = np.asarray(y)
    if not is_classification(y) or not ctx.folds:
        return Finding(check=check, title=title, severity="info", pitfall=pitfall,
                       message="Not a classification task: no prevalence to compare.",
                       evidence={"not_run": True})
    folds_table, overall = fold_prevalence(ctx.folds, y)
    classes = overall.index.tolist()
    positive = classes[-1]
    pos_share = folds_table[f"share_{positive}"].to_numpy(dtype=float)
    data_pos = float(overall[positive])
    worst_at = int(folds_table["worst_ratio"].to_numpy().argmax())
    worst = float(folds_table["worst_ratio"].iloc[worst_at])
    worst_fold, worst_class = worst_at, folds_table["worst_class"].iloc[worst_at]
    missing = folds_table[[f"share_{c}" for c in classes]].eq(0).any(axis=1)
    n_missing = int(missing.sum())
    severity = "fail" if n_missing else grade(worst, LABEL_RATIO_WARN, LABEL_RATIO_FAIL)
    from skgenqc.model_selection.diagnostics import prevalence_ratio

    across = prevalence_ratio(float(pos_share.max()), float(pos_share.min()))
    label = f"class {plain_scalar(positive)!r}" if len(classes) > 2 else "positive"
    parts = [f"Test-fold {label} prevalence {pos_share.min():.1%}-{pos_share.max():.1%} "
             f"across {len(pos_share)} folds (data {data_pos:.1%}; highest / lowest "
             + ("inf" if np.isinf(across) else f"{across:.2f}") + ")."]
    parts.append(
        f"Largest ratio of a fold's prevalence to the data's, either way: "
        + ("inf" if np.isinf(worst) else f"{worst:.2f}")
        + f" (fold {worst_fold}, class {plain_scalar(worst_class)!r}); "
        f"{LABEL_RATIO_WARN} warns, {LABEL_RATIO_FAIL} fails.")
    if n_missing:
        parts.append(f"{n_missing} test fold(s) miss a class entirely "
                     f"(folds {', '.join(map(str, folds_table.loc[missing, 'fold']))}).")
    evidence = {"data_prevalence": data_pos,
                "test_fold_prevalence": pos_share.tolist(),
                "max_fold_deviation": float(np.max(np.abs(pos_share - data_pos))),
                "worst_prevalence_ratio": worst, "worst_fold": worst_fold,
                "worst_class": plain_scalar(worst_class),
                "across_folds_ratio": float(across), "folds_missing_a_class": n_missing,
                "overall_share": {str(c): float(v) for c, v in overall.items()}}
    recommendation = ("Balance the test folds' prevalence (BalancedGroupKFold, or merge small "
                      "groups such as chrY with another chromosome) and report AU-PR relative "
                      "to each fold's prevalence." if severity != "pass" else "")
    if len(classes) == 2:
        score = float(nanmean(table.loc[table["scheme"] == "blocked", "score"]))
        if str(scoring) == "average_precision":
            evidence["ap_lift_over_prevalence"] = score / data_pos if data_pos else np.nan
            parts.append(f"AU-PR {score:.3f} is {score / data_pos:.1f}x the prevalence.")
        if population_prevalence is not None:
            evidence["population_prevalence"] = float(population_prevalence)
            ratio = data_pos / population_prevalence if population_prevalence else np.inf
            parts.append(f"The population's prevalence is {population_prevalence:.3f}.")
            if ratio > 1.5 or ratio < 1 / 1.5:
                severity = "fail"
                parts.append("The data were resampled or enriched: precision-type metrics "
                             "(AU-PR, precision, F1) on these folds do not carry over.")
                recommendation = ("Evaluate on folds with the population's prevalence and "
                                  "report AU-PR relative to it.")
    return Finding(
        check=check, title=title, severity=severity, pitfall=pitfall, value=worst,
        threshold={"warn": LABEL_RATIO_WARN, "fail": LABEL_RATIO_FAIL}, message=" ".join(parts),
        recommendation=recommendation, evidence=evidence, table=folds_table)


@register_probe("single_class_folds", pitfall="unbalanced classes", requires=["estimator"],
                summary="folds whose test or training set holds one class (warned before "
                        "fitting, with the fold's groups)")
def single_class(ctx):
    """WARN for every fold with a single class in its test or training set (none: no finding).

    The auditor also raises a ``UserWarning`` naming them before it fits
    anything; these folds' fits are recorded as failed, not scored as NaN.
    """
    found = single_class_folds(ctx.folds, ctx.y, ctx.groups)
    if found.empty:
        return None
    folds = sorted(set(found["fold"]))
    return Finding(
        check="single_class_folds", title="Folds with a single class",
        severity="warn", pitfall="unbalanced classes", value=float(len(folds)),
        threshold={"warn": 1},
        message=(f"{len(folds)} of {len(ctx.folds)} folds hold a single class, found before "
                 "fitting: " + "; ".join(found["description"].head(10))
                 + ". A ranking score is undefined on a one-class test set, so these folds are "
                 "left out of the scores."),
        recommendation=("Merge small groups (e.g. chrY with another chromosome), use fewer "
                        "folds, or a splitter that balances classes (BalancedGroupKFold)."),
        evidence={"n_folds": len(folds), "folds": folds,
                  "descriptions": found["description"].tolist()},
        table=found.drop(columns=["description"]))


def fit_failures(ctx):
    """Failed fits: WARN when some failed; FAIL when all did, or every fit of one scheme."""
    table = ctx.table
    failed = table[table["error"].notna()]
    if failed.empty:
        return None
    examples = (failed["scheme"] + " fold " + failed["fold"].astype(str) + ": "
                + failed["error"].astype(str)).head(10).tolist()
    per_scheme = table.assign(failed=table["error"].notna()).groupby("scheme")["failed"].agg(
        ["sum", "count"])
    dead = per_scheme.index[per_scheme["sum"] == per_scheme["count"]].tolist()
    severity = "fail" if dead else "warn"
    message = f"{len(failed)} of {len(table)} fits failed and were left out: {examples[0]}"
    if dead:
        message += f" Every fit of {', '.join(map(repr, dead))} failed: nothing was measured there."
    return Finding(
        check="failed_fits", title="Fits that failed", severity=severity, pitfall=None,
        value=float(len(failed) / len(table)), threshold={"warn": 0.0},
        message=message,
        recommendation="Check the failing folds (one class in a test fold, too few samples...).",
        evidence={"n_failed": int(len(failed)), "n_fits": int(len(table)),
                  "schemes_all_failed": dead, "examples": examples},
        table=failed[["scheme", "repeat", "fold", "error"]].reset_index(drop=True))


@register_probe("confounder_only_baseline", pitfall="confounding",
                needs_schemes=["blocked", "confounder_only"], requires=["estimator", "confounders"],
                summary="a model on the named confounders alone, on the same folds")
def confounder_baseline(ctx):
    """Confounders alone against the full model; the share is bounded to [0, 1].

    ``share = (confounders - chance) / (model - chance)``, clipped to [0, 1]
    (the raw ratio is in the evidence).  Confounders at chance (within
    ``gap_warn``) pass with share 0; confounders at or above the model (a model
    at chance included) FAIL; otherwise a share >= 0.8 fails and >= 0.5 warns.
    Every fit of either scheme failed: FAIL.
    """
    check, title, pitfall = ("confounder_only_baseline", "A model on the confounders alone",
                             "confounding")
    reason = unmeasured(ctx, "blocked", "confounder_only")
    if reason:
        return nothing_measured(check, title, pitfall, reason)
    confounders, y, table, scoring, warn = (ctx.confounders, ctx.y, ctx.table, ctx.scoring,
                                            ctx.gap_warn)
    scores = scores_of(table, "confounder_only")
    conf = float(nanmean(scores))
    full = float(nanmean(scores_of(table, "blocked")))
    chance = chance_level(scoring, y)
    if np.isnan(chance):
        chance = 0.0  # unknown metric: the raw scores are compared
    above_conf, above_full = conf - chance, full - chance
    raw = above_conf / above_full if above_full > 1e-9 else np.nan
    names = ", ".join(map(str, pd.DataFrame(confounders).columns))
    if above_conf <= warn:
        share = 0.0 if np.isnan(raw) else float(min(max(raw, 0.0), 1.0))
        severity = "pass"
        why = "the confounders alone are at chance"
    elif conf >= full:
        share, severity = 1.0, "fail"
        why = "the confounders alone score at least as well as the full model"
    else:
        share = float(min(max(raw, 0.0), 1.0))
        severity = "fail" if share >= 0.8 else ("warn" if share >= 0.5 else "pass")
        why = f"they explain {share:.0%} of the model's above-chance score"
    return Finding(
        check=check, title=title,
        severity=severity, pitfall=pitfall, value=float(share),
        threshold={"warn": 0.5, "fail": 0.8},
        message=(f"The confounders alone ({names}) score {conf:.3f} with the same folds, against "
                 f"{full:.3f} for the full model (chance {chance:.3f}): {why}."),
        recommendation=("Most of the score is available from the confounders: match them between "
                        "classes, regress them out in-fold, or report this baseline."
                        if severity != "pass" else ""),
        evidence={"confounder_score": conf, "full_score": full, "chance": chance,
                  "share": float(share), "raw_ratio": float(raw),
                  "confounder_folds": scores.tolist()})


@register_probe("adversarial_groups", pitfall="confounding", requires=["estimator", "groups"],
                summary="whether the features (through the Pipeline's featurizing steps for "
                        "text) predict the group")
def adversarial_groups(ctx, max_groups=50):
    """Adversarial validation: can a logistic regression tell the groups apart from the features?

    Text input (sequences) goes through the estimator's own featurizing steps; when
    there are none the finding says "not run" and why.
    """
    X, groups, random_state, estimator, y = (ctx.X, ctx.groups, ctx.random_state, ctx.estimator,
                                             ctx.y)
    title = "Can the features predict the group?"
    groups = np.asarray(groups).astype(str)
    values, counts = np.unique(groups, return_counts=True)
    if len(values) < 2 or len(values) > max_groups or counts.min() < 3:
        return Finding(check="adversarial_groups", title=title,
                       severity="info", pitfall="confounding",
                       message=f"Not run: {len(values)} groups (needs 2-{max_groups} with >= 3 samples each).",
                       evidence={"not_run": True, "n_groups": int(len(values))})
    arrays, how = numeric_features(estimator, X, y if y is not None else groups)
    if arrays is None:
        return Finding(check="adversarial_groups", title=title, severity="info",
                       pitfall="confounding", message=f"Not run: {how}.",
                       evidence={"not_run": True, "reason": how})
    Xa = arrays[0]
    model = make_pipeline(StandardScaler(with_mean=not sparse.issparse(Xa)),
                          LogisticRegression(max_iter=1000))
    folds = int(min(5, counts.min()))
    proba = cross_val_predict(model, Xa, groups, cv=StratifiedKFold(folds, shuffle=True,
                                                                    random_state=random_state),
                              method="predict_proba")
    auc = roc_auc_score(groups, proba[:, 1] if len(values) == 2 else proba, multi_class="ovr")
    severity = grade(auc, 0.6, 0.75)
    return Finding(
        check="adversarial_groups", title=title,
        severity=severity, pitfall="confounding", value=float(auc),
        threshold={"warn": 0.6, "fail": 0.75},
        message=(f"A logistic regression predicts the group from {how} with AU-ROC {auc:.3f}."),
        recommendation=("Groups (batch, chromosome, lab) are visible in the features: a model can "
                        "use group identity; check that the label is not confounded with the group."
                        if severity != "pass" else ""),
        evidence={"auroc": float(auc), "n_groups": int(len(values)), "features": how})


@register_probe("shift", pitfall="distributional differences", requires=["estimator", "X_new"],
                produces=["shift_classifier", "shift_features"],
                summary="training rows against X_new (classifier two-sample test, per-feature KS "
                        "with FDR)")
def shift(ctx):
    """Classifier two-sample test and per-feature KS (BH-FDR), graded on effect sizes.

    Text input goes through the estimator's featurizing steps (fitted on X);
    without numeric features both findings say "not run" and why.
    """
    X, X_new, n_permutations, random_state = ctx.X, ctx.X_new, ctx.n_permutations, ctx.random_state
    arrays, how = numeric_features(ctx.estimator, X, ctx.y, X_new)
    A = B = None
    if arrays is not None:
        A, B = dense_or_none(arrays[0]), dense_or_none(arrays[1])
        if A is None or B is None:
            how = (f"{how} form a sparse matrix of {arrays[0].shape[1]} columns, too large to "
                   "compare column by column")
    if A is None or B is None:
        return [Finding(check=name, title=title, severity="info",
                        pitfall="distributional differences", message=f"Not run: {how}.",
                        evidence={"not_run": True, "reason": how})
                for name, title in (("shift_classifier", "Training data vs new data (classifier test)"),
                                    ("shift_features", "Per-feature shift (KS, FDR-controlled)"))]
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(f"X_new must have the same number of features as X ({np.shape(X)} vs {np.shape(X_new)}).")
    Z = np.vstack([A, B])
    s = np.concatenate([np.zeros(len(A), int), np.ones(len(B), int)])
    cv = StratifiedKFold(5, shuffle=True, random_state=random_state)
    model = HistGradientBoostingClassifier(max_iter=100, random_state=0)
    proba = cross_val_predict(model, Z, s, cv=cv, method="predict_proba")[:, 1]
    auc = roc_auc_score(s, proba)
    rng = np.random.default_rng(random_state)
    null = [roc_auc_score(rng.permutation(s), proba) for _ in range(max(n_permutations, 99))]
    p = (1 + np.sum(np.array(null) >= auc)) / (1 + len(null))
    ks = [stats.ks_2samp(A[:, j], B[:, j]) for j in range(A.shape[1])]
    d = np.array([r.statistic for r in ks])
    q = stats.false_discovery_control(np.array([r.pvalue for r in ks]))
    features = pd.DataFrame({"feature": range(A.shape[1]), "ks": d, "q_value": q}).sort_values(
        "ks", ascending=False).reset_index(drop=True)
    shifted = int(((d >= 0.1) & (q < 0.05)).sum())
    return [
        Finding(check="shift_classifier", title="Training data vs new data (classifier test)",
                severity=grade(2 * auc - 1, 0.1, 0.3), pitfall="distributional differences",
                value=float(2 * auc - 1), threshold={"warn": 0.1, "fail": 0.3},
                message=(f"A classifier tells new from training rows with AU-ROC {auc:.3f} "
                         f"(2*AUC-1 = {2 * auc - 1:.3f}, permutation p = {p:.3g})."),
                recommendation=("The new data differ from the training data: scores from CV will "
                                "not carry over; look at the shifted features." if auc > 0.55 else ""),
                evidence={"auroc": float(auc), "effect": float(2 * auc - 1), "p_value": float(p)}),
        Finding(check="shift_features", title="Per-feature shift (KS, FDR-controlled)",
                severity=grade(float(d.max()), 0.1, 0.25), pitfall="distributional differences",
                value=float(d.max()), threshold={"warn": 0.1, "fail": 0.25},
                message=(f"{shifted} of {len(d)} features shift with KS >= 0.1 at FDR 5 %; the largest "
                         f"KS is {d.max():.3f} (feature {int(features['feature'][0])}). Verdicts use "
                         "effect sizes: p-values saturate at genomic sample sizes."),
                evidence={"n_shifted": shifted, "max_ks": float(d.max())},
                table=features.head(50)),
    ]


@register_probe("pair_classes_scores", pitfall="dependent examples", needs_schemes=["blocked"],
                requires=["estimator", "pairs"],
                summary="scores on C1/C2/C3 test pairs and a partner-degree-only baseline")
def pair_breakdown(ctx):
    from skgenqc.model_selection.pairs import pair_classes

    pairs, y, folds, predictions, scoring = (ctx.pairs, ctx.y, ctx.folds,
                                             ctx.predictions["blocked"], ctx.scoring)

    pairs = np.asarray(pairs, dtype=object)
    y = np.asarray(y)
    metric = average_precision_score if str(scoring) == "average_precision" else roc_auc_score
    rows, degree_scores = [], []
    for (train, test), pred in zip(folds, predictions):
        if pred is None:
            continue
        classes = np.asarray(pair_classes(pairs, train, test))
        for c in ("C1", "C2", "C3"):
            mask = classes == c
            if mask.sum() >= 2 and len(np.unique(y[test][mask])) == 2:
                rows.append({"class": c, "n": int(mask.sum()), "score": metric(y[test][mask], pred[mask])})
        # Degree-only baseline: partners' positive-pair degrees counted on the training fold.
        pos = pairs[train][y[train] == y.max()]
        deg = pd.Series(np.concatenate([pos[:, 0], pos[:, 1]])).value_counts()
        feats = np.column_stack([pd.Series(pairs[:, 0]).map(deg).fillna(0),
                                 pd.Series(pairs[:, 1]).map(deg).fillna(0)])
        if len(np.unique(y[test])) == 2:
            model = LogisticRegression().fit(feats[train], y[train])
            degree_scores.append(metric(y[test], model.predict_proba(feats[test])[:, 1]))
    table = pd.DataFrame(rows)
    summary = table.groupby("class")["score"].mean() if len(table) else pd.Series(dtype=float)
    degree = float(np.mean(degree_scores)) if degree_scores else np.nan
    gap = float(summary.get("C1", np.nan) - summary.get("C3", np.nan))
    severity = "info" if np.isnan(gap) else grade(gap, 0.05, 0.15)
    return Finding(
        check="pair_classes_scores", title="Scores by C1/C2/C3 test pairs, and a degree-only baseline",
        severity=severity, pitfall="dependent examples", value=gap, threshold={"warn": 0.05, "fail": 0.15},
        message=(("Not run: the C1 - C3 gap needs scored test pairs of both classes in C1 and "
                  "C3 (a C3 split has no C1 pairs). " if np.isnan(gap) else "")
                 + "Per class: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items())
                 + f"; a model on partner degrees alone scores {degree:.3f}."),
        recommendation=("Scores on pairs with seen partners are higher: report C3 (PairKFold) "
                        "scores." if severity in ("warn", "fail") else ""),
        evidence={"by_class": summary.to_dict(), "degree_baseline": degree,
                  "not_run": bool(np.isnan(gap))}, table=table)


@register_probe("test_similarity_to_train", pitfall="dependent examples",
                requires=["estimator", "sequences"],
                summary="near-copies of test sequences in their training folds (the QC "
                        "similarity search)")
def similarity(ctx):
    from skgenqc.model_selection.diagnostics import similarity_to_training

    finding, _ = similarity_to_training(ctx.folds, list(ctx.sequences), ctx.identity_threshold)
    finding.figures = []
    return finding


# Registered last: it reads every scheme's failures.
register_probe("failed_fits", pitfall=None, requires=[],
               summary="fits that raised or could not be scored, per scheme")(fit_failures)


# The schemes the score figure compares, in words: the leakage-aware CV against random CV,
# the label-permutation nulls and what the confounders alone score.
_SCHEME_LABELS = {"blocked": "your CV (leakage-aware)", "random": "random CV",
                  "confounder_only": "confounders only", "permuted": "shuffled labels",
                  "workflow": "workflow", "workflow_permuted": "workflow, shuffled labels"}


def add_figures(report, table, scoring):
    """Ask for the audit's figures: scores per CV scheme and the permutation null."""
    schemes = [s for s in _SCHEME_LABELS if (table["scheme"] == s).any()]
    data = {_SCHEME_LABELS[s]: table.loc[table["scheme"] == s, "score"].dropna().to_numpy()
            for s in schemes}
    if any(len(d) for d in data.values()):
        report.figures["audit_scores"] = PlotRequest("plot_scheme_scores", data, str(scoring))
    null_scheme = "permuted" if (table["scheme"] == "permuted").any() else "workflow_permuted"
    null = table.loc[table["scheme"] == null_scheme]
    if len(null):
        values = null.groupby("repeat")["score"].mean().dropna().to_numpy()
        observed = table.loc[table["scheme"].isin(["blocked", "workflow"]), "score"].mean()
        report.figures["audit_null"] = PlotRequest("plot_permutation_null", values,
                                                   float(observed), str(scoring))
