"""Alphabet and validity: non-ACGT characters, IUPAC codes, N runs, empty sequences, case."""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.encoding import INVALID, is_lowercase
from skgenqc._core.findings import Finding, grade, grade_share
from skgenqc.qc._registry import register_check
from skgenqc.qc._severity import worst

IUPAC = set("RYSWKMBDHVN")
_ALL_ACGT = "All sequences use only A, C, G and T."


def _n_runs(packed, min_run):
    """Per sequence: longest run of non-ACGT characters, and whether it reaches ``min_run``."""
    bad = (packed.codes == INVALID).astype(np.int8)
    if not bad.any():
        return np.zeros(packed.n_sequences, dtype=np.int64)
    # Run starts/ends of invalid characters, never crossing a sequence boundary.
    edges = np.diff(np.concatenate([[0], bad, [0]]))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    seq_of_start = np.searchsorted(packed.offsets, starts, side="right") - 1
    seq_ends = packed.offsets[seq_of_start + 1]
    lengths = np.minimum(ends, seq_ends) - starts
    longest = np.zeros(packed.n_sequences, dtype=np.int64)
    np.maximum.at(longest, seq_of_start, lengths)
    return longest


def _alphabet_advice(n_empty, odd_content):
    """Advice for what was found, and only that (no 'remove empty sequences' when there are none)."""
    advice = []
    if n_empty:
        advice.append("Remove the empty sequences")
    if odd_content:
        advice.append("make N/IUPAC content comparable across classes (a class with more N is a "
                      "shortcut) or mask it the same way in all classes")
    return ("; ".join(advice) + ".") if advice else ""


