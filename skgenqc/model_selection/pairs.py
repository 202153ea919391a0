"""Cross-validation for pair data (protein-protein, miRNA-gene, enhancer-promoter, drug-target).

A test pair is C1 when both partners occur in training pairs, C2 when exactly one does and C3
when neither does (Park & Marcotte 2012).  Random K-fold gives mostly C1 test pairs, so a model
can score well by memorising partners.  :class:`PairKFold` builds C1, C2 or C3 folds and
:func:`pair_classes` says which class each test pair of any split belongs to.
"""

from __future__ import annotations

import numbers
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.utils._param_validation import Hidden, Options, StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _num_samples

from skgenqc.model_selection._base import (
    N_SPLITS,
    RANDOM_STATE,
    SHUFFLE,
    BaseGenomicSplitter,
    assign_groups_to_folds,
    check_groups,
    encode_labels,
    fold_rng,
    group_label_counts,
    warn_oversized_groups,
)

__all__ = ["PairKFold", "pair_classes", "pairs_from_graph", "shared_ids"]

_MODES = ("C1", "C2", "C3")
_CLASS_NAMES = np.array(["C3", "C2", "C1"])  # indexed by the number of partners seen in training


def pairs_from_graph(graph):
    """One row per edge of a networkx graph, in the order of ``list(graph.edges())``.

    When every node carries a ``bipartite`` attribute (as networkx's bipartite generators set),
    each row is oriented so that column 0 holds the ``bipartite=0`` node.

    Examples
    --------
    >>> import networkx as nx
    >>> pairs_from_graph(nx.path_graph(3)).tolist()
    [[0, 1], [1, 2]]
    """
    edges = list(graph.edges())
    arr = np.empty((len(edges), 2), dtype=object)
    for i, (a, b) in enumerate(edges):   # element-wise: node ids may themselves be tuples
        arr[i, 0], arr[i, 1] = a, b
    side = dict(graph.nodes(data="bipartite"))
    if side and all(s in (0, 1) for s in side.values()):
        flip = np.array([side[a] == 1 and side[b] == 0 for a, b in edges], dtype=bool)
        arr[flip] = arr[flip][:, ::-1]
    return arr


def _as_pairs(X, groups):
    """(n_samples, 2) array of partner ids from an array, a DataFrame or a networkx graph."""
    if hasattr(groups, "edges") and hasattr(groups, "nodes"):
        groups = pairs_from_graph(groups)
        if X is not None and len(groups) != _num_samples(X):
            raise ValueError(f"groups is a graph with {len(groups)} edges but X has "
                             f"{_num_samples(X)} samples; X must have one row per edge, in "
                             "list(G.edges()) order.")
    n_samples = _num_samples(X) if X is not None else 0 if groups is None else len(groups)
    arr = check_groups(groups, n_samples, ndim=2)
    if arr.shape[1] != 2:
        raise ValueError(f"groups must have shape (n_samples, 2) (one row per pair: partner A, "
                         f"partner B), got shape {arr.shape}.")
    return arr


def shared_ids(groups):
    """Ids that occur in both columns of the pairs (sorted by their text).

    When there are any, the columns are one id space (protein-protein) and
    ``PairKFold(homogeneous="auto")`` pools them.

    Examples
    --------
    >>> shared_ids([[1, 2], [2, 3], [4, 5]]).tolist()
    [2]
    >>> shared_ids([["mir1", "geneA"], ["mir2", "geneB"]]).tolist()
    []
    """
    pairs = _as_pairs(None, groups)
    common = set(pairs[:, 0].tolist()) & set(pairs[:, 1].tolist())
    return np.array(sorted(common, key=str), dtype=object)


