"""The lookup baseline: how well "copy the label of the nearest training item" scores the test set.

A model that memorises its training set scores about this well on the test
set without learning anything that transfers.  Each test item takes the label
of its nearest training item (:func:`~skgenqc.features.nearest_neighbours`:
the one identity search, both strands, with k-mer containment for items
without an identity hit), shrunk toward the training prior by the similarity
(identity, or containment), so that a near-copy counts more than a faint match:

``score(class c) = prior(c) + w * ([label of neighbour == c] - prior(c))``

with ``w`` the identity, or the containment when it reaches ``min_containment``
(below it a k-mer match is chance and ``w = 0``),

and for a continuous target ``mean + w * (neighbour's value - mean)``.  The
scores are rated like a model (AU-ROC and AU-PR for classes, one-vs-rest macro
averages beyond two; R2 for a continuous target) against a label-permutation
null: the test labels are shuffled ``n_permutations`` times with the scores
fixed.  The verdict uses the package's significance grading
(:func:`~skgenqc._core.findings.grade_significant`): fail when the AU-ROC
reaches ``auroc_fail`` and the permutation p-value is below 0.001, warn at
``auroc_warn`` and 0.01.  The empirical p-value cannot go below
``1 / (n_permutations + 1)``, so a fail needs at least 1000 permutations
(the default is 1999).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc._core.findings import Finding, grade_significant
from skgenqc.features.nearest import nearest_neighbours
from skgenqc.qc._context import target_type
from skgenqc.qc._registry import register_check
from skgenqc.qc.class_features import ALPHA_FAIL, ALPHA_WARN, check_class_features

#: R2 of the lookup prediction at which a continuous target warns / fails.
R2_WARN, R2_FAIL = 0.1, 0.3
_PERM_CELLS = 4_000_000  # permuted labels held at once (n_permutations x n_test)


def _key(value):
    """One key for a label read as 1, 1.0 or "1" in one file and another."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _classes(*labels):
    values = pd.unique(np.concatenate([np.asarray(v, dtype=object) for v in labels]))
    return sorted(values.tolist(), key=lambda v: (str(type(v)), v))


def _weights(neighbours, min_containment):
    identity = neighbours["identity"].to_numpy(dtype=np.float64)
    contain = np.nan_to_num(neighbours["containment"].to_numpy(dtype=np.float64))
    # Chance k-mer matches carry no label: below min_containment the item keeps the prior.
    contain = np.where(contain >= min_containment, contain, 0.0)
    w = np.where(neighbours["method"].to_numpy() == "identity", identity, contain)
    return np.where(neighbours["train"].to_numpy() >= 0, np.nan_to_num(w), 0.0)


def _rank(values):
    from scipy.stats import rankdata

    return rankdata(values)


