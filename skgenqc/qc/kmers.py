"""k-mer enrichment up to k = 6 and the multivariate "shortcut score".

Single-feature checks miss a motif carried by a minority of one class (its
per-position AU-ROC stays low because it is diluted over positions).  Two
checks see it: *k-mer presence* (the share of sequences containing a k-mer,
scored per class pair with the closed-form AU-ROC ``0.5 + |p_a - p_b| / 2``) and
the *shortcut score*, the out-of-fold AU-ROC of a plain logistic regression
trained on composition and k-mer frequencies only: if it is high, a model can
reach a good score without learning any biology beyond composition.

Both are graded on their evidence, not on the size of a maximum: a k-mer warns
only if its presence AU-ROC reaches the level and its exact (Fisher) p-value,
Holm-adjusted over every k-mer and class pair scored, is below ``ALPHA_WARN``.
Enrichment of a k-mer anywhere in the sequence may be the very biology the
model should learn, so it is at most a warn ("biology or artefact? check");
a k-mer at a fixed position fails through ``positional_composition``.  The
shortcut model cross-validates with near-copies kept in one fold, and its
out-of-fold AU-ROC is tested against chance (Mann-Whitney p of the out-of-fold
scores); an AU-ROC far *below* 0.5 is a finding of its own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from skgenqc.features.encoding import pack_sequences
from skgenqc.features.kmers import kmer_count_matrix
from skgenqc.qc.class_features import (
    ALPHA_FAIL,
    ALPHA_WARN,
    _significance_text,
    significance_evidence,
)
from skgenqc.qc.separability import REST, class_comparisons, mann_whitney_p, presence_p_values
from skgenqc._core.findings import Finding, grade_significant, holm_adjust
from skgenqc.qc._registry import register_check


def _subsample(labels, max_samples, random_state):
    """Stratified subsample of row indices (all rows when small enough)."""
    n = len(labels)
    if n <= max_samples:
        return np.arange(n)
    rng = np.random.default_rng(random_state)
    keep = []
    for label in pd.unique(labels):
        rows = np.flatnonzero(labels == label)
        take = max(1, int(round(max_samples * len(rows) / n)))
        keep.append(rng.choice(rows, size=min(take, len(rows)), replace=False))
    return np.sort(np.concatenate(keep))


def check_kmer_enrichment(data, sequences, *, k_values=(3, 4, 5, 6), canonical=True,
                          warn=0.6, fail=0.7, min_class_size=10, max_samples=20000,
                          random_state=0, top=50, min_share=0.05, adjusted_fold_warn=4.0):
    """k-mers whose presence separates two classes.

    Parameters
    ----------
    data : pandas.DataFrame
        With ``label``.
    sequences : list of str
    k_values : iterable of int, default=(3, 4, 5, 6)
    canonical : bool, default=True
        Count a k-mer and its reverse complement together.
    warn, fail : float
        Presence AU-ROC levels.
    max_samples : int, default=20000
        Score on a stratified subsample of at most this many sequences.
    min_share : float, default=0.05
        A k-mer enters the composition-adjusted ranking only if at least this
        share of one class contains it.
    adjusted_fold_warn : float, default=4.0
        Observed/expected contrast (between classes, longest k) from which the
        check warns even when the raw presence AU-ROC passes.

    Returns
    -------
    Finding
        The table lists the top k-mers by presence AU-ROC, then by the
        composition-adjusted ratio ``adjusted_log2_ratio``.
    """
    labels = data["label"].to_numpy()
    rows = _subsample(labels, max_samples, random_state)
    packed = pack_sequences([sequences[i] for i in rows])
    sub_labels = labels[rows]
    # One plan of class comparisons for every class check (all pairs, or each class against
    # the rest above PAIRWISE_MAX_CLASSES classes).
    plan = class_comparisons(sub_labels, one_vs_rest=False)
    seq_index = packed.sequence_index()
    sides = {}

    def side(mask):
        """Base frequencies and mean length of the sequences in ``mask``."""
        codes = packed.codes[mask[seq_index]]
        counts = np.bincount(codes[codes < 4], minlength=4).astype(np.float64)
        return counts / max(counts.sum(), 1.0), float(packed.lengths[mask].mean())

    for _, a, b, mask_a, mask_b in plan:
        for key, mask in ((a, mask_a), ((REST, a) if b is REST else b, mask_b)):
            if key not in sides:
                sides[key] = (mask, *side(mask))
    tables = []
    for k in k_values:
        presence, names = kmer_count_matrix(packed, k, canonical=canonical, presence=True)
        share, expected = {}, {}
        for key, (mask, freq, mean_len) in sides.items():
            share[key] = np.asarray(presence[mask].mean(axis=0)).ravel()
            expected[key] = _expected_presence(names, freq, mean_len, canonical)
        for name, a, b, mask_a, mask_b in plan:
            key_b = (REST, a) if b is REST else b
            n_a, n_b = int(mask_a.sum()), int(mask_b.sum())
            if min(n_a, n_b) < min_class_size:
                continue
            diff = share[a] - share[key_b]
            # Observed/expected presence per class, expected from the class's own
            # base composition: a motif stands out even against a GC shift.
            # Pseudo-counts of 5 sequences keep rare k-mers from producing huge ratios.
            oe_a = (share[a] + 5.0 / n_a) / (expected[a] + 5.0 / n_a)
            oe_b = (share[key_b] + 5.0 / n_b) / (expected[key_b] + 5.0 / n_b)
            tables.append(pd.DataFrame({
                "comparison": name, "k": k, "kmer": names,
                "auroc": 0.5 + 0.5 * np.abs(diff), "share_a": share[a], "share_b": share[key_b],
                "enriched_in": np.where(diff >= 0, str(a), str(b)),
                "adjusted_log2_ratio": np.log2(oe_a / oe_b),
                # After the composition adjustment the side can flip; say which it is, so
                # the sign of the ratio and a class label never disagree in one row.
                "adjusted_enriched_in": np.where(oe_a >= oe_b, str(a), str(b)),
                "n_a": n_a, "n_b": n_b,
            }))
    if not tables:
        return Finding(check="kmer_enrichment", title="k-mer presence per class", severity="info",
                       pitfall="confounding", message="Too few sequences per class to score k-mers.")
    table = pd.concat(tables, ignore_index=True)
    counts = [np.rint(table[f"share_{c}"] * table[f"n_{c}"]).astype(np.int64) for c in "ab"]
    table["p_value"] = presence_p_values(counts[0], table["n_a"], counts[1], table["n_b"])
    table["p_adjusted"] = holm_adjust(table["p_value"].to_numpy())
    table = table.sort_values(["auroc", "p_value"], ascending=[False, True], kind="stable")
    best = table.iloc[0]
    # A k-mer enriched anywhere in the sequence may be the biology itself: at most a warn.
    severity, index = grade_significant(table["auroc"], table["p_adjusted"], warn, fail,
                                        alpha_warn=ALPHA_WARN, alpha_fail=ALPHA_FAIL, cap="warn")
    graded = None if index is None else table.iloc[index]
    kind = "canonical " if canonical else ""
    # The composition-adjusted view: the largest observed/expected contrast among
    # k-mers present in at least min_share of the class they are enriched in.
    carriers = np.maximum(table["share_a"] * table["n_a"], table["share_b"] * table["n_b"])
    support = (np.maximum(table["share_a"], table["share_b"]) >= min_share) & (carriers >= 20)
    adjusted = table[support & (table["k"] == max(k_values))]
    motif = adjusted.loc[adjusted["adjusted_log2_ratio"].abs().idxmax()] if len(adjusted) else None
    motif_text = ""
    if motif is not None:
        fold = 2 ** abs(motif["adjusted_log2_ratio"])
        side = motif["comparison"].split(" vs ")[0 if motif["adjusted_log2_ratio"] > 0 else 1]
        motif_text = (f" Adjusted for each class's base composition, the most enriched "
                      f"{int(motif['k'])}-mer is {motif['kmer']} ({fold:.1f}-fold in {side}; in "
                      f"{motif['share_a']:.1%} vs {motif['share_b']:.1%} of sequences).")
        if (fold >= adjusted_fold_warn and severity == "pass"
                and motif["p_adjusted"] < ALPHA_WARN):
            severity = "warn"
    return Finding(
        check="kmer_enrichment", title=f"k-mer presence per class (k = {min(k_values)}-{max(k_values)})",
        severity=severity, pitfall="confounding", value=float(best["auroc"]),
        threshold={"warn": warn, "fail": fail},
        message=(f"The {kind}{int(best['k'])}-mer {best['kmer']} occurs in {best['share_a']:.1%} vs "
                 f"{best['share_b']:.1%} of sequences ({best['comparison']}): presence AU-ROC "
                 f"{best['auroc']:.3f}." + motif_text
                 + _significance_text(best["p_adjusted"], len(table))
                 + (" Biology or artefact? check: enrichment at any position is at most a "
                    "warn." if severity != "pass" else "")),
        recommendation=("A short word marks one class: biology or artefact? check whether it is "
                        "the biology you want the model to learn (a real motif) or an artefact "
                        "(adapter, cloning site, repeat), and sample negatives that carry it too."
                        if severity != "pass" else ""),
        evidence={"kmer": best["kmer"], "k": int(best["k"]), "comparison": best["comparison"],
                  "share_a": float(best["share_a"]), "share_b": float(best["share_b"]),
                  "p_value": float(best["p_value"]),
                  **significance_evidence(
                      best["p_adjusted"], len(table),
                      None if graded is None or graded.name == best.name else
                      f"{graded['kmer']} ({graded['comparison']}), presence AU-ROC "
                      f"{graded['auroc']:.3f}, Holm-adjusted p {graded['p_adjusted']:.2g}"),
                  "max_severity": "warn",
                  "n_scored": int(len(rows)), "canonical": canonical,
                  **({"adjusted_top_kmer": motif["kmer"],
                      "adjusted_log2_ratio": float(motif["adjusted_log2_ratio"])}
                     if motif is not None else {})},
        table=pd.concat([table.head(top), adjusted.reindex(
            adjusted["adjusted_log2_ratio"].abs().sort_values(ascending=False).index).head(top)]
        ).drop_duplicates(["comparison", "k", "kmer"]).reset_index(drop=True))


def _expected_presence(names, freq, mean_length, canonical):
    """Chance that a random sequence of the class's composition holds each k-mer."""
    lookup = {b: i for i, b in enumerate("ACGT")}
    digits = np.array([[lookup[ch] for ch in name] for name in names])
    log_f = np.log(np.maximum(freq, 1e-12))
    p = np.exp(log_f[digits].sum(axis=1))
    if canonical:
        rc_digits = 3 - digits[:, ::-1]
        p_rc = np.exp(log_f[rc_digits].sum(axis=1))
        palindrome = (rc_digits == digits).all(axis=1)
        p = p + np.where(palindrome, 0.0, p_rc)
    windows = max(mean_length - digits.shape[1] + 1, 1.0)
    return 1.0 - np.power(1.0 - np.minimum(p, 1.0), windows)


