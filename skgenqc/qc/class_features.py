"""Class checks: does length, GC, composition or a position alone separate the classes?

Each check scores one family of features with :mod:`skgenqc.qc.separability`
for every class comparison and reports the worst (highest folded AU-ROC) one,
as genomic-benchmarks-qc's headline rows do.  Small classes are scored with a
confidence interval; below ``min_class_size`` the verdict is ``info`` but the
numbers are still given.

The reported value is gb-qc's headline (the largest AU-ROC), but the verdict
is graded on its evidence: a feature warns or fails only if its AU-ROC reaches
the threshold *and* its p-value, Holm-adjusted over every feature and class
comparison of the family, is below ``ALPHA_WARN`` / ``ALPHA_FAIL``
(:func:`skgenqc._core.findings.grade_significant`).  Length also fails on a
one-feature rule (a tail of the length distribution that holds one class only,
:func:`skgenqc.qc.separability.pure_tail_rule`), which the AU-ROC misses when a
minority carries it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.composition import DINUCLEOTIDES, composition_table, positional_composition
from skgenqc.qc.position_rules import describe_rule, positional_kmer_rule
from skgenqc.qc.separability import (
    REST,
    class_comparisons,
    positional_separability,
    presence_p_values,
    pure_band_rule,
    pure_tail_rule,
    separability_table,
)
from skgenqc._core.findings import Finding, PlotRequest, grade_significant, holm_adjust
from skgenqc.qc._registry import register_check

FEATURE_FAMILIES = {
    "length": ("Sequence length", ["length"]),
    "gc_content": ("GC content", ["gc_content"]),
    "nucleotide_composition": ("Nucleotide composition", ["A", "C", "G", "T", "N"]),
    "dinucleotide_composition": ("Dinucleotide composition", DINUCLEOTIDES),
}

_ADVICE = {
    "length": "Trim or pad sequences to a common length, or sample negatives with matched lengths.",
    "gc_content": "Sample negatives with matched GC content (e.g. skgenqc's covariate-matched "
                  "under-sampler inside the training fold) or report a GC-only baseline.",
    "nucleotide_composition": "Match base composition between classes when sampling negatives.",
    "dinucleotide_composition": "Match dinucleotide composition (e.g. dinucleotide-shuffled "
                                "negatives) or report a composition-only baseline.",
    "positional_composition": "A base at a fixed position separates the classes: check for "
                              "anchored motifs, adapters or alignment artefacts.",
}


#: Family-wise significance levels of a warn and a fail (after the Holm adjustment over the
#: features compared). Chosen with benchmarks/calibration.py so that random sequences with random
#: labels raise any confounding warn in at most 5 % of reports and any fail in at most 1 %.
ALPHA_WARN, ALPHA_FAIL = 0.01, 0.001
#: A length rule (a pure tail) covering at least this share of its class warns / fails.
RULE_WARN, RULE_FAIL = 0.05, 0.10


def significance_evidence(p_adjusted, n_compared, graded=None):
    """The numbers behind a significance-graded verdict, for a finding's evidence."""
    out = {"n_features_compared": int(n_compared), "multiplicity": "holm",
           "alpha_warn": ALPHA_WARN, "alpha_fail": ALPHA_FAIL,
           "p_adjusted": float(p_adjusted)}
    if graded is not None:
        out["graded_on"] = graded
    return out


def _significance_text(p_adjusted, n_compared):
    noun = "feature" if n_compared == 1 else "features"
    return (f" Holm-adjusted p = {p_adjusted:.2g} over {n_compared} {noun} compared "
            f"(warn needs < {ALPHA_WARN:g}, fail < {ALPHA_FAIL:g}, besides the AU-ROC level).")


def binarize_target(labels):
    """Map a continuous target to ``"high"``/``"low"`` at its median (as gb-qc's ``--regression``).

    Examples
    --------
    >>> binarize_target([0.1, 0.5, 0.9]).tolist()
    ['low', 'high', 'high']
    """
    values = np.asarray(labels, dtype=np.float64)
    return np.where(values >= np.median(values), "high", "low")


def _headline(table, family_columns):
    sub = table[table["feature"].isin(family_columns)]
    sub = sub.dropna(subset=["auroc"])
    if sub.empty:
        return None, sub
    return sub.loc[sub["auroc"].idxmax()], sub


