"""Split diagnostics: audit any splitter, or a train/test assignment a user already has.

The result is a :class:`~skgenqc.report.Report` with the same findings model as
the dataset QC: fold sizes, label balance, groups and chromosomes shared across
the divide, C1/C2/C3 counts for pair data, and each test item's highest
similarity to its training set.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.similarity import best_identity, find_similar_pairs
from skgenqc._core.findings import Finding, PlotRequest, Report, grade, grade_share
from skgenqc._core.genome import chromosome_family


def as_splits(splits, n_samples=None):
    """Normalise a split description to a list of ``(train, test)`` index arrays.

    Parameters
    ----------
    splits : iterable of (train, test), or array-like of fold labels / "train"/"test"
        - pairs of index arrays, e.g. ``list(cv.split(X, y, groups))``;
        - one label per sample: an integer test fold (``-1`` = never tested, so
          always in training), or the strings ``"train"``/``"test"``.
    n_samples : int, optional
        Number of samples (checked against a label array).

    Returns
    -------
    list of (numpy.ndarray, numpy.ndarray)

    Examples
    --------
    >>> [(tr.tolist(), te.tolist()) for tr, te in as_splits(["train", "test", "train"])]
    [([0, 2], [1])]
    >>> len(as_splits([0, 1, 0, 1, -1]))
    2
    """
    if isinstance(splits, (pd.Series, np.ndarray, list)) and len(splits) and np.ndim(
            np.asarray(splits, dtype=object)[0]) == 0:
        labels = np.asarray(splits)
        if n_samples is not None and len(labels) != n_samples:
            raise ValueError(f"splits has {len(labels)} labels but there are {n_samples} samples.")
        if labels.dtype.kind in "OUS":
            values = set(labels.astype(str).tolist())
            if not values <= {"train", "test"}:
                raise ValueError(f"split labels {sorted(values)} must be 'train' or 'test'.")
            test = labels.astype(str) == "test"
            return [(np.flatnonzero(~test), np.flatnonzero(test))]
        folds = labels.astype(np.int64)
        return [(np.flatnonzero(folds != k), np.flatnonzero(folds == k))
                for k in np.unique(folds[folds >= 0])]
    out = []
    for i, item in enumerate(splits):
        try:
            train, test = item
        except (TypeError, ValueError):
            raise ValueError(f"splits[{i}] is not a (train, test) pair of index arrays.") from None
        out.append((np.asarray(train, dtype=np.int64), np.asarray(test, dtype=np.int64)))
    if not out:
        raise ValueError("splits is empty: expected (train, test) pairs or one label per sample.")
    return out


def split_diagnostics(splits, y=None, *, groups=None, chromosomes=None, sequences=None,
                      pairs=None, homogeneous="auto", identity_threshold=0.9, title=None):
    """Diagnose a split: sizes, label balance, shared groups/chromosomes, pairs, similarity.

    Parameters
    ----------
    splits : see :func:`as_splits`
    y : array-like, optional
        Labels, for per-fold prevalence.
    groups : array-like, optional
        Group of each sample; groups present on both sides are counted.
    chromosomes : array-like, optional
        Chromosome of each sample; chromosomes on both sides are counted.
    sequences : array-like of str, optional
        Sequences; each test sequence's highest identity to its training set
        is measured (either strand).
    pairs : array-like of shape (n_samples, 2), optional
        Partner ids of pair data; test pairs are counted as C1/C2/C3.
    homogeneous : bool or "auto", default="auto"
        Pairs are unordered and both columns hold the same kind of entity; "auto" decides
        as :class:`PairKFold` does (one id space when some id occurs in both columns).
    identity_threshold : float, default=0.9
        Identity at or above which a test sequence counts as a copy of a training one.  Every
        such pair is found: the search is the exhaustive one :class:`SimilarityGroupKFold`
        uses, with the same seed rule, so its folds show none.

    Returns
    -------
    Report

    Examples
    --------
    >>> r = split_diagnostics([0, 0, 1, 1], y=[0, 1, 0, 1], groups=["a", "b", "b", "c"])
    >>> r["groups_across_split"].severity, r["groups_across_split"].evidence["n_shared_total"]
    ('fail', 2)
    """
    n = _n_samples(y, groups, chromosomes, sequences, pairs)
    folds = as_splits(splits, n)
    report = Report(title=title or "skgenqc split diagnostics", kind="split",
                    metadata={"n_samples": n, "n_folds": len(folds)})
    report.add(_fold_sizes(folds, n))
    if y is not None:
        report.add(_label_balance(folds, np.asarray(y)))
    if groups is not None:
        report.add(_shared(folds, np.asarray(groups), "groups_across_split", "group"))
    if chromosomes is not None:
        # One naming of chromosomes everywhere: "1" and "chr1" (and chr1's contigs) are one.
        report.add(_shared(folds, chromosome_family(np.asarray(chromosomes, dtype=object)),
                           "chromosomes_across_split", "chromosome"))
    if pairs is not None:
        report.add(_pair_classes(folds, pairs, homogeneous))
    if sequences is not None:
        finding, best = similarity_to_training(folds, list(sequences), identity_threshold)
        report.add(finding)
        report.figures["split_similarity"] = PlotRequest(
            "plot_similarity_histogram", best[best > 0], identity_threshold,
            "Highest identity of each test sequence to its training set")
    return report


def _n_samples(*arrays):
    lengths = {len(a) for a in arrays if a is not None}
    if len(lengths) > 1:
        raise ValueError(f"y/groups/chromosomes/sequences/pairs have different lengths: {sorted(lengths)}.")
    return lengths.pop() if lengths else None


def _fold_sizes(folds, n):
    sizes = np.array([len(te) for _, te in folds])
    ratio = float(sizes.max() / max(sizes.min(), 1))
    tested = np.concatenate([te for _, te in folds])
    counts = np.bincount(tested, minlength=n or (tested.max() + 1 if len(tested) else 0))
    overlap = [int(np.intersect1d(tr, te).size) for tr, te in folds]
    severity = "fail" if any(overlap) else grade(ratio, 1.5, 3.0)
    table = pd.DataFrame({"fold": range(len(folds)), "n_train": [len(tr) for tr, _ in folds],
                          "n_test": sizes, "train_test_overlap": overlap})
    never = int((counts == 0).sum())
    return Finding(
        check="fold_sizes", title="Fold sizes", severity=severity, pitfall="dependent examples",
        value=ratio, threshold={"warn": 1.5, "fail": 3.0},
        message=(f"{len(folds)} fold(s); test sizes {sizes.min()}-{sizes.max()} (max/min {ratio:.2f}); "
                 f"{never} sample(s) never tested; {int((counts > 1).sum())} tested more than once"
                 + (f"; {sum(overlap)} sample(s) in both train and test of a fold!" if any(overlap) else ".")),
        recommendation="A sample may never be in the training and test set of one fold." if any(overlap) else "",
        evidence={"test_sizes": sizes.tolist(), "never_tested": never,
                  "tested_more_than_once": int((counts > 1).sum()), "train_test_overlap": overlap},
        table=table)


LABEL_RATIO_WARN, LABEL_RATIO_FAIL = 1.25, 2.0


def prevalence_ratio(p_test, p_train):
    """max(test/train, train/test) of one class's prevalence: 1 is equal, inf is absent on a side.

    Graded with ``LABEL_RATIO_WARN`` and ``LABEL_RATIO_FAIL`` by the split diagnostics'
    ``label_balance`` and the auditor's ``class_imbalance``.

    Examples
    --------
    >>> prevalence_ratio(0.022, 0.044), prevalence_ratio(0.5, 0.5), prevalence_ratio(0.0, 0.1)
    (2.0, 1.0, inf)
    """
    if p_test == p_train:
        return 1.0
    if p_test == 0 or p_train == 0:
        return float("inf")
    return float(max(p_test / p_train, p_train / p_test))


def _label_balance(folds, y):
    """Each class's prevalence in each test fold against its training set.

    Graded on the worst ratio (either direction): at or above 1.25 warns, at or
    above 2 fails, and a class present in the data but absent from a test fold
    (or from its training set) fails.
    """
    y = np.asarray(y)
    classes = pd.unique(pd.Series(y))
    overall = pd.Series(y).value_counts(normalize=True).reindex(classes)
    rows, worst, missing = [], 1.0, 0
    for k, (tr, te) in enumerate(folds):
        test_share = pd.Series(y[te]).value_counts(normalize=True).reindex(classes, fill_value=0)
        train_share = (pd.Series(y[tr]).value_counts(normalize=True).reindex(classes, fill_value=0)
                       if len(tr) else overall)
        ratios = {c: prevalence_ratio(float(test_share[c]), float(train_share[c]))
                  for c in classes}
        fold_worst = max(ratios.values(), default=1.0)
        worst = max(worst, fold_worst)
        absent = int((test_share == 0).sum())
        missing += bool(absent)
        rows.append({"fold": k, **{f"test_share_{c}": float(v) for c, v in test_share.items()},
                     **{f"train_share_{c}": float(v) for c, v in train_share.items()},
                     "worst_prevalence_ratio": fold_worst,
                     "n_classes_in_test": int(len(classes) - absent)})
    table = pd.DataFrame(rows)
    severity = "fail" if missing else grade(worst, LABEL_RATIO_WARN, LABEL_RATIO_FAIL)
    return Finding(
        check="label_balance", title="Label balance: test vs training prevalence",
        severity=severity, pitfall="unbalanced classes", value=worst,
        threshold={"warn": LABEL_RATIO_WARN, "fail": LABEL_RATIO_FAIL},
        message=(f"Largest ratio of a class's prevalence between a test fold and its training set "
                 f"(either way): {worst:.2f}; {missing} fold(s) miss a class entirely."),
        recommendation=("Stratify the split (e.g. BalancedGroupKFold, stratify='auto' with y) so "
                        "every test fold has its training set's prevalence."
                        if severity != "pass" else ""),
        evidence={"overall_share": {str(c): float(v) for c, v in overall.items()},
                  "worst_prevalence_ratio": worst, "folds_missing_a_class": missing},
        table=table)


def _shared(folds, ids, check, what):
    rows, total = [], 0
    examples = []
    for k, (tr, te) in enumerate(folds):
        shared = np.intersect1d(np.unique(ids[tr]), np.unique(ids[te]))
        total += len(shared)
        examples += [str(s) for s in shared[:10]]
        rows.append({"fold": k, f"n_{what}s_shared": int(len(shared)),
                     "test_samples_with_shared": int(np.isin(ids[te], shared).sum())})
    table = pd.DataFrame(rows)
    return Finding(
        check=check, title=f"{what.capitalize()}s on both sides of the split",
        severity="fail" if total else "pass", pitfall="dependent examples", value=float(total),
        threshold={"fail": 1},
        message=f"{total} {what}(s) appear in both training and test (summed over folds).",
        recommendation=(f"Split by {what} so that no {what} is on both sides." if total else ""),
        evidence={"n_shared_total": int(total), f"example_{what}s": examples[:50]}, table=table)


def _pair_classes(folds, pairs, homogeneous):
    from skgenqc.model_selection.pairs import pair_classes

    pairs = np.asarray(pairs, dtype=object)
    rows = []
    for k, (tr, te) in enumerate(folds):
        classes = pd.Series(pair_classes(pairs, tr, te, homogeneous=homogeneous))
        counts = classes.value_counts().reindex(["C1", "C2", "C3"], fill_value=0)
        rows.append({"fold": k, **counts.to_dict()})
    table = pd.DataFrame(rows)
    totals = table[["C1", "C2", "C3"]].sum()
    share_c1 = float(totals["C1"] / max(totals.sum(), 1))
    return Finding(
        check="pair_classes", title="Test pairs by C1/C2/C3 (Park & Marcotte 2012)",
        severity=grade(share_c1, 0.01, 0.5), pitfall="dependent examples", value=share_c1,
        threshold={"warn": 0.01, "fail": 0.5},
        message=(f"Test pairs: C1 (both partners seen in training) {int(totals['C1'])}, C2 (one seen) "
                 f"{int(totals['C2'])}, C3 (neither) {int(totals['C3'])}."),
        recommendation=("Scores on C1 pairs measure memorised partners; report C2/C3 separately or "
                        "split with PairKFold(mode='C3')." if share_c1 >= 0.01 else ""),
        evidence={k: int(v) for k, v in totals.items()}, table=table)


def similarity_to_training(folds, sequences, threshold):
    """Finding on test sequences with a near-copy in their training set, and each one's best identity.

    Shared by the split diagnostics and the auditor's duplicates probe.
    """
    best_all = np.zeros(len(sequences))
    rows = []
    for k, (tr, te) in enumerate(folds):
        found = find_similar_pairs([sequences[i] for i in te], [sequences[i] for i in tr],
                                   threshold=threshold)
        best = best_identity(found, len(te))
        best_all[te] = np.maximum(best_all[te], best)
        rows.append({"fold": k, "n_test": len(te), "n_test_above_threshold": int((best >= threshold).sum())})
    table = pd.DataFrame(rows)
    above = int(table["n_test_above_threshold"].sum())
    share = above / max(int(table["n_test"].sum()), 1)
    severity, _ = grade_share(above, max(int(table["n_test"].sum()), 1), warn=0.0, fail=0.02)
    return Finding(
        check="test_similarity_to_train", title="Test sequences similar to their training set",
        severity=severity, pitfall="dependent examples", value=share,
        threshold={"warn": 0.0, "fail": 0.02, "identity": threshold},
        message=(f"{above} test sequence(s) ({share:.2%}) have a training sequence at >= "
                 f"{threshold:.0%} identity (either strand)."),
        recommendation="Split with SimilarityGroupKFold." if above else "",
        evidence={"n_above_threshold": above, "percent_above_threshold": 100 * share},
        table=table, figures=["split_similarity"]), best_all
