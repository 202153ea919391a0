"""Train/test leakage: copies of training sequences in the test set, and shift between them.

One similarity search (exact, reverse complement, near-identical; see
:mod:`skgenqc.features.similarity`) gives three findings, each with the test
and training ids involved, plus the distribution of each test sequence's
highest identity to the training set.  Severity follows genomic-benchmarks-qc:
fail when at least 2 % of test sequences are leaked, warn when any is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.similarity import best_identity, find_similar_pairs
from skgenqc.qc.separability import separability_table
from skgenqc._core.findings import Finding, PlotRequest, grade, grade_share
from skgenqc.qc._registry import register_check

_KINDS = {
    "exact": ("train_test_exact", "Exact copies of training sequences in the test set"),
    "reverse_complement": ("train_test_reverse_complement",
                           "Reverse-complement copies of training sequences in the test set"),
    "near": ("train_test_near_duplicates", "Near-identical copies of training sequences in the test set"),
}


def check_train_test_leakage(train, train_sequences, test, test_sequences, *, threshold=0.9,
                             warn=0.0, fail=0.02, max_ids=50):
    """Find test sequences that are copies (either strand) or near-copies of training ones.

    Parameters
    ----------
    train, test : pandas.DataFrame
        With ``id`` (and ``label`` when known).
    train_sequences, test_sequences : list of str
    threshold : float, default=0.9
        Coverage-aware identity at or above which a pair counts as a near-copy.
    warn, fail : float, default=0.0, 0.02
        Share of leaked test sequences above which to warn / at or above which to fail.

    Returns
    -------
    findings : list of Finding
    best : numpy.ndarray
        Each test sequence's highest identity to the training set (0 when none
        reaches the search's seeding stage).

    Examples
    --------
    >>> tr = pd.DataFrame({"id": ["t1", "t2"]}); te = pd.DataFrame({"id": ["q1", "q2"]})
    >>> f, best = check_train_test_leakage(tr, ["ACGTTGCAAC", "GGGATTACAG"],
    ...                                    te, ["ACGTTGCAAC", "CTGTAATCCC"])
    >>> [(x.check, x.evidence["n_test_leaked"]) for x in f]
    [('train_test_exact', 1), ('train_test_reverse_complement', 1), ('train_test_near_duplicates', 0)]
    """
    pairs = find_similar_pairs(test_sequences, train_sequences, threshold=threshold)
    test_ids = test["id"].astype(str).to_numpy()
    train_ids = train["id"].astype(str).to_numpy()
    pairs["test_id"] = test_ids[pairs["query"].to_numpy()]
    pairs["train_id"] = train_ids[pairs["target"].to_numpy()]
    if "label" in test.columns and "label" in train.columns:
        pairs["test_label"] = test["label"].astype(str).to_numpy()[pairs["query"].to_numpy()]
        pairs["train_label"] = train["label"].astype(str).to_numpy()[pairs["target"].to_numpy()]
    findings = []
    for kind, (check, title) in _KINDS.items():
        sub = pairs[pairs["kind"] == kind]
        leaked = sub["query"].nunique()
        severity, share = grade_share(leaked, len(test_sequences), warn=warn, fail=fail)
        evidence = {
            "n_test_leaked": int(leaked), "percent_test_leaked": 100 * share,
            "n_train_involved": int(sub["target"].nunique()),
            "percent_train_involved": 100 * sub["target"].nunique() / max(len(train_sequences), 1),
            "n_pairs": int(len(sub)),
            "example_pairs": [f"{a} <- {b}" for a, b in zip(sub["test_id"].head(max_ids),
                                                            sub["train_id"].head(max_ids))],
        }
        shifted = ""
        if kind == "near":
            # Pairs under the threshold by plain edit distance: shifted or contained windows.
            n_shifted = int((sub["global_identity"] < threshold - 1e-9).sum())
            evidence["n_pairs_shifted"] = n_shifted
            if n_shifted:
                shifted = (f" {n_shifted} of the {len(sub)} pairs are shifted or contained "
                           "windows (their plain edit distance is above the threshold).")
        if "test_label" in sub.columns:
            evidence["pairs_with_different_labels"] = int((sub["test_label"] != sub["train_label"]).sum())
        what = {"exact": "are exact copies (case-insensitive)",
                "reverse_complement": "are exact reverse complements",
                "near": f"are near-copies (>= {threshold:.0%} identity, either strand)"}[kind]
        findings.append(Finding(
            check=check, title=title, severity=severity, pitfall="dependent examples",
            value=float(share), threshold={"warn": warn, "fail": fail, "identity": threshold},
            message=(f"{leaked} of {len(test_sequences)} test sequences ({share:.2%}) {what} of "
                     f"{evidence['n_train_involved']} training sequence(s).{shifted}"),
            recommendation=("Remove these test sequences or re-split by sequence similarity "
                            "(SimilarityGroupKFold); a score on them measures memorisation."
                            if leaked else ""),
            evidence=evidence,
            table=sub.sort_values("identity", ascending=False).reset_index(drop=True),
            figures=["leakage_similarity"] if kind == "near" else []))
    return findings, best_identity(pairs, len(test_sequences))


def check_train_test_shift(train_features, test_features, *, warn=0.6, fail=0.7, min_size=10):
    """Distributional differences between the training and test sets, feature by feature.

    Each composition feature is scored as a classifier of "test vs train"; a
    high folded AU-ROC means the test set is not drawn like the training set.

    Returns
    -------
    Finding
    """
    features = pd.concat([train_features, test_features], ignore_index=True)
    split = np.concatenate([np.repeat("train", len(train_features)),
                            np.repeat("test", len(test_features))])
    table = separability_table(features, split).sort_values("auroc", ascending=False)
    table = table.dropna(subset=["auroc"]).reset_index(drop=True)
    if table.empty or min(len(train_features), len(test_features)) < min_size:
        return Finding(check="train_test_shift", title="Composition shift between train and test",
                       severity="info", pitfall="distributional differences",
                       message="Too few sequences in a split to compare distributions.")
    best = table.iloc[0]
    severity = grade(best["auroc"], warn, fail)
    return Finding(
        check="train_test_shift", title="Composition shift between train and test",
        severity=severity, pitfall="distributional differences", value=float(best["auroc"]),
        threshold={"warn": warn, "fail": fail},
        message=(f"{best['feature']} tells test from train with AU-ROC {best['auroc']:.3f} "
                 f"(KS {best['ks']:.3f})."),
        recommendation=("The test set is not drawn like the training set: a score on it says "
                        "little about either distribution; re-split or report per-stratum scores."
                        if severity != "pass" else ""),
        evidence={"feature": best["feature"], "auroc": float(best["auroc"]), "ks": float(best["ks"])},
        table=table[["feature", "auroc", "auroc_ci_low", "auroc_ci_high", "ks"]])


@register_check("leakage", pitfall="dependent examples", needs=("sequences", "test"),
                scope="train_test",
                order=90, produces=tuple(check for check, _ in _KINDS.values()),
                summary="test sequences copied from training: exact, reverse-complement and "
                        "near-identical (coverage-aware identity, either strand)")
def leakage_check(ctx):
    """Registered check ``leakage``: :func:`check_train_test_leakage` and its histogram."""
    threshold = ctx.param("identity_threshold")
    findings, best = check_train_test_leakage(
        ctx.data, ctx.shared["seqs"], ctx.test, ctx.shared["test_seqs"], threshold=threshold,
        fail=ctx.param("leak_fail"))
    # The search's hits, for the lookup check (one search per run).
    ctx.shared["train_test_pairs"] = pd.concat([f.table for f in findings], ignore_index=True)
    ctx.figures["leakage_similarity"] = PlotRequest(
        "plot_similarity_histogram", best[best > 0], threshold,
        f"Highest identity of test sequences to training ({int((best > 0).sum())} of {len(best)} "
        "with a candidate)")
    return findings


@register_check("shift", pitfall="distributional differences", needs=("sequences", "test"),
                scope="train_test", order=100, produces=("train_test_shift",),
                summary="composition features telling test from train")
def shift_check(ctx):
    """Registered check ``shift``: :func:`check_train_test_shift` on the composition tables."""
    return [check_train_test_shift(
        ctx.shared["composition"], ctx.shared["test_composition"], warn=ctx.param("auroc_warn"),
        fail=ctx.param("auroc_fail"), min_size=ctx.param("min_class_size"))]