def check_alphabet(data, packed, *, n_run_length=10, max_ids=50):
    """Alphabet and validity of the sequences, per class.

    Parameters
    ----------
    data : pandas.DataFrame
        With ``id`` and ``label`` (``label`` may be absent).
    packed : PackedSequences
        The same sequences, packed.
    n_run_length : int, default=10
        A run of at least this many non-ACGT characters is reported as an N run.
    max_ids : int, default=50
        Ids listed per kind of problem in the evidence.

    Returns
    -------
    list of Finding
        ``alphabet`` (fails on empty sequences or classes with different
        alphabets, as genomic-benchmarks-qc does; warns on any non-ACGT
        character) and ``lowercase_share`` (informational).

    Examples
    --------
    >>> from skgenqc.features.encoding import pack_sequences
    >>> df = pd.DataFrame({"id": ["a", "b"], "label": [0, 1], "sequence": ["ACGT", "ACNNR"]})
    >>> f = check_alphabet(df, pack_sequences(df["sequence"].tolist()), n_run_length=2)
    >>> f[0].severity, f[0].evidence["n_with_n_run"]
    ('fail', 1)
    """
    labels = data["label"].to_numpy() if "label" in data.columns else np.repeat("all", len(data))
    ids = data["id"].astype(str).to_numpy()
    lengths = packed.lengths
    seq_index = packed.sequence_index()
    lower_mask = is_lowercase(packed.raw)
    raw_upper = np.where(lower_mask, packed.raw - 32, packed.raw).astype(np.uint8)
    invalid = packed.codes == INVALID
    n_invalid = np.bincount(seq_index, weights=invalid, minlength=packed.n_sequences)
    longest_run = _n_runs(packed, n_run_length)
    lower = np.bincount(seq_index, weights=lower_mask, minlength=packed.n_sequences)
    per_class, alphabets = [], {}
    for label in sorted(pd.unique(labels).tolist(), key=str):
        mask = labels == label
        chars = np.unique(raw_upper[np.repeat(mask, lengths)])
        alphabet = "".join(sorted(chr(c) for c in chars))
        alphabets[str(label)] = alphabet
        total = max(int(lengths[mask].sum()), 1)
        per_class.append({
            "label": label, "n_sequences": int(mask.sum()), "alphabet": alphabet,
            "non_acgt_fraction": float(n_invalid[mask].sum() / total),
            "sequences_with_non_acgt": int((n_invalid[mask] > 0).sum()),
            "iupac_codes": "".join(c for c in alphabet if c in IUPAC - {"N"}),
            "sequences_with_n_run": int((longest_run[mask] >= n_run_length).sum()),
            "empty_sequences": int((lengths[mask] == 0).sum()),
            "lowercase_fraction": float(lower[mask].sum() / total),
        })
    table = pd.DataFrame(per_class)
    empty = ids[lengths == 0]
    with_runs = ids[longest_run >= n_run_length]
    odd_chars = sorted(set("".join(alphabets.values())) - set("ACGTUN") - IUPAC)
    differ = len(set(alphabets.values())) > 1
    evidence = {
        "alphabet_per_class": alphabets,
        "n_empty": int(len(empty)), "empty_ids": empty[:max_ids].tolist(),
        "n_with_non_acgt": int((n_invalid > 0).sum()),
        "n_with_n_run": int(len(with_runs)), "n_run_ids": with_runs[:max_ids].tolist(),
        "longest_n_run": int(longest_run.max(initial=0)),
        "non_letter_characters": odd_chars,
    }
    n = len(ids)
    # Any empty sequence fails; any non-ACGT character warns (it never fails on its own); classes
    # with different alphabets, or letters that are no nucleotide code, fail.
    severity = worst(grade_share(len(empty), n, warn=0.0, fail=0.0)[0],
                     grade_share(evidence["n_with_non_acgt"], n, warn=0.0, fail=float("inf"))[0],
                     "fail" if differ or odd_chars else "pass")
    parts = []
    if len(empty):
        parts.append(f"{len(empty)} empty sequence(s)")
    if differ:
        parts.append("classes use different alphabets (" + "; ".join(
            f"{k}: {v}" for k, v in alphabets.items()) + ")")
    if odd_chars:
        parts.append(f"characters that are not nucleotide codes: {''.join(odd_chars)!r}")
    if evidence["n_with_non_acgt"]:
        parts.append(f"{evidence['n_with_non_acgt']} sequence(s) hold non-ACGT characters, "
                     f"{len(with_runs)} with a run of >= {n_run_length}")
    message = "; ".join(parts) if parts else _ALL_ACGT
    findings = [Finding(
        check="alphabet", title="Alphabet and validity", severity=severity,
        pitfall="data validity", value=float(evidence["n_with_non_acgt"]),
        threshold={"n_run_length": n_run_length}, message=message,
        recommendation=_alphabet_advice(len(empty), differ or odd_chars
                                        or evidence["n_with_non_acgt"]) if severity != "pass" else "",
        evidence=evidence, table=table)]
    lower_by_class = table.set_index("label")["lowercase_fraction"]
    spread = float(lower_by_class.max() - lower_by_class.min()) if len(lower_by_class) else 0.0
    # Informational unless the classes differ by 10 points or more of soft-masked bases.
    lower_severity = "warn" if grade(spread, 0.1, float("inf")) == "warn" else "info"
    findings.append(Finding(
        check="lowercase_share", title="Soft-masked (lowercase) share per class",
        severity=lower_severity, pitfall="confounding", value=spread,
        threshold={"warn": 0.1},
        message="Lowercase fraction per class: " + ", ".join(
            f"{k}: {v:.1%}" for k, v in lower_by_class.items())
        + ". Comparisons of sequences ignore case.",
        recommendation=("Classes differ in soft-masking: a model that sees case can use it; "
                        "upper-case the sequences or mask all classes the same way."
                        if lower_severity == "warn" else ""),
        evidence={"lowercase_fraction_per_class": lower_by_class.to_dict()}))
    return findings


@register_check("alphabet", pitfall=("data validity", "confounding"), needs=("sequences",),
                produces=("alphabet", "lowercase_share"), order=10,
                summary="non-ACGT and IUPAC letters, N runs, empty sequences, soft-masked share "
                        "per class")
def alphabet_check(ctx):
    """Registered check ``alphabet``: :func:`check_alphabet` on every training record.

    It is the one check that sees empty sequences (``ctx.all_data``); the others
    read ``ctx.data``, without them, and the finding says how many were left out
    (test records included).
    """
    findings = check_alphabet(ctx.all_data, ctx.shared["all_packed"])
    finding = findings[0]
    if ctx.all_test is not None:
        empty_test = ctx.all_test.loc[ctx.all_test["sequence"].str.len() == 0, "id"]
        finding.evidence["n_empty_test"] = int(len(empty_test))
        finding.evidence["empty_test_ids"] = empty_test.astype(str).head(50).tolist()
        if len(empty_test):
            finding.severity = "fail"
            parts = [] if finding.message == _ALL_ACGT else [finding.message]
            finding.message = "; ".join(parts + [f"{len(empty_test)} empty test sequence(s)"])
    left_out = (ctx.metadata.get("n_empty_left_out", 0)
                + ctx.metadata.get("n_empty_left_out_test", 0))
    if left_out:
        finding.evidence["n_empty_left_out"] = int(left_out)
        finding.message += f". The {left_out} empty sequence(s) are left out of every other check."
        finding.recommendation = finding.recommendation or "Remove empty sequences."
    return findings
