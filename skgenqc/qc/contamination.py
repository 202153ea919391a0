"""Benchmark contamination: copies and near-copies shared by this data set and another one.

A model pre-trained or tuned on one data set and scored on a benchmark that
holds copies of it (or the reverse) measures memorisation.  This check runs the
train/test leakage search (:func:`skgenqc.qc.check_train_test_leakage`, which
calls the one identity search of :mod:`skgenqc.features.similarity`: exact,
reverse-complement and coverage-aware near-identical copies, either strand) in
BOTH directions and reports each as one finding:

* ``contamination``: records of this data set with a copy in the other one;
* ``contamination_reverse``: records of the other data set with a copy in this one.

The two counts differ when one side holds several copies of a record of the
other.  Severity is the leakage rule (:func:`skgenqc._core.findings.grade_share`):
any contaminated record warns, at least 2 % fails, none passes, and an empty side
is ``info`` (nothing measured is never a pass).  It is not a registered check
(it needs a second data set); the command line runs it with
``skgenqc qc ... --against OTHER``.
"""

from __future__ import annotations

import pandas as pd

from skgenqc._core.findings import Finding, grade_share
from skgenqc.qc.leakage import check_train_test_leakage

_KIND_OF = {"train_test_exact": "exact", "train_test_reverse_complement": "reverse_complement",
            "train_test_near_duplicates": "near"}


def _as_records(value, name):
    """``(frame with id, sequence list)`` from a DataFrame with ``sequence`` or a list of str."""
    if isinstance(value, pd.DataFrame):
        if "sequence" not in value.columns:
            raise ValueError(f"{name} has no 'sequence' column; its columns are "
                             f"{list(value.columns)}.")
        frame = value.reset_index(drop=True)
    elif isinstance(value, (list, tuple, pd.Series)):
        frame = pd.DataFrame({"sequence": list(value)})
    else:
        raise TypeError(f"{name} must be a DataFrame with a 'sequence' column or a list of "
                        f"str, got {type(value).__name__}.")
    bad = [(i, s) for i, s in enumerate(frame["sequence"]) if not isinstance(s, str)]
    if bad:
        raise TypeError(f"{name} holds a sequence that is not a str at row {bad[0][0]}: "
                        f"{bad[0][1]!r} ({len(bad)} such rows); expected DNA/RNA strings.")
    if "id" not in frame.columns:
        frame = frame.assign(id=[f"{name}:{i}" for i in range(len(frame))])
    return frame, frame["sequence"].tolist()


def _direction(check, ours, our_seqs, theirs, their_seqs, names, threshold, warn, fail,
               max_ids):
    """One finding: records of ``ours`` with a copy (any kind) in ``theirs``."""
    parts, _ = check_train_test_leakage(theirs, their_seqs, ours, our_seqs, threshold=threshold,
                                        warn=warn, fail=fail, max_ids=max_ids)
    table = pd.concat([p.table for p in parts], ignore_index=True)
    table = table.rename(columns={"query": "index", "target": "other_index",
                                  "test_id": "id", "train_id": "other_id",
                                  "test_label": "label", "train_label": "other_label"})
    hit = table["index"].nunique() if len(table) else 0
    severity, share = grade_share(hit, len(our_seqs), warn=warn, fail=fail)
    by_kind = {_KIND_OF[p.check]: int(p.evidence["n_test_leaked"]) for p in parts}
    evidence = {
        "side": names[0], "other_side": names[1],
        "n_sequences": len(our_seqs), "n_other_sequences": len(their_seqs),
        "n_contaminated": int(hit), "percent_contaminated": 100 * share,
        "n_other_involved": int(table["other_index"].nunique()) if len(table) else 0,
        "n_pairs": int(len(table)),
        **{f"n_{kind}": n for kind, n in by_kind.items()},
        "ids": table["id"].drop_duplicates().head(max_ids).tolist(),
        "other_ids": table["other_id"].drop_duplicates().head(max_ids).tolist(),
        "example_pairs": [f"{a} = {b}" for a, b in zip(table["id"].head(max_ids),
                                                       table["other_id"].head(max_ids))],
    }
    if "label" in table.columns:
        evidence["pairs_with_different_labels"] = int((table["label"] != table["other_label"]).sum())
    kinds = ", ".join(f"{n} {kind.replace('_', '-')}" for kind, n in by_kind.items())
    message = (f"{hit} of {len(our_seqs)} {names[0]} sequences ({share:.2%}) have a copy in "
               f"{names[1]} ({kinds}; near = >= {threshold:.0%} identity, either strand), "
               f"involving {evidence['n_other_involved']} of {len(their_seqs)} "
               f"{names[1]} sequences.")
    if not len(our_seqs):
        message = f"{names[0]} has no sequences: contamination not measured."
    return Finding(
        check=check, title=f"Copies of {names[0]} sequences in {names[1]}", severity=severity,
        pitfall="dependent examples", value=float(share),
        threshold={"warn": warn, "fail": fail, "identity": threshold}, message=message,
        recommendation=(f"Remove these records from one side, or do not score on {names[1]} a "
                        f"model fitted on {names[0]} (or the reverse): a score on copies "
                        "measures memorisation." if hit else ""),
        evidence=evidence,
        table=table.sort_values("identity", ascending=False).reset_index(drop=True))


