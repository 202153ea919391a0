"""Pair-level checks: in pair data (miRNA-gene, enhancer-promoter, drug-target) the sample is the pair.

A partner reused in many pairs is how pair data looks, not a duplicate to remove; what
matters is the same pair twice (:func:`check_pair_duplicates`), how much partners are
reused (:func:`check_partner_reuse`) and, with a test set, how many test pairs have both,
one or no partner in training (:func:`check_pair_classes_train_test`, the C1/C2/C3 classes
of Park & Marcotte 2012 that :class:`~skgenqc.model_selection.PairKFold` controls).
:func:`check_pairs` runs all three; :class:`~skgenqc.qc.DatasetQC` calls it when it is given
two sequence columns, and :func:`as_partner_finding` turns a per-column duplicate finding
into information there. Partners are compared case-insensitively (they are often sequences).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc._core.findings import Finding, grade_share
from skgenqc.qc._severity import worst

__all__ = ["check_pairs", "check_pair_duplicates", "check_partner_reuse",
           "check_pair_classes_train_test", "as_partner_finding", "PARTNER_FINDINGS"]

#: Per-column findings that, in pair data, count a reused partner rather than a repeated sample.
#: (The coordinates of a pair table locate one partner, so a repeated interval is a reused partner.)
PARTNER_FINDINGS = ("duplicates_within_class", "label_conflicts", "reverse_complement_duplicates",
                    "train_test_exact", "train_test_reverse_complement", "interval_duplicates")


def _as_pair_array(pairs, name="pairs"):
    """(n, 2) object array of upper-cased partner keys, or a ValueError naming the shape."""
    if isinstance(pairs, pd.DataFrame):
        names = [str(c) for c in pairs.columns]
        arr = pairs.to_numpy(dtype=object)
    else:
        arr = np.asarray(pairs, dtype=object)
        names = None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"{name} must have shape (n_pairs, 2) (one row per pair: partner A, "
                         f"partner B), got shape {arr.shape}; pair checks need exactly two "
                         "columns.")
    keys = np.array([[str(v).upper() for v in row] for row in arr], dtype=object).reshape(-1, 2)
    return keys, names or ["A", "B"]


def _labels(labels, n, name):
    if labels is None:
        return np.repeat("all", n).astype(object)
    labels = np.asarray(labels, dtype=object).ravel()
    if len(labels) != n:
        raise ValueError(f"{name} has {len(labels)} entries but there are {n} pairs; expected "
                         "one label per pair.")
    return labels.astype(str)


def _homogeneous(homogeneous, keys):
    from skgenqc.model_selection.pairs import resolve_homogeneous
    return resolve_homogeneous(homogeneous, keys)


def _pair_key(keys, homogeneous):
    if homogeneous:   # one id space: (a, b) and (b, a) are one pair
        lo, hi = np.minimum(keys[:, 0], keys[:, 1]), np.maximum(keys[:, 0], keys[:, 1])
        return pd.Series(lo + "\t" + hi)
    return pd.Series(keys[:, 0] + "\t" + keys[:, 1])


def check_pair_duplicates(pairs, labels=None, *, homogeneous="auto", warn=0.0, fail=0.02):
    """The same (A, B) pair more than once; label-conflicting pairs counted apart.

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2) or DataFrame with two columns
        Partner A and partner B of each pair (ids or sequences).
    labels : array-like of shape (n_pairs,), optional
    homogeneous : bool or "auto", default="auto"
        True when both columns share one id space, so (A, B) and (B, A) are one pair; "auto"
        as :class:`~skgenqc.model_selection.PairKFold` reads it.
    warn, fail : float, default=0.0, 0.02
        Share of redundant pairs (copies beyond the first) for :func:`~skgenqc.grade_share`;
        any pair under two labels fails, as ``label_conflicts`` does.

    Returns
    -------
    Finding
        ``pair_duplicates``.

    Examples
    --------
    >>> f = check_pair_duplicates([["m1", "g1"], ["m1", "g2"], ["m1", "g1"]], [1, 0, 1])
    >>> f.severity, f.evidence["n_redundant"], f.evidence["n_label_conflicts"]
    ('fail', 1, 0)
    """
    keys, _ = _as_pair_array(pairs)
    labels = _labels(labels, len(keys), "labels")
    key = _pair_key(keys, _homogeneous(homogeneous, keys))
    frame = pd.DataFrame({"pair": key, "label": labels})
    n = len(frame)
    redundant = int(frame.duplicated("pair", keep="first").sum())
    per_pair = frame.groupby("pair")["label"].agg(["size", "nunique"])
    conflicting = per_pair[per_pair["nunique"] > 1]
    severity, share = grade_share(redundant, n, warn=warn, fail=fail)
    severity = worst(severity, grade_share(len(conflicting), max(len(per_pair), 1),
                                           warn=0.0, fail=0.0)[0])
    repeated = per_pair[per_pair["size"] > 1].reset_index()
    table = pd.DataFrame({
        "partner_a": repeated["pair"].str.split("\t").str[0].str[:40],
        "partner_b": repeated["pair"].str.split("\t").str[1].str[:40],
        "n_copies": repeated["size"].astype(int),
        "label_conflict": repeated["nunique"] > 1,
    }).sort_values("n_copies", ascending=False, kind="stable").reset_index(drop=True)
    return Finding(
        check="pair_duplicates", title="The same pair more than once",
        severity=severity, pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail},
        message=(f"{redundant} of {n} pairs ({share:.2%}) repeat another pair; {len(repeated)} "
                 f"pair(s) occur more than once, {len(conflicting)} of them under more than one "
                 "label."),
        recommendation=("Keep one copy of each pair (resolve or drop the label-conflicting "
                        "ones): a repeated pair on both sides of a split is a memorised answer."
                        if redundant else ""),
        evidence={"n_pairs": n, "n_redundant": redundant, "percent_redundant": 100 * share,
                  "n_repeated_pairs": int(len(repeated)),
                  "n_label_conflicts": int(len(conflicting))},
        table=table)


def _random_split_classes(keys, homogeneous, n_splits=5, random_state=0):
    """C1/C2/C3 counts of the test pairs of a shuffled KFold: what a naive split would test."""
    from sklearn.model_selection import KFold

    from skgenqc.model_selection.pairs import pair_classes

    counts = pd.Series(0, index=["C1", "C2", "C3"])
    if len(keys) < n_splits:
        return counts
    for train, test in KFold(n_splits, shuffle=True, random_state=random_state).split(keys):
        classes = pd.Series(pair_classes(keys, train, test, homogeneous=homogeneous))
        counts += classes.value_counts().reindex(counts.index, fill_value=0)
    return counts


def check_partner_reuse(pairs, *, homogeneous="auto", names=None):
    """How much each partner column is reused across pairs (information).

    Reused partners are expected in pair data; the finding gives, per column, the distinct
    partners, the largest and median number of pairs per partner and the share of pairs whose
    partner occurs in another pair, with the C1/C2/C3 counts a shuffled 5-fold split would test.

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2) or DataFrame with two columns
    homogeneous : bool or "auto", default="auto"
    names : pair of str, optional
        Column names for the message (a DataFrame's own by default).

    Returns
    -------
    Finding
        ``partner_reuse``, always ``info``.

    Examples
    --------
    >>> f = check_partner_reuse([["m1", "g1"], ["m1", "g2"], ["m2", "g2"]], names=["miRNA", "gene"])
    >>> f.severity, f.evidence["miRNA"]["n_partners"], f.evidence["gene"]["max_degree"]
    ('info', 2, 2)
    """
    keys, own = _as_pair_array(pairs)
    names = [str(v) for v in (names or own)]
    homogeneous = _homogeneous(homogeneous, keys)
    rows, evidence = [], {}
    for j, column in enumerate(names):
        degree = pd.Series(keys[:, j]).value_counts()
        reused = float(pd.Series(keys[:, j]).map(degree).gt(1).mean()) if len(keys) else float("nan")
        row = {"column": column, "n_partners": int(len(degree)),
               "max_degree": int(degree.max()) if len(degree) else 0,
               "median_degree": float(degree.median()) if len(degree) else float("nan"),
               "share_pairs_with_reused_partner": reused}
        rows.append(row)
        evidence[column] = {k: v for k, v in row.items() if k != "column"}
    naive = _random_split_classes(keys, homogeneous)
    n_test = int(naive.sum())
    evidence["random_5fold_test_classes"] = {k: int(v) for k, v in naive.items()}
    parts = "; ".join(f"{r['column']}: {r['n_partners']} distinct, up to {r['max_degree']} pairs "
                      f"each (median {r['median_degree']:g}), {r['share_pairs_with_reused_partner']:.0%} "
                      "of pairs share it with another pair" for r in rows)
    naive_text = (f" A shuffled 5-fold split would test {int(naive['C1'])} C1 (both partners seen "
                  f"in training), {int(naive['C2'])} C2 (one seen) and {int(naive['C3'])} C3 "
                  f"(neither) pairs of {n_test}." if n_test else "")
    return Finding(
        check="partner_reuse", title="Partners reused across pairs",
        severity="info", pitfall="dependent examples",
        value=float(max((r["share_pairs_with_reused_partner"] for r in rows), default=np.nan)),
        message=(f"{parts}. This is expected in pair data: the sample is the pair, not the "
                 f"partner.{naive_text}"),
        recommendation=("Do not deduplicate partners; split with PairKFold and report its C1/C2/C3 "
                        "classes (mode='C3' tests pairs with no partner seen in training, mode='C2' "
                        "one)."),
        evidence=evidence, table=pd.DataFrame(rows))


def check_pair_classes_train_test(pairs, pairs_test, *, homogeneous="auto", warn=0.01, fail=0.5):
    """Test pairs whose both (C1), one (C2) or no (C3) partner occur in training pairs.

    Parameters
    ----------
    pairs, pairs_test : array-like of shape (n_pairs, 2) or DataFrame with two columns
        Training and test pairs, partner A then partner B.
    homogeneous : bool or "auto", default="auto"
    warn, fail : float, default=0.01, 0.5
        Share of C1 test pairs for :func:`~skgenqc.grade_share` (the thresholds of
        :func:`~skgenqc.model_selection.split_diagnostics`' ``pair_classes``).

    Returns
    -------
    Finding
        ``pair_classes_train_test``.

    Examples
    --------
    >>> train = [["m1", "g1"], ["m2", "g2"]]
    >>> f = check_pair_classes_train_test(train, [["m1", "g2"], ["m3", "g1"], ["m4", "g4"]])
    >>> f.severity, f.evidence["C1"], f.evidence["C2"], f.evidence["C3"]
    ('warn', 1, 1, 1)
    """
    from skgenqc.model_selection.pairs import pair_classes

    train, _ = _as_pair_array(pairs, "pairs")
    test, _ = _as_pair_array(pairs_test, "pairs_test")
    both = np.concatenate([train, test]) if len(test) else train
    homogeneous = _homogeneous(homogeneous, both)
    classes = pd.Series(pair_classes(both, np.arange(len(train)),
                                     np.arange(len(train), len(both)), homogeneous=homogeneous))
    counts = classes.value_counts().reindex(["C1", "C2", "C3"], fill_value=0).astype(int)
    n = int(counts.sum())
    severity, share = grade_share(int(counts["C1"]), n, warn=warn, fail=fail)
    shares = {f"share_{k}": (float(v / n) if n else float("nan")) for k, v in counts.items()}
    return Finding(
        check="pair_classes_train_test", title="Test pairs by C1/C2/C3 (partners seen in training)",
        severity=severity, pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail},
        message=(f"Of {n} test pairs, {counts['C1']} ({shares['share_C1']:.0%}) have both partners "
                 f"in training (C1), {counts['C2']} ({shares['share_C2']:.0%}) one (C2) and "
                 f"{counts['C3']} ({shares['share_C3']:.0%}) neither (C3)."),
        recommendation=("Scores on C1 pairs measure memorised partners: report C1/C2/C3 apart, or "
                        "split with PairKFold(mode='C3') (no partner seen) or mode='C2'."
                        if severity in ("warn", "fail") else ""),
        evidence={**{k: int(v) for k, v in counts.items()}, **shares, "n_test_pairs": n},
        table=pd.DataFrame({"class": counts.index, "n_pairs": counts.to_numpy(),
                            "share": [shares[f"share_{k}"] for k in counts.index]}))


def check_pairs(pairs, labels=None, pairs_test=None, *, homogeneous="auto", fail=0.02):
    """Pair-level findings: ``pair_duplicates``, ``partner_reuse`` and, with a test set,
    ``pair_classes_train_test``.

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2) or DataFrame with two columns
    labels : array-like of shape (n_pairs,), optional
    pairs_test : array-like of shape (n_test, 2) or DataFrame with two columns, optional
    homogeneous : bool or "auto", default="auto"
    fail : float, default=0.02
        Share of redundant pairs at which ``pair_duplicates`` fails.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> pairs = pd.DataFrame({"miRNA": ["m1", "m1", "m2"], "gene": ["g1", "g2", "g1"]})
    >>> [(f.check, f.severity) for f in check_pairs(pairs, [1, 0, 1])]
    [('pair_duplicates', 'pass'), ('partner_reuse', 'info')]
    """
    findings = [check_pair_duplicates(pairs, labels, homogeneous=homogeneous, fail=fail),
                check_partner_reuse(pairs, homogeneous=homogeneous)]
    if pairs_test is not None:
        findings.append(check_pair_classes_train_test(pairs, pairs_test, homogeneous=homogeneous))
    return findings


def as_partner_finding(finding, column):
    """In pair data, turn a per-column duplicate finding into information pointing at the pair checks.

    Findings of :data:`PARTNER_FINDINGS` (with or without a split suffix) count a partner
    reused across pairs; when they warn or fail they become ``info`` with a message saying so
    and no advice to deduplicate. Other findings are returned unchanged.

    Parameters
    ----------
    finding : Finding
    column : str
        The partner column the finding was computed on.

    Returns
    -------
    Finding

    Examples
    --------
    >>> from skgenqc.qc.duplicates import check_duplicates
    >>> frame = pd.DataFrame({"id": list("abc"), "label": [1, 1, 0]})
    >>> f = as_partner_finding(check_duplicates(frame, ["ACGT", "ACGT", "TTGA"])[0], "miRNA")
    >>> f.severity, "partner_reuse" in f.message, f.recommendation
    ('info', True, '')
    """
    base = finding.check.split("[", 1)[0]
    if finding.severity not in ("warn", "fail") or not any(
            base == name or base.startswith(name + "_") for name in PARTNER_FINDINGS):
        return finding
    was = finding.severity
    finding.severity = "info"
    finding.message = (f"{finding.message} In pair data a {column} reused across pairs is expected "
                       f"(graded {was} as single sequences): see partner_reuse and pair_duplicates "
                       "for the pairs, and pair_classes_train_test with a test set.")
    finding.recommendation = ""
    finding.evidence = {**finding.evidence, "severity_as_single_sequences": was}
    return finding