def _permuted(codes, n_permutations, rng):
    """Blocks of permuted label vectors, each (rows, n_test)."""
    n = len(codes)
    rows = max(1, _PERM_CELLS // max(n, 1))
    done = 0
    while done < n_permutations:
        m = min(rows, n_permutations - done)
        yield codes[rng.permuted(np.tile(np.arange(n), (m, 1)), axis=1)]
        done += m


def _auroc_rows(ranks, positive):
    """AU-ROC of fixed scores (given by their ranks) for each row of a 0/1 label matrix."""
    n1 = positive.sum(axis=1).astype(np.float64)
    n0 = positive.shape[1] - n1
    with np.errstate(invalid="ignore", divide="ignore"):
        return (positive @ ranks - n1 * (n1 + 1) / 2) / (n1 * n0)


def _macro_auroc(scores, codes_matrix, present):
    """Mean over the classes present in the test set of the one-vs-rest AU-ROC, per row."""
    total = np.zeros(codes_matrix.shape[0])
    for c in present:
        total += _auroc_rows(_rank(scores[:, c]), (codes_matrix == c).astype(np.float64))
    return total / len(present)


def lookup_scores(train_labels, test_labels, neighbours, *, continuous=None, min_containment=0.1,
                  n_permutations=1999, random_state=0):
    """Score the 1-nearest-training-neighbour label transfer like a model, with its null.

    Parameters
    ----------
    train_labels, test_labels : array-like
        Labels (classes, or a continuous target) of the training and test items.
    neighbours : pandas.DataFrame
        :func:`~skgenqc.features.nearest_neighbours` of the test items in training.
    continuous : bool, optional
        Whether the target is continuous (default: decided from the training labels).
    min_containment : float, default=0.1
        A containment neighbour below this share of shared k-mers is a chance
        match: the item keeps the training prior (weight 0).
    n_permutations : int, default=1999
        Test-label permutations of the null (0: no null, p-value NaN).
    random_state : int, default=0

    Returns
    -------
    dict
        ``metric`` (``"auroc"`` or ``"r2"``), ``score`` (its value), ``auroc``,
        ``auprc``, ``r2`` (NaN where not applicable), ``p_value`` (empirical,
        ``(1 + #null >= score) / (1 + n)``), ``null_mean``, ``null_q99``,
        ``prediction`` (per test item: the score of the positive class, the
        predicted value, or for several classes the predicted class), ``weight``
        (similarity used per item) and ``classes``.

    Examples
    --------
    >>> nn = pd.DataFrame({"train": [0, 1, 0, 1], "identity": [1.0, 1.0, 0.95, 0.92],
    ...                    "containment": 1.0, "method": "identity"})
    >>> r = lookup_scores([0, 1], [0, 1, 0, 1], nn, n_permutations=99)
    >>> r["metric"], r["score"], r["auprc"], r["prediction"].round(3).tolist()
    ('auroc', 1.0, 1.0, [0.0, 1.0, 0.025, 0.96])
    """
    from sklearn.metrics import average_precision_score

    train_labels = np.asarray(train_labels)
    test_labels = np.asarray(test_labels)
    if train_labels.ndim != 1 or test_labels.ndim != 1:
        raise ValueError("train_labels and test_labels must be 1-D, got shapes "
                         f"{train_labels.shape} and {test_labels.shape}.")
    if len(neighbours) != len(test_labels):
        raise ValueError(f"neighbours has {len(neighbours)} rows but test_labels has "
                         f"{len(test_labels)}; expected one row per test item.")
    if isinstance(n_permutations, bool) or not isinstance(n_permutations, (int, np.integer)) \
            or n_permutations < 0:
        raise ValueError(f"n_permutations={n_permutations!r} must be an int >= 0.")
    nn = neighbours["train"].to_numpy(dtype=np.int64)
    if nn.max(initial=-1) >= len(train_labels):
        raise ValueError(f"neighbours names training item {int(nn.max())} but train_labels has "
                         f"{len(train_labels)} values.")
    if continuous is None:
        continuous = target_type(train_labels) == "continuous"
    rng = np.random.default_rng(random_state)
    w = _weights(neighbours, min_containment)
    has = nn >= 0
    out = {"auroc": np.nan, "auprc": np.nan, "r2": np.nan, "weight": w, "classes": None}
    null = np.empty(0)
    if continuous:
        y_tr = train_labels.astype(np.float64)
        y = test_labels.astype(np.float64)
        mean = float(np.mean(y_tr))
        pred = np.full(len(y), mean)
        pred[has] = mean + w[has] * (y_tr[nn[has]] - mean)
        ss_tot = float(np.sum((y - y.mean()) ** 2))
        if len(y) >= 2 and ss_tot > 0:
            out["r2"] = 1.0 - float(np.sum((y - pred) ** 2)) / ss_tot
            if n_permutations:
                const = float(np.sum(y ** 2) + np.sum(pred ** 2))
                null = np.concatenate([1.0 - (const - 2 * block @ pred) / ss_tot
                                       for block in _permuted(y, n_permutations, rng)])
        out.update(metric="r2", score=out["r2"], prediction=pred)
    else:
        classes = _classes(train_labels, test_labels)
        first = {}
        for c in classes:
            first.setdefault(_key(c), c)
        classes = list(first.values())
        index = {key: i for i, key in enumerate(first)}
        tr = np.array([index[_key(v)] for v in train_labels], dtype=np.int64)
        te = np.array([index[_key(v)] for v in test_labels], dtype=np.int64)
        prior = np.bincount(tr, minlength=len(classes)) / max(len(tr), 1)
        scores = np.tile(prior, (len(te), 1))
        onehot = np.zeros_like(scores)
        onehot[np.flatnonzero(has), tr[nn[has]]] = 1.0
        scores[has] += w[has, None] * (onehot[has] - prior)
        present = [c for c in range(len(classes)) if 0 < np.sum(te == c) < len(te)]
        out["classes"] = classes
        if len(present) >= 2:
            if len(present) == 2 and len(classes) == 2:
                pos = len(classes) - 1  # the later class in sorted order is the positive one
                present = [pos]
            out["auroc"] = float(_macro_auroc(scores, te[None, :], present)[0])
            out["auprc"] = float(np.mean([average_precision_score(te == c, scores[:, c])
                                          for c in present]))
            if n_permutations:
                null = np.concatenate([_macro_auroc(scores, block, present)
                                       for block in _permuted(te, n_permutations, rng)])
        prediction = scores[:, -1] if len(classes) == 2 else np.asarray(classes, dtype=object)[
            np.argmax(scores, axis=1)]
        out.update(metric="auroc", score=out["auroc"], prediction=prediction)
    score = out["score"]
    if len(null) and not np.isnan(score):
        out["p_value"] = float((1 + np.sum(null >= score - 1e-12)) / (1 + len(null)))
        out["null_mean"], out["null_q99"] = float(np.mean(null)), float(np.quantile(null, 0.99))
    else:
        out["p_value"] = out["null_mean"] = out["null_q99"] = float("nan")
    out["n_permutations"] = int(len(null))
    return out


def _best_single_feature(table):
    """The composition check's strongest single feature (training set), as evidence."""
    if table is None or table.empty or table["auroc"].isna().all():
        return None
    best = table.loc[table["auroc"].idxmax()]
    return {"feature": str(best["feature"]), "comparison": str(best["comparison"]),
            "auroc": float(best["auroc"]), "auprc": float(best["auprc"])}


def check_lookup_baseline(train, train_sequences, test, test_sequences, *, threshold=0.9, k=12,
                          warn=0.6, fail=0.7, r2_warn=R2_WARN, r2_fail=R2_FAIL,
                          min_containment=0.1, min_class_size=10, n_permutations=1999,
                          random_state=0, neighbours=None, single_feature_table=None):
    """Grade the 1-nearest-training-neighbour lookup baseline on the test set.

    Parameters
    ----------
    train, test : pandas.DataFrame
        With ``id`` and ``label`` columns.
    train_sequences, test_sequences : list of str
    threshold : float, default=0.9
        Identity of an identity neighbour.
    k : int, default=12
        k-mer length of the containment fallback.
    warn, fail : float, default=0.6, 0.7
        AU-ROC levels (classes); ``r2_warn``, ``r2_fail`` for a continuous target.
    min_containment : float, default=0.1
        Containment at which a test item without an identity hit still counts
        as having a training neighbour (the share reported beside the score);
        below it the item keeps the training prior.
    min_class_size : int, default=10
        With fewer test items in a class (or fewer than ``2 * min_class_size``
        for a continuous target) the verdict is ``info``.
    n_permutations : int, default=1999
    random_state : int, default=0
    neighbours : pandas.DataFrame, optional
        Precomputed :func:`~skgenqc.features.nearest_neighbours`.
    single_feature_table : pandas.DataFrame, optional
        The composition check's table (:func:`check_class_features`), for the
        best single-feature rule reported beside the lookup.

    Returns
    -------
    Finding
        ``lookup_baseline``; its table has one row per test item.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> tr = ["".join(rng.choice(list("ACGT"), 60)) for _ in range(40)]
    >>> te = [s[:30] + ("A" if s[30] != "A" else "C") + s[31:] for s in tr]  # one substitution
    >>> labels = [0, 1] * 20
    >>> f = check_lookup_baseline(pd.DataFrame({"id": range(40), "label": labels}), tr,
    ...                           pd.DataFrame({"id": range(40), "label": labels}), te)
    >>> f.severity, f.value, f.evidence["share_with_neighbour"]
    ('fail', 1.0, 1.0)
    """
    if "label" not in train.columns or "label" not in test.columns:
        raise ValueError("check_lookup_baseline needs a 'label' column in train and in test; "
                         f"got train columns {list(train.columns)}, test columns "
                         f"{list(test.columns)}.")
    if neighbours is None:
        neighbours = nearest_neighbours(test_sequences, train_sequences, threshold=threshold, k=k)
    y_tr, y_te = train["label"].to_numpy(), test["label"].to_numpy()
    continuous = target_type(y_tr) == "continuous"
    r = lookup_scores(y_tr, y_te, neighbours, continuous=continuous,
                      min_containment=min_containment, n_permutations=n_permutations, random_state=random_state)
    method = neighbours["method"].to_numpy()
    by_identity = method == "identity"
    by_containment = (method == "containment") & \
        (np.nan_to_num(neighbours["containment"].to_numpy(dtype=float)) >= min_containment)
    n = len(y_te)
    share = float((by_identity | by_containment).mean()) if n else float("nan")
    lo, hi = (r2_warn, r2_fail) if continuous else (warn, fail)
    if np.isnan(r["score"]):
        severity = "info"
    else:
        severity, _ = grade_significant([r["score"]], [r["p_value"]], lo, hi,
                                        alpha_warn=ALPHA_WARN, alpha_fail=ALPHA_FAIL)
    small = (n < 2 * min_class_size) if continuous else \
        int(pd.Series(y_te).value_counts().min()) < min_class_size if n else True
    if small and severity != "info":
        severity = "info"
    name = "R2" if continuous else "AU-ROC"
    rule = _best_single_feature(single_feature_table)
    train_ids = train["id"].astype(str).to_numpy()
    nn = neighbours["train"].to_numpy()
    table = pd.DataFrame({
        "test_id": test["id"].astype(str).to_numpy(), "label": y_te,
        "nearest_train_id": np.where(nn >= 0, train_ids[np.maximum(nn, 0)], ""),
        "nearest_label": np.where(nn >= 0, y_tr[np.maximum(nn, 0)].astype(object), None),
        "method": method, "identity": neighbours["identity"].to_numpy(),
        "containment": neighbours["containment"].to_numpy(), "weight": r["weight"],
        "lookup_prediction": r["prediction"]})
    evidence = {
        "metric": r["metric"], "auroc": r["auroc"], "auprc": r["auprc"], "r2": r["r2"],
        "p_value": r["p_value"], "n_permutations": r["n_permutations"],
        "null_mean": r["null_mean"], "null_q99": r["null_q99"],
        "alpha_warn": ALPHA_WARN, "alpha_fail": ALPHA_FAIL,
        "n_test": int(n), "n_identity_neighbour": int(by_identity.sum()),
        "n_containment_neighbour": int(by_containment.sum()),
        "share_with_neighbour": share, "identity_threshold": float(threshold),
        "min_containment": float(min_containment), "k": int(k),
        "best_single_feature": rule,
    }
    if continuous:
        message = f"Copying the nearest training item's value scores R2 {r['r2']:.3f}"
    else:
        message = (f"Copying the nearest training item's label scores AU-ROC {r['auroc']:.3f}, "
                   f"AU-PR {r['auprc']:.3f}")
    message += (f" on the test set (permutation p = {r['p_value']:.2g} over "
                f"{r['n_permutations']} shuffles, null mean {r['null_mean']:.3f}); "
                f"{int(by_identity.sum())} of {n} test items have a training item at >= "
                f"{threshold:.0%} identity and {int(by_containment.sum())} more share >= "
                f"{min_containment:.0%} of their {k}-mers with one.")
    if rule is not None:
        message += (f" Best single-feature rule (composition check, training set): "
                    f"{rule['feature']} AU-ROC {rule['auroc']:.3f} ({rule['comparison']}).")
    if small:
        message += f" Too few test items per class (< {min_class_size}) to grade."
    return Finding(
        check="lookup_baseline", title="Lookup baseline: nearest training item's label",
        severity=severity, pitfall="dependent examples",
        value=None if np.isnan(r["score"]) else float(r["score"]),
        threshold={"warn": lo, "fail": hi, "metric": name},
        message=message,
        recommendation=("A model that memorises the training set reaches this score: report "
                        "the model beside this baseline, and score it on test items without a "
                        "training neighbour (or re-split with SimilarityGroupKFold)."
                        if severity in ("warn", "fail") else ""),
        evidence=evidence, table=table)


def single_feature_table(ctx):
    """The composition check's table, computed once per run (shared with ``composition``)."""
    if "class_features_table" not in ctx.shared:
        _, table = check_class_features(
            ctx.class_data, ctx.shared["packed"], warn=ctx.param("auroc_warn"),
            fail=ctx.param("auroc_fail"), min_class_size=ctx.param("min_class_size"),
            composition=ctx.shared["composition"])
        ctx.shared["class_features_table"] = table
    return ctx.shared["class_features_table"]


def nearest_training_items(ctx):
    """Each test item's nearest training item, computed once per run (leakage's hits reused)."""
    if "nearest_neighbours" not in ctx.shared:
        threshold = ctx.param("identity_threshold")
        pairs = ctx.shared.get("train_test_pairs")
        ctx.shared["nearest_neighbours"] = nearest_neighbours(
            ctx.shared["test_seqs"], ctx.shared["seqs"], threshold=threshold, pairs=pairs)
    return ctx.shared["nearest_neighbours"]


@register_check("lookup", pitfall="dependent examples", needs=("sequences", "labels", "test", "test_labels"),
                scope="train_test", order=95, produces=("lookup_baseline",),
                summary="copy the nearest training item's label (identity search, k-mer "
                        "containment fallback): AU-ROC/AU-PR or R2 against a label-permutation "
                        "null, beside the best single-feature rule")
def lookup_check(ctx):
    """Registered check ``lookup``: :func:`check_lookup_baseline`."""
    table = single_feature_table(ctx) if ctx.satisfies("two_classes") else None
    return [check_lookup_baseline(
        ctx.data, ctx.shared["seqs"], ctx.test, ctx.shared["test_seqs"],
        threshold=ctx.param("identity_threshold"), warn=ctx.param("auroc_warn"),
        fail=ctx.param("auroc_fail"), min_class_size=ctx.param("min_class_size"),
        random_state=ctx.param("random_state") or 0, neighbours=nearest_training_items(ctx),
        single_feature_table=table)]