def resolve_homogeneous(homogeneous, groups, *, warn=False):
    """The one reading of ``homogeneous="auto"``: one id space when the columns share ids.

    :class:`PairKFold`, :func:`pair_classes` and
    :func:`~skgenqc.model_selection.split_diagnostics` all resolve it here, so
    they agree on which pairs are C1, C2 or C3.

    Parameters
    ----------
    homogeneous : bool or "auto"
    groups : array-like of shape (n_samples, 2)
        The pairs.
    warn : bool, default=False
        Warn when "auto" pools the columns (the splitter does, once per split).

    Returns
    -------
    bool

    Examples
    --------
    >>> resolve_homogeneous("auto", [[1, 2], [2, 3]]), resolve_homogeneous("auto", [["m", "g"]])
    (True, False)
    """
    if homogeneous != "auto":
        return bool(homogeneous)
    common = shared_ids(groups)
    if len(common) and warn:
        examples = ", ".join(str(x) for x in common[:5].tolist())
        warnings.warn(
            f"PairKFold(homogeneous='auto'): {len(common)} id(s) occur in both columns of "
            f"groups (e.g. {examples}), so both columns are treated as one id space and "
            "(A, B) as (B, A); in mode C3 no entity is then on both sides. Pass "
            "homogeneous=True to confirm and silence this warning, or homogeneous=False if "
            "the columns are different kinds of entity whose ids merely coincide.",
            UserWarning, stacklevel=5)
    return bool(len(common))


def _check_families(families, homogeneous):
    """(mapping of side A, mapping of side B); None where no families are given."""
    ok = (dict, pd.Series)
    if families is None or isinstance(families, ok):
        return families, families
    if (isinstance(families, (tuple, list)) and len(families) == 2
            and all(f is None or isinstance(f, ok) for f in families)):
        if homogeneous:
            raise ValueError("families must be a single mapping when homogeneous=True (both "
                             "columns share one namespace), got a pair of mappings.")
        return tuple(families)
    raise TypeError("families must be None, a dict or pandas Series (entity -> family), or a "
                    f"pair of them (one per side), got {type(families).__name__}.")


def _units(ids, mapping):
    """Integer unit per id: its family when mapped, else the id itself."""
    codes, uniq = pd.factorize(ids)
    if mapping is None:
        return codes, len(uniq), codes, np.asarray(uniq, dtype=object)
    fam = pd.Series(np.asarray(uniq, dtype=object)).map(mapping)
    mapped = fam.notna().to_numpy()
    fcodes, fnames = pd.factorize(fam[mapped])
    unit = np.empty(len(uniq), dtype=np.int64)
    unit[mapped] = fcodes
    unit[~mapped] = len(fnames) + np.arange((~mapped).sum())
    names = np.concatenate([np.asarray(fnames, dtype=object),
                            np.asarray(uniq, dtype=object)[~mapped]])
    return unit[codes], len(names), codes, names


def _encode(pairs, homogeneous, families):
    """Entity codes and unit (family-level) codes of both partners; B is offset when tagged."""
    fam_a, fam_b = _check_families(families, homogeneous)
    if homogeneous:
        n = len(pairs)
        ua, n_units, ea, names = _units(np.concatenate([pairs[:, 0], pairs[:, 1]]), fam_a)
        return ua[:n], ua[n:], ea[:n], ea[n:], n_units, None, names
    ua, na, ea, names_a = _units(pairs[:, 0], fam_a)
    ub, nb, eb, names_b = _units(pairs[:, 1], fam_b)
    side = np.r_[np.zeros(na, np.int64), np.ones(nb, np.int64)]
    return ua, ub + na, ea, eb, na + nb, side, np.concatenate([names_a, names_b])