def check_class_features(data, packed, *, warn=0.6, fail=0.7, min_class_size=10,
                         composition=None, continuous=None):
    """Single-feature separability of length, GC, mono- and dinucleotide composition.

    Parameters
    ----------
    data : pandas.DataFrame
        With a ``label`` column (classes, or a continuous target).
    packed : PackedSequences
    warn, fail : float, default=0.6, 0.7
        Folded AU-ROC at or above which a feature warns / fails (gb-qc uses the same levels).
    min_class_size : int, default=10
        Below this many sequences in a compared class, the verdict is ``info``.
    composition : pandas.DataFrame, optional
        Precomputed :func:`composition_table`.
    continuous : array-like of float, optional
        The original continuous target; adds Spearman correlations to the evidence.

    Returns
    -------
    findings : list of Finding
    table : pandas.DataFrame
        All (comparison, feature) metrics.
    """
    if composition is None:
        composition = composition_table(None, packed=packed)
    labels = data["label"].to_numpy()
    features = composition[["length", "gc_content", "A", "C", "G", "T", "N"] + DINUCLEOTIDES]
    table = separability_table(features, labels)
    sizes = pd.Series(labels).value_counts()
    small = int(sizes.min()) < min_class_size
    findings = []
    for check, (title, columns) in FEATURE_FAMILIES.items():
        best, sub = _headline(table, columns)
        if best is None:
            continue
        p_adjusted = holm_adjust(sub["p_value"].to_numpy())
        sub = sub.assign(p_adjusted=p_adjusted)
        best = sub.loc[best.name]
        severity, index = grade_significant(sub["auroc"], p_adjusted, warn, fail,
                                            alpha_warn=ALPHA_WARN, alpha_fail=ALPHA_FAIL)
        graded = None if index is None else sub.iloc[index]
        evidence = {
            "comparison": best["comparison"], "feature": best["feature"],
            "auroc": best["auroc"], "auroc_ci95": [best["auroc_ci_low"], best["auroc_ci_high"]],
            "auprc": best["auprc"], "accuracy": best["accuracy"], "ks": best["ks"],
            "p_value": best["p_value"],
            "class_sizes": sizes.to_dict(),
            "higher_in": best["comparison"].split(" vs ")[1 if best["flipped"] else 0],
            **significance_evidence(best["p_adjusted"], len(sub),
                                    None if graded is None or graded.name == best.name
                                    else f"{graded['feature']} ({graded['comparison']}), "
                                         f"AU-ROC {graded['auroc']:.3f}, Holm-adjusted p "
                                         f"{graded['p_adjusted']:.2g}"),
        }
        rule_text = ""
        if check in _RULE_FEATURES:
            feature, what, unit = _RULE_FEATURES[check]
            rule, rule_severity = _value_rule(features[feature].to_numpy(), labels)
            if rule is not None:
                evidence[f"{check}_rule" if check != "length" else "length_rule"] = rule
                if rule_severity != "pass":
                    rule_text = _rule_text(rule, feature, unit, what)
                if _RANK[rule_severity] > _RANK[severity]:
                    severity = rule_severity
        if small:
            severity = "info"
        if continuous is not None:
            column = features[best["feature"]].to_numpy()
            constant = np.all(column == column[0]) or np.all(continuous == continuous[0])
            from scipy import stats  # imported here: scipy.stats costs half a second to load

            evidence["spearman_rho"] = float("nan") if constant else float(
                stats.spearmanr(column, continuous).statistic)
        means = features.groupby(labels)[best["feature"]].mean()
        evidence["mean_per_class"] = means.to_dict()
        message = (f"{title}: {best['feature']} separates {best['comparison']} with AU-ROC "
                   f"{best['auroc']:.3f} (95% CI {best['auroc_ci_low']:.3f}-"
                   f"{best['auroc_ci_high']:.3f}), AU-PR {best['auprc']:.3f}, best-threshold "
                   f"accuracy {best['accuracy']:.3f}, KS {best['ks']:.3f}."
                   + _significance_text(best["p_adjusted"], len(sub)) + rule_text)
        if small:
            message += f" The smallest class has {int(sizes.min())} sequences (< {min_class_size}): " \
                       "read the interval, not the point."
        findings.append(Finding(
            check=check, title=title, severity=severity, pitfall="confounding",
            value=float(best["auroc"]), threshold={"warn": warn, "fail": fail},
            message=message, recommendation=_ADVICE[check] if severity in ("warn", "fail") else "",
            evidence=evidence,
            table=sub.sort_values("auroc", ascending=False).reset_index(drop=True),
            figures=[f"distribution_{check}"] if check in ("length", "gc_content") else []))
    return findings, table


_RANK = {"info": 0, "pass": 0, "warn": 1, "fail": 2}