def shortcut_features(sequences, composition, *, max_k=4, canonical=True):
    """Composition plus k-mer frequency features for the shortcut model (sparse)."""
    packed = pack_sequences(list(sequences))
    blocks = [sparse.csr_matrix(composition.to_numpy(dtype=np.float64))]
    lengths = np.maximum(packed.lengths, 1).astype(np.float64)
    for k in range(3, max_k + 1):
        counts, _ = kmer_count_matrix(packed, k, canonical=canonical)
        blocks.append(sparse.diags(1.0 / lengths) @ counts.astype(np.float64))
    return sparse.hstack(blocks, format="csr")


def check_shortcut_score(data, sequences, composition, *, max_k=4, canonical=True, cv=5,
                         warn=0.7, fail=0.8, max_samples=20000, random_state=0, n_jobs=None,
                         identity_threshold=0.9, low=0.25):
    """Out-of-fold AU-ROC of a logistic regression on composition features alone.

    The folds keep near-copies together: sequences at or above ``identity_threshold``
    identity (both strands, the package's one similarity search, single linkage, see
    :func:`skgenqc.model_selection.similarity_groups`) are one group, and the groups are
    dealt to stratified folds (:class:`sklearn.model_selection.StratifiedGroupKFold`), so
    the score measures composition, not memorised copies.

    The verdict needs the AU-ROC at the ``warn`` / ``fail`` level *and* its Mann-Whitney
    p-value (of the out-of-fold scores, against chance) below ``ALPHA_WARN`` /
    ``ALPHA_FAIL``. An AU-ROC at or below ``low`` with p below ``ALPHA_FAIL`` warns too:
    a model doing much worse than chance out of fold is learning from records whose copies
    carry the opposite label in the other folds (label-conflicting duplicates or
    near-copies) or from a class structure that flips between folds, never a pass.

    Parameters
    ----------
    data : pandas.DataFrame
        With ``label``.
    sequences : list of str
    composition : pandas.DataFrame
        :func:`skgenqc.features.composition.composition_table` of the sequences.
    max_k : int, default=4
        k-mer frequencies for k = 3..max_k are added to length, GC, mono- and
        dinucleotide fractions.
    cv : int, default=5
        Stratified group folds.
    warn, fail : float, default=0.7, 0.8
        AU-ROC levels (macro one-vs-rest for several classes).
    max_samples : int, default=20000
        Stratified subsample size.
    identity_threshold : float, default=0.9
        Identity from which two sequences share a fold.
    low : float, default=0.25
        Out-of-fold AU-ROC at or below which the model is worse than chance. Cross-validated
        scores of a model fitted to noise are biased below 0.5 (each test fold's class
        balance is the complement of its training fold's), so the bar is lower, and its
        p-value stricter, than for the high side: on random data with random labels 0.29-0.34
        at p 0.0003-0.006 occurred in 3 of 60 runs of 50 per class
        (benchmarks/calibration.py).

    Returns
    -------
    Finding
    """
    # scikit-learn is imported here so that the cheap checks start fast.
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MaxAbsScaler

    from skgenqc.model_selection.similarity import similarity_groups

    title = "Composition-only shortcut model"
    labels = data["label"].to_numpy()
    rows = _subsample(labels, max_samples, random_state)
    y = labels[rows]
    counts = pd.Series(y).value_counts()
    folds = int(min(cv, counts.min()))
    if len(counts) < 2 or folds < 2:
        return Finding(check="shortcut_score", title=title,
                       severity="info", pitfall="confounding",
                       message=f"Not scored: the smallest class has {int(counts.min())} sequence(s); "
                               "at least 2 per class are needed for cross-validation.")
    subset = [sequences[i] for i in rows]
    groups = similarity_groups(subset, threshold=identity_threshold)
    n_groups = int(groups.max()) + 1 if len(groups) else 0
    folds = min(folds, n_groups)
    group_labels = pd.DataFrame({"g": groups, "y": y}).groupby("g")["y"].nunique()
    conflicting = group_labels.index[group_labels.to_numpy() > 1]
    n_conflicting_records = int(np.isin(groups, conflicting).sum())
    n_grouped = int((np.bincount(groups) > 1)[groups].sum())
    if folds < 2:
        return Finding(check="shortcut_score", title=title, severity="info",
                       pitfall="confounding",
                       message=f"Not scored: the {len(rows)} sequences form {n_groups} group(s) "
                               f"of near-copies (identity >= {identity_threshold:g}), too few for "
                               "two folds that keep copies together.")
    X = shortcut_features(subset, composition.iloc[rows], max_k=max_k, canonical=canonical)
    model = make_pipeline(MaxAbsScaler(), LogisticRegression(max_iter=500, C=1.0))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=random_state)
    proba = cross_val_predict(model, X, y, cv=splitter, groups=groups, method="predict_proba",
                              n_jobs=n_jobs)
    classes = np.unique(y)
    if len(classes) == 2:
        positive = y == classes[1]
        auc = float(roc_auc_score(positive, proba[:, 1]))
        _, ties = np.unique(proba[:, 1], return_counts=True)
        p_value = mann_whitney_p(max(auc, 1 - auc), positive.sum(), (~positive).sum(), ties)
    else:
        auc = float(roc_auc_score(y, proba, multi_class="ovr", average="macro", labels=classes))
        per_class = []
        for j, c in enumerate(classes):
            scores = proba[:, j]
            c_auc = roc_auc_score(y == c, scores)
            _, ties = np.unique(scores, return_counts=True)
            per_class.append(mann_whitney_p(max(c_auc, 1 - c_auc), (y == c).sum(),
                                            (y != c).sum(), ties))
        p_value = float(min(1.0, len(classes) * np.nanmin(per_class)))
    severity, _ = grade_significant([auc], [p_value], warn, fail, alpha_warn=ALPHA_WARN,
                                    alpha_fail=ALPHA_FAIL)
    below = auc <= low and p_value < ALPHA_FAIL
    if below:
        severity = "warn"
    cv_text = (f"{folds}-fold stratified CV on {len(rows)} sequences, near-copies "
               f"(identity >= {identity_threshold:g}) kept in one fold: {n_groups} groups")
    message = (f"A logistic regression that sees only length, base, dinucleotide and "
               f"{'canonical ' if canonical else ''}k-mer (k <= {max_k}) frequencies reaches "
               f"out-of-fold AU-ROC {auc:.3f} ({cv_text}); p = {p_value:.2g} against chance "
               f"(warn needs < {ALPHA_WARN:g}, fail < {ALPHA_FAIL:g}, besides the AU-ROC level).")
    if below:
        message += (f" An out-of-fold AU-ROC this far below 0.5 means the model predicts the "
                    f"opposite label out of fold: {n_conflicting_records} records are in "
                    f"{len(conflicting)} groups of copies that carry both labels "
                    "(label-conflicting duplicates or near-copies); if there are none, copies "
                    "below the identity threshold or a class structure that flips between "
                    "folds do it. Resolve the conflicts and group related records before "
                    "trusting any cross-validated score.")
        recommendation = ("Find the label-conflicting duplicates and near-copies (the "
                          "duplicates and near_duplicates checks), resolve or drop them, and "
                          "split with SimilarityGroupKFold.")
    elif severity != "pass":
        recommendation = ("Report this composition-only baseline next to your model's score, "
                          "and match composition between classes when sampling negatives.")
    else:
        recommendation = ""
    return Finding(
        check="shortcut_score", title=title, severity=severity,
        pitfall="confounding", value=float(auc),
        threshold={"warn": warn, "fail": fail, "low": low},
        message=message, recommendation=recommendation,
        evidence={"auroc": float(auc), "p_value": float(p_value), "n_features_compared": 1,
                  "alpha_warn": ALPHA_WARN, "alpha_fail": ALPHA_FAIL,
                  "n_features": int(X.shape[1]), "n_samples": int(len(rows)),
                  "cv_folds": folds, "cv_groups": n_groups,
                  "identity_threshold": identity_threshold,
                  "n_records_with_copies": n_grouped,
                  "n_label_conflicting_groups": int(len(conflicting)),
                  "n_label_conflicting_records": n_conflicting_records,
                  "below_chance": bool(below)})