def _warn_pair_issues(pairs, ea, eb, homogeneous, mode):
    n_self = int((ea == eb).sum()) if homogeneous else 0
    if n_self:
        i = int(np.argmax(ea == eb))
        warnings.warn(f"groups holds {n_self} self-pair(s) (same entity in both columns, e.g. "
                      f"row {i}: {pairs[i, 0]!r}); such a pair is C1 or C3, never C2.",
                      UserWarning, stacklevel=4)
    lo, hi = (np.minimum(ea, eb), np.maximum(ea, eb)) if homogeneous else (ea, eb)
    key = lo * (int(max(ea.max(initial=0), eb.max(initial=0))) + 1) + hi
    n_dup = len(key) - len(np.unique(key))
    if n_dup:
        later = np.ones(len(key), dtype=bool)
        later[np.unique(key, return_index=True)[1]] = False
        i = int(np.argmax(later))
        what = "duplicate or transposed (A, B)/(B, A)" if homogeneous else "duplicate"
        where = ("they are split across folds, a direct leak" if mode == "C1"
                 else "they stay in one fold but weigh more than other pairs")
        warnings.warn(f"groups holds {n_dup} {what} pair(s) (e.g. row {i}: "
                      f"{tuple(pairs[i])!r}); under mode={mode!r} {where}. Deduplicate the "
                      "pairs first.", UserWarning, stacklevel=4)


# ----------------------------------------------------------------------------- graph partitioning
def _group_cumsum(keys, w):
    """Running sum of ``w`` restarting wherever the (sorted) ``keys`` change."""
    c = np.cumsum(w)
    start = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, bool)
    return c - np.maximum.accumulate(np.where(start, c - w, 0))


def _label_propagation(src, dst, ew, w, cap, colour, rng, n_iter=10):
    """Communities by label propagation, each label's volume capped (moves admitted by gain).

    One colour class (side of a bipartite graph) or a random half moves per round: synchronous
    updates oscillate on bipartite graphs."""
    n = len(w)
    labels, vol = np.arange(n), w.copy()
    unit = bool(np.all(ew == 1))
    for it in range(n_iter):
        active = (colour == it % 2) if colour is not None else rng.random(n) < 0.5
        e = active[src]
        key = src[e] * n + labels[dst[e]]
        if len(key) == 0:
            break
        if unit:   # plain counts: a sort is much faster than an argsort
            uk, cnt = np.unique(key, return_counts=True)
        else:
            order = np.argsort(key)
            key = key[order]
            starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
            uk, cnt = key[starts], np.add.reduceat(ew[e][order], starts)
        node, lab = uk // n, uk % n
        score = cnt + rng.random(len(uk)) * 0.5          # random tie-break among equal counts
        new = np.r_[True, node[1:] != node[:-1]]
        seg = np.cumsum(new) - 1
        best = np.flatnonzero(score == np.maximum.reduceat(score, np.flatnonzero(new))[seg])
        best = best[np.r_[True, seg[best][1:] != seg[best][:-1]]]
        node, to, got = node[best], lab[best], cnt[best]
        own = node * n + labels[node]
        pos = np.minimum(np.searchsorted(uk, own), len(uk) - 1)
        gain = got - np.where(uk[pos] == own, cnt[pos], 0)
        mv = (gain > 0) & (to != labels[node])
        node, to, gain = node[mv], to[mv], gain[mv]
        o = np.argsort(to * (gain.max(initial=0) + 1.0) - gain, kind="stable")
        node, to = node[o], to[o]
        ok = vol[to] + _group_cumsum(to, w[node]) <= cap
        if not ok.any():
            break
        node, to = node[ok], to[ok]
        np.subtract.at(vol, labels[node], w[node])
        np.add.at(vol, to, w[node])
        labels[node] = to
    return labels


def _contract(src, dst, ew, w, labels):
    """Graph of the communities: one node per label, parallel edges summed."""
    present = np.zeros(len(w), dtype=bool)
    present[labels] = True
    lab = (np.cumsum(present) - 1)[labels]
    m = int(present.sum())
    cs, cd = lab[src], lab[dst]
    keep = cs != cd
    adj = coo_matrix((ew[keep], (cs[keep], cd[keep])), shape=(m, m)).tocsr().tocoo()
    return (adj.row.astype(np.int64), adj.col.astype(np.int64), adj.data,
            np.bincount(lab, weights=w, minlength=m)), lab


