"""Constructed negatives: twins of the positives, and library constants that give the label away.

Negatives are often built from positives: a dinucleotide shuffle keeps a sequence's length and
dinucleotide counts (its *composition twin*), a partial shuffle or a swapped motif keeps
segments in place (a *positional twin*), and a cloning or padding step leaves a fixed segment
in one class only (a *library constant*). A model then learns the construction, not the
biology, and is scored on examples that depend on each other across the classes.

The searches never look at the labels; the verdicts are graded against a label-permutation
null (labels shuffled within each split, Holm over the findings of one call), so similar
composition across classes, which real biology shows, and random data do not trip them: only
pairs that join opposite labels more often than relabelled data does count.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc._core.findings import Finding, holm_adjust
from skgenqc.features.encoding import kmer_codes, pack_sequences
from skgenqc.features.kmers import kmer_count_matrix
from skgenqc.qc._registry import register_check
from skgenqc.qc._relabel import grade_relabelled, label_codes, opposite_label_records, relabel_null
from skgenqc.qc.library import check_library_constants

ALPHA_WARN, ALPHA_FAIL = 0.01, 0.001
#: Signature groups or shared segments held by more records than this are not paired (a
#: segment that common is a library constant, reported by check_library_constants).
MAX_GROUP = 50
_TABLE_ROWS = 500

__all__ = ["dinucleotide_signatures", "composition_twin_pairs", "positional_twin_pairs",
           "check_constructed_negatives", "check_library_constants"]


def dinucleotide_signatures(sequences, *, packed=None):
    """Length and the 16 dinucleotide counts (AA ... TT) of each sequence: what a shuffle keeps.

    Counting is case-insensitive and skips pairs with a non-ACGT character
    (:func:`skgenqc.features.kmer_count_matrix` with ``k=2``).

    Parameters
    ----------
    sequences : list of str
    packed : PackedSequences, optional
        The same sequences, already packed.

    Returns
    -------
    numpy.ndarray of int64, shape (n_sequences, 17)
        Column 0 the length, columns 1-16 the dinucleotide counts.

    Examples
    --------
    >>> dinucleotide_signatures(["ACGA", "acga"])[:, :4].tolist()  # length, AA, AC, AG
    [[4, 0, 1, 0], [4, 0, 1, 0]]
    >>> int(dinucleotide_signatures(["AACGTT"])[0, 1:].sum())
    5
    """
    packed = pack_sequences(list(sequences)) if packed is None else packed
    counts, _ = kmer_count_matrix(packed, 2)
    return np.column_stack([packed.lengths, counts.toarray()]).astype(np.int64)


def _pairs_within_groups(group, eligible, upper, max_group):
    """Pairs of distinct sequences sharing a group id; groups above ``max_group`` are skipped."""
    rows = np.flatnonzero(eligible)
    order = rows[np.argsort(group[rows], kind="stable")]
    _, starts, sizes = np.unique(group[order], return_index=True, return_counts=True)
    a, b, skipped = [], [], 0
    for start, size in zip(starts, sizes):
        if size < 2:
            continue
        if size > max_group:
            skipped += 1
            continue
        members = order[start:start + size]
        i, j = np.triu_indices(size, 1)
        a.append(members[i])
        b.append(members[j])
    if not a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), skipped
    a, b = np.concatenate(a), np.concatenate(b)
    distinct = upper[a] != upper[b]
    return a[distinct], b[distinct], skipped


def composition_twin_pairs(sequences, *, max_group=MAX_GROUP):
    """Pairs of different sequences with the same length and identical dinucleotide counts.

    Sequences holding a non-ACGT character are left out (their counts miss pairs).

    Parameters
    ----------
    sequences : list of str
    max_group : int, default=50
        Signatures shared by more sequences than this are not paired (low-complexity runs).

    Returns
    -------
    a, b : numpy.ndarray of int
        The pairs (``a < b``), as positions in ``sequences``.
    info : dict
        ``n_left_out`` (non-ACGT sequences) and ``n_groups_skipped``.

    Examples
    --------
    >>> a, b, info = composition_twin_pairs(["ACGTTA", "ACGTTA", "TTACGT", "GGGCCC"])
    >>> list(zip(a.tolist(), b.tolist()))
    [(0, 2), (1, 2)]
    """
    packed = pack_sequences(list(sequences))
    signatures = dinucleotide_signatures(sequences, packed=packed)
    eligible = signatures[:, 1:].sum(axis=1) == np.maximum(signatures[:, 0] - 1, 0)
    eligible &= signatures[:, 0] >= 2
    _, group = np.unique(signatures, axis=0, return_inverse=True)
    upper = np.array([s.upper() for s in sequences], dtype=object)
    a, b, skipped = _pairs_within_groups(group.ravel(), eligible, upper, max_group)
    return a, b, {"n_left_out": int((~eligible).sum()), "n_groups_skipped": skipped}


def positional_twin_pairs(sequences, *, min_segment=20, max_group=MAX_GROUP):
    """Pairs of different sequences sharing an identical segment at the same offset.

    A segment of ``min_segment`` bases starting at the same position of both sequences
    (counted from the start) makes a pair; it is what a partial shuffle, a swapped motif or
    a mutated copy keeps in place.

    Parameters
    ----------
    sequences : list of str
    min_segment : int, default=20
        Length of the shared segment (2 to 31).
    max_group : int, default=50
        A segment at one offset shared by more sequences than this pairs none of them (a
        library constant, see :func:`check_library_constants`).

    Returns
    -------
    a, b : numpy.ndarray of int
        The pairs (``a < b``), each once.
    info : dict
        ``n_segments_skipped``.

    Examples
    --------
    >>> s = "ACGTACGGTCAGGATTACAGCATG"
    >>> a, b, _ = positional_twin_pairs([s, s[:12] + "TTTTTTTTTTTT", "G" * 24], min_segment=10)
    >>> list(zip(a.tolist(), b.tolist()))
    [(0, 1)]
    """
    if not isinstance(min_segment, (int, np.integer)) or not 2 <= min_segment <= 31:
        raise ValueError(f"min_segment={min_segment!r} must be an integer from 2 to 31.")
    packed = pack_sequences(list(sequences))
    codes, seq, pos = kmer_codes(packed, int(min_segment), positions=True)
    upper = np.array([s.upper() for s in sequences], dtype=object)
    if len(codes) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), {"n_segments_skipped": 0}
    # One key per (segment, offset); a collision only proposes a pair, which is checked below.
    key = codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ pos.astype(np.uint64)
    a, b, skipped = _pairs_within_groups(key, np.ones(len(key), bool), upper[seq], max_group)
    a, b = seq[a].astype(np.int64), seq[b].astype(np.int64)
    keep = (a != b) & (upper[a] != upper[b])
    lo, hi = np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])
    pairs = np.unique(np.column_stack([lo, hi]), axis=0) if len(lo) else np.zeros((0, 2), int)
    real = np.array([_longest_run(upper[i], upper[j]) >= min_segment for i, j in pairs], bool)
    pairs = pairs[real] if len(pairs) else pairs
    return pairs[:, 0], pairs[:, 1], {"n_segments_skipped": skipped}


def _longest_run(x, y):
    """Longest run of identical characters at the same offsets."""
    n = min(len(x), len(y))
    same = np.frombuffer(x[:n].encode(), np.uint8) == np.frombuffer(y[:n].encode(), np.uint8)
    if not same.any():
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], same.astype(np.int8), [0]])))
    return int((edges[1::2] - edges[::2]).max())


def _pair_table(a, b, ids, labels, upper, kinds):
    """One row per opposite-label pair (the first ``_TABLE_ROWS``), with its positional identity."""
    mixed = labels[a] != labels[b]
    a, b = a[mixed][:_TABLE_ROWS], b[mixed][:_TABLE_ROWS]
    rows = []
    for i, j in zip(a, b):
        n = min(len(upper[i]), len(upper[j]))
        same = sum(x == y for x, y in zip(upper[i], upper[j]))
        rows.append({"id_a": ids[i], "label_a": labels[i], "id_b": ids[j], "label_b": labels[j],
                     "kind": kinds, "length_a": len(upper[i]), "length_b": len(upper[j]),
                     "positional_identity": same / n if n else float("nan"),
                     "longest_shared_run": _longest_run(upper[i], upper[j])})
    columns = ["id_a", "label_a", "id_b", "label_b", "kind", "length_a", "length_b",
               "positional_identity", "longest_shared_run"]
    return pd.DataFrame(rows, columns=columns)


_KINDS = {
    "composition": ("composition_twins", "Composition twins across labels",
                    "the same length and identical dinucleotide counts (what a dinucleotide "
                    "shuffle of one leaves)"),
    "positional": ("positional_twins", "Positional twins across labels",
                   "an identical segment of at least {min_segment} bases at the same offset"),
}


def _twin_finding(kind, a, b, codes, blocks, counted, frame, upper, *, where, suffix,
                  min_segment, n_permutations, random_state, max_ids, info):
    """Observed count, relabelling null and the finding (graded after Holm by the caller)."""
    cross = suffix == "_train_test"
    who, partner = ("test records", " in train") if cross else (f"records{where}", "")
    check, title, what = _KINDS[kind]
    observed, null, p_value = relabel_null(a, b, codes, blocks, counted=counted,
                                           n_permutations=n_permutations,
                                           random_state=random_state)
    ids, labels = frame["id"].astype(str).to_numpy(), frame["label"].astype(str).to_numpy()
    table = _pair_table(a, b, ids, labels, upper, kind)
    records = [r for r in opposite_label_records(a, b, codes) if counted[r]]
    total = int(counted.sum())
    evidence = {
        "n_records_with_opposite_label_twin": observed, "n_records": total,
        "share": observed / total if total else float("nan"),
        "n_twin_pairs": int(len(a)), "n_opposite_label_pairs": int((codes[a] != codes[b]).sum()),
        "null": f"labels shuffled {n_permutations} times within each split",
        "null_mean": float(null.mean()) if len(null) else 0.0,
        "null_q99": float(np.quantile(null, 0.99)) if len(null) else 0.0,
        "p_value": p_value, "n_permutations": n_permutations,
        "example_ids": [ids[r] for r in records[:max_ids]],
        "example_pairs": [f"{x} ~ {y}" for x, y in zip(table["id_a"].head(max_ids),
                                                       table["id_b"].head(max_ids))],
        **info,
    }
    finding = Finding(
        check=f"{check}{suffix}", title=f"{title}{where}", severity="info",
        pitfall="dependent examples", value=evidence["share"], table=table,
        message=(f"{observed} of {total} {who} have a partner of another label{partner} with "
                 + what.format(min_segment=min_segment)
                 + f"; relabelled data gives {evidence['null_mean']:.1f} on average "
                   f"(99th percentile {evidence['null_q99']:.0f}), p = {p_value:.2g}."),
        evidence=evidence)
    return finding


def _grade(findings, fail, alpha_warn, alpha_fail):
    """Holm over the findings' permutation p-values, then each one's severity."""
    adjusted = holm_adjust([f.evidence["p_value"] for f in findings])
    for finding, p_adj in zip(findings, adjusted):
        ev = finding.evidence
        ev["p_adjusted"] = float(p_adj)
        ev["holm_family"] = [f.check for f in findings]
        finding.threshold = {"fail": fail, "alpha_warn": alpha_warn, "alpha_fail": alpha_fail}
        finding.severity = grade_relabelled(ev["n_records_with_opposite_label_twin"],
                                            ev["n_records"], p_adj, fail=fail,
                                            alpha_warn=alpha_warn, alpha_fail=alpha_fail)
        finding.message += f" Holm-adjusted over {len(findings)} findings: {p_adj:.2g}."
        if finding.severity == "info":
            finding.message = "Not measured: no records with a label. " + finding.message
        elif finding.severity != "pass":
            finding.recommendation = (
                "Negatives look constructed from positives (or the classes share records): a "
                "model can learn the construction instead of the biology. Sample negatives "
                "from the genome (matched for GC and length), or keep each positive and its "
                "derived negatives in one fold (SimilarityGroupKFold / groups) and report the "
                "score on independent negatives.")
        elif ev["n_opposite_label_pairs"]:
            finding.message += (f" {ev['n_opposite_label_pairs']} opposite-label twin pair(s) "
                                "exist, no more than relabelled data can give: a few pairs "
                                "cannot be told from chance, so read the table.")
    return findings


def _validate(data, sequences, name):
    if not isinstance(data, pd.DataFrame) or not {"id", "label"} <= set(data.columns):
        got = list(data.columns) if isinstance(data, pd.DataFrame) else type(data).__name__
        raise ValueError(f"{name} must be a DataFrame with 'id' and 'label' columns, got {got}.")
    if len(sequences) != len(data):
        raise ValueError(f"{name} has {len(data)} rows but {len(sequences)} sequences were "
                         "given; expected one sequence per row.")
    return [str(s).upper() for s in sequences]


def check_constructed_negatives(data, sequences, test=None, test_sequences=None, *,
                                min_segment=20, fail=0.02, n_permutations=2000,
                                alpha_warn=ALPHA_WARN, alpha_fail=ALPHA_FAIL,
                                max_group=MAX_GROUP, random_state=0, max_ids=20,
                                split_name=None):
    """Composition and positional twins of opposite labels, graded against relabelled data.

    Parameters
    ----------
    data : pandas.DataFrame
        With ``id`` and ``label``.
    sequences : list of str
    test, test_sequences : pandas.DataFrame and list of str, optional
        A labelled test set: adds ``composition_twins_train_test`` and
        ``positional_twins_train_test`` (test records with an opposite-label twin in
        training; labels shuffled within each split).
    min_segment : int, default=20
        Shared segment length of a positional twin.
    fail : float, default=0.02
        Share of records with an opposite-label twin from which a significant count fails.
    n_permutations : int, default=2000
        Relabellings of the null (the smallest p-value is ``1 / (n_permutations + 1)``).
    alpha_warn, alpha_fail : float, default=0.01, 0.001
        Holm-adjusted p-values below which a count warns / may fail.
    max_group : int, default=50
    random_state : int, default=0
    max_ids : int, default=20
        Ids listed in the evidence (the table holds up to 500 pairs).
    split_name : str, optional
        Suffix of the within-set findings (``"train"``).

    Returns
    -------
    list of Finding
        ``composition_twins``, ``positional_twins`` (with ``split_name`` as suffix) and,
        with a test set, their ``_train_test`` forms.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> pos = ["".join(rng.choice(list("ACGT"), 60)) for _ in range(30)]
    >>> def swap(s):  # P x Q x R x S -> P x R x Q x S: same dinucleotides, flanks in place
    ...     i, j, k = [m for m, c in enumerate(s) if c == s[0]][1:4]
    ...     return s[:i + 1] + s[j + 1:k + 1] + s[i + 1:j + 1] + s[k + 1:]
    >>> neg = [swap(s) for s in pos[:15]] + ["".join(rng.choice(list("ACGT"), 60))
    ...                                      for _ in range(15)]
    >>> df = pd.DataFrame({"id": [f"s{i}" for i in range(60)], "label": [1] * 30 + [0] * 30})
    >>> [(f.check, f.severity) for f in check_constructed_negatives(df, pos + neg)]
    [('composition_twins', 'fail'), ('positional_twins', 'fail')]
    """
    upper = _validate(data, sequences, "data")
    suffix, where = (f"_{split_name}", f" in {split_name}") if split_name else ("", "")
    params = dict(min_segment=min_segment, n_permutations=n_permutations,
                  random_state=random_state, max_ids=max_ids)
    if test is None:
        frame, blocks, pooled = data, np.zeros(len(data), np.int64), upper
    else:
        test_upper = _validate(test, test_sequences, "test")
        frame = pd.concat([data[["id", "label"]], test[["id", "label"]]], ignore_index=True)
        blocks = np.repeat([0, 1], [len(data), len(test)])
        pooled = upper + test_upper
    codes = label_codes(frame["label"].to_numpy())
    pooled_arr = np.array(pooled, dtype=object)
    searches = {
        "composition": composition_twin_pairs(pooled, max_group=max_group),
        "positional": positional_twin_pairs(pooled, min_segment=min_segment,
                                            max_group=max_group),
    }
    train = blocks == 0
    findings = []
    for kind, (a, b, info) in searches.items():
        inside = train[a] & train[b]
        findings.append(_twin_finding(kind, a[inside], b[inside], codes, blocks, train, frame,
                                      pooled_arr, where=where, suffix=suffix, info=info,
                                      **params))
    findings = _grade(findings, fail, alpha_warn, alpha_fail)
    if test is not None:
        cross_findings = []
        for kind, (a, b, info) in searches.items():
            cross = train[a] != train[b]
            cross_findings.append(_twin_finding(
                kind, a[cross], b[cross], codes, blocks, ~train, frame, pooled_arr,
                where=" between train and test", suffix="_train_test", info=info, **params))
        findings += _grade(cross_findings, fail, alpha_warn, alpha_fail)
    return findings


@register_check("constructed", pitfall=("dependent examples", "confounding"),
                needs=("sequences", "labels", "two_classes"), scope="per_split", order=85,
                produces=("composition_twins", "positional_twins", "composition_twins_train_test",
                          "positional_twins_train_test", "library_constant"),
                summary="negatives constructed from positives: opposite-label twins with "
                        "identical length and dinucleotide counts or a shared segment in place, "
                        "and fixed segments that predict the label, against relabelled data")
def constructed_check(ctx):
    """Registered check ``constructed``: twins per split and train/test, library constants."""
    params = dict(fail=ctx.param("leak_fail"), random_state=ctx.param("random_state"))
    data = ctx.class_data
    findings = []
    test = ctx.test if ctx.has_test and "label" in ctx.test.columns else None
    split = "train" if ctx.has_test else None
    findings += check_constructed_negatives(data, ctx.shared["seqs"], test,
                                            None if test is None else ctx.shared["test_seqs"],
                                            split_name=split, **params)
    if test is not None:
        findings[2:2] = check_constructed_negatives(test, ctx.shared["test_seqs"],
                                                    split_name="test", **params)
    findings.append(check_library_constants(
        data, ctx.shared["seqs"], max_samples=ctx.param("max_samples"),
        random_state=ctx.param("random_state"), split_name=split))
    return findings
