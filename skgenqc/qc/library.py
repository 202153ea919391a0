"""Library constants: a fixed segment (adapter, barcode, padding) that marks one class.

A segment of ``k`` bases carried by a share of one class, either at one fixed position
(counted from the start, or from the end when lengths differ) or anywhere, that is rare in
the other classes, lets a model read the label off the library instead of the biology. The
search looks only at segments carried by enough records whatever their labels; the effect of
each is the difference between its carrier share in one class and in the rest, and the verdict
compares the largest effect with the largest of every relabelling (max-T, so the thousands of
segments compared are accounted for), with Holm over the two forms. A segment anywhere may be
a real motif or repeat and is at most a warn; one at a fixed position can fail.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from skgenqc._core.findings import Finding, holm_adjust
from skgenqc.features.encoding import kmer_codes, kmer_names, pack_sequences
from skgenqc.qc._relabel import label_codes

ALPHA_WARN, ALPHA_FAIL = 0.01, 0.001
_BATCH = 100


def _carriers(packed, k, form):
    """(record, segment key) presence pairs and, per key, its k-mer code and position."""
    codes, seq, pos = kmer_codes(packed, k, positions=True)
    if form == "anywhere":
        pos = np.full(len(codes), -1, dtype=np.int64)
    elif form == "from_end":
        pos = packed.lengths[seq] - k - pos
    # Segment key = (code, position); one presence per record and segment.
    width = int(pos.max(initial=0)) + 2
    if 2 * k + int(np.ceil(np.log2(width))) + int(np.ceil(np.log2(packed.n_sequences + 1))) < 62:
        segment = codes.astype(np.int64) * width + (pos + 1)
        pair = np.unique(segment * packed.n_sequences + seq)
        record = pair % packed.n_sequences
        keys, column = np.unique(pair // packed.n_sequences, return_inverse=True)
        segments = np.column_stack([keys // width, keys % width - 1])
        return record, column.ravel(), segments
    key = np.unique(np.column_stack([codes.astype(np.int64), pos, seq.astype(np.int64)]), axis=0)
    segments, column = np.unique(key[:, :2], axis=0, return_inverse=True)
    return key[:, 2], column.ravel(), segments


def _class_shares(matrix, onehot, sizes):
    """Carrier share of every segment in each class and in the rest (segments x classes)."""
    inside = (matrix.T @ onehot).toarray().astype(np.float64)
    total = np.asarray(matrix.sum(axis=0)).ravel()[:, None]
    n = sizes.sum()
    rest = (total - inside) / np.maximum(n - sizes, 1)
    return inside / sizes, rest


def _max_effect(matrix, codes, n_classes, sizes):
    onehot = sparse.csr_matrix((np.ones(len(codes)), (np.arange(len(codes)), codes)),
                               shape=(len(codes), n_classes))
    share, rest = _class_shares(matrix, onehot, sizes)
    return share - rest, share, rest


def _form_result(packed, codes, k, form, min_share, n_permutations, rng):
    """Top segment of one form, its effect and the max-T permutation p-value."""
    n_classes = int(codes.max()) + 1
    sizes = np.bincount(codes, minlength=n_classes).astype(np.float64)
    rows, cols, segments = _carriers(packed, k, form)
    min_carriers = max(5, int(np.ceil(min_share * sizes.min())))
    support = np.bincount(cols, minlength=len(segments))
    keep = support >= min_carriers
    if not keep.any():
        return None, min_carriers
    remap = np.cumsum(keep) - 1
    sel = keep[cols]
    matrix = sparse.csr_matrix((np.ones(int(sel.sum()), np.float32), (rows[sel], remap[cols[sel]])),
                               shape=(len(codes), int(keep.sum())))
    segments = segments[keep]
    effect, share, rest = _max_effect(matrix, codes, n_classes, sizes)
    best = np.unravel_index(np.argmax(effect), effect.shape)
    observed = float(effect[best])
    null = np.empty(n_permutations)
    for start in range(0, n_permutations, _BATCH):
        size = min(_BATCH, n_permutations - start)
        perm = np.stack([rng.permutation(codes) for _ in range(size)])
        # One block of one-hot columns per relabelling: column r * n_classes + c.
        onehot = sparse.csr_matrix(
            (np.ones(perm.size), (np.tile(np.arange(len(codes)), size),
                                  (np.arange(size)[:, None] * n_classes + perm).ravel())),
            shape=(len(codes), size * n_classes))
        inside = np.asarray((matrix.T @ onehot).todense()).reshape(len(segments), size, n_classes)
        total = np.asarray(matrix.sum(axis=0)).ravel()[:, None, None]
        eff = inside / sizes - (total - inside) / np.maximum(sizes.sum() - sizes, 1)
        null[start:start + size] = eff.max(axis=(0, 2))
    p_value = float((1 + np.count_nonzero(null >= observed - 1e-12)) / (1 + n_permutations))
    order = np.argsort(-effect.max(axis=1), kind="stable")[:20]
    names = kmer_names(k, segments[:, 0])
    table = pd.DataFrame({
        "form": form, "segment": [names[i] for i in order],
        "position": [int(segments[i, 1]) if form != "anywhere" else -1 for i in order],
        "class": [int(effect[i].argmax()) for i in order],
        "share_in_class": [float(share[i, effect[i].argmax()]) for i in order],
        "share_in_rest": [float(rest[i, effect[i].argmax()]) for i in order],
        "effect": [float(effect[i].max()) for i in order],
        "n_carriers": [int(support[keep][i]) for i in order]})
    carriers = matrix[:, best[0]].nonzero()[0]
    return {"form": form, "effect": observed, "p_value": p_value, "table": table,
            "segment": names[best[0]], "position": int(segments[best[0], 1]),
            "class_code": int(best[1]), "share_in_class": float(share[best]),
            "share_in_rest": float(rest[best]), "carriers": carriers,
            "null_mean": float(null.mean()), "null_q99": float(np.quantile(null, 0.99))}, \
        min_carriers


def check_library_constants(data, sequences, *, k=12, min_share=0.05, warn=0.05, fail=0.2,
                            n_permutations=2000, alpha_warn=ALPHA_WARN, alpha_fail=ALPHA_FAIL,
                            max_samples=20000, random_state=0, max_ids=20, split_name=None):
    """A fixed ``k``-base segment carried by a share of one class that predicts the label.

    Parameters
    ----------
    data : pandas.DataFrame
        With ``id`` and ``label``.
    sequences : list of str
    k : int, default=12
        Segment length (4 to 31); an adapter or barcode longer than ``k`` shows as its
        ``k``-mers at consecutive positions.
    min_share : float, default=0.05
        Segments carried by fewer than this share of the smallest class (and fewer than 5
        records) are not compared.
    warn, fail : float, default=0.05, 0.2
        Carrier-share difference (class minus rest) from which a significant segment warns /
        fails (a segment anywhere is at most a warn).
    n_permutations : int, default=2000
    alpha_warn, alpha_fail : float, default=0.01, 0.001
        Holm-adjusted (over the two forms) max-T p-values below which it warns / may fail.
    max_samples : int, default=20000
        Records drawn at random above this many.
    random_state : int, default=0
    max_ids : int, default=20
    split_name : str, optional
        Suffix of the finding name.

    Returns
    -------
    Finding
        ``library_constant``; its table lists the top segments of each form.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> seqs = ["".join(rng.choice(list("ACGT"), 50)) for _ in range(80)]
    >>> seqs = ["AGATCGGAAGAGC" + s[13:] if i < 20 else s for i, s in enumerate(seqs)]
    >>> df = pd.DataFrame({"id": [f"s{i}" for i in range(80)], "label": [1] * 40 + [0] * 40})
    >>> f = check_library_constants(df, seqs)
    >>> f.severity, f.evidence["segment"], f.evidence["position"]
    ('fail', 'AGATCGGAAGAG', 0)
    """
    if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or not 4 <= k <= 31:
        raise ValueError(f"k={k!r} must be an integer from 4 to 31.")
    if not 0 < min_share <= 1:
        raise ValueError(f"min_share={min_share!r} must be a share in (0, 1].")
    if not isinstance(data, pd.DataFrame) or not {"id", "label"} <= set(data.columns):
        got = list(data.columns) if isinstance(data, pd.DataFrame) else type(data).__name__
        raise ValueError(f"data must be a DataFrame with 'id' and 'label' columns, got {got}.")
    if len(sequences) != len(data):
        raise ValueError(f"data has {len(data)} rows but {len(sequences)} sequences were given; "
                         "expected one sequence per row.")
    suffix, where = (f"_{split_name}", f" in {split_name}") if split_name else ("", "")
    rng = np.random.default_rng(random_state)
    rows = np.arange(len(data))
    if len(rows) > max_samples:
        rows = np.sort(rng.choice(len(rows), max_samples, replace=False))
    labels = data["label"].to_numpy()[rows]
    codes = label_codes(labels)
    names = np.unique(labels.astype(str))
    ids = data["id"].astype(str).to_numpy()[rows]
    title = f"Library constants: fixed {k}-base segments that predict the label{where}"
    base = dict(check=f"library_constant{suffix}", title=title, pitfall="confounding",
                threshold={"warn": warn, "fail": fail, "alpha_warn": alpha_warn,
                           "alpha_fail": alpha_fail})
    if len(names) < 2:
        return Finding(severity="info", message=f"Not measured: {len(names)} class(es).", **base)
    packed = pack_sequences([str(sequences[i]) for i in rows])
    forms = ["from_start", "anywhere"]
    if len(np.unique(packed.lengths)) > 1:
        forms.insert(1, "from_end")
    results, min_carriers = [], None
    for form in forms:
        result, min_carriers = _form_result(packed, codes, k, form, min_share, n_permutations, rng)
        if result is not None:
            results.append(result)
    evidence = {"k": k, "min_carriers": min_carriers, "forms": forms, "n_records": len(rows),
                "null": f"labels shuffled {n_permutations} times; the largest effect of each "
                        "relabelling (max-T over segments), Holm over the forms",
                "n_permutations": n_permutations}
    if not results:
        return Finding(severity="pass", value=0.0, evidence=evidence,
                       message=(f"No {k}-base segment is carried by {min_carriers} or more "
                                f"records at one position or anywhere{where}."), **base)
    adjusted = holm_adjust([r["p_value"] for r in results])
    severity, top = "pass", max(results, key=lambda r: r["effect"])
    for result, p_adj in zip(results, adjusted):
        result["p_adjusted"] = float(p_adj)
        level = "pass"
        if result["effect"] >= warn and p_adj < alpha_warn:
            level = "warn"
        if result["effect"] >= fail and p_adj < alpha_fail and result["form"] != "anywhere":
            level = "fail"
        result["severity"] = level
        if ["pass", "warn", "fail"].index(level) > ["pass", "warn", "fail"].index(severity):
            severity, top = level, result
    place = ("anywhere" if top["form"] == "anywhere" else
             f"at position {top['position']} from the {top['form'].split('_')[1]}")
    evidence.update({
        "segment": top["segment"], "form": top["form"], "position": top["position"],
        "class": names[top["class_code"]], "share_in_class": top["share_in_class"],
        "share_in_rest": top["share_in_rest"], "effect": top["effect"],
        "p_value": top["p_value"], "p_adjusted": top["p_adjusted"],
        "null_mean": top["null_mean"], "null_q99": top["null_q99"],
        "example_ids": [ids[i] for i in top["carriers"][:max_ids]],
        "per_form": {r["form"]: {"segment": r["segment"], "effect": r["effect"],
                                 "p_adjusted": r["p_adjusted"], "severity": r["severity"]}
                     for r in results}})
    message = (f"The {k}-mer {top['segment']} {place} is carried by {top['share_in_class']:.1%} "
               f"of class {names[top['class_code']]} and {top['share_in_rest']:.1%} of the rest "
               f"(difference {top['effect']:.3f}); relabelled data reaches "
               f"{top['null_mean']:.3f} on average (99th percentile {top['null_q99']:.3f}), "
               f"Holm-adjusted p = {top['p_adjusted']:.2g}.")
    if top["form"] == "anywhere" and severity != "pass":
        message += " A segment anywhere may be a real motif or repeat: at most a warn."
    recommendation = ("" if severity == "pass" else
                      "Trim adapters, barcodes and padding before training (or give every class "
                      "the same), check how each class was cloned or sequenced, and confirm the "
                      "model's score after removing the segment.")
    table = pd.concat([r["table"] for r in results], ignore_index=True)
    table["class"] = names[table["class"].to_numpy()]
    return Finding(severity=severity, value=float(top["effect"]), message=message,
                   recommendation=recommendation, evidence=evidence, table=table, **base)
