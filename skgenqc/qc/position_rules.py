"""Fixed-position k-mer rules: a word at one offset from an end that marks one class.

A base at a position is scored by its AU-ROC in :func:`skgenqc.qc.check_positional`; a
6-mer planted at one offset in 10 % of one class moves that AU-ROC to 0.55 only, yet the
rule "TATAAA at positions 151-156 means positive" is almost never wrong. The same holds for
a site every positive carries and a share of negatives lacks (the rule "no GT at 151 means
negative"), and for a word anchored at the end of variable-length items. A fixed offset is
what a model learns instead of biology (an adapter, a cloning site, an alignment artefact), so
such a rule may fail, unlike a word enriched at random positions
(:func:`skgenqc.qc.check_kmer_enrichment`, at most a warn).

The rule is graded as the length rule is: on the share of its class it covers
(:data:`skgenqc.qc.class_features.RULE_WARN` / ``RULE_FAIL``) and on its exact (Fisher) p-value
against random labels, Bonferroni-adjusted over every (end, k, position, k-mer) cell scored.
"""

from __future__ import annotations

import numpy as np

from skgenqc.features.composition import codes_matrix
from skgenqc.qc.separability import REST, class_comparisons, presence_p_values

#: A rule's carriers (or non-carriers) must be at least this share one class.
RULE_PURITY = 0.9
#: ... and at least this many sequences (fewer can never pass the multiplicity adjustment).
MIN_CARRIERS = 10


def _window_codes(view, k):
    """Codes of the k-mers starting at each column of ``view`` (-1 where a base is not A/C/G/T)."""
    width = view.shape[1] - k + 1
    if width < 1:
        return np.empty((view.shape[0], 0), dtype=np.int32)
    code = np.zeros((view.shape[0], width), dtype=np.int32)
    bad = np.zeros((view.shape[0], width), dtype=bool)
    for j in range(k):
        column = view[:, j:j + width]
        bad |= column > 3
        code = code * 4 + np.minimum(column, 3).astype(np.int32)
    code[bad] = -1
    return code


def _kmer_name(code, k):
    return "".join("ACGT"[(int(code) >> (2 * (k - 1 - j))) & 3] for j in range(k))