def _refine(src, dst, ew, w, folds, n_splits, colour, rng, hi, lo, n_iter=20):
    """K-way label propagation: move units to the fold holding most of their pairs, in balance."""
    n = len(w)
    load = np.bincount(folds, weights=w, minlength=n_splits)
    wt = None if np.all(ew == 1) else ew
    idle = 0
    for it in range(n_iter):
        active = (colour == it % 2) if colour is not None else rng.random(n) < 0.5
        e, nodes = active[src], np.flatnonzero(active)
        m = np.bincount(src[e] * n_splits + folds[dst[e]], weights=None if wt is None else wt[e],
                        minlength=n * n_splits).reshape(n, n_splits)[nodes]
        best = np.argmax(m + rng.random(m.shape) * 1e-3, axis=1)
        rows = np.arange(len(nodes))
        gain = m[rows, best] - m[rows, folds[nodes]]
        pick = np.flatnonzero((gain > 0) & (best != folds[nodes]))
        cand, g, t = nodes[pick], gain[pick], best[pick]
        f, wc = folds[cand], w[cand]
        ok = np.zeros(len(cand), bool)
        o = np.lexsort((-g, t))
        ok[o] = load[t[o]] + _group_cumsum(t[o], wc[o]) <= hi[t[o]]
        o = np.lexsort((-g, f))
        ok[o] &= load[f[o]] - _group_cumsum(f[o], wc[o]) >= lo
        c, t = cand[ok], t[ok]
        load += (np.bincount(t, weights=w[c], minlength=n_splits)
                 - np.bincount(folds[c], weights=w[c], minlength=n_splits))
        folds[c] = t
        idle = idle + 1 if len(c) <= n // 20000 else 0   # (next to) nothing moves any more
        if idle >= 2:
            break
    return folds


def _partition_once(ua, ub, n_units, n_splits, colour, rng, coarse, *, eps=0.05, levels=4):
    """Fold of each unit so that few pairs have partners in different folds (multilevel LP).

    Connected components that fit in a fold stay whole and units with a single partner join
    it (heavy-tailed pair graphs are mostly such leaves); the rest is coarsened by capped label
    propagation, contracted and coarsened again.  The coarsest graph is dealt to folds balanced
    by pair count (largest first) and the assignment is refined level by level.
    """
    w = (np.bincount(ua, minlength=n_units) + np.bincount(ub, minlength=n_units)).astype(float)
    keep = ua != ub
    src, dst = np.r_[ua[keep], ub[keep]], np.r_[ub[keep], ua[keep]]
    fine = (src, dst, np.ones(len(src)), w)
    adj = coo_matrix((fine[2], (src, dst)), shape=(n_units, n_units)).tocsr()
    n_comp, comp = connected_components(adj, directed=False)
    cap = w.sum() / n_splits
    # Tolerances must exceed a typical unit's volume, or no unit could ever move (small data).
    typical = float(np.quantile(w, 0.9)) if len(w) else 0.0
    slack = max(eps * cap, typical)
    ccap = max(coarse * cap, min(cap, 4 * typical))
    small = np.bincount(comp, weights=w, minlength=n_comp)[comp] <= cap
    first = np.full(n_comp, -1)
    first[comp[::-1]] = np.arange(n_units)[::-1]
    labels = np.where(small, first[comp], np.arange(n_units))
    leaf = np.flatnonzero(~small & (np.diff(adj.indptr) == 1))
    to = adj.indices[adj.indptr[leaf]]
    o = np.argsort(to, kind="stable")
    leaf, to = leaf[o], to[o]
    fits = w[to] + _group_cumsum(to, w[leaf]) <= cap
    labels[leaf[fits]] = to[fits]
    graph, lab = _contract(*fine, labels)
    stack = [(fine, lab, colour)]
    if colour is not None:   # a merged leaf's only partner is its unit: sides stay apart
        reps = np.zeros(n_units, dtype=bool)
        reps[labels] = True
        colour = colour[reps]
    for _ in range(levels):
        m = len(graph[3])
        labels = _label_propagation(*graph, ccap, colour, rng)
        coarse_graph, lab = _contract(*graph, labels)
        stack.append((graph, lab, colour))
        graph, colour = coarse_graph, None
        if len(graph[3]) > 0.95 * m:
            break
    vol = graph[3]
    folds = assign_groups_to_folds(np.round(vol).astype(np.int64)[:, None], n_splits,
                                   stratify=False, rng=rng)
    # A fold holding a unit bigger than a fold may grow to keep that unit's partners.
    biggest = np.zeros(n_splits)
    np.maximum.at(biggest, folds, vol)
    hi = np.maximum(cap + slack, np.where(biggest > cap, 1.5 * biggest, 0))
    folds = _refine(*graph, folds, n_splits, None, rng, hi, cap - slack)
    for fine, lab, col in reversed(stack):
        folds = _refine(*fine, folds[lab], n_splits, col, rng, hi, cap - slack)
    return folds