@register_check("kmers", pitfall="confounding", needs=("sequences", "labels", "two_classes"),
                order=50,
                produces=("kmer_enrichment",),
                summary="k-mer presence per class, k = 3..6, reverse-complement canonical")
def kmers_check(ctx):
    """Registered check ``kmers``: :func:`check_kmer_enrichment` on the training set."""
    return [check_kmer_enrichment(
        ctx.class_data, ctx.shared["seqs"], k_values=tuple(ctx.param("kmer_k")),
        canonical=ctx.param("canonical"), warn=ctx.param("auroc_warn"),
        fail=ctx.param("auroc_fail"), min_class_size=ctx.param("min_class_size"),
        max_samples=ctx.param("max_samples"), random_state=ctx.param("random_state"))]


@register_check("shortcut", pitfall="confounding", needs=("sequences", "labels", "two_classes"),
                order=60,
                produces=("shortcut_score",),
                summary="out-of-fold AU-ROC of a logistic regression on composition and short "
                        "k-mers only")
def shortcut_check(ctx):
    """Registered check ``shortcut``: :func:`check_shortcut_score` on the training set."""
    return [check_shortcut_score(
        ctx.class_data, ctx.shared["seqs"], ctx.shared["composition"],
        max_k=ctx.param("shortcut_k"), canonical=ctx.param("canonical"),
        warn=ctx.param("shortcut_warn"), fail=ctx.param("shortcut_fail"),
        max_samples=ctx.param("max_samples"), random_state=ctx.param("random_state"),
        n_jobs=ctx.param("n_jobs"), identity_threshold=ctx.param("identity_threshold"))]