def _rule_severity(share, p_adjusted):
    """The verdict of a one-feature rule from the share of its class and its adjusted p."""
    return ("fail" if share >= RULE_FAIL and p_adjusted < ALPHA_FAIL else
            "warn" if share >= RULE_WARN and p_adjusted < ALPHA_WARN else "pass")


#: Families graded on a one-feature rule too: the feature, what its artefact is, its unit.
_RULE_FEATURES = {"length": ("length", "a length or padding artefact", " nt"),
                  "nucleotide_composition": ("N", "a padding or masking artefact (N runs)", "")}


def _rule_text(rule, feature, unit, what):
    """The sentence of a tail or band rule of one feature."""
    if "side" in rule:
        where = f"{rule['side']} {rule['cut']:g}{unit}"
    elif rule["low"] == rule["high"]:
        where = f"at {rule['low']:g}{unit}"
    else:
        where = f"from {rule['low']:g} to {rule['high']:g}{unit}"
    name = "sequence" if feature == "length" else f"sequence with {feature} fraction"
    return (f" A one-feature rule: every {name} {where} ({rule['n_rule']}, "
            f"{rule['share_of_class']:.1%} of class {rule['class']}) is class {rule['class']} "
            f"(p = {rule['p_adjusted']:.2g} for random labels): {what}.")


def _value_rule(values, labels):
    """The most significant pure tail or band of one feature over the class pairs."""
    best = None
    plan = class_comparisons(labels, one_vs_rest=False)
    for name, a, b, mask_a, mask_b in plan:
        both = mask_a | mask_b
        for finder in (pure_tail_rule, pure_band_rule):
            rule = finder(values[both], mask_a[both])
            if rule is None:
                continue
            rule = {"comparison": name, "kind": "tail" if finder is pure_tail_rule else "band",
                    "class": a if rule.pop("positive") else (str(REST) if b is REST else b),
                    **rule}
            if best is None or rule["p_value"] < best["p_value"]:
                best = rule
    if best is None:
        return None, "pass"
    n_pairs = max(1, len(plan))
    best["p_adjusted"] = min(1.0, best["p_value"] * n_pairs)
    severity = _rule_severity(best["share_of_class"], best["p_adjusted"])
    best["class"] = best["class"].item() if hasattr(best["class"], "item") else best["class"]
    return best, severity