def _partition(ua, ub, n_units, n_splits, colour, rng):
    """Best of two community sizes (one fold: modular graphs stay whole; a quarter: balances
    better without modules; only the first above 200k pairs).  Score: pairs kept, discounted
    when the largest test fold exceeds 1.5 times the smallest."""
    best, best_score = None, -1.0
    for coarse in (1.0, 0.25) if len(ua) <= 200_000 else (1.0,):
        folds = _partition_once(ua, ub, n_units, n_splits, colour, rng, coarse)
        same = folds[ua] == folds[ub]
        n_test = np.bincount(folds[ua][same], minlength=n_splits)
        score = same.sum() * min(1.0, 1.5 * n_test.min() / max(n_test.max(), 1))
        if score > best_score:
            best, best_score = folds, score
    return best


# ------------------------------------------------------------------------------------ classes
def _classes(ua, ub, train, test, n_units):
    seen = np.zeros(n_units, dtype=bool)
    seen[ua[train]] = True
    seen[ub[train]] = True
    return _CLASS_NAMES[seen[ua[test]].astype(np.int64) + seen[ub[test]]]


def pair_classes(groups, train_index, test_index, homogeneous="auto", families=None):
    """C1/C2/C3 class of each test pair: how many of its partners occur in training pairs.

    Parameters
    ----------
    groups : array-like of shape (n_samples, 2), DataFrame or networkx graph
        Partner ids of each pair (column 0 = side A, column 1 = side B).
    train_index, test_index : array-like of int
        Indices of a split, as yielded by any splitter.
    homogeneous : bool or "auto", default="auto"
        True when both columns share one namespace (protein-protein); False tags ids by side;
        "auto" pools them when some id occurs in both columns, as :class:`PairKFold` does.
    families : dict, pandas Series or pair of them, optional
        Entity -> family; a partner counts as seen when its family is seen.

    Returns
    -------
    numpy.ndarray of str
        ``"C1"``, ``"C2"`` or ``"C3"`` for each entry of ``test_index``.

    Examples
    --------
    >>> pairs = [["a", "x"], ["b", "y"], ["a", "y"], ["c", "z"]]
    >>> pair_classes(pairs, [0, 1], [2, 3]).tolist()
    ['C1', 'C3']
    """
    pairs = _as_pairs(None, groups)
    homogeneous = resolve_homogeneous(homogeneous, pairs)
    ua, ub, _, _, n_units, _, _ = _encode(pairs, homogeneous, families)
    return _classes(ua, ub, np.asarray(train_index, dtype=np.int64),
                    np.asarray(test_index, dtype=np.int64), n_units)


# ---------------------------------------------------------------------------------- splitter
def _check_units(sizes, n_pairs, n_splits, names, what):
    """Enough units for the folds; warn about units bigger than a fold."""
    if len(sizes) < n_splits:
        raise ValueError(f"n_splits={n_splits} is greater than the number of {what} "
                         f"({len(sizes)}); each fold must hold at least one.")
    warn_oversized_groups(sizes, n_pairs, n_splits, plural="entit(ies) or famil(ies)", names=names,
                          unit="pairs", total="n_pairs", stacklevel=6)


