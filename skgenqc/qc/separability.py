"""How well one feature alone separates two classes: the shortcut metrics.

Definitions follow genomic-benchmarks-qc 1.0.0 so that numbers agree:

- the *positive* class of a pair is the first of the two in sorted order;
- AU-ROC is the Mann-Whitney probability (ties count one half), *folded*: when
  it is below 0.5 the feature is negated, so the reported value is >= 0.5;
- AU-PR is scikit-learn's step-wise average precision of the folded feature,
  with the positive class unchanged (so it depends on the class balance);
- accuracy is the best accuracy of a single threshold on the folded feature;

and skgenqc adds the two-sample Kolmogorov-Smirnov statistic, a 95 %
confidence interval of the AU-ROC (Hanley & McNeil 1982) and the AU-ROC's
two-sided Mann-Whitney p-value (normal approximation with the tie correction),
so that small classes are scored with their uncertainty instead of being
blanked out, and a maximum over many features can be graded on its evidence
(see :func:`skgenqc._core.findings.grade_significant`).  0/1 features (a base
at a position, a k-mer's presence) get the exact hypergeometric (Fisher) test
of :func:`presence_p_values`, and a sorted feature whose tail holds one class
only (every sequence longer than 210 bp is a positive) gets
:func:`pure_tail_rule`, or a band of values inside its range, :func:`pure_band_rule`.

All metrics of a feature come from one sort of its values, which is what keeps
the class checks fast at a million sequences.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
from statistics import NormalDist

METRIC_COLUMNS = ["auroc", "auroc_ci_low", "auroc_ci_high", "auprc", "accuracy", "ks",
                  "p_value", "n_positive", "n_negative"]


def _curve(scores, positive):
    """Cumulative true/false positives at each distinct threshold (descending)."""
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    y = positive[order]
    ends = np.flatnonzero(np.append(s[1:] != s[:-1], True))
    tps = np.cumsum(y)[ends].astype(np.float64)
    fps = (ends + 1).astype(np.float64) - tps
    return tps, fps


def _auc(tps, fps):
    """Area under the ROC step curve, ties counted one half.

    Computed as an exact integer sum (twice the Mann-Whitney U) so that the
    comparison with 0.5, which decides folding, has no rounding error.
    """
    tp = np.concatenate([[0], tps.astype(np.int64)])
    fp = np.concatenate([[0], fps.astype(np.int64)])
    twice_u = int(np.sum(np.diff(fp) * (tp[1:] + tp[:-1])))
    pairs = int(tp[-1]) * int(fp[-1])
    return twice_u / (2 * pairs), twice_u < pairs


def hanley_mcneil_ci(auc, n_pos, n_neg, *, level=0.95):
    """Normal-approximation confidence interval of an AU-ROC (Hanley & McNeil 1982).

    The variance is evaluated at the AU-ROC shrunk by half a pair toward 0.5,
    so that a perfect separation of a few sequences still gets a width.

    Examples
    --------
    >>> low, high = hanley_mcneil_ci(0.8, 50, 50)
    >>> round(low, 3), round(high, 3)
    (0.713, 0.887)
    """
    if n_pos < 1 or n_neg < 1:
        return float("nan"), float("nan")
    # Shrink half a pair toward 0.5 so a perfect score on a handful of sequences
    # gets an interval instead of a zero-width one (negligible for large classes).
    pairs = float(n_pos) * float(n_neg)
    auc_point = auc
    auc = (auc * pairs + 0.5) / (pairs + 1.0)
    q1 = auc / (2.0 - auc)
    q2 = 2.0 * auc * auc / (1.0 + auc)
    var = (auc * (1 - auc) + (n_pos - 1) * (q1 - auc * auc) + (n_neg - 1) * (q2 - auc * auc)) / (
        n_pos * n_neg)
    half = NormalDist().inv_cdf(0.5 + level / 2) * np.sqrt(max(var, 0.0))
    return float(max(0.0, min(auc_point, auc - half))), float(min(1.0, max(auc_point, auc + half)))


def binary_separability(values, positive):
    """Folded AU-ROC (+ CI), AU-PR, best-threshold accuracy and KS of one feature.

    Parameters
    ----------
    values : array-like of float
        The feature, one value per sequence. NaN values are left out.
    positive : array-like of bool
        True for the positive class.

    Returns
    -------
    dict
        Keys ``auroc``, ``auroc_ci_low``, ``auroc_ci_high``, ``auprc``,
        ``accuracy``, ``ks``, ``p_value`` (two-sided Mann-Whitney, see
        :func:`mann_whitney_p`), ``n_positive``, ``n_negative`` and ``flipped``
        (whether the feature was negated to fold the AU-ROC).

    Examples
    --------
    >>> r = binary_separability([1, 2, 3, 4], [False, False, True, True])
    >>> r["auroc"], r["auprc"], r["accuracy"], r["ks"]
    (1.0, 1.0, 1.0, 1.0)
    >>> binary_separability([4, 3, 2, 1], [False, False, True, True])["flipped"]
    True
    """
    values = np.asarray(values, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    keep = ~np.isnan(values)
    values, positive = values[keep], positive[keep]
    n_pos = int(positive.sum())
    n_neg = int(len(positive) - n_pos)
    out = dict.fromkeys(METRIC_COLUMNS, float("nan"))
    out.update(n_positive=n_pos, n_negative=n_neg, flipped=False)
    if n_pos == 0 or n_neg == 0:
        return out
    total = n_pos + n_neg
    if np.all(values == values[0]):  # chance, as gb-qc defines it for a constant feature
        prevalence = n_pos / total
        out.update(auroc=0.5, auprc=prevalence, accuracy=max(prevalence, 1 - prevalence), ks=0.0,
                   p_value=1.0)
        out["auroc_ci_low"], out["auroc_ci_high"] = hanley_mcneil_ci(0.5, n_pos, n_neg)
        return out
    tps, fps = _curve(values, positive)
    return _metrics_from_curve(out, tps, fps, lambda: _curve(-values, positive))


def separability_from_counts(values, n_positive, n_negative):
    """:func:`binary_separability` from a histogram: the same numbers, exactly.

    Parameters
    ----------
    values : array-like of float
        Distinct feature values (any order; NaN left out).
    n_positive, n_negative : array-like of int
        How many positive / negative sequences have each value.

    Returns
    -------
    dict
        As :func:`binary_separability`; equal to it on the sequences the
        histogram counts (the metrics depend on the data only through it).

    Examples
    --------
    >>> a = separability_from_counts([1.0, 2.0, 3.0], [0, 1, 2], [2, 1, 0])
    >>> b = binary_separability([1, 1, 2, 2, 3, 3], [False, False, False, True, True, True])
    >>> a == b
    True
    """
    values = np.asarray(values, dtype=np.float64)
    n_positive = np.asarray(n_positive, dtype=np.int64)
    n_negative = np.asarray(n_negative, dtype=np.int64)
    if not (values.shape == n_positive.shape == n_negative.shape) or values.ndim != 1:
        raise ValueError(f"values, n_positive and n_negative must be 1-d and of one length, "
                         f"got shapes {values.shape}, {n_positive.shape}, {n_negative.shape}.")
    keep = ~np.isnan(values) & ((n_positive > 0) | (n_negative > 0))
    values, n_positive, n_negative = values[keep], n_positive[keep], n_negative[keep]
    order = np.argsort(-values, kind="stable")
    values, n_positive, n_negative = values[order], n_positive[order], n_negative[order]
    if len(values) > 1 and np.any(values[1:] == values[:-1]):
        raise ValueError("values must be distinct (one histogram bin per value).")
    n_pos, n_neg = int(n_positive.sum()), int(n_negative.sum())
    out = dict.fromkeys(METRIC_COLUMNS, float("nan"))
    out.update(n_positive=n_pos, n_negative=n_neg, flipped=False)
    if n_pos == 0 or n_neg == 0:
        return out
    total = n_pos + n_neg
    if len(values) == 1:
        prevalence = n_pos / total
        out.update(auroc=0.5, auprc=prevalence, accuracy=max(prevalence, 1 - prevalence), ks=0.0,
                   p_value=1.0)
        out["auroc_ci_low"], out["auroc_ci_high"] = hanley_mcneil_ci(0.5, n_pos, n_neg)
        return out
    tps = np.cumsum(n_positive).astype(np.float64)
    fps = np.cumsum(n_negative).astype(np.float64)
    return _metrics_from_curve(out, tps, fps, lambda: (
        np.cumsum(n_positive[::-1]).astype(np.float64),
        np.cumsum(n_negative[::-1]).astype(np.float64)))


def separability_from_summary(summary, feature, positive, negative):
    """:func:`binary_separability` of one class against others, from a SequenceSummary.

    Exact: the same numbers as on the sequences themselves, from the
    summary's histograms (so from streamed or sharded data).

    Parameters
    ----------
    summary : skgenqc.features.SequenceSummary
    feature : {"length", "gc_content"}
    positive : scalar
        The positive class.
    negative : scalar or list
        The negative class, or several (one class against the rest).

    Returns
    -------
    dict

    Examples
    --------
    >>> from skgenqc.features import SequenceSummary
    >>> s = SequenceSummary(k=0).update(["GGCC", "GCAT", "ATAT", "ATTA"], [1, 1, 0, 0])
    >>> separability_from_summary(s, "gc_content", 1, 0)["auroc"]
    1.0
    """
    negatives = negative if isinstance(negative, (list, tuple)) else [negative]
    hist = {}
    for sign, labels in ((0, [positive]), (1, negatives)):
        for label in labels:
            values, counts = summary.histogram(feature, label)
            for value, count in zip(values.tolist(), counts.tolist()):
                slot = hist.setdefault(value, [0, 0])
                slot[sign] += count
    values = np.array(list(hist), dtype=np.float64)
    counts = np.array(list(hist.values()), dtype=np.int64).reshape(-1, 2)
    return separability_from_counts(values, counts[:, 0], counts[:, 1])


def _metrics_from_curve(out, tps, fps, flipped_curve):
    """Every metric of :func:`binary_separability` from the step curve of distinct values."""
    n_pos, n_neg = out["n_positive"], out["n_negative"]
    total = n_pos + n_neg
    auc, below_half = _auc(tps, fps)
    ties = np.diff(np.concatenate([[0.0], tps + fps]))  # sizes of the groups of equal values
    out["p_value"] = mann_whitney_p(max(auc, 1.0 - auc), n_pos, n_neg, ties)
    if below_half:
        tps, fps = flipped_curve()
        auc = 1.0 - auc
        out["flipped"] = True
    precision = tps / (tps + fps)
    recall_step = np.diff(np.concatenate([[0.0], tps])) / n_pos
    accuracy = np.max(np.concatenate([[n_neg], tps + (n_neg - fps)])) / total
    ks = float(np.max(np.abs(tps / n_pos - fps / n_neg)))
    low, high = hanley_mcneil_ci(auc, n_pos, n_neg)
    out.update(auroc=auc, auprc=float(np.sum(recall_step * precision)),
               accuracy=float(accuracy), ks=ks, auroc_ci_low=low, auroc_ci_high=high)
    return out


def mann_whitney_p(auroc, n_pos, n_neg, ties=None):
    """Two-sided p-value of a folded AU-ROC under "the feature is unrelated to the class".

    The normal approximation of the Mann-Whitney U test with the tie correction and a
    continuity correction of one half, as :func:`scipy.stats.mannwhitneyu` with
    ``method="asymptotic"``.

    Parameters
    ----------
    auroc : float
        Folded AU-ROC (>= 0.5), ties counted one half.
    n_pos, n_neg : int
        Class sizes.
    ties : array-like of int, optional
        Sizes of the groups of equal values (default: no ties).

    Returns
    -------
    float

    Examples
    --------
    >>> round(mann_whitney_p(0.5, 50, 50), 3)
    1.0
    >>> mann_whitney_p(0.8, 50, 50) < 1e-6
    True
    """
    n_pos, n_neg = float(n_pos), float(n_neg)
    n = n_pos + n_neg
    if n_pos < 1 or n_neg < 1 or n < 3:
        return float("nan")
    tie_term = 0.0
    if ties is not None:
        t = np.asarray(ties, dtype=np.float64)
        tie_term = float(np.sum(t ** 3 - t)) / (n * (n - 1.0))
    var = n_pos * n_neg / 12.0 * ((n + 1.0) - tie_term)
    if var <= 0:
        return 1.0
    excess = abs(auroc - 0.5) * n_pos * n_neg - 0.5
    z = max(excess, 0.0) / np.sqrt(var)
    return float(min(1.0, math.erfc(z / math.sqrt(2.0))))


def presence_p_values(count_a, n_a, count_b, n_b):
    """Two-sided exact p-values of 0/1 features (a base at a position, a k-mer's presence).

    Fisher's exact test of ``count_a`` carriers among ``n_a`` sequences against
    ``count_b`` among ``n_b``: the hypergeometric tail of the observed count, doubled
    (the smaller tail, twice, capped at 1), vectorised over features.

    Parameters
    ----------
    count_a, n_a, count_b, n_b : array-like of int
        Carriers and sequences in each class, one entry per feature (broadcast).

    Returns
    -------
    numpy.ndarray of float

    Examples
    --------
    >>> presence_p_values([10, 0], 10, [0, 0], 10).round(6).tolist()
    [1.1e-05, 1.0]
    """
    from scipy.stats import hypergeom  # imported here: scipy.stats costs half a second to load

    a, na, b, nb = np.broadcast_arrays(*(np.asarray(v, dtype=np.int64)
                                         for v in (count_a, n_a, count_b, n_b)))
    total, carriers = na + nb, a + b
    low = hypergeom.cdf(a, total, carriers, na)
    high = hypergeom.sf(a - 1, total, carriers, na)
    p = np.minimum(1.0, 2.0 * np.minimum(low, high))
    return np.where(total > 0, p, np.nan)


def pure_tail_rule(values, positive):
    """The largest tail of a feature that holds one class only, and its chance under no relation.

    A one-feature *rule* ("every sequence longer than 210 bp is a positive") can mark a
    minority of one class while the AU-ROC stays near 0.5 (10 % of one class carries it:
    AU-ROC 0.55). The tail is the set of sequences above (or below) a cut, whole groups of
    equal values at a time; its p-value is the chance that ``m`` sequences drawn at random
    are all of that class, ``C(n_c, m) / C(n, m)``, times 4 for the two tails and the two
    classes it could have been.

    Parameters
    ----------
    values : array-like of float
    positive : array-like of bool

    Returns
    -------
    dict or None
        ``side`` (``"above"`` or ``"below"``), ``cut`` (the last value outside the tail),
        ``positive`` (whether the tail is positive), ``n_rule`` (sequences in the tail),
        ``share_of_class`` (their share of their class) and ``p_value``; ``None`` when the
        feature is constant or either class is empty.

    Examples
    --------
    >>> r = pure_tail_rule([200] * 36 + [220] * 4, [False] * 20 + [True] * 20)
    >>> r["side"], r["cut"], r["n_rule"], r["share_of_class"]
    ('above', 200.0, 4, 0.2)
    """
    values = np.asarray(values, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    keep = ~np.isnan(values)
    values, positive = values[keep], positive[keep]
    n = len(values)
    n_pos = int(positive.sum())
    if n_pos == 0 or n_pos == n or np.all(values == values[0]):
        return None
    best = None
    for side, scores in (("above", -values), ("below", values)):
        order = np.argsort(scores, kind="stable")
        s, y = scores[order], positive[order]
        ends = np.flatnonzero(np.append(s[1:] != s[:-1], True))  # last index of each tie group
        pos_cum = np.cumsum(y)[ends]
        size = ends + 1
        for is_pos in (True, False):
            pure = pos_cum == size if is_pos else pos_cum == 0
            if not pure[0]:
                continue
            last = int(np.argmin(pure)) - 1 if not pure.all() else len(pure) - 1
            if last == len(pure) - 1:
                continue  # the whole feature range: a single class, nothing to cut
            m = int(size[last])
            n_class = n_pos if is_pos else n - n_pos
            log_p = float(np.sum(np.log(np.arange(n_class - m + 1, n_class + 1))
                                 - np.log(np.arange(n - m + 1, n + 1))))
            candidate = {"side": side, "cut": float(-s[ends[last] + 1] if side == "above"
                                                    else s[ends[last] + 1]),
                         "positive": is_pos, "n_rule": m, "share_of_class": m / n_class,
                         "p_value": float(min(1.0, 4.0 * math.exp(log_p)))}
            if best is None or candidate["p_value"] < best["p_value"]:
                best = candidate
    return best


def pure_band_rule(values, positive):
    """The most significant band of a feature (a range of values, not only a tail) holding one class.

    A binned one-feature rule catches what neither an AU-ROC nor a tail sees: a relation
    that is not monotone, such as 10 % of one class at 220 bp among sequences of 200 and
    240 bp in both. The values are sorted into groups of equal values; a band is a maximal
    run of consecutive groups that hold one class only. Its p-value is the chance that ``m``
    sequences drawn at random are all of that class, ``C(n_c, m) / C(n, m)``, times twice
    the number of groups (every run start, for either class): a Bonferroni bound.

    Parameters
    ----------
    values : array-like of float
    positive : array-like of bool

    Returns
    -------
    dict or None
        ``low`` and ``high`` (the band's smallest and largest value), ``positive``,
        ``n_rule``, ``share_of_class`` and ``p_value``; ``None`` when the feature is constant,
        a class is empty or no band leaves out any sequence.

    Examples
    --------
    >>> r = pure_band_rule([200] * 20 + [240] * 20 + [220] * 6,
    ...                    [False] * 10 + [True] * 10 + [False] * 10 + [True] * 10 + [True] * 6)
    >>> r["low"], r["high"], r["positive"], r["n_rule"]
    (220.0, 220.0, True, 6)
    """
    values = np.asarray(values, dtype=np.float64)
    positive = np.asarray(positive, dtype=bool)
    keep = ~np.isnan(values)
    values, positive = values[keep], positive[keep]
    n, n_pos = len(values), int(positive.sum())
    if n_pos == 0 or n_pos == n or np.all(values == values[0]):
        return None
    uniq, inverse = np.unique(values, return_inverse=True)
    size = np.bincount(inverse).astype(np.int64)
    pos = np.bincount(inverse, weights=positive).astype(np.int64)
    kind = np.where(pos == size, 1, np.where(pos == 0, 0, -1))
    starts = np.flatnonzero(np.append(True, kind[1:] != kind[:-1]))
    ends = np.append(starts[1:], len(kind))
    best = None
    for start, stop in zip(starts, ends):
        if kind[start] < 0 or (start == 0 and stop == len(kind)):
            continue
        m = int(size[start:stop].sum())
        is_pos = bool(kind[start] == 1)
        n_class = n_pos if is_pos else n - n_pos
        log_p = float(np.sum(np.log(np.arange(n_class - m + 1, n_class + 1))
                             - np.log(np.arange(n - m + 1, n + 1))))
        p = float(min(1.0, 2.0 * len(uniq) * math.exp(log_p)))
        if best is None or p < best["p_value"]:
            best = {"low": float(uniq[start]), "high": float(uniq[stop - 1]), "positive": is_pos,
                    "n_rule": m, "share_of_class": m / n_class, "p_value": p}
    return best


#: Above this many classes the class checks compare each class with the rest only: every pair
#: would be 4,950 comparisons at 100 classes (minutes of work, and a Holm correction over all of
#: them), one-vs-rest is 100.
PAIRWISE_MAX_CLASSES = 10


class _Rest:
    """The "rest" side of a one-vs-rest comparison (every class but the first side's)."""

    def __repr__(self):
        return "REST"

    def __str__(self):
        return "rest"


#: Second side of a one-vs-rest comparison in :func:`class_comparisons`.
REST = _Rest()


def class_comparisons(labels, *, one_vs_rest=True, max_pairwise=PAIRWISE_MAX_CLASSES):
    """The class comparisons every class check scores: the one plan of them.

    Every pair of classes (the first in sorted order is the positive side, as in
    genomic-benchmarks-qc), plus each class against the rest when there are
    three or more classes and ``one_vs_rest``. Above ``max_pairwise`` classes
    only the one-vs-rest comparisons are made, whatever ``one_vs_rest`` says.

    Parameters
    ----------
    labels : array-like
    one_vs_rest : bool, default=True
    max_pairwise : int, default=PAIRWISE_MAX_CLASSES

    Returns
    -------
    list of (name, a, b, mask_a, mask_b)
        ``b`` is :data:`REST` in a one-vs-rest comparison.

    Examples
    --------
    >>> [c[0] for c in class_comparisons(["b", "a", "c"], one_vs_rest=False)]
    ['a vs b', 'a vs c', 'b vs c']
    >>> [c[0] for c in class_comparisons(list(range(12)))][:2]
    ['0 vs rest', '1 vs rest']
    """
    labels = np.asarray(labels)
    classes = sorted(pd.unique(labels).tolist(), key=lambda v: (str(type(v)), v))
    out = []
    if len(classes) <= max_pairwise:
        for a, b in combinations(classes, 2):
            out.append((f"{a} vs {b}", a, b, labels == a, labels == b))
    if len(classes) > 2 and (one_vs_rest or len(classes) > max_pairwise):
        for a in classes:
            out.append((f"{a} vs rest", a, REST, labels == a, labels != a))
    return out


def comparisons(labels, *, one_vs_rest=True):
    """The class comparisons to score, as :func:`class_comparisons`, with their masks only.

    Returns a list of ``(name, positive_mask, negative_mask)``.

    Examples
    --------
    >>> [c[0] for c in comparisons(["b", "a", "c"])]
    ['a vs b', 'a vs c', 'b vs c', 'a vs rest', 'b vs rest', 'c vs rest']
    """
    return [(name, mask_a, mask_b)
            for name, _, _, mask_a, mask_b in class_comparisons(labels, one_vs_rest=one_vs_rest)]


def separability_table(features, labels, *, one_vs_rest=True):
    """Score every feature column for every class comparison.

    Parameters
    ----------
    features : pandas.DataFrame
        One column per feature, one row per sequence.
    labels : array-like
        Class of each row.
    one_vs_rest : bool, default=True
        With three or more classes, also score each class against the rest.

    Returns
    -------
    pandas.DataFrame
        One row per (comparison, feature) with the metrics of
        :func:`binary_separability`.

    Examples
    --------
    >>> f = pd.DataFrame({"gc": [0.3, 0.4, 0.6, 0.7], "len": [5, 5, 5, 5]})
    >>> t = separability_table(f, [0, 0, 1, 1])
    >>> t[["feature", "auroc"]].values.tolist()
    [['gc', 1.0], ['len', 0.5]]
    """
    rows = []
    for name, pos_mask, neg_mask in comparisons(labels, one_vs_rest=one_vs_rest):
        both = pos_mask | neg_mask
        positive = pos_mask[both]
        for column in features.columns:
            result = binary_separability(features[column].to_numpy()[both], positive)
            rows.append({"comparison": name, "feature": column, **result})
    return pd.DataFrame(rows)


def positional_separability(profile, comparison_pairs):
    """AU-ROC of "base b at position p" for each class pair, from a positional profile.

    Uses the closed form for a 0/1 feature, ``0.5 + |r1 - r2| / 2`` where
    ``r`` is the share of sequences (long enough to have the position) carrying
    the base, as genomic-benchmarks-qc does.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`skgenqc.features.composition.positional_composition`.
    comparison_pairs : list of (str, label_a, label_b)
        ``label_b`` may be :data:`REST` (class a against every other class).

    Returns
    -------
    pandas.DataFrame
        Columns ``comparison``, ``position``, ``base``, ``auroc``, ``rate_a``, ``rate_b``,
        ``n_a``, ``n_b``.
    """
    # One pass per class, then numpy per pair and one frame at the end: a frame per pair and
    # base cost minutes at 100 classes (4950 pairs), this costs seconds.
    present = set(profile.index.get_level_values(0))
    per_class = {}
    for label, part in profile.groupby(level=0, sort=False):
        positions = part.index.get_level_values(1)
        per_class[label] = (positions, part[["A", "C", "G", "T"]].to_numpy(dtype=float),
                            part["n"].to_numpy())
    if any(b is REST for _, _, b in comparison_pairs):
        # "The rest" of class a at a position: every class's carriers and sequences there
        # minus a's own.
        totals = pd.DataFrame(profile[["A", "C", "G", "T"]].to_numpy(dtype=float)
                              * profile["n"].to_numpy()[:, None], columns=list("ACGT"))
        totals["n"] = profile["n"].to_numpy()
        totals = totals.groupby(profile.index.get_level_values(1).to_numpy()).sum()
        total_pos = totals.index
        total_counts, total_n = totals[list("ACGT")].to_numpy(), totals["n"].to_numpy()
    names, chunks = [], []
    for name, a, b in comparison_pairs:
        if a not in present or (b is not REST and b not in present):
            continue
        pos_a, rates_a, n_a = per_class[a]
        if b is REST:
            at = total_pos.get_indexer(pos_a)
            n_b = total_n[at] - n_a
            keep = n_b > 0
            with np.errstate(invalid="ignore", divide="ignore"):
                rates_b = (total_counts[at] - rates_a * n_a[:, None]) / n_b[:, None]
            ia = ib = np.flatnonzero(keep)
            pos_b = pos_a
        else:
            pos_b, rates_b, n_b = per_class[b]
            keep = pos_a.isin(pos_b)      # positions both classes reach, in class a's order
            ia = np.flatnonzero(keep)
            ib = pos_b.get_indexer(pos_a[keep])
        names.append((name, len(ia)))
        chunks.append((pos_a[keep].to_numpy(), rates_a[ia], rates_b[ib], n_a[ia], n_b[ib]))
    if not chunks:
        return pd.DataFrame(columns=["comparison", "position", "base", "auroc", "rate_a",
                                     "rate_b", "n_a", "n_b"])
    # Rows as before: per comparison, per base (A, C, G, T), per common position.
    comparison = np.concatenate([np.repeat(np.array([name], dtype=object), 4 * m)
                                 for name, m in names])
    position = np.concatenate([np.tile(c[0], 4) for c in chunks])
    base = np.concatenate([np.repeat(np.array(list("ACGT"), dtype=object), m) for _, m in names])
    rate_a = np.concatenate([c[1].T.reshape(-1) for c in chunks])
    rate_b = np.concatenate([c[2].T.reshape(-1) for c in chunks])
    n_a = np.concatenate([np.tile(c[3], 4) for c in chunks])
    n_b = np.concatenate([np.tile(c[4], 4) for c in chunks])
    return pd.DataFrame({"comparison": comparison, "position": position, "base": base,
                         "auroc": 0.5 + 0.5 * np.abs(rate_a - rate_b), "rate_a": rate_a,
                         "rate_b": rate_b, "n_a": n_a, "n_b": n_b})