def positional_kmer_rule(packed, labels, *, k_values=(1, 2, 3, 4, 5, 6), max_positions=500,
                         min_class_size=10, purity=RULE_PURITY, min_carriers=MIN_CARRIERS,
                         max_samples=20000, random_state=0):
    """The most significant fixed-position k-mer rule, from either end.

    For every k-mer at every offset from the start and from the end (k in ``k_values``),
    and every pair of classes, two rules are considered: "carries the k-mer there, so class
    c" and "does not carry it there, so class c". A rule counts when at least ``purity`` of
    the sequences it covers are of class c and it covers at least ``min_carriers`` of them.

    Parameters
    ----------
    packed : PackedSequences
        :func:`skgenqc.features.encoding.pack_sequences` of the sequences.
    labels : array-like
        Class of each sequence.
    k_values : iterable of int, default=(1, 2, 3, 4, 5, 6)
    max_positions : int, default=500
        Offsets scored from each end.
    min_class_size : int, default=10
        Offsets that fewer sequences of either class reach are not scored.
    purity : float, default=RULE_PURITY
    min_carriers : int, default=MIN_CARRIERS
    max_samples : int, default=20000
        Score a stratified subsample of at most this many sequences.
    random_state : int, default=0
        Seed of that subsample.

    Returns
    -------
    dict or None
        ``comparison``, ``class``, ``kmer``, ``k``, ``from`` (``"start"`` or ``"end"``),
        ``position`` (1-based offset of the k-mer's first base from the start, or of its
        last base from the end), ``carries`` (whether the rule is presence or absence),
        ``n_rule`` (sequences of the class it covers), ``n_other`` (of the other side),
        ``share_of_class``, ``purity``, ``p_value``, ``n_cells`` (cells scored) and
        ``p_adjusted`` (Bonferroni over them); None when no rule reaches ``purity`` and
        ``min_carriers``, or the sequences are too uneven in length to align.

    Examples
    --------
    >>> from skgenqc.features.encoding import pack_sequences
    >>> rng = np.random.default_rng(0)
    >>> seqs = ["".join(rng.choice(list("ACGT"), 60)) for _ in range(400)]
    >>> seqs = [s[:20] + "TATAAA" + s[26:] if i % 4 == 0 else s for i, s in enumerate(seqs)]
    >>> labels = np.array([1 if i % 2 == 0 else 0 for i in range(400)])
    >>> rule = positional_kmer_rule(pack_sequences(seqs), labels)
    >>> rule["from"], rule["position"], rule["class"], rule["kmer"] in "TATAAA"
    ('start', 21, 1, True)
    >>> rule["p_adjusted"] < 1e-6
    True
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != packed.n_sequences:
        raise ValueError(f"labels has shape {labels.shape}; expected one label per sequence "
                         f"({packed.n_sequences},).")
    for name, value in (("purity", purity), ("min_carriers", min_carriers),
                        ("max_positions", max_positions)):
        if not value > 0 or (name == "purity" and value > 1):
            raise ValueError(f"{name}={value!r}; expected "
                             + ("a share in (0, 1]." if name == "purity" else "a positive number."))
    rows = None
    if len(labels) > max_samples:
        rng = np.random.default_rng(random_state)
        rows = np.sort(np.concatenate([
            rng.choice(np.flatnonzero(labels == c),
                       max(1, int(round(max_samples * np.mean(labels == c)))), replace=False)
            for c in np.unique(labels)]))
        labels = labels[rows]
    plan = class_comparisons(labels, one_vs_rest=False)
    best, n_cells = None, 0
    for end in ("start", "end"):
        matrix = codes_matrix(packed, right_aligned=end == "end")
        if matrix is None:
            return None
        if rows is not None:
            matrix = matrix[rows]
        width = matrix.shape[1]
        for k in k_values:
            span = min(max_positions, width - k + 1)
            if span < 1:
                continue
            # The k-mers whose first base is at offsets 0..span-1 from the start, or whose last
            # base is at offsets 0..span-1 from the end (read forward in both cases).
            view = matrix[:, :span + k - 1] if end == "start" else matrix[:, width - span - k + 1:]
            codes = _window_codes(view, k)
            if end == "end":
                codes = codes[:, ::-1]  # column j: the k-mer ending j bases before the end
            n_kmers = 4 ** k
            flat = codes + (np.arange(span, dtype=np.int64) * n_kmers)[None, :]
            valid = codes >= 0
            per_side = {}

            def counts(mask):
                rows = flat[mask][valid[mask]]
                table = np.bincount(rows, minlength=span * n_kmers).reshape(span, n_kmers)
                return table, valid[mask].sum(axis=0)

            for name, a, b, mask_a, mask_b in plan:
                key_b = (REST, a) if b is REST else b
                for key, mask in ((a, mask_a), (key_b, mask_b)):
                    if key not in per_side:
                        per_side[key] = counts(mask)
                (ca, na), (cb, nb) = per_side[a], per_side[key_b]
                scored = (na >= min_class_size) & (nb >= min_class_size)
                present = (ca + cb) > 0
                n_cells += int((present & scored[:, None]).sum())
                for carries in (True, False):
                    xa = ca if carries else na[:, None] - ca
                    xb = cb if carries else nb[:, None] - cb
                    for side, x_c, x_o, n_c in ((a, xa, xb, na), (b, xb, xa, nb)):
                        covered = x_c + x_o
                        hit = (scored[:, None] & present & (x_c >= min_carriers)
                               & (x_c >= purity * np.maximum(covered, 1)))
                        if not hit.any():
                            continue
                        pos, km = np.nonzero(hit)
                        share = x_c[pos, km] / n_c[pos]
                        p = presence_p_values(ca[pos, km], na[pos], cb[pos, km], nb[pos])
                        i = int(np.lexsort((-share, p))[0])
                        if best is None or p[i] < best["p_value"]:
                            best = {"comparison": name,
                                    "class": str(REST) if side is REST else side,
                                    "kmer": _kmer_name(km[i], k), "k": int(k), "from": end,
                                    "position": int(pos[i]) + 1, "carries": carries,
                                    "n_rule": int(x_c[pos[i], km[i]]),
                                    "n_other": int(x_o[pos[i], km[i]]),
                                    "share_of_class": float(share[i]),
                                    "purity": float(x_c[pos[i], km[i]]
                                                    / max(covered[pos[i], km[i]], 1)),
                                    "p_value": float(p[i])}
    if best is None:
        return None
    best["class"] = best["class"].item() if hasattr(best["class"], "item") else best["class"]
    best["n_cells"] = int(n_cells)
    best["p_adjusted"] = float(min(1.0, best["p_value"] * max(n_cells, 1)))
    return best


def describe_rule(rule):
    """One sentence for a :func:`positional_kmer_rule` result.

    Examples
    --------
    >>> print(describe_rule({"kmer": "GT", "k": 2, "from": "start", "position": 151,
    ...                      "carries": False, "n_rule": 200, "share_of_class": 0.1,
    ...                      "class": 0, "n_other": 0, "purity": 1.0, "p_adjusted": 1e-40}))
    A fixed-position rule: sequences without GT at positions 151-152 from the start are class 0 (200 of them, 10.0% of class 0; 100.0% of the sequences the rule covers; p = 1e-40 for random labels, Bonferroni-adjusted).
    """
    k, pos = rule["k"], rule["position"]
    where = (f"at position {pos}" if k == 1 else
             f"at positions {pos}-{pos + k - 1}" if rule["from"] == "start" else
             f"at positions {pos + k - 1}-{pos}")
    verb = "with" if rule["carries"] else "without"
    return (f"A fixed-position rule: sequences {verb} {rule['kmer']} {where} from the "
            f"{rule['from']} are class {rule['class']} ({rule['n_rule']} of them, "
            f"{rule['share_of_class']:.1%} of class {rule['class']}; {rule['purity']:.1%} of "
            f"the sequences the rule covers; p = {rule['p_adjusted']:.2g} for random labels, "
            "Bonferroni-adjusted).")
