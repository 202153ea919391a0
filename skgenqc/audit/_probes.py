"""The auditor's probes, registered with the schemes they need; each turns scores into findings.

Every probe is ``probe(ctx) -> Finding | list of Finding | None`` where ``ctx`` is
the :class:`~skgenqc.audit._registry.AuditContext` (inputs, folds, settings and
the score table of every fitted scheme).  Registration order is report order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse, stats
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import _safe_indexing

from skgenqc._core.findings import Finding, PlotRequest, grade
from skgenqc.audit._features import dense_or_none, numeric_features
from skgenqc.audit._registry import register_probe
from skgenqc.audit._schemes import confounder_frame  # noqa: F401  (schemes registered first)


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


def _scores(table, scheme):
    return table.loc[table["scheme"] == scheme, "score"].to_numpy(dtype=float)


@register_probe("dependence_gap", pitfall="dependent examples", needs_schemes=["blocked", "random"],
                requires=["estimator"],
                summary="your (blocked) CV against shuffled folds, with a bootstrap interval "
                        "over folds")
def dependence(ctx):
    """Blocked CV against random CV: the gap and its bootstrap interval."""
    table, warn, fail, rng = ctx.table, ctx.gap_warn, ctx.gap_fail, ctx.rng
    blocked, random = _scores(table, "blocked"), _scores(table, "random")
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
    return Finding(
        check="dependence_gap", title="Blocked vs random cross-validation",
        severity=severity, pitfall="dependent examples", value=float(gap),
        threshold={"warn": warn, "fail": fail},
        message=(f"Random CV scores {r_mean:.3f}, the given CV {b_mean:.3f}: random CV is higher by "
                 f"{gap:.3f} (95% bootstrap interval {low:.3f} to {high:.3f})."),
        recommendation=("Dependent examples leak across random folds: report the blocked score "
                        "(chromosome, block, similarity or pair splits), not the random one."
                        if severity in ("warn", "fail") else ""),
        evidence={"blocked_mean": b_mean, "random_mean": r_mean, "gap": gap,
                  "gap_ci95": [float(low), float(high)], "blocked_folds": blocked.tolist(),
                  "random_folds": random.tolist()},
        figures=["audit_scores"])


@register_probe("permutation_null", pitfall="leaky preprocessing",
                needs_schemes=["blocked", "permuted"], requires=["estimator"],
                summary="the score with labels shuffled before the estimator is fitted; a null "
                        "far above chance means something saw the labels outside the folds")
def permutation_null(ctx):
    """Estimator-level null: the whole estimator refitted on permuted labels."""
    table, y, scoring = ctx.table, ctx.y, ctx.scoring
    blocked = nanmean(_scores(table, "blocked"))
    perm = table[table["scheme"] == "permuted"].groupby("repeat")["score"].mean().to_numpy()
    chance = chance_level(scoring, y)
    if len(perm) == 0:
        return Finding(check="permutation_null", title="Label-permutation null", severity="info",
                       pitfall="leaky preprocessing", message="n_permutations=0: no null computed.")
    p = (1 + np.sum(perm >= blocked)) / (1 + len(perm))
    excess = float(nanmean(perm) - chance) if not np.isnan(chance) else np.nan
    severity = "pass" if np.isnan(excess) else grade(excess, 0.05, 0.15)
    return Finding(
        check="permutation_null", title="Label-permutation null (labels shuffled before fitting)",
        severity=severity, pitfall="leaky preprocessing", value=excess,
        threshold={"warn": 0.05, "fail": 0.15},
        message=(f"Score {blocked:.3f}; with shuffled labels the same CV gives {nanmean(perm):.3f} "
                 f"± {(float(np.std(perm[~np.isnan(perm)])) if (~np.isnan(perm)).any() else float('nan')):.3f} (chance {chance:.3f}); permutation p = {p:.3g}."),
        recommendation=("The null sits above chance: something that uses the labels runs outside "
                        "the folds (or the CV leaks); move it into the Pipeline." if severity != "pass"
                        else ("The score is not distinguishable from chance." if p > 0.05 else "")),
        evidence={"observed": blocked, "null_mean": float(nanmean(perm)),
                  "null_std": float((float(np.std(perm[~np.isnan(perm)])) if (~np.isnan(perm)).any() else float('nan'))), "chance": chance, "p_value": float(p),
                  "null_scores": perm.tolist()},
        figures=["audit_null"])


@register_probe("workflow_permutation_null", pitfall="leaky preprocessing",
                needs_schemes=["workflow", "workflow_permuted"], requires=["workflow"],
                summary="the workflow's score with labels shuffled before the whole analysis")
def workflow_null(ctx):
    """Workflow-level null: labels shuffled upstream of every label-using step."""
    table, y, scoring, warn, fail = ctx.table, ctx.y, ctx.scoring, ctx.gap_warn, ctx.gap_fail
    observed = float(table.loc[table["scheme"] == "workflow", "score"].iloc[0])
    perm = _scores(table, "workflow_permuted")
    chance = chance_level(scoring, y)
    null_mean = float(nanmean(perm)) if len(perm) else np.nan
    excess = null_mean - chance
    p = (1 + np.sum(perm >= observed)) / (1 + len(perm))
    severity = grade(excess, warn, fail) if not np.isnan(excess) else "info"
    return Finding(
        check="workflow_permutation_null",
        title="Workflow-level null (labels shuffled before the whole analysis)",
        severity=severity, pitfall="leaky preprocessing", value=excess,
        threshold={"warn": warn, "fail": fail},
        message=(f"The workflow scores {observed:.3f}; with labels shuffled before every step it "
                 f"still scores {null_mean:.3f} on average (chance {chance:.3f}, p = {p:.3g})."),
        recommendation=("A label-using step (feature selection, balancing, tuning) sees the test "
                        "folds: put it inside the cross-validation (a Pipeline)."
                        if severity in ("warn", "fail") else ""),
        evidence={"observed": observed, "null_mean": null_mean, "chance": chance,
                  "p_value": float(p), "null_scores": perm.tolist()},
        figures=["audit_null"])


@register_probe("pipeline_leak_prevented", pitfall="leaky preprocessing",
                needs_schemes=["blocked", "pipeline_fitted_on_all"], requires=["pipeline"],
                summary="what fitting a Pipeline's non-final steps on all rows would have added")
def pipeline_leak(ctx):
    table, warn, fail = ctx.table, ctx.gap_warn, ctx.gap_fail
    proper = nanmean(_scores(table, "blocked"))
    leaky = nanmean(_scores(table, "pipeline_fitted_on_all"))
    gap = leaky - proper
    return Finding(
        check="pipeline_leak_prevented", title="What fitting the Pipeline's steps on all rows would add",
        severity="pass", pitfall="leaky preprocessing", value=float(gap),
        threshold={"warn": warn, "fail": fail},
        message=(f"Fitting the non-final steps on all rows before CV would report {leaky:.3f} instead "
                 f"of {proper:.3f} ({gap:+.3f}); the Pipeline keeps them inside the folds."),
        evidence={"inside_cv": proper, "outside_cv": leaky, "gap": gap})


@register_probe("class_imbalance", pitfall="unbalanced classes", needs_schemes=["blocked"],
                requires=["estimator"],
                summary="test-fold prevalence against the data's and the population's, average "
                        "precision relative to prevalence")
def imbalance(ctx):
    table, y, scoring, population_prevalence = (ctx.table, ctx.y, ctx.scoring,
                                                ctx.population_prevalence)
    rows = table[table["scheme"] == "blocked"]
    prevalence = rows["test_prevalence"].to_numpy(dtype=float)
    classes = np.unique(y)
    overall = float(np.mean(y == classes[-1])) if len(classes) == 2 else np.nan
    score = float(nanmean(rows["score"]))
    evidence = {"data_prevalence": overall, "test_fold_prevalence": prevalence.tolist()}
    severity, parts = "pass", []
    if len(classes) == 2:
        spread = float(np.nanmax(np.abs(prevalence - overall))) if len(prevalence) else 0.0
        evidence["max_fold_deviation"] = spread
        parts.append(f"Test-fold prevalence {np.nanmin(prevalence):.3f}-{np.nanmax(prevalence):.3f} "
                     f"(data {overall:.3f}).")
        if spread > 0.1:
            severity = "warn"
        if str(scoring) == "average_precision":
            evidence["ap_lift_over_prevalence"] = score / overall if overall else np.nan
            parts.append(f"AU-PR {score:.3f} is {score / overall:.1f}x the prevalence.")
        if population_prevalence is not None:
            evidence["population_prevalence"] = float(population_prevalence)
            ratio = overall / population_prevalence if population_prevalence else np.inf
            parts.append(f"The population's prevalence is {population_prevalence:.3f}.")
            if ratio > 1.5 or ratio < 1 / 1.5:
                severity = "fail"
                parts.append("The data were resampled or enriched: precision-type metrics "
                             "(AU-PR, precision, F1) on these folds do not carry over.")
    return Finding(
        check="class_imbalance", title="Prevalence in the test folds", severity=severity,
        pitfall="unbalanced classes", value=evidence.get("max_fold_deviation"),
        threshold={"warn": 0.1}, message=" ".join(parts) or "Not a binary task.",
        recommendation=("Evaluate on folds with the population's prevalence and report AU-PR "
                        "relative to it." if severity != "pass" else ""),
        evidence=evidence)


def fit_failures(ctx):
    table = ctx.table
    failed = table[table["error"].notna()]
    if failed.empty:
        return None
    examples = (failed["scheme"] + " fold " + failed["fold"].astype(str) + ": "
                + failed["error"].astype(str)).head(10).tolist()
    return Finding(
        check="failed_fits", title="Fits that failed", severity="warn", pitfall=None,
        value=float(len(failed)),
        message=f"{len(failed)} of {len(table)} fits failed and were left out: {examples[0]}",
        recommendation="Check the failing folds (one class in a test fold, too few samples...).",
        evidence={"n_failed": int(len(failed)), "examples": examples},
        table=failed[["scheme", "repeat", "fold", "error"]].reset_index(drop=True))


@register_probe("confounder_only_baseline", pitfall="confounding",
                needs_schemes=["blocked", "confounder_only"], requires=["estimator", "confounders"],
                summary="a model on the named confounders alone, on the same folds")
def confounder_baseline(ctx):
    confounders, y, table, scoring, warn = (ctx.confounders, ctx.y, ctx.table, ctx.scoring,
                                            ctx.gap_warn)
    scores = _scores(table, "confounder_only")
    conf = float(nanmean(scores))
    full = float(nanmean(_scores(table, "blocked")))
    chance = chance_level(scoring, y)
    share = (conf - chance) / (full - chance) if full - chance > 1e-9 else np.nan
    severity = "pass"
    if not np.isnan(share):
        severity = "fail" if share >= 0.8 else ("warn" if share >= 0.5 and conf - chance > warn else "pass")
    return Finding(
        check="confounder_only_baseline", title="A model on the confounders alone",
        severity=severity, pitfall="confounding", value=share,
        threshold={"warn": 0.5, "fail": 0.8},
        message=(f"The confounders alone ({', '.join(map(str, pd.DataFrame(confounders).columns))}) "
                 f"score {conf:.3f} with the same folds, against {full:.3f} for the full model "
                 f"(chance {chance:.3f}): they explain {share:.0%} of the above-chance score."
                 if not np.isnan(share) else f"Confounders alone score {conf:.3f}."),
        recommendation=("Most of the score is available from the confounders: match them between "
                        "classes, regress them out in-fold, or report this baseline."
                        if severity != "pass" else ""),
        evidence={"confounder_score": conf, "full_score": full, "chance": chance,
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
        message=("Per class: " + ", ".join(f"{k} {v:.3f}" for k, v in summary.items())
                 + f"; a model on partner degrees alone scores {degree:.3f}."),
        recommendation=("Scores on pairs with seen partners are higher: report C3 (PairKFold) "
                        "scores." if severity in ("warn", "fail") else ""),
        evidence={"by_class": summary.to_dict(), "degree_baseline": degree}, table=table)


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


def add_figures(report, table, scoring):
    """Ask for the audit's figures: scores per CV scheme and the permutation null."""
    schemes = [s for s in ("blocked", "random", "permuted", "workflow", "workflow_permuted")
               if (table["scheme"] == s).any()]
    data = {s: table.loc[table["scheme"] == s, "score"].dropna().to_numpy() for s in schemes}
    if any(len(d) for d in data.values()):
        report.figures["audit_scores"] = PlotRequest("plot_scheme_scores", data, str(scoring))
    null_scheme = "permuted" if (table["scheme"] == "permuted").any() else "workflow_permuted"
    null = table.loc[table["scheme"] == null_scheme]
    if len(null):
        values = null.groupby("repeat")["score"].mean().dropna().to_numpy()
        observed = table.loc[table["scheme"].isin(["blocked", "workflow"]), "score"].mean()
        report.figures["audit_null"] = PlotRequest("plot_permutation_null", values,
                                                   float(observed), str(scoring))
