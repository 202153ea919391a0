"""Pair-level checks: in pair data (miRNA-gene, enhancer-promoter, drug-target) the sample is the pair.

A partner reused in many pairs is how pair data looks, not a duplicate to remove; what
matters is the same pair twice (:func:`check_pair_duplicates`), how much partners are
reused (:func:`check_partner_reuse`), pairs whose both partners are near-identical to another
pair's (:func:`check_pair_near_duplicates`: a near-copy of the sample) and, with a test set,
how many test pairs have both, one or no partner in training
(:func:`check_pair_classes_train_test`, the C1/C2/C3 classes of Park & Marcotte 2012 that
:class:`~skgenqc.model_selection.PairKFold` controls) and how many copy a training pair
(:func:`check_pair_near_duplicates_train_test`). :func:`check_pairs` runs them all; it is the
registered check ``pairs`` (needs two partner columns), which
:class:`~skgenqc.qc.DatasetQC` runs when it is given two sequence columns, and
:func:`as_partner_finding` turns a per-column duplicate or near-duplicate finding into
information there. Partners are compared case-insensitively (they are often sequences);
near-identity is the one search's (:func:`~skgenqc.features.find_similar_pairs`) through the
similarity groups of :func:`~skgenqc.model_selection.similarity_groups`
(:func:`partner_families`), the families :class:`~skgenqc.model_selection.PairKFold` takes.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from skgenqc._core.findings import Finding, grade_share
from skgenqc.qc._registry import register_check
from skgenqc.qc._severity import worst

__all__ = ["check_pairs", "check_pair_duplicates", "check_pair_near_duplicates",
           "check_pair_near_duplicates_train_test", "check_partner_reuse",
           "check_pair_classes_train_test", "partner_families", "as_partner_finding",
           "PARTNER_FINDINGS", "NEAR_PARTNER_FINDINGS"]

#: Per-column findings that, in pair data, count a reused partner rather than a repeated sample.
#: (The coordinates of a pair table locate one partner, so a repeated interval, or a test
#: interval at or over a training one, is a reused partner: a C2 pair, not a copied sample.)
PARTNER_FINDINGS = ("duplicates_within_class", "label_conflicts", "reverse_complement_duplicates",
                    "train_test_exact", "train_test_reverse_complement", "interval_duplicates",
                    "interval_identical_train_test", "interval_overlap_train_test",
                    "interval_window_overlap_train_test")
#: Per-column near-duplicate findings: in pair data they count related partners (a miRNA
#: family); the pairs that are near-copies are ``pair_near_duplicates``.
NEAR_PARTNER_FINDINGS = ("near_duplicates", "train_test_near_duplicates")
# IUPAC nucleotide codes: a partner column of ids (hsa-let-7a-5p, P04637) is compared exactly.
_NUCLEOTIDES = re.compile("[ACGTURYSWKMBDHVN]+")


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


def _family_codes(values, threshold):
    """Family of each value (case-insensitive) and whether the values were compared as sequences.

    Nucleotide values get their single-linkage similarity groups (computed once per distinct
    value); any other column (ids) is compared exactly, each distinct value its own family.
    """
    from skgenqc.model_selection.similarity import similarity_groups

    upper = np.array([str(v).upper() for v in values], dtype=object)
    codes, uniq = pd.factorize(upper)
    uniq = np.asarray(uniq, dtype=object)
    filled = np.array([len(u) > 0 for u in uniq], dtype=bool)
    nucleotide = bool(filled.any()) and all(_NUCLEOTIDES.fullmatch(u) for u in uniq[filled])
    family = np.arange(len(uniq), dtype=np.int64)
    if nucleotide and filled.sum() > 1:
        groups = similarity_groups(list(uniq[filled]), threshold=threshold)
        family[filled] = groups
        family[~filled] = groups.max() + 1 + np.arange((~filled).sum())
    return family[codes], nucleotide


def partner_families(partners, *, threshold=0.9):
    """Similarity families of one partner column, for ``PairKFold(families=...)``.

    Nucleotide partners (miRNAs, gene sites, enhancers) are joined by single linkage when
    their identity reaches ``threshold`` on either strand
    (:func:`~skgenqc.model_selection.similarity_groups`, the one search); other values
    (ids) are each their own family. Case is ignored.

    Parameters
    ----------
    partners : array-like of str
        One partner column.
    threshold : float, default=0.9

    Returns
    -------
    pandas.Series
        Family id (int) indexed by each distinct value of ``partners``, as
        :class:`~skgenqc.model_selection.PairKFold` maps entities to families.

    Examples
    --------
    >>> fam = partner_families(["TGAGGTAGTAGGTTGTATAGTT", "TGAGGTAGTAGGTTGTGTGGTT",
    ...                         "TAGCTTATCAGACTGATGTTGA"])
    >>> fam.tolist()   # let-7a and let-7b are one family, miR-21 another
    [0, 0, 1]
    """
    values = pd.Series(np.asarray(partners, dtype=object).ravel())
    distinct = pd.unique(values)
    family, _ = _family_codes(distinct, threshold)
    return pd.Series(family, index=pd.Index(distinct, dtype=object), name="family")


def _pair_cells(keys, homogeneous, threshold):
    """Per pair, its cell (family of A, family of B) as one int, and how each side compared."""
    n = len(keys)
    if homogeneous:   # one id space: one family search over both columns, (A, B) as (B, A)
        family, nuc = _family_codes(np.concatenate([keys[:, 0], keys[:, 1]]), threshold)
        fa, fb = np.minimum(family[:n], family[n:]), np.maximum(family[:n], family[n:])
        compared = (nuc, nuc)
    else:
        fa, nuc_a = _family_codes(keys[:, 0], threshold)
        fb, nuc_b = _family_codes(keys[:, 1], threshold)
        compared = (nuc_a, nuc_b)
    cells = pd.factorize(pd.MultiIndex.from_arrays([fa, fb]))[0] if n else np.zeros(0, int)
    return np.asarray(cells, dtype=np.int64), compared, (fa, fb)


def _compared_as(names, compared, threshold):
    return {name: (f"sequences (identity >= {threshold:.0%}, either strand)" if nuc
                   else "ids (exact)") for name, nuc in zip(names, compared)}


def check_pair_near_duplicates(pairs, labels=None, *, homogeneous="auto", threshold=0.9,
                               warn=0.0, fail=0.02, max_rows=50):
    """Pairs whose both partners are near-identical to another pair's: near-copies of a sample.

    Each partner column is grouped into similarity families (:func:`partner_families`:
    single linkage at ``threshold`` identity, either strand; id columns exactly). Pairs in
    the same (family of A, family of B) cell that are not all the same pair are near-copies
    of one another; exact repeats of one pair are ``pair_duplicates``.

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2) or DataFrame with two columns
    labels : array-like of shape (n_pairs,), optional
    homogeneous : bool or "auto", default="auto"
    threshold : float, default=0.9
    warn, fail : float, default=0.0, 0.02
        Share of pairs involved for :func:`~skgenqc.grade_share`, as ``near_duplicates``.
    max_rows : int, default=50
        Groups listed in the evidence.

    Returns
    -------
    Finding
        ``pair_near_duplicates``.

    Examples
    --------
    >>> let7a, let7b = "TGAGGTAGTAGGTTGTATAGTT", "TGAGGTAGTAGGTTGTGTGGTT"
    >>> site = "ACTATACAACCTACTACCTCAATTGGCCAA"
    >>> pairs = [[site, let7a], [site, let7b], [site[::-1], let7a]]
    >>> f = check_pair_near_duplicates(pairs, [1, 1, 0])
    >>> f.severity, f.evidence["n_records"], f.evidence["n_groups"]
    ('fail', 2, 1)
    """
    keys, names = _as_pair_array(pairs)
    labels = _labels(labels, len(keys), "labels")
    homogeneous = _homogeneous(homogeneous, keys)
    cells, compared, _ = _pair_cells(keys, homogeneous, threshold)
    frame = pd.DataFrame({"cell": cells, "pair": _pair_key(keys, homogeneous).to_numpy(),
                          "label": labels, "a": keys[:, 0], "b": keys[:, 1]})
    n = len(frame)
    per_cell = frame.groupby("cell").agg(n_pairs=("pair", "size"), n_distinct=("pair", "nunique"),
                                         n_labels=("label", "nunique"), partner_a=("a", "first"),
                                         partner_b=("b", "first"))
    near = per_cell[per_cell["n_distinct"] > 1]
    involved = int(frame["cell"].isin(near.index).sum())
    conflicts = int((near["n_labels"] > 1).sum())
    severity, share = grade_share(involved, n, warn=warn, fail=fail)
    table = pd.DataFrame({
        "partner_a": near["partner_a"].str[:40], "partner_b": near["partner_b"].str[:40],
        "n_pairs": near["n_pairs"].astype(int), "n_distinct_pairs": near["n_distinct"].astype(int),
        "label_conflict": near["n_labels"] > 1,
    }).sort_values("n_pairs", ascending=False, kind="stable").reset_index(drop=True)
    families = ("partner_families(X[%r]), partner_families(X[%r])" % tuple(names)
                if not homogeneous else "partner_families(pooled partners)")
    return Finding(
        check="pair_near_duplicates",
        title=f"Near-identical pairs (both partners >= {threshold:.0%} identity)",
        severity=severity, pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail, "identity": threshold},
        message=(f"{involved} of {n} pairs ({share:.2%}) have both partners in the similarity "
                 f"families of another, different pair's partners: {len(near)} group(s), "
                 f"{conflicts} under more than one label."),
        recommendation=("Such pairs are near-copies of one sample: keep each group on one side "
                        f"with PairKFold(mode='C2' or 'C3', families=({families})), or keep one "
                        "pair per group." if involved else ""),
        evidence={"n_pairs": n, "n_records": involved, "percent_records": 100 * share,
                  "n_groups": int(len(near)), "n_groups_spanning_labels": conflicts,
                  "compared_as": _compared_as(names, compared, threshold),
                  "example_groups": [f"{a[:25]} | {b[:25]} ({k} pairs)" for a, b, k in zip(
                      table["partner_a"].head(max_rows), table["partner_b"].head(max_rows),
                      table["n_pairs"].head(max_rows))]},
        table=table)


def check_pair_near_duplicates_train_test(pairs, pairs_test, *, homogeneous="auto",
                                          threshold=0.9, warn=0.0, fail=0.02):
    """Test pairs whose both partners are identical or near-identical to one training pair's.

    Families (:func:`partner_families`) are computed over training and test partners
    together; a test pair is a copy when a training pair shares its cell (family of A,
    family of B). Exact copies of a training pair are counted apart in the evidence.

    Parameters
    ----------
    pairs, pairs_test : array-like of shape (n_pairs, 2) or DataFrame with two columns
    homogeneous : bool or "auto", default="auto"
    threshold : float, default=0.9
    warn, fail : float, default=0.0, 0.02
        Share of test pairs copied, as ``train_test_near_duplicates``.

    Returns
    -------
    Finding
        ``pair_near_duplicates_train_test``.

    Examples
    --------
    >>> let7a, let7b = "TGAGGTAGTAGGTTGTATAGTT", "TGAGGTAGTAGGTTGTGTGGTT"
    >>> site = "ACTATACAACCTACTACCTCAATTGGCCAA"
    >>> f = check_pair_near_duplicates_train_test([[site, let7a]], [[site, let7b], [site[::-1], let7b]])
    >>> f.severity, f.evidence["n_test_leaked"], f.evidence["n_test_exact"]
    ('fail', 1, 0)
    """
    train, names = _as_pair_array(pairs, "pairs")
    test, _ = _as_pair_array(pairs_test, "pairs_test")
    both = np.concatenate([train, test]) if len(test) else train
    homogeneous = _homogeneous(homogeneous, both)
    cells, compared, _ = _pair_cells(both, homogeneous, threshold)
    key = _pair_key(both, homogeneous).to_numpy()
    n_train = len(train)
    leaked = np.isin(cells[n_train:], cells[:n_train])
    exact = np.isin(key[n_train:], key[:n_train])
    n = len(test)
    severity, share = grade_share(int(leaked.sum()), n, warn=warn, fail=fail)
    table = pd.DataFrame({"partner_a": test[leaked, 0], "partner_b": test[leaked, 1],
                          "exact_copy": exact[leaked]}).assign(
        partner_a=lambda t: t["partner_a"].str[:40], partner_b=lambda t: t["partner_b"].str[:40])
    return Finding(
        check="pair_near_duplicates_train_test",
        title="Test pairs copying a training pair (both partners identical or near-identical)",
        severity=severity, pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail, "identity": threshold},
        message=(f"{int(leaked.sum())} of {n} test pairs ({share:.2%}) have both partners "
                 f"identical or >= {threshold:.0%} identical to one training pair's "
                 f"({int(exact.sum())} exact copies)."),
        recommendation=("A score on these pairs measures memorisation: drop them from the test "
                        "set or re-split with PairKFold(mode='C2' or 'C3', families=...) using "
                        "partner_families of both columns." if leaked.any() else ""),
        evidence={"n_test_pairs": n, "n_test_leaked": int(leaked.sum()),
                  "percent_test_leaked": 100 * share, "n_test_exact": int(exact.sum()),
                  "compared_as": _compared_as(names, compared, threshold)},
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


def check_pairs(pairs, labels=None, pairs_test=None, *, homogeneous="auto", threshold=0.9,
                fail=0.02):
    """Pair-level findings: ``pair_duplicates``, ``pair_near_duplicates``, ``partner_reuse`` and,
    with a test set, ``pair_classes_train_test`` and ``pair_near_duplicates_train_test``.

    Parameters
    ----------
    pairs : array-like of shape (n_pairs, 2) or DataFrame with two columns
    labels : array-like of shape (n_pairs,), optional
    pairs_test : array-like of shape (n_test, 2) or DataFrame with two columns, optional
    homogeneous : bool or "auto", default="auto"
    threshold : float, default=0.9
        Identity at or above which two partner sequences are near-identical.
    fail : float, default=0.02
        Share of redundant pairs (or of pairs involved, of test pairs copied) at which the
        duplicate findings fail.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> pairs = pd.DataFrame({"miRNA": ["m1", "m1", "m2"], "gene": ["g1", "g2", "g1"]})
    >>> [(f.check, f.severity) for f in check_pairs(pairs, [1, 0, 1])]
    [('pair_duplicates', 'pass'), ('pair_near_duplicates', 'pass'), ('partner_reuse', 'info')]
    """
    findings = [check_pair_duplicates(pairs, labels, homogeneous=homogeneous, fail=fail),
                check_pair_near_duplicates(pairs, labels, homogeneous=homogeneous,
                                           threshold=threshold, fail=fail),
                check_partner_reuse(pairs, homogeneous=homogeneous)]
    if pairs_test is not None:
        findings.append(check_pair_classes_train_test(pairs, pairs_test, homogeneous=homogeneous))
        findings.append(check_pair_near_duplicates_train_test(
            pairs, pairs_test, homogeneous=homogeneous, threshold=threshold, fail=fail))
    return findings


@register_check("pairs", pitfall="dependent examples", needs=("pairs",), order=75,
                produces=("pair_duplicates", "pair_near_duplicates", "partner_reuse",
                          "pair_classes_train_test", "pair_near_duplicates_train_test"),
                summary="pair data (two partner columns): the same pair twice, pairs whose both "
                        "partners are near-identical to another pair's, partner reuse and, with "
                        "a test set, test pairs by C1/C2/C3 and test copies of training pairs")
def pairs_check(ctx):
    """Registered check ``pairs``: :func:`check_pairs` on the two partner columns."""
    columns = list(ctx.pair_columns)
    # Every record: a pair with an empty partner is still a pair.
    data, test = ctx.all_data, ctx.all_test
    return check_pairs(data[columns], data["label"] if "label" in data.columns else None,
                       None if test is None else test[columns],
                       threshold=ctx.param("identity_threshold"), fail=ctx.param("leak_fail"))


def _matches(base, names):
    return any(base == name or base.startswith(name + "_") for name in names)


def as_partner_finding(finding, column):
    """In pair data, turn a per-column duplicate finding into information pointing at the pair checks.

    Findings of :data:`PARTNER_FINDINGS` count a partner reused across pairs and those of
    :data:`NEAR_PARTNER_FINDINGS` related partners (a miRNA family), with or without a
    split suffix; when they warn or fail they become ``info`` with a message saying so and
    the grade as single sequences in ``evidence["severity_as_single_sequences"]``. Reused
    partners get no advice (never deduplicate them); near-identical ones the split that keeps
    them on one side, ``PairKFold`` with the column's similarity families. Other findings are
    returned unchanged.

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
    reused, near = _matches(base, PARTNER_FINDINGS), _matches(base, NEAR_PARTNER_FINDINGS)
    if finding.severity not in ("warn", "fail") or not (reused or near):
        return finding
    was = finding.severity
    finding.severity = "info"
    if near:
        finding.message = (
            f"{finding.message} In pair data near-identical {column} partners are related "
            f"partners (e.g. one family), expected (graded {was} as single sequences): the pairs "
            "whose both partners are near-identical are pair_near_duplicates.")
        finding.recommendation = (
            f"Keep related {column} partners on one side: split with PairKFold(mode='C2' "
            f"holding out the {column} side, or mode='C3') with their similarity groups as "
            f"families, families=partner_families(X[{column!r}]).")
    else:
        finding.message = (
            f"{finding.message} In pair data a {column} reused across pairs is expected "
            f"(graded {was} as single sequences): see partner_reuse and pair_duplicates for the "
            "pairs, and pair_classes_train_test with a test set.")
        finding.recommendation = ""
    finding.evidence = {**finding.evidence, "severity_as_single_sequences": was}
    return finding
