"""Audit a model that cannot be refit: stratify its test performance by leakage risk.

A deep model trained elsewhere can't be cross-validated again, but its test
predictions can still be read against the training data: how does the score
change with each test item's similarity to the training set, per chromosome,
and for C1/C2/C3 test pairs?
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score

from skgenqc.audit.auditor import AuditReport
from skgenqc.features.similarity import best_identity, find_similar_pairs
from skgenqc._core.findings import Finding, PlotRequest, grade

# Identity bins of a test item's nearest training sequence. Below 80 % the coverage-aware
# identity says little (unrelated sequences score 50-70 %), and searching that low would
# align nearly every pair, so the search stops at 80 %.
_BINS = [0.0, 0.8, 0.9, 0.95, 1.0 + 1e-9]
_LOWEST = 0.8


def _score(y, s, metric):
    y = np.asarray(y)
    if len(np.unique(y)) < 2:
        return np.nan
    return float(metric(y, s))


def _strata_table(y, score, strata, metric):
    frame = pd.DataFrame({"y": np.asarray(y), "s": np.asarray(score, dtype=float),
                          "stratum": np.asarray(strata)})
    rows = []
    for key, part in frame.groupby("stratum", sort=True, observed=True):
        rows.append({"stratum": str(key), "n": len(part),
                     "prevalence": float((part["y"] == frame["y"].max()).mean()),
                     "score": _score(part["y"], part["s"], metric)})
    return pd.DataFrame(rows)


def audit_predictions(y_true, y_score, *, train_sequences=None, test_sequences=None,
                      chromosomes=None, train_chromosomes=None, pairs=None, train_pairs=None,
                      homogeneous="auto", scoring="roc_auc", gap_warn=0.03, gap_fail=0.1,
                      train_labels=None, n_permutations=1999, random_state=0):
    """Stratify a fixed model's test performance by similarity, chromosome and pair class.

    Parameters
    ----------
    y_true : array-like of shape (n_test,)
    y_score : array-like of shape (n_test,)
        The model's scores on the test items (probability or logit).
    train_sequences, test_sequences : list of str, optional
        The training set and the test items' sequences: the score is broken
        down by each test item's highest identity to training (either strand).
    chromosomes : array-like of shape (n_test,), optional
        Chromosome of each test item; ``train_chromosomes`` flags test items on
        chromosomes seen in training.
    pairs : array-like of shape (n_test, 2), optional
        Test pairs; with ``train_pairs`` they are classed C1/C2/C3.
    homogeneous : bool or "auto", default="auto"
        Whether the two pair columns are one id space (protein-protein); "auto" decides as
        :class:`~skgenqc.model_selection.PairKFold` does.
    scoring : {"roc_auc", "average_precision"}
    train_labels : array-like of shape (n_train,), optional
        Labels of ``train_sequences``: adds ``model_vs_lookup``, the model
        beside the lookup baseline (each test item takes its nearest training
        item's label, :func:`~skgenqc.qc.lookup_scores`) in the same metric,
        with ``model_minus_lookup``.  It warns when the lookup is significant
        against its label-permutation null and the model beats it by less than
        ``gap_warn``, and fails when the model does not beat it at all.
    n_permutations : int, default=1999
        Label permutations of the lookup's null.
    random_state : int, default=0

    Returns
    -------
    AuditReport

    Examples
    --------
    >>> y = [0, 1, 0, 1, 0, 1]
    >>> s = [0.1, 0.9, 0.2, 0.8, 0.4, 0.6]
    >>> r = audit_predictions(y, s, chromosomes=["chr1", "chr1", "chr2", "chr2", "chr3", "chr3"])
    >>> r["score_by_chromosome"].table["stratum"].tolist()
    ['chr1', 'chr2', 'chr3']
    """
    metric = {"roc_auc": roc_auc_score, "average_precision": average_precision_score}.get(scoring)
    if metric is None:
        raise ValueError(f"scoring={scoring!r} must be 'roc_auc' or 'average_precision'.")
    y_true = np.asarray(y_true)
    y_score = np.asarray(y_score, dtype=float)
    if y_true.shape != y_score.shape or y_true.ndim != 1:
        raise ValueError(f"y_true {y_true.shape} and y_score {y_score.shape} must be 1-D of one length.")
    overall = _score(y_true, y_score, metric)
    report = AuditReport(title="skgenqc audit of fixed predictions",
                         metadata={"n_test": len(y_true), "scoring": scoring, "overall": overall})
    if test_sequences is not None and train_sequences is not None:
        if len(test_sequences) != len(y_true):
            raise ValueError(f"test_sequences has {len(test_sequences)} items but y_true has {len(y_true)}.")
        found = find_similar_pairs(test_sequences, train_sequences, threshold=_LOWEST)
        best = best_identity(found, len(y_true))
        strata = pd.cut(best, _BINS, right=False, labels=["<80%", "80-90%", "90-95%", ">=95%"])
        table = _strata_table(y_true, y_score, strata, metric)
        high = table.loc[table["stratum"].isin(["90-95%", ">=95%"])]
        low = table.loc[~table["stratum"].isin(["90-95%", ">=95%"])]
        gap = (np.average(high["score"].dropna(), weights=high.dropna()["n"]) if high["score"].notna().any()
               else np.nan) - (np.average(low["score"].dropna(), weights=low.dropna()["n"])
                               if low["score"].notna().any() else np.nan)
        report.add(Finding(
            check="score_by_similarity", title="Score by the test item's similarity to training",
            severity="info" if np.isnan(gap) else grade(gap, gap_warn, gap_fail),
            pitfall="dependent examples", value=None if np.isnan(gap) else float(gap),
            threshold={"warn": gap_warn, "fail": gap_fail},
            message=(f"{int((best >= 0.9).sum())} of {len(best)} test items have a training sequence "
                     f"at >= 90% identity; score by identity bin: "
                     + ", ".join(f"{r.stratum} {r.score:.3f} (n={r.n})" for r in table.itertuples())),
            recommendation="Report the score on the dissimilar test items." if gap == gap and gap >= gap_warn else "",
            evidence={"n_at_or_above_90": int((best >= 0.9).sum()), "gap_high_minus_low": gap},
            table=table, figures=["score_by_similarity"]))
        report.figures["score_by_similarity"] = PlotRequest(
            "plot_score_by_stratum", table, scoring, "highest identity to training",
            caption="Score of the test items by their highest identity to a training sequence")
    if train_labels is not None:
        if train_sequences is None or test_sequences is None:
            raise ValueError("train_labels needs train_sequences and test_sequences (the lookup "
                             "baseline finds each test item's nearest training item).")
        report.add(_model_vs_lookup(y_true, y_score, overall, train_sequences, train_labels,
                                    test_sequences, metric, scoring, gap_warn, n_permutations,
                                    random_state))
    if chromosomes is not None:
        table = _strata_table(y_true, y_score, np.asarray(chromosomes).astype(str), metric)
        evidence = {"overall": overall}
        severity, message = "info", f"Score per chromosome (overall {overall:.3f})."
        if train_chromosomes is not None:
            seen = np.isin(np.asarray(chromosomes).astype(str), np.asarray(train_chromosomes).astype(str))
            s_seen = _score(y_true[seen], y_score[seen], metric) if seen.any() else np.nan
            s_new = _score(y_true[~seen], y_score[~seen], metric) if (~seen).any() else np.nan
            evidence.update(seen_chromosomes=s_seen, unseen_chromosomes=s_new, n_seen=int(seen.sum()))
            gap = s_seen - s_new
            severity = "fail" if seen.all() and len(seen) else (
                "info" if np.isnan(gap) else grade(gap, gap_warn, gap_fail))
            message = (f"{int(seen.sum())} of {len(seen)} test items lie on chromosomes used in "
                       f"training; score there {s_seen:.3f} vs {s_new:.3f} elsewhere.")
        report.add(Finding(check="score_by_chromosome", title="Score per chromosome",
                           severity=severity, pitfall="dependent examples", message=message,
                           evidence=evidence, table=table))
    if pairs is not None and train_pairs is not None:
        from skgenqc.model_selection.pairs import pair_classes

        both = np.vstack([np.asarray(train_pairs, dtype=object), np.asarray(pairs, dtype=object)])
        n_train = len(train_pairs)
        classes = pair_classes(both, np.arange(n_train), np.arange(n_train, len(both)),
                               homogeneous=homogeneous)
        table = _strata_table(y_true, y_score, classes, metric)
        by = table.set_index("stratum")["score"]
        gap = float(by.get("C1", np.nan) - by.get("C3", np.nan))
        report.add(Finding(
            check="score_by_pair_class", title="Score by C1/C2/C3 test pairs",
            severity="info" if np.isnan(gap) else grade(gap, gap_warn, gap_fail),
            pitfall="dependent examples", value=None if np.isnan(gap) else gap,
            threshold={"warn": gap_warn, "fail": gap_fail},
            message="Score per pair class: " + ", ".join(
                f"{r.stratum} {r.score:.3f} (n={r.n})" for r in table.itertuples()),
            recommendation="Report C3 performance for unseen partners." if gap == gap and gap >= gap_warn else "",
            evidence={"by_class": by.to_dict()}, table=table))
    return report


def _model_vs_lookup(y_true, y_score, overall, train_sequences, train_labels, test_sequences,
                     metric, scoring, gap_warn, n_permutations, random_state):
    """The model beside the 1-nearest-training-neighbour lookup, in the model's own metric."""
    from skgenqc.features.nearest import nearest_neighbours
    from skgenqc.qc.class_features import ALPHA_WARN
    from skgenqc.qc.lookup import lookup_scores

    train_labels = np.asarray(train_labels)
    if len(train_labels) != len(train_sequences):
        raise ValueError(f"train_labels has {len(train_labels)} values but train_sequences has "
                         f"{len(train_sequences)}; expected one label per training sequence.")
    nn = nearest_neighbours(list(test_sequences), list(train_sequences))
    lookup = lookup_scores(train_labels, y_true, nn, continuous=False,
                           n_permutations=n_permutations, random_state=random_state)
    prediction = np.asarray(lookup["prediction"], dtype=float) \
        if len(lookup["classes"]) == 2 else None
    score = _score(y_true, prediction, metric) if prediction is not None else np.nan
    gap = overall - score
    significant = lookup["p_value"] < ALPHA_WARN
    if np.isnan(gap):
        severity = "info"
    elif significant and gap <= 0:
        severity = "fail"
    elif significant and gap < gap_warn:
        severity = "warn"
    else:
        severity = "pass"
    n_nn = int((nn["method"] == "identity").sum())
    return Finding(
        check="model_vs_lookup", title="Model beside the lookup baseline",
        severity=severity, pitfall="dependent examples",
        value=None if np.isnan(gap) else float(gap),
        threshold={"warn": gap_warn, "fail": 0.0, "alpha": ALPHA_WARN},
        message=(f"Model {scoring} {overall:.3f}; copying the nearest training item's label "
                 f"scores {score:.3f} (permutation p = {lookup['p_value']:.2g}); "
                 f"model_minus_lookup {gap:+.3f}. {n_nn} of {len(y_true)} test items have a "
                 "training item at >= 90% identity."),
        recommendation=("The model barely beats memorisation: score it on test items without a "
                        "training neighbour, or retrain on a similarity split."
                        if severity in ("warn", "fail") else ""),
        evidence={"model": overall, "lookup": score, "model_minus_lookup": gap,
                  "lookup_p_value": lookup["p_value"],
                  "lookup_n_permutations": lookup["n_permutations"],
                  "n_identity_neighbour": n_nn})