class PairKFold(BaseGenomicSplitter):
    """K-fold cross-validation for pairs, with C1, C2 or C3 test pairs.

    - ``mode="C1"``: random K-fold over the pairs (the usual, optimistic baseline).
    - ``mode="C2"``: the entities of column ``side`` are dealt to folds (balanced by pair count,
      and by label when ``y`` is given); fold k tests every pair whose side-``side`` entity is in
      fold k and trains on all other pairs.  Each pair is tested exactly once.  With
      ``homogeneous=True`` the pooled entities are dealt and each pair is tested in the fold of
      one of its partners (chosen at random); no held-out entity occurs in training.
    - ``mode="C3"``: all entities are dealt to folds by a graph partitioning that keeps the two
      partners of as many pairs as possible together (multilevel label propagation with
      balanced folds).  Fold k tests the pairs with both partners in fold k and trains on the
      pairs with neither partner in fold k; a pair whose partners sit in different folds cannot
      be placed and is never tested (a warning gives the count; see :meth:`fold_summary`).
      Such pairs are ``"excluded"`` in :meth:`roles` in the folds where they are not trained on.

    Parameters
    ----------
    n_splits : int, default=5
    mode : {"C1", "C2", "C3"}, default="C3"
    side : {0, 1}, default=0
        Column whose entities are held out in mode C2.
    homogeneous : bool or "auto", default="auto"
        True when either column may hold the same entity and (A, B) equals (B, A)
        (protein-protein); entities are then pooled across the columns.  False keeps the two
        columns as separate namespaces (miRNA-gene).  ``"auto"`` pools them when some id
        occurs in both columns, with a warning saying so (pass True or False to silence it):
        treating a shared id as two entities would let a protein sit on both sides of a C3
        fold.
    families : dict, pandas Series or pair of them, optional
        Entity -> family (e.g. miRNA family, gene cluster): whole families are held out.  Give a
        pair ``(families_A, families_B)`` for heterogeneous pairs (a single mapping serves both
        columns).  Unmapped entities (or NaN families) are their own family.
    shuffle : bool, default=True
        Randomise the assignment; when False, C1 uses contiguous folds and C2/C3 are
        deterministic regardless of ``random_state``.
    random_state : int, RandomState instance or None, default=0
        Seed used when ``shuffle=True``; the default makes two calls give the same folds.

    In mode C2 the dealt entities are balanced by label whenever ``y`` is binary or
    multiclass (the ``stratify="auto"`` of the other splitters).

    See Also
    --------
    pair_classes : class of each test pair of any split.
    sklearn.model_selection.GroupKFold : one-column groups.

    Notes
    -----
    ``groups`` is an (n_samples, 2) array or DataFrame of partner ids, or a networkx graph whose
    edges, in ``list(G.edges())`` order, are the rows of ``X``.  Without metadata routing,
    ``permutation_test_score`` also uses ``groups`` to permute ``y`` and cannot take pairs: pass
    ``cv=list(cv.split(X, y, pairs))`` there, or enable routing and pass
    ``params={"groups": pairs}``.  C3 folds are not a partition of the samples, so
    ``cross_val_predict`` accepts only C1 and C2.

    Examples
    --------
    >>> import numpy as np
    >>> pairs = np.array([["a", "b"], ["a", "c"], ["b", "c"], ["c", "d"],
    ...                   ["d", "e"], ["d", "f"], ["e", "f"]])
    >>> X = np.zeros((7, 1))
    >>> cv = PairKFold(n_splits=2, mode="C3", homogeneous=True, random_state=0)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     for train, test in cv.split(X, groups=pairs):
    ...         print("train:", train, "test:", test)
    train: [0 1 2] test: [4 5 6]
    train: [4 5 6] test: [0 1 2]
    >>> cv.fold_summary(X, groups=pairs)["n_dropped"].tolist()  # pair c-d is never tested
    [1, 1]
    """

    _parameter_constraints = {
        "n_splits": N_SPLITS,
        "mode": [StrOptions(set(_MODES)), Hidden(StrOptions({m.lower() for m in _MODES}))],
        "side": [Options(numbers.Integral, {0, 1})],
        "homogeneous": ["boolean", StrOptions({"auto"})],
        "families": [None, dict, pd.Series, tuple, list],
        "shuffle": SHUFFLE,
        "random_state": RANDOM_STATE,
    }

    def __init__(self, n_splits=5, *, mode="C3", side=0, homogeneous="auto", families=None,
                 shuffle=True, random_state=0):
        self.n_splits = n_splits
        self.mode = mode
        self.side = side
        self.homogeneous = homogeneous
        self.families = families
        self.shuffle = shuffle
        self.random_state = random_state

    def _rng(self):
        # Label propagation breaks ties at random even without shuffling: a fixed seed then.
        return fold_rng(True, self.random_state if self.shuffle else 0)

    def _plan(self, X, y, groups, warn=True):
        """Fold of each partner, test fold of each pair and the (train, test) masks per fold."""
        mode = self.mode.upper()
        k = int(self.n_splits)
        pairs = _as_pairs(X, groups)
        n = len(pairs)
        homogeneous = resolve_homogeneous(self.homogeneous, pairs, warn=warn)
        ua, ub, ea, eb, n_units, side_of, names = _encode(pairs, homogeneous, self.families)
        if warn:
            _warn_pair_issues(pairs, ea, eb, homogeneous, mode)
        rng = self._rng()
        deal_rng = rng if self.shuffle else None
        fa = fb = np.full(n, -1, dtype=np.int64)
        plan = SimpleNamespace(mode=mode, pairs=pairs, ua=ua, ub=ub, n_units=n_units,
                               homogeneous=homogeneous)
        if mode == "C1":
            if n < k:
                raise ValueError(f"n_splits={k} is greater than the number of pairs ({n}).")
            test_fold = np.empty(n, dtype=np.int64)
            test_fold[rng.permutation(n) if self.shuffle else np.arange(n)] = np.arange(n) * k // n
            train = [test_fold != f for f in range(k)]
        elif mode == "C2" and not homogeneous:
            offset = 0 if self.side == 0 else int((side_of == 0).sum())
            own = (ua, ub)[self.side] - offset
            n_own = int(own.max(initial=-1)) + 1
            stratify = y is not None and type_of_target(y) in ("binary", "multiclass")
            labels, n_labels = encode_labels(y if stratify else None, n)
            counts = group_label_counts(own, labels, n_own, n_labels)
            _check_units(counts.sum(axis=1), n, k, names[offset:],
                         f"side-{self.side} {'entities' if self.families is None else 'families'}")
            test_fold = assign_groups_to_folds(counts, k, stratify=stratify, rng=deal_rng)[own]
            fa, fb = (test_fold, fb) if self.side == 0 else (fa, test_fold)
            train = [test_fold != f for f in range(k)]
        else:
            degree = np.bincount(ua, minlength=n_units) + np.bincount(ub, minlength=n_units)
            _check_units(degree, n, k, names, "entities" if self.families is None else "families")
            if mode == "C2":
                unit_fold = assign_groups_to_folds(degree[:, None], k, stratify=False,
                                                   rng=deal_rng)
            else:
                unit_fold = _partition(ua, ub, n_units, k, side_of, rng)
            fa, fb = unit_fold[ua], unit_fold[ub]
            if mode == "C2":   # homogeneous: tested in the fold of one partner, at random,
                lo, hi = np.minimum(ua, ub), np.maximum(ua, ub)   # the same one for (B, A)
                _, inv = np.unique(lo * n_units + hi, return_inverse=True)
                test_fold = unit_fold[np.where(rng.random(inv.max() + 1)[inv] < 0.5, lo, hi)]
            else:
                test_fold = np.where(fa == fb, fa, -1)
            train = [(fa != f) & (fb != f) for f in range(k)]
        plan.fa, plan.fb, plan.test_fold = fa, fb, test_fold
        plan.masks = [(tr, test_fold == f) for f, tr in enumerate(train)]
        for f, (tr, te) in enumerate(plan.masks):
            if not te.any() or not tr.any():
                raise ValueError(
                    f"PairKFold(mode={mode!r}, n_splits={k}) leaves fold {f} with "
                    f"{int(tr.sum())} training and {int(te.sum())} test pairs: the pairs are "
                    "too few or too interconnected for this many folds. Use a smaller "
                    "n_splits, or mode='C2'.")
        return plan

    def split(self, X, y=None, groups=None):
        """Generate train/test indices of the pairs, one fold at a time.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), optional
            Used to balance labels across folds in mode C2.
        groups : array-like of shape (n_samples, 2), DataFrame or networkx graph
            Partner ids of each pair.

        Yields
        ------
        train, test : numpy.ndarray of int
        """
        return super().split(X, y, groups)

    def _iter_masks(self, X, y=None, groups=None):
        plan = self._plan(X, y, groups)
        test_fold, masks = plan.test_fold, plan.masks
        if plan.mode == "C3":
            never = int((test_fold < 0).sum())
            if never:
                dropped = [int((~tr & ~te).sum()) for tr, te in masks]
                warnings.warn(
                    f"PairKFold(mode='C3'): {never} of {len(test_fold)} pairs "
                    f"({never / len(test_fold):.1%}) have their partners in different folds and "
                    f"are never tested; dropped per fold: {dropped}. See fold_summary() and "
                    "roles().", UserWarning, stacklevel=3)
        yield from masks

    def assignment(self, X=None, y=None, groups=None):
        """One row per pair: fold of each partner, its test fold and its role in every fold.

        Columns ``partner_a``, ``partner_b``, ``fold_a``, ``fold_b`` (-1 when that partner is
        not assigned, e.g. in C1), ``test_fold`` (-1: never tested), ``test_class`` (C1/C2/C3 in
        its test fold) and ``split_k`` for each fold k: ``"train"``, ``"C1"``/``"C2"``/``"C3"``
        (tested, with its class) or ``"dropped"``.  With an int ``random_state`` (the
        default) this matches :meth:`split`; :meth:`roles` gives the same roles as
        train / test / excluded.
        """
        self._validate_params()
        p = self._plan(X, y, groups, warn=False)
        out = pd.DataFrame({"partner_a": p.pairs[:, 0], "partner_b": p.pairs[:, 1],
                            "fold_a": p.fa, "fold_b": p.fb, "test_fold": p.test_fold,
                            "test_class": ""})
        for f, (train, test) in enumerate(p.masks):
            role = np.where(train, "train", "dropped").astype(object)
            cls = _classes(p.ua, p.ub, np.flatnonzero(train), np.flatnonzero(test), p.n_units)
            role[test] = cls
            out.loc[test, "test_class"] = cls
            out[f"split_{f}"] = role
        return out

    def fold_summary(self, X=None, y=None, groups=None):
        """Per fold: training, test and dropped pairs, test share and C1/C2/C3 test counts."""
        table = self.assignment(X, y, groups)
        counts = pd.DataFrame({f: table[f"split_{f}"].value_counts()
                               for f in range(int(self.n_splits))}).T.fillna(0).astype(int)
        counts = counts.reindex(columns=["train", "C1", "C2", "C3", "dropped"], fill_value=0)
        tested = counts[["C1", "C2", "C3"]]
        out = pd.DataFrame({"n_train": counts["train"], "n_test": tested.sum(axis=1),
                            "n_dropped": counts["dropped"]}).rename_axis("fold")
        out["test_share"] = out.n_test / (out.n_train + out.n_test).clip(lower=1)
        return out.join(tested.add_prefix("n_"))
