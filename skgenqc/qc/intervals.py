"""Interval leakage: identical and overlapping intervals across train/test, duplicates within.

Coordinates are 0-based half-open; two intervals overlap when they share at
least ``min_overlap`` bases (default 1).  Strand is ignored: the two strands of
one locus carry the same information.  Chromosome names are compared after
:func:`skgenqc._core.genome.normalize_chromosome` (``1`` is ``chr1``), through
:func:`skgenqc._core.genome.interval_keys`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc._core.findings import Finding, grade_share
from skgenqc._core.genome import interval_keys, normalize_chromosome
from skgenqc.qc._registry import register_check


def overlapping_pairs(query, target, *, min_overlap=1):
    """For each query interval, one target interval it overlaps (the one reaching furthest).

    Parameters
    ----------
    query, target : pandas.DataFrame
        With ``chrom``, ``start``, ``end``.
    min_overlap : int, default=1
        Minimal shared bases.

    Returns
    -------
    numpy.ndarray of int64
        Row position in ``target`` of an overlapping interval, or -1.

    Examples
    --------
    >>> q = pd.DataFrame({"chrom": ["1", "1", "2"], "start": [0, 50, 0], "end": [10, 60, 5]})
    >>> t = pd.DataFrame({"chrom": ["chr1", "1"], "start": [5, 100], "end": [20, 200]})
    >>> overlapping_pairs(q, t).tolist()
    [0, -1, -1]
    """
    hit = np.full(len(query), -1, dtype=np.int64)
    q_chrom = normalize_chromosome(query["chrom"].to_numpy()).astype(str)
    t_chrom = normalize_chromosome(target["chrom"].to_numpy()).astype(str)
    for chrom in np.intersect1d(np.unique(q_chrom), np.unique(t_chrom)):
        qi = np.flatnonzero(q_chrom == chrom)
        ti = np.flatnonzero(t_chrom == chrom)
        order = np.argsort(target["start"].to_numpy()[ti], kind="stable")
        ti = ti[order]
        t_start = target["start"].to_numpy()[ti]
        t_end = target["end"].to_numpy()[ti]
        # Running maximum of end (and who reaches it) over targets sorted by start.
        reach_pos = np.maximum.accumulate(np.where(t_end == np.maximum.accumulate(t_end),
                                                   np.arange(len(ti)), 0))
        reach = t_end[reach_pos]
        q_start = query["start"].to_numpy()[qi]
        q_end = query["end"].to_numpy()[qi]
        last = np.searchsorted(t_start, q_end - min_overlap, side="right") - 1
        ok = last >= 0
        cand = reach_pos[np.maximum(last, 0)]
        shared = np.minimum(q_end, t_end[cand]) - np.maximum(q_start, t_start[cand])
        ok &= reach[np.maximum(last, 0)] - q_start >= min_overlap
        ok &= shared >= min_overlap
        hit[qi[ok]] = ti[cand[ok]]
    return hit


def _key(frame):
    return interval_keys(frame).to_numpy(dtype=object)


def check_interval_duplicates(data, *, warn=0.0, fail=0.02, split_name=None, max_ids=50):
    """Identical intervals within one set (strand ignored, chromosome names normalised).

    Parameters
    ----------
    data : pandas.DataFrame
        With ``chrom``, ``start``, ``end`` and ``id``.
    warn, fail : float, default=0.0, 0.02
        Share of redundant intervals (copies beyond the first).
    split_name : str, optional
        Suffix for the check name.

    Returns
    -------
    Finding

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b", "c"], "chrom": ["1", "chr1", "2"],
    ...                    "start": [5, 5, 5], "end": [9, 9, 9]})
    >>> f = check_interval_duplicates(df)
    >>> f.severity, f.evidence["n_redundant"]
    ('fail', 1)
    """
    suffix = f"_{split_name}" if split_name else ""
    where = f" in {split_name}" if split_name else ""
    keys = pd.Series(_key(data))
    dup = keys.duplicated(keep=False).to_numpy()
    extra = int(keys.duplicated(keep="first").sum())
    severity, share = grade_share(extra, len(data), warn=warn, fail=fail)
    ids = data["id"].astype(str).to_numpy()
    table = pd.DataFrame({"interval": keys[dup].to_numpy(), "id": ids[dup]})
    if "label" in data.columns:
        table["label"] = data["label"].astype(str).to_numpy()[dup]
    grouped = table.groupby("interval", sort=False).agg(
        n_copies=("id", "size"), ids=("id", lambda s: ", ".join(s))).reset_index()
    grouped = grouped.sort_values("n_copies", ascending=False, kind="stable").reset_index(drop=True)
    return Finding(
        check=f"interval_duplicates{suffix}", title=f"Duplicate intervals{where}", severity=severity,
        pitfall="dependent examples", value=float(share), threshold={"warn": warn, "fail": fail},
        message=f"{extra} of {len(data)} intervals ({share:.2%}) repeat another interval{where}.",
        recommendation="Deduplicate intervals before splitting." if extra else "",
        evidence={"n_redundant": extra, "percent_redundant": 100 * share,
                  "n_groups": int(len(grouped)), "example_groups": grouped["ids"].head(max_ids).tolist()},
        table=grouped)


def _windows(frame, context):
    """The input windows: each interval widened by ``context`` bp on both sides (from 0)."""
    return frame.assign(start=np.maximum(frame["start"].to_numpy() - context, 0),
                        end=frame["end"].to_numpy() + context)


def check_interval_leakage(train, test, *, min_overlap=1, context=0, warn=0.0, fail=0.02,
                           max_ids=50):
    """Test intervals identical to, or overlapping, training intervals (or their windows).

    Parameters
    ----------
    train, test : pandas.DataFrame
        With ``chrom``, ``start``, ``end`` and ``id``.
    min_overlap : int, default=1
    context : int, default=0
        Flanking bases a model reads on each side of an interval.  When
        positive, a third finding ``interval_window_overlap_train_test`` counts
        the test intervals whose window (the interval plus ``context`` bp each
        side) overlaps a training window: intervals less than ``2 * context`` bp
        apart share input sequence although the intervals do not overlap.
    warn, fail : float
        Share of leaked test intervals.

    Returns
    -------
    list of Finding
        ``interval_identical_train_test`` and ``interval_overlap_train_test``
        (and ``interval_window_overlap_train_test`` when ``context > 0``).

    Examples
    --------
    >>> train = pd.DataFrame({"id": ["r"], "chrom": ["chr1"], "start": [100], "end": [200]})
    >>> test = pd.DataFrame({"id": ["q"], "chrom": ["1"], "start": [100], "end": [200]})
    >>> [(f.check, f.severity) for f in check_interval_leakage(train, test)]
    [('interval_identical_train_test', 'fail'), ('interval_overlap_train_test', 'fail')]
    >>> near = pd.DataFrame({"id": ["q"], "chrom": ["1"], "start": [250], "end": [300]})
    >>> [(f.check, f.value) for f in check_interval_leakage(train, near, context=30)][1:]
    [('interval_overlap_train_test', 0.0), ('interval_window_overlap_train_test', 1.0)]
    """
    if isinstance(context, (bool, np.bool_)) or not isinstance(context, (int, np.integer)) \
            or context < 0:
        raise ValueError(f"context={context!r} is not a number of bases; expected a whole "
                         "number >= 0.")
    findings = []
    train_keys = pd.Series(_key(train))
    test_keys = _key(test)
    # pandas' hash-based isin: numpy's isin on object strings is quadratic-slow.
    identical = pd.Series(test_keys).isin(train_keys).to_numpy()
    first_train = pd.Series(train["id"].astype(str).to_numpy(), index=train_keys).groupby(level=0).first()
    test_ids = test["id"].astype(str).to_numpy()
    table = pd.DataFrame({"test_id": test_ids[identical], "interval": test_keys[identical],
                          "train_id": first_train.reindex(test_keys[identical]).to_numpy()})
    severity, share = grade_share(int(identical.sum()), len(test), warn=warn, fail=fail)
    findings.append(Finding(
        check="interval_identical_train_test", title="Test intervals identical to training intervals",
        severity=severity,
        pitfall="dependent examples", value=float(share), threshold={"warn": warn, "fail": fail},
        message=f"{int(identical.sum())} of {len(test)} test intervals ({share:.2%}) also occur in training.",
        recommendation="Remove them from the test set or split by chromosome." if identical.any() else "",
        evidence={"n_test_identical": int(identical.sum()), "percent_test_identical": 100 * share,
                  "example_pairs": [f"{a} = {b}" for a, b in zip(table["test_id"].head(max_ids),
                                                                 table["train_id"].head(max_ids))]},
        table=table))
    hit = overlapping_pairs(test, train, min_overlap=min_overlap)
    overlap = hit >= 0
    severity, share = grade_share(int(overlap.sum()), len(test), warn=warn, fail=fail)
    train_ids = train["id"].astype(str).to_numpy()
    otable = pd.DataFrame({"test_id": test_ids[overlap], "test_interval": test_keys[overlap],
                           "train_id": train_ids[hit[overlap]],
                           "train_interval": _key(train)[hit[overlap]]})
    findings.append(Finding(
        check="interval_overlap_train_test", title="Test intervals overlapping training intervals",
        severity=severity,
        pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail, "min_overlap_bp": min_overlap},
        message=(f"{int(overlap.sum())} of {len(test)} test intervals ({share:.2%}) overlap a training "
                 f"interval by >= {min_overlap} bp (identical ones included)."),
        recommendation=("Split by chromosome or by genomic block with a gap "
                        "(ChromosomeKFold, GenomicBlockKFold)." if overlap.any() else ""),
        evidence={"n_test_overlapping": int(overlap.sum()), "percent_test_overlapping": 100 * share,
                  "example_pairs": [f"{a} ~ {b}" for a, b in zip(otable["test_id"].head(max_ids),
                                                                 otable["train_id"].head(max_ids))]},
        table=otable))
    if context > 0:
        findings.append(_window_finding(train, test, hit, context, min_overlap, warn, fail,
                                        max_ids))
    return findings


def _window_finding(train, test, interval_hit, context, min_overlap, warn, fail, max_ids):
    """``interval_window_overlap_train_test``: test windows overlapping training windows."""
    hit = overlapping_pairs(_windows(test, context), _windows(train, context),
                            min_overlap=min_overlap)
    overlap = hit >= 0
    n, n_beyond = int(overlap.sum()), int((overlap & (interval_hit < 0)).sum())
    severity, share = grade_share(n, len(test), warn=warn, fail=fail)
    test_ids, train_ids = test["id"].astype(str).to_numpy(), train["id"].astype(str).to_numpy()
    table = pd.DataFrame({"test_id": test_ids[overlap], "test_interval": _key(test)[overlap],
                          "train_id": train_ids[hit[overlap]],
                          "train_interval": _key(train)[hit[overlap]],
                          "intervals_overlap": interval_hit[overlap] >= 0})
    return Finding(
        check="interval_window_overlap_train_test",
        title=f"Test input windows (+/- {context} bp) overlapping training windows",
        severity=severity, pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail, "context_bp": context, "min_overlap_bp": min_overlap},
        message=(f"{n} of {len(test)} test intervals ({share:.2%}) have an input window (interval "
                 f"+/- {context} bp) overlapping a training window; {n_beyond} of them do not "
                 "overlap a training interval themselves."),
        recommendation=(f"Split by chromosome, or by genomic block with a gap of at least "
                        f"{2 * context} bp (GenomicBlockKFold(gap=...), skgenqc split --by block "
                        f"--context {context})." if n else ""),
        evidence={"n_test_window_overlapping": n, "percent_test_window_overlapping": 100 * share,
                  "n_beyond_interval_overlap": n_beyond, "context_bp": context,
                  "example_pairs": [f"{a} ~ {b}" for a, b in zip(table["test_id"].head(max_ids),
                                                                 table["train_id"].head(max_ids))]},
        table=table)


@register_check("intervals", pitfall="dependent examples", needs=("intervals",), order=120,
                produces=("interval_duplicates", "interval_identical_train_test",
                          "interval_overlap_train_test", "interval_window_overlap_train_test"),
                scope="per_split",
                summary="identical intervals within each split, and test intervals identical to "
                        "or overlapping training ones (chromosome names normalised), when "
                        "chrom, start, end are given; with context, test input windows "
                        "(interval +/- context bp) overlapping training windows")
def intervals_check(ctx):
    """Registered check ``intervals``: duplicates per split, then train/test leakage."""
    fail = ctx.param("leak_fail")
    findings = [check_interval_duplicates(frame, fail=fail, split_name=split)
                for split, frame in ctx.frames() if ctx.has_intervals(frame)]
    if ctx.has_test and ctx.has_intervals(ctx.test):
        findings.extend(check_interval_leakage(ctx.data, ctx.test, fail=fail,
                                               context=int(ctx.param("context"))))
    return findings
