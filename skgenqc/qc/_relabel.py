"""Label-permutation nulls for pair statistics: how many records have an opposite-label partner.

A check that finds pairs of records (twins) without looking at the labels asks whether the
pairs join *different* labels more often than the labels' sizes alone make likely. Shuffling
the labels (within each split, so class sizes per split are kept) and counting again gives the
null; the p-value is the share of relabellings reaching the observed count, with the usual
``+1`` so that it is never zero.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

# Relabellings drawn per batch (a batch holds n_batch x n_pairs booleans).
_BATCH = 250


def label_codes(labels):
    """Integer codes of the labels (one per distinct value, NaN refused).

    Examples
    --------
    >>> label_codes(["b", "a", "b"]).tolist()
    [1, 0, 1]
    """
    values = np.asarray(labels)
    if values.dtype.kind == "f" and np.isnan(values).any():
        raise ValueError("labels contain NaN; every record needs a label for the twin checks.")
    _, codes = np.unique(values.astype(str), return_inverse=True)
    return codes.astype(np.int64)


def _incidence(a, b, n_local, counted):
    """Pairs x records matrix marking the endpoints that count towards the statistic."""
    rows = np.concatenate([np.arange(len(a)), np.arange(len(b))])
    cols = np.concatenate([a, b])
    keep = counted[cols]
    data = np.ones(int(keep.sum()), dtype=np.float32)
    return sparse.csr_matrix((data, (rows[keep], cols[keep])), shape=(len(a), n_local))


def opposite_label_records(a, b, codes):
    """Records (indices) with at least one partner of another label among the pairs ``(a, b)``.

    Examples
    --------
    >>> opposite_label_records(np.array([0, 1]), np.array([2, 3]), np.array([0, 0, 1, 0]))
    [0, 2]
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    mixed = codes[a] != codes[b]
    return sorted(set(a[mixed].tolist()) | set(b[mixed].tolist()))


def relabel_null(a, b, codes, blocks, *, counted=None, n_permutations=2000, random_state=0):
    """Observed count of records with an opposite-label partner, and its permutation null.

    Parameters
    ----------
    a, b : numpy.ndarray of int
        The pairs, as indices of records.
    codes : numpy.ndarray of int
        Label code per record (:func:`label_codes`).
    blocks : numpy.ndarray of int
        Split per record; labels are shuffled within each block.
    counted : numpy.ndarray of bool, optional
        Records that count towards the statistic (all by default; the test records for a
        train/test statistic).
    n_permutations : int, default=2000
    random_state : int, default=0

    Returns
    -------
    observed : int
    null : numpy.ndarray of int
        The statistic under each relabelling.
    p_value : float
        ``(1 + #{null >= observed}) / (1 + n_permutations)``; 1.0 when nothing is observed.

    Examples
    --------
    >>> codes = np.array([0] * 10 + [1] * 10)
    >>> a, b = np.arange(5), np.arange(10, 15)  # five pairs, each joining the two classes
    >>> observed, null, p = relabel_null(a, b, codes, np.zeros(20, int), n_permutations=199)
    >>> observed, bool(null.mean() < observed), bool(p < 0.1)
    (10, True, True)
    """
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    n = len(codes)
    counted = np.ones(n, dtype=bool) if counted is None else np.asarray(counted, dtype=bool)
    if len(a) == 0:
        return 0, np.zeros(n_permutations, dtype=np.int64), 1.0
    involved, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
    la, lb = inverse[:len(a)], inverse[len(a):]
    incidence = _incidence(la, lb, len(involved), counted[involved])
    observed = int(((codes[involved][la] != codes[involved][lb]).astype(np.float32)
                    @ incidence > 0).sum())
    if observed == 0:
        return 0, np.zeros(n_permutations, dtype=np.int64), 1.0
    rng = np.random.default_rng(random_state)
    # Per block: the block's labels, and where its involved records sit in `involved`.
    plan = []
    for block in np.unique(blocks[involved]):
        members = np.flatnonzero(blocks == block)
        local = np.flatnonzero(blocks[involved] == block)
        plan.append((codes[members], local))
    null = np.empty(n_permutations, dtype=np.int64)
    for start in range(0, n_permutations, _BATCH):
        size = min(_BATCH, n_permutations - start)
        drawn = np.empty((size, len(involved)), dtype=np.int64)
        for pool, local in plan:
            for r in range(size):
                drawn[r, local] = pool[rng.choice(len(pool), size=len(local), replace=False)]
        mixed = (drawn[:, la] != drawn[:, lb]).astype(np.float32)
        null[start:start + size] = (np.asarray(incidence.T @ mixed.T).T > 0).sum(axis=1)
    p_value = float((1 + np.count_nonzero(null >= observed)) / (1 + n_permutations))
    return observed, null, p_value


def grade_relabelled(count, total, p_adjusted, *, fail=0.02, alpha_warn=0.01, alpha_fail=0.001,
                     cap=None):
    """Severity of a twin count: significant against the relabelling null, and its share.

    No record with an opposite-label twin passes; so does a count the relabellings reach
    often (the pairs join the classes as often as chance does). A count beyond the null at
    ``alpha_warn`` warns; at ``alpha_fail`` with a share of at least ``fail`` it fails.
    ``total == 0`` (nothing measured) is ``"info"``, never a pass.

    Examples
    --------
    >>> grade_relabelled(10, 200, 0.0005), grade_relabelled(1, 200, 0.0005)
    ('fail', 'warn')
    >>> grade_relabelled(10, 200, 0.3), grade_relabelled(0, 0, 1.0)
    ('pass', 'info')
    """
    if total == 0:
        return "info"
    if count == 0 or not p_adjusted < alpha_warn:
        return "pass"
    if p_adjusted < alpha_fail and count / total >= fail and cap != "warn":
        return "fail"
    return "warn"
