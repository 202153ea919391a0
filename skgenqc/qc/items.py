"""One row per item: where it is tested, its near-duplicate group and its nearest training item.

The QC findings count; this table names.  For a train/test split (or each
split of a cross-validation, from a splitter's ``roles()``) every tested item
gets its nearest training item (:func:`~skgenqc.features.nearest_neighbours`:
the one identity search, both strands, then k-mer containment), and with
coordinates the training interval it overlaps; every item gets its
near-duplicate group over the whole table
(:func:`~skgenqc.model_selection.similarity_groups`, the groups
:class:`~skgenqc.model_selection.SimilarityGroupKFold` keeps together).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.nearest import nearest_neighbours
from skgenqc.qc._context import INTERVAL_COLUMNS
from skgenqc.qc.intervals import overlapping_pairs

ITEM_COLUMNS = ["row", "id", "split", "fold", "label", "group", "group_size",
                "nearest_train_row", "nearest_train_id", "identity", "strand", "containment",
                "set_containment", "method", "overlap_train_row", "overlap_train_id"]


def _check_frame(frame, name):
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame with a 'sequence' column (or chrom, "
                        f"start, end), got {type(frame).__name__}.")
    has_seq = "sequence" in frame.columns
    if not has_seq and not set(INTERVAL_COLUMNS) <= set(frame.columns):
        raise ValueError(f"{name} has neither a 'sequence' column nor chrom/start/end columns; "
                         f"its columns are {list(frame.columns)}.")
    return has_seq


def item_table(data, test=None, *, roles=None, threshold=0.9, k=12):
    """One row per item with its split or fold, group, nearest training item and overlaps.

    Parameters
    ----------
    data : pandas.DataFrame
        Items: ``sequence`` and/or ``chrom``, ``start``, ``end``; ``id`` and
        ``label`` when present are copied.  Without ``test`` and ``roles`` this
        is one set and only the groups are filled, unless ``data`` has a
        ``split`` column holding ``train`` and ``test`` (as a Genomic
        Benchmarks folder reads): its test rows are then the test set.
    test : pandas.DataFrame, optional
        A test set: rows of ``data`` are ``split="train"``, rows of ``test`` are
        ``split="test"`` and get their nearest training item.
    roles : pandas.DataFrame, optional
        A splitter's ``roles()`` for ``data`` (one column per split, values
        ``train``/``test``/``excluded``): ``fold`` is the split in which the row
        is tested (-1 if never) and its nearest training item is searched among
        that split's training rows.
    threshold : float, default=0.9
        Identity of a near-duplicate link and of an identity neighbour.
    k : int, default=12
        k-mer length of the containment fallback.

    Returns
    -------
    pandas.DataFrame
        Columns ``row`` (position within its own input), ``id``, ``split``,
        ``fold``, ``label``, ``group`` (near-duplicate group over all rows),
        ``group_size``, ``nearest_train_row``, ``nearest_train_id``,
        ``identity``, ``strand``, ``containment``, ``set_containment``,
        ``method`` (empty for rows never tested), ``overlap_train_row`` and
        ``overlap_train_id`` (-1 / empty without an overlap or coordinates).

    Examples
    --------
    >>> train = pd.DataFrame({"id": ["a", "b"], "sequence": ["ACGTACGTTTGACCAGGATT",
    ...                                                      "GGGGCCCCAAAATTTTCCGA"]})
    >>> test = pd.DataFrame({"id": ["q"], "sequence": ["AATCCTGGTCAAACGTACGT"]})
    >>> t = item_table(train, test)
    >>> t[["id", "split", "group", "group_size", "nearest_train_id", "identity"]].values.tolist()
    [['a', 'train', 0, 2, '', nan], ['b', 'train', 1, 1, '', nan], ['q', 'test', 0, 2, 'a', 1.0]]
    """
    has_seq = _check_frame(data, "data")
    if test is None and roles is None and "split" in data.columns:
        # One table holding both sets, as DatasetQC reads it.
        is_test = data["split"].astype(str).eq("test").to_numpy()
        if is_test.any() and not is_test.all():
            data, test = (data[~is_test].reset_index(drop=True),
                          data[is_test].reset_index(drop=True))
    if test is not None:
        if _check_frame(test, "test") != has_seq:
            raise ValueError("data and test must both have a 'sequence' column, or neither.")
        if roles is not None:
            raise ValueError("give test= (a train/test split) or roles= (cross-validation "
                             "splits), not both.")
    if roles is not None:
        if not isinstance(roles, pd.DataFrame) or len(roles) != len(data):
            raise ValueError(f"roles must be a DataFrame with one row per row of data "
                             f"({len(data)}), got {type(roles).__name__} of length "
                             f"{len(roles) if hasattr(roles, '__len__') else 'none'}.")
        bad = {str(v) for v in np.unique(roles.to_numpy().astype(str))} - \
            {"train", "test", "excluded"}
        if bad:
            raise ValueError(f"roles holds {sorted(bad)}; expected train, test or excluded.")
    frames = [data] if test is None else [data, test]
    items = pd.concat(frames, ignore_index=True)
    n_train = len(data)
    out = pd.DataFrame({"row": np.concatenate([np.arange(len(f)) for f in frames])})
    out["id"] = items["id"].astype(str).to_numpy() if "id" in items.columns else \
        out["row"].astype(str).to_numpy()
    out["split"] = np.where(np.arange(len(items)) < n_train, "train", "test") if test is not None \
        else ""
    if roles is not None:
        tested = roles.to_numpy() == "test"
        out["fold"] = np.where(tested.any(axis=1), tested.argmax(axis=1), -1)
    else:
        out["fold"] = -1
    out["label"] = items["label"].to_numpy() if "label" in items.columns else None
    out["group"], out["group_size"] = -1, 1
    for column, value in (("nearest_train_row", -1), ("identity", np.nan), ("strand", ""),
                          ("containment", np.nan), ("set_containment", np.nan), ("method", ""),
                          ("overlap_train_row", -1)):
        out[column] = value
    out["nearest_train_id"] = out["overlap_train_id"] = ""
    seqs = items["sequence"].astype(str).tolist() if has_seq else None
    if has_seq:
        from skgenqc.model_selection.similarity import similarity_groups

        groups = similarity_groups(seqs, threshold=threshold)
        out["group"] = groups
        out["group_size"] = np.bincount(groups)[groups]
    intervals = set(INTERVAL_COLUMNS) <= set(items.columns)
    ids = out["id"].to_numpy()
    for queries, targets in _searches(n_train, len(items), test is not None, roles):
        if has_seq:
            nn = nearest_neighbours([seqs[i] for i in queries], [seqs[j] for j in targets],
                                    threshold=threshold, k=k)
            hit = nn["train"].to_numpy()
            found = np.where(hit >= 0, targets[np.maximum(hit, 0)], -1)
            out.loc[queries, "nearest_train_row"] = found
            out.loc[queries, "nearest_train_id"] = np.where(found >= 0, ids[found], "")
            for column in ("identity", "strand", "containment", "set_containment", "method"):
                out.loc[queries, column] = nn[column].to_numpy()
        if intervals:
            hit = overlapping_pairs(items.iloc[queries], items.iloc[targets])
            found = np.where(hit >= 0, targets[np.maximum(hit, 0)], -1)
            out.loc[queries, "overlap_train_row"] = found
            out.loc[queries, "overlap_train_id"] = np.where(found >= 0, ids[found], "")
    for column in ("nearest_train_row", "overlap_train_row"):
        out[column] = out[column].astype(np.int64)  # rows of data (the training input)
    return out[ITEM_COLUMNS]


def _searches(n_train, n_items, has_test, roles):
    """(query rows, training rows) of each search the table needs."""
    if has_test:
        yield np.arange(n_train, n_items), np.arange(n_train)
        return
    if roles is None:
        return
    values = roles.to_numpy()
    tested = values == "test"
    first = np.where(tested.any(axis=1), tested.argmax(axis=1), -1)
    for s in range(values.shape[1]):
        queries = np.flatnonzero(first == s)  # each row once, in the split that first tests it
        targets = np.flatnonzero(values[:, s] == "train")
        if len(queries) and len(targets):
            yield queries, targets
