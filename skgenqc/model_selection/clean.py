"""A clean split: no held-out item linked to a training item.

Two items are *linked* when the one identity search
(:func:`~skgenqc.features.find_similar_pairs`, both strands, coverage-aware)
puts them at or above ``identity``, when their intervals lie closer than
``distance`` bp (0: they share at least one base; chromosome names compared
through :func:`~skgenqc._core.genome.normalize_chromosome`), or, with
``link="chromosome"``, when they sit on the same chromosome.

``mode="filter"`` keeps training as it is and drops every dev item linked to a
training item and every test item linked to a training or dev item.
``mode="resplit"`` joins linked items into connected groups and deals whole
groups to train / dev / test, label-stratified, keeping the original
proportions; nothing is dropped.  Either way the manifest accounts for every
input row exactly once.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from skgenqc._core.genome import normalize_chromosome
from skgenqc.features.similarity import find_similar_pairs

LINKS = ("identity", "interval", "chromosome")
MODES = ("filter", "resplit")
SPLITS = ("train", "dev", "test")
MANIFEST_COLUMNS = ["id", "split", "row", "new_split", "group", "group_size", "reason",
                    "linked_id", "link"]


class CleanSplit(NamedTuple):
    """What :func:`clean_split` returns: the new tables and the manifest.

    Attributes
    ----------
    train, dev, test : pandas.DataFrame or None
        The new split tables with the input columns (``dev`` is None when no dev
        table was given).
    manifest : pandas.DataFrame
        One row per input row: ``id``, ``split`` (original), ``row`` (position in
        its original table), ``new_split`` (``"train"``, ``"dev"``, ``"test"`` or
        ``"dropped"``), ``group`` (linked component), ``group_size``, ``reason``,
        ``linked_id`` (a linked item of another split, or empty) and ``link``
        (how they are linked).

    Examples
    --------
    >>> r = CleanSplit(pd.DataFrame(), None, pd.DataFrame(), pd.DataFrame())
    >>> r.dev is None
    True
    """

    train: pd.DataFrame
    dev: pd.DataFrame | None
    test: pd.DataFrame
    manifest: pd.DataFrame


def _check_args(mode, link, identity, distance, seed, label_column):
    if mode not in MODES:
        raise ValueError(f"mode={mode!r} is not one of {list(MODES)}.")
    links = [link] if isinstance(link, str) else list(link)
    bad = [x for x in links if x not in LINKS]
    if not links or bad:
        raise ValueError(f"link={link!r}: expected one or more of {list(LINKS)}.")
    if isinstance(identity, bool) or not isinstance(identity, (int, float)) \
            or not 0.5 <= identity <= 1:
        raise ValueError(f"identity={identity!r}: expected a number from 0.5 to 1.")
    if isinstance(distance, bool) or not isinstance(distance, (int, np.integer)) or distance < 0:
        raise ValueError(f"distance={distance!r}: expected an integer number of bp >= 0.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise ValueError(f"seed={seed!r}: expected an integer or None.")
    if not isinstance(label_column, (str, type(None))):
        raise TypeError(f"label_column={label_column!r}: expected a column name or None.")
    return list(dict.fromkeys(links))


def _check_table(frame, name, links):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}.")
    if not len(frame):
        raise ValueError(f"{name} has no rows; a split needs at least one item.")
    if "identity" in links and "sequence" not in frame.columns:
        raise ValueError(f"link='identity' needs a 'sequence' column, but {name} has columns "
                         f"{list(frame.columns)}; give sequences or use link='interval'.")
    need = {"interval": ["chrom", "start", "end"], "chromosome": ["chrom"]}
    for kind in links:
        missing = [c for c in need.get(kind, []) if c not in frame.columns]
        if missing:
            raise ValueError(f"link={kind!r} needs columns {need[kind]}, but {name} lacks "
                             f"{missing}; its columns are {list(frame.columns)}.")


def _interval_edges(chrom, start, end, distance):
    """Edges joining every connected component of the interval graph.

    Items are linked when fewer than ``distance`` bp separate them, i.e. when
    ``[start, end + distance)`` intervals overlap, which makes it a plain
    interval graph: sorted by start, an item joins the running component while
    it starts before the furthest end reached so far.
    """
    order = np.lexsort((start, chrom))
    s, e, c = start[order], end[order] + distance, chrom[order]
    src, dst = [], []
    reach, reach_item, reach_chrom = None, -1, None
    for k in range(len(order)):
        if reach_chrom == c[k] and s[k] < reach:
            src.append(reach_item)
            dst.append(order[k])
            if e[k] > reach:
                reach, reach_item = e[k], order[k]
        else:
            reach, reach_item, reach_chrom = e[k], order[k], c[k]
    return np.asarray(src, dtype=np.int64), np.asarray(dst, dtype=np.int64)


def _chromosome_edges(chrom):
    codes = pd.factorize(chrom)[0]
    order = np.argsort(codes, kind="stable")
    same = codes[order][1:] == codes[order][:-1]
    return order[:-1][same], order[1:][same]


def _identity_edges(seqs, identity):
    pairs = find_similar_pairs(seqs, threshold=identity, reverse_complement=True)
    return pairs["query"].to_numpy(np.int64), pairs["target"].to_numpy(np.int64)


def _groups(data, links, identity, distance):
    """Connected components over every link kind: (labels, {kind: (src, dst)})."""
    n = len(data)
    edges = {}
    chrom = None
    if "interval" in links or "chromosome" in links:
        chrom = normalize_chromosome(data["chrom"].to_numpy()).astype(str)
    if "identity" in links:
        edges["identity"] = _identity_edges(data["sequence"].astype(str).tolist(), identity)
    if "interval" in links:
        edges["interval"] = _interval_edges(chrom, data["start"].to_numpy(np.int64),
                                            data["end"].to_numpy(np.int64), int(distance))
    if "chromosome" in links:
        edges["chromosome"] = _chromosome_edges(chrom)
    src = np.concatenate([e[0] for e in edges.values()] + [np.arange(n)])
    dst = np.concatenate([e[1] for e in edges.values()] + [np.arange(n)])
    graph = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    return connected_components(graph, directed=False)[1], edges


def _cross_links(data, links, identity, distance, held, against):
    """For each row in ``held`` (mask), one row of ``against`` (mask) it is linked to."""
    hit = np.full(len(data), -1, dtype=np.int64)
    how = np.full(len(data), "", dtype=object)
    q_idx, t_idx = np.flatnonzero(held), np.flatnonzero(against)
    if not len(q_idx) or not len(t_idx):
        return hit, how
    for kind in links:
        if kind == "identity":
            seqs = data["sequence"].astype(str).to_numpy()
            pairs = find_similar_pairs(seqs[q_idx].tolist(), seqs[t_idx].tolist(),
                                       threshold=identity, reverse_complement=True)
            pairs = pairs.drop_duplicates("query")
            found = np.full(len(q_idx), -1, dtype=np.int64)
            found[pairs["query"].to_numpy()] = pairs["target"].to_numpy()
        else:
            chrom = normalize_chromosome(data["chrom"].to_numpy()).astype(str)
            if kind == "chromosome":
                first = pd.Series(t_idx, index=chrom[t_idx])
                first = first[~first.index.duplicated()]
                found = first.reindex(chrom[q_idx]).fillna(-1).to_numpy(np.int64)
                found = np.where(found >= 0, np.searchsorted(t_idx, found), -1)
            else:
                start = data["start"].to_numpy(np.int64)
                end = data["end"].to_numpy(np.int64)
                # Widened query against the plain target: overlap iff gap < distance.
                query = pd.DataFrame({"chrom": chrom[q_idx], "start": start[q_idx] - distance,
                                      "end": end[q_idx] + distance})
                target = pd.DataFrame({"chrom": chrom[t_idx], "start": start[t_idx],
                                       "end": end[t_idx]})
                found = _overlaps(query, target)
        new = (hit[q_idx] < 0) & (found >= 0)
        hit[q_idx[new]] = t_idx[found[new]]
        how[q_idx[new]] = kind
    return hit, how


def _overlaps(query, target):
    """Row in ``target`` of an interval sharing a base with each query interval, or -1."""
    from skgenqc.qc.intervals import overlapping_pairs

    return overlapping_pairs(query, target, min_overlap=1)


def _deal(groups, labels, split, present, rng):
    """Whole groups to splits: largest first, each to the split missing most of its labels."""
    splits = [s for s in SPLITS if s in present]
    label_codes, label_names = pd.factorize(labels)
    n_labels = max(len(label_names), 1)
    target = np.zeros((len(splits), n_labels))
    for i, s in enumerate(splits):
        target[i] = np.bincount(label_codes[split == s], minlength=n_labels)
    n_groups = groups.max() + 1
    comp = np.zeros((n_groups, n_labels))
    np.add.at(comp, (groups, label_codes), 1)
    order = rng.permutation(n_groups)
    order = order[np.argsort(-comp[order].sum(1), kind="stable")]
    current = np.zeros_like(target)
    where = np.empty(n_groups, dtype=np.int64)
    for g in order:
        deficit = ((target - current) * comp[g]).sum(1) / np.maximum(target.sum(1), 1)
        best = int(np.argmax(deficit))
        where[g] = best
        current[best] += comp[g]
    # A held-out split left without a group gets the smallest group of the fullest split.
    for empty in range(len(splits)):
        if n_groups >= len(splits) and not (where == empty).any():
            donor = int(np.argmax(np.bincount(where, minlength=len(splits))))
            mine = np.flatnonzero(where == donor)
            where[mine[np.argmin(comp[mine].sum(1))]] = empty
    return np.asarray(splits, dtype=object)[where[groups]]


def clean_split(train, test, *, dev=None, mode="filter", link="identity", identity=0.9,
                distance=0, seed=0, label_column="label", id_column="id"):
    """Remove train/test links: drop linked held-out items, or re-deal linked groups.

    Parameters
    ----------
    train, test : pandas.DataFrame
        The split tables. ``link="identity"`` needs a ``sequence`` column;
        ``"interval"`` needs ``chrom``, ``start``, ``end`` (0-based, half-open);
        ``"chromosome"`` needs ``chrom``.
    dev : pandas.DataFrame, optional
        A validation table, held out like ``test``.
    mode : {"filter", "resplit"}, default="filter"
        ``"filter"`` keeps train and drops dev items linked to train and test
        items linked to train or dev; ``"resplit"`` deals whole connected groups
        of linked items to the splits, label-stratified, in the input proportions.
    link : str or list of str, default="identity"
        How items are linked: ``"identity"``, ``"interval"``, ``"chromosome"``.
    identity : float, default=0.9
        Identity threshold of the sequence search (reverse complement counted).
    distance : int, default=0
        Intervals closer than this many bp are linked (0: sharing a base).
    seed : int or None, default=0
        Seed of the group dealing in ``"resplit"`` (repeatable by default).
    label_column : str or None, default="label"
        Labels to stratify by (ignored when absent).
    id_column : str, default="id"
        Item ids for the manifest (``<split>:<row>`` when absent or repeated).

    Returns
    -------
    CleanSplit
        ``(train, dev, test, manifest)``; see :class:`CleanSplit`.

    Raises
    ------
    ValueError, TypeError
        For a bad argument or a table missing the columns its link needs.

    Examples
    --------
    >>> train = pd.DataFrame({"chrom": ["chr1", "chr1"], "start": [0, 500], "end": [100, 600]})
    >>> test = pd.DataFrame({"chrom": ["1", "chr2"], "start": [50, 0], "end": [150, 100]})
    >>> r = clean_split(train, test, link="interval")
    >>> len(r.test), r.manifest["new_split"].tolist()
    (1, ['train', 'train', 'dropped', 'test'])
    """
    links = _check_args(mode, link, identity, distance, seed, label_column)
    tables = {"train": train, "dev": dev, "test": test}
    for name, frame in tables.items():
        if frame is not None or name != "dev":
            _check_table(frame, name, links)
    present = [s for s in SPLITS if tables[s] is not None]
    data = pd.concat([tables[s] for s in present], ignore_index=True, sort=False)
    split = np.concatenate([np.full(len(tables[s]), s, dtype=object) for s in present])
    row = np.concatenate([np.arange(len(tables[s])) for s in present])
    ids = _ids(data, split, row, id_column)
    groups, _ = _groups(data, links, identity, int(distance))
    sizes = np.bincount(groups)[groups]
    linked, how = np.full(len(data), -1, dtype=np.int64), np.full(len(data), "", dtype=object)
    if mode == "filter":
        new_split = split.copy()
        if dev is not None:
            linked, how = _cross_links(data, links, identity, int(distance), split == "dev",
                                       split == "train")
        t_hit, t_how = _cross_links(data, links, identity, int(distance), split == "test",
                                    (split == "train") | ((split == "dev") & (linked < 0)))
        test_rows = split == "test"
        linked[test_rows], how[test_rows] = t_hit[test_rows], t_how[test_rows]
        new_split[linked >= 0] = "dropped"
        # Object arrays: numpy < 2 has no string "+" for fixed-width unicode arrays.
        reason = np.where(linked >= 0,
                          "linked to " + split[np.maximum(linked, 0)].astype(object), "kept")
    else:
        labels = (data[label_column].astype(str).to_numpy()
                  if label_column is not None and label_column in data.columns
                  else np.zeros(len(data), dtype=object))
        new_split = _deal(groups, labels, split, present, np.random.default_rng(seed))
        reason = np.where(new_split == split, "kept", "moved with its group")
        # A linked item of another original split in the same group, for the reader.
        frame = pd.DataFrame({"g": groups, "s": split, "i": np.arange(len(data))})
        for s in present:
            first = frame[frame["s"] == s].drop_duplicates("g").set_index("g")["i"]
            other = (frame["s"] != s) & (linked < 0)
            cand = first.reindex(frame.loc[other, "g"]).fillna(-1).to_numpy(np.int64)
            linked[np.flatnonzero(other)] = cand
        how[linked >= 0] = "group"
    manifest = pd.DataFrame({
        "id": ids, "split": split, "row": row, "new_split": new_split, "group": groups,
        "group_size": sizes, "reason": reason,
        "linked_id": np.where(linked >= 0, ids[np.maximum(linked, 0)], ""), "link": how,
    })[MANIFEST_COLUMNS]
    for s in present[1:]:
        if not (new_split == s).any():
            raise ValueError(
                f"no {s} item is left: " + ("every one is linked to training (or dev)"
                                            if mode == "filter" else
                                            f"the {groups.max() + 1} group(s) of linked items "
                                            f"cannot fill {len(present)} splits")
                + f" with link={links}; an empty {s} set measures nothing. Loosen the links "
                "(a higher identity, a smaller distance) or split the data otherwise.")
    out = {s: data[new_split == s].reset_index(drop=True) if s in present else None
           for s in SPLITS}
    for s in present:
        if out[s] is not None:
            out[s] = out[s][list(_columns(tables, present))]
    return CleanSplit(out["train"], out["dev"], out["test"], manifest)


def _columns(tables, present):
    return dict.fromkeys(c for s in present for c in tables[s].columns)


def _ids(data, split, row, id_column):
    if id_column in data.columns:
        ids = data[id_column].astype(str).to_numpy(dtype=object)
        if not pd.Series(ids).duplicated().any():
            return ids
    return np.asarray([f"{s}:{r}" for s, r in zip(split, row)], dtype=object)