def check_positional(data, packed, *, warn=0.6, fail=0.7, min_class_size=10, max_positions=None,
                     max_samples=20000, random_state=0):
    """Per-position base composition from both ends, scored per class pair, and k-mer rules.

    Positions are scored only where both classes have at least
    ``min_class_size`` sequences long enough to reach them. A base's AU-ROC grades as the
    other class features do; besides, the most significant fixed-position k-mer rule
    (:func:`skgenqc.qc.position_rules.positional_kmer_rule`, k = 1-6 from either end, e.g.
    "TATAAA at 151-156 means positive", or "no GT at 151 means negative") warns or fails on
    the share of its class it covers (``RULE_WARN`` / ``RULE_FAIL``) and its
    Bonferroni-adjusted p-value (``ALPHA_WARN`` / ``ALPHA_FAIL``): a word at a fixed offset
    is an artefact a model learns, even when it marks too few sequences to move an AU-ROC.

    Returns
    -------
    finding : Finding or None
    profiles : dict
        ``{"start": DataFrame, "end": DataFrame}`` positional profiles for plotting.
    """
    labels = data["label"].to_numpy()
    if max_positions is None:
        max_positions = int(min(np.percentile(packed.lengths, 95), 2000)) if len(packed.lengths) else 0
    if max_positions < 1:
        return None, {}
    pairs = [(name, a, b) for name, a, b, _, _ in class_comparisons(labels, one_vs_rest=False)]
    profiles, tables = {}, []
    for end in ("start", "end"):
        profile = positional_composition(None, labels, max_positions=max_positions,
                                         from_end=end == "end", packed=packed)
        profiles[end] = profile
        t = positional_separability(profile, pairs)
        t["from"] = end
        tables.append(t)
    table = pd.concat(tables, ignore_index=True)
    table = table[(table["n_a"] >= min_class_size) & (table["n_b"] >= min_class_size)]
    if table.empty:
        return None, profiles
    counts = [np.rint(table[f"rate_{s}"] * table[f"n_{s}"]).astype(np.int64) for s in "ab"]
    table = table.assign(p_value=presence_p_values(counts[0], table["n_a"], counts[1],
                                                   table["n_b"]))
    table = table.assign(p_adjusted=holm_adjust(table["p_value"].to_numpy()))
    best = table.loc[table["auroc"].idxmax()]
    severity, index = grade_significant(table["auroc"], table["p_adjusted"], warn, fail,
                                        alpha_warn=ALPHA_WARN, alpha_fail=ALPHA_FAIL)
    graded = None if index is None else table.iloc[index]
    graded_text = None
    if graded is not None and graded.name != best.name:
        graded_text = (f"base {graded['base']} at position {int(graded['position']) + 1} from "
                       f"the {graded['from']} ({graded['comparison']}), AU-ROC "
                       f"{graded['auroc']:.3f}, Holm-adjusted p {graded['p_adjusted']:.2g}")
    evidence = {k: (v.item() if hasattr(v, "item") else v) for k, v in best.items()}
    evidence.update(significance_evidence(best["p_adjusted"], len(table), graded_text))
    rule = positional_kmer_rule(packed, labels, max_positions=min(max_positions, 500),
                                min_class_size=min_class_size, max_samples=max_samples,
                                random_state=random_state)
    rule_text = ""
    if rule is not None:
        rule_severity = _rule_severity(rule["share_of_class"], rule["p_adjusted"])
        evidence["position_rule"] = rule
        if rule_severity != "pass":
            rule_text = " " + describe_rule(rule)
        if _RANK[rule_severity] > _RANK[severity]:
            severity = rule_severity
    finding = Finding(
        check="positional_composition", title="Per-position base composition (both ends)",
        severity=severity, pitfall="confounding", value=float(best["auroc"]),
        threshold={"warn": warn, "fail": fail},
        message=(f"Base {best['base']} at position {int(best['position']) + 1} from the "
                 f"{best['from']} separates {best['comparison']} with AU-ROC {best['auroc']:.3f} "
                 f"({best['rate_a']:.1%} vs {best['rate_b']:.1%} of sequences)."
                 + _significance_text(best["p_adjusted"], len(table)) + rule_text),
        recommendation=_ADVICE["positional_composition"] if severity in ("warn", "fail") else "",
        evidence=evidence,
        table=table.sort_values("auroc", ascending=False).head(200).reset_index(drop=True),
        figures=["positional_start", "positional_end"])
    return finding, profiles


@register_check("composition", pitfall="confounding", needs=("sequences", "labels", "two_classes"),
                order=30,
                produces=tuple(FEATURE_FAMILIES),
                summary="each feature alone as a classifier: folded AU-ROC with a 95 % interval, "
                        "AU-PR, best-threshold accuracy, KS")
def composition_check(ctx):
    """Registered check ``composition``: :func:`check_class_features` plus the class histograms."""
    composition = ctx.shared["composition"]
    findings, table = check_class_features(
        ctx.class_data, ctx.shared["packed"], warn=ctx.param("auroc_warn"),
        fail=ctx.param("auroc_fail"), min_class_size=ctx.param("min_class_size"),
        composition=composition, continuous=ctx.continuous_values)
    ctx.shared["class_features_table"] = table  # the lookup check reports its best rule
    labels = ctx.class_data["label"].to_numpy()
    for column, xlabel in (("length", "length (nt)"), ("gc_content", "GC fraction")):
        values = composition[column].to_numpy()
        by_class = {str(c): values[labels == c] for c in pd.unique(labels)}
        ctx.figures[f"distribution_{column}"] = PlotRequest(
            "plot_class_distributions", by_class, xlabel, f"{xlabel} per class")
    return findings


@register_check("positional", pitfall="confounding", needs=("sequences", "labels", "two_classes"),
                order=40,
                produces=("positional_composition",),
                summary="the base at each position, from both ends, and fixed-position k-mer "
                        "rules (k = 1-6)")
def positional_check(ctx):
    """Registered check ``positional``: :func:`check_positional` plus the profiles' figures."""
    finding, profiles = check_positional(
        ctx.class_data, ctx.shared["packed"], warn=ctx.param("auroc_warn"),
        fail=ctx.param("auroc_fail"), min_class_size=ctx.param("min_class_size"),
        max_samples=ctx.param("max_samples"), random_state=ctx.param("random_state"))
    for end, profile in profiles.items():
        by_class = {str(c): profile.loc[c][["A", "C", "G", "T"]]
                    for c in profile.index.get_level_values(0).unique()}
        ctx.figures[f"positional_{end}"] = PlotRequest(
            "plot_position_composition", by_class, from_end="5'" if end == "start" else "3'")
    return [] if finding is None else [finding]