def check_contamination(data, other, *, threshold=0.9, warn=0.0, fail=0.02, max_ids=50,
                        names=("data", "other")):
    """Find copies and near-copies shared by ``data`` and ``other``, in both directions.

    Parameters
    ----------
    data, other : pandas.DataFrame or list of str
        Each a table with a ``sequence`` column (and ``id``, ``label`` when
        known) or a list of sequences (ids then ``"<name>:<row>"``).
    threshold : float, default=0.9
        Coverage-aware identity (0.5-1) at or above which a pair is a near-copy.
    warn, fail : float, default=0.0, 0.02
        Share of a side's records with a copy above which to warn / at or above
        which to fail.
    max_ids : int, default=50
        Ids of each side (and pairs) listed in the evidence.
    names : tuple of 2 str, default=("data", "other")
        What to call the two sides in messages and evidence keys.

    Returns
    -------
    list of Finding
        ``contamination`` (records of ``data`` with a copy in ``other``) and
        ``contamination_reverse`` (records of ``other`` with a copy in ``data``).
        Each has the ids of both sides in its evidence (``ids`` of the side
        counted, ``other_ids``, ``example_pairs``; ``side`` and ``other_side``
        name them) and every pair
        (``exact``, ``reverse_complement`` or ``near``, with identity and strand)
        in its table.

    Examples
    --------
    >>> f = check_contamination(["ACGTTGCAAC", "GGGATTACAG"],
    ...                         ["AAAACCCCGG", "CTGTAATCCC", "CTGTAATCCC"])
    >>> [(x.check, x.evidence["n_contaminated"]) for x in f[:1]]
    [('contamination', 1)]
    >>> f[0].evidence["example_pairs"], f[1].evidence["n_contaminated"]
    (['data:1 = other:1', 'data:1 = other:2'], 2)
    """
    if (not isinstance(names, (tuple, list)) or len(names) != 2
            or not all(isinstance(n, str) and n for n in names) or names[0] == names[1]):
        raise ValueError(f"names={names!r} must be two different non-empty strings.")
    if isinstance(max_ids, bool) or not isinstance(max_ids, int) or max_ids < 0:
        raise ValueError(f"max_ids={max_ids!r} must be an integer >= 0.")
    ours, our_seqs = _as_records(data, "data")
    theirs, their_seqs = _as_records(other, "other")
    names = tuple(names)
    return [
        _direction("contamination", ours, our_seqs, theirs, their_seqs, names, threshold,
                   warn, fail, max_ids),
        _direction("contamination_reverse", theirs, their_seqs, ours, our_seqs, names[::-1],
                   threshold, warn, fail, max_ids),
    ]
