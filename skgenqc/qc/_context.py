"""``QCContext``: the one input every registered check takes.

It holds the training frame, the test frame (or None), the parameters of the
:class:`DatasetQC` run and a cache of intermediates several checks need
(sequence lists, packed sequences, composition tables), each computed the first
time a check asks for it. Checks ask for figures by adding
:class:`~skgenqc.report.PlotRequest` objects to ``ctx.figures``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from skgenqc.features.composition import composition_table
from skgenqc.features.encoding import pack_sequences
from skgenqc.qc.class_features import binarize_target

INTERVAL_COLUMNS = ("chrom", "start", "end")

#: Key of ``DataFrame.attrs`` naming the two partner columns of pair data (see
#: :func:`with_pair_columns`); pandas carries attrs through copies and row selections.
PAIR_COLUMNS_ATTR = "skgenqc_pair_columns"


def with_pair_columns(frame, columns):
    """A copy of ``frame`` marked as pair data: its rows are pairs of ``columns`` (A, B).

    :class:`QCContext` reads the mark (``pair_columns``), so the checks that need two
    partner columns (``needs=("pairs",)``) run on it.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : sequence of two str
        The partner columns, e.g. ``["gene", "noncodingRNA"]``.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> df = pd.DataFrame({"gene": ["ACGT"], "mirna": ["GGCC"], "sequence": ["ACGT"]})
    >>> QCContext(with_pair_columns(df, ["gene", "mirna"])).pair_columns
    ('gene', 'mirna')
    """
    columns = tuple(str(c) for c in columns)
    if len(columns) != 2:
        raise ValueError(f"columns must name two partner columns, got {len(columns)}: "
                         f"{list(columns)}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"columns names {missing[0]!r}, which is not a column of the frame; "
                         f"its columns are {list(frame.columns)}.")
    marked = frame.copy()
    marked.attrs = {**frame.attrs, PAIR_COLUMNS_ATTR: columns}
    return marked


def target_type(y):
    """'binary', 'multiclass' or 'continuous' (floats that are not all whole numbers).

    Examples
    --------
    >>> target_type(np.array([0.5, 1.2, 3.0])), target_type(np.array(["a", "b", "c"]))
    ('continuous', 'multiclass')
    """
    y = np.asarray(y)
    if y.dtype.kind == "f" and not np.all(np.mod(y[~np.isnan(y)], 1) == 0):
        return "continuous"
    return "binary" if len(pd.unique(y)) <= 2 else "multiclass"


def _without_empty(frame):
    """The rows of ``frame`` whose sequence is not empty (all rows when every one is empty).

    Empty sequences are counted by the alphabet check and left out of every
    other check (a length-0 record has no composition, so a NaN would reach the
    models).  A frame whose sequences are all empty is kept whole: it carries
    coordinates only, for the interval checks.
    """
    if frame is None or "sequence" not in frame.columns:
        return frame
    empty = frame["sequence"].str.len().to_numpy() == 0
    if not empty.any() or empty.all():
        return frame
    return frame.loc[~empty].reset_index(drop=True)


class _Shared(dict):
    """Intermediates computed once, the first time a check asks for them."""

    def __init__(self, ctx):
        super().__init__()
        self._ctx = ctx

    def __missing__(self, key):
        ctx = self._ctx
        if key == "seqs":
            value = ctx.data["sequence"].tolist()
        elif key == "all_packed":  # every record, empty sequences included (the alphabet check)
            value = (self["packed"] if len(ctx.all_data) == len(ctx.data)
                     else pack_sequences(ctx.all_data["sequence"].tolist()))
        elif key == "packed":
            value = pack_sequences(self["seqs"])
        elif key == "composition":
            value = composition_table(None, packed=self["packed"])
        elif key == "test_seqs":
            value = None if ctx.test is None else ctx.test["sequence"].tolist()
        elif key == "test_composition":
            value = None if ctx.test is None else composition_table(self["test_seqs"])
        else:
            raise KeyError(f"{key!r} is not a shared intermediate of QCContext; checks can store "
                           f"their own with ctx.shared[{key!r}] = value.")
        self[key] = value
        return value


class QCContext:
    """The data, parameters and shared intermediates of one dataset QC run.

    Parameters
    ----------
    data : pandas.DataFrame
        Training (or only) set: ``id``, ``sequence`` and optionally ``label``,
        ``chrom``, ``start``, ``end``.  Rows with an empty sequence are kept in
        ``all_data`` (the alphabet check counts them) and left out of ``data``,
        which every other check reads.
    test : pandas.DataFrame or None
        Test set in the same form (``all_test`` and ``test``).
    params : dict, optional
        The run's parameters (``DatasetQC().get_params()``); defaults apply to
        any that is missing.
    pair_columns : pair of str, optional
        The two partner columns when the rows are pairs (miRNA-gene, enhancer-promoter);
        by default read from the mark :func:`with_pair_columns` leaves on ``data``.

    Attributes
    ----------
    shared : dict
        Lazily computed intermediates: ``seqs``, ``packed``, ``composition``,
        ``test_seqs``, ``test_composition`` (of ``data`` and ``test``) and
        ``all_packed`` (of ``all_data``); checks may add their own.
    figures : dict of str to PlotRequest
        Figures the checks ask for, by name.
    metadata : dict
        Facts about the input (target type, number of classes) for the report.
    pair_columns : tuple of two str or None
        The partner columns of pair data.

    Examples
    --------
    >>> df = pd.DataFrame({"id": ["a", "b"], "sequence": ["ACGT", "GGCC"], "label": [0, 1]})
    >>> ctx = QCContext(df)
    >>> ctx.labelled, ctx.n_classes, ctx.has_test, ctx.shared["composition"]["gc_content"].tolist()
    (True, 2, False, [0.5, 1.0])
    >>> ctx.param("leak_fail")
    0.02
    >>> with_empty = pd.DataFrame({"id": ["a", "b", "c"], "sequence": ["ACGT", "", "GGCC"],
    ...                            "label": [0, 1, 1]})
    >>> ctx = QCContext(with_empty)
    >>> ctx.data["id"].tolist(), len(ctx.all_data), ctx.metadata["n_empty_left_out"]
    (['a', 'c'], 3, 1)
    """

    def __init__(self, data, test=None, params=None, pair_columns=None):
        self.all_data, self.all_test = data, test
        if pair_columns is None:
            pair_columns = data.attrs.get(PAIR_COLUMNS_ATTR)
        self.pair_columns = None if pair_columns is None else tuple(pair_columns)
        self.data, self.test = _without_empty(data), _without_empty(test)
        self.params = dict(params or {})
        self.shared = _Shared(self)
        self.figures = {}
        self.metadata = {}
        for name, full, kept in (("n_empty_left_out", data, self.data),
                                 ("n_empty_left_out_test", test, self.test)):
            if full is not None and len(full) != len(kept):
                self.metadata[name] = int(len(full) - len(kept))
        if self.labelled:
            kind = target_type(data["label"].to_numpy())
            self.metadata["target_type"] = kind
            self.metadata["n_classes"] = int(self.class_data["label"].nunique())

    def param(self, name):
        """A run parameter, or DatasetQC's default for it."""
        if name in self.params:
            return self.params[name]
        from skgenqc.qc.dataset import DatasetQC

        return DatasetQC().get_params()[name]

    @property
    def labelled(self):
        """Whether the training set has labels."""
        return "label" in self.data.columns

    @property
    def continuous(self):
        """Whether the target is continuous (then classes are its median split)."""
        return self.metadata.get("target_type") == "continuous"

    @property
    def class_data(self):
        """The training frame with class labels (a continuous target split at its median)."""
        if "class_data" not in self.shared:
            data = self.data
            if self.labelled and target_type(data["label"].to_numpy()) == "continuous":
                data = data.assign(label=binarize_target(data["label"]))
            self.shared["class_data"] = data
        return self.shared["class_data"]

    @property
    def continuous_values(self):
        """The continuous target as floats, or None for classes."""
        if not self.continuous:
            return None
        return self.data["label"].to_numpy(dtype=np.float64)

    @property
    def n_classes(self):
        return int(self.class_data["label"].nunique()) if self.labelled else 0

    @property
    def has_test(self):
        return self.test is not None

    def frames(self):
        """``[(split_name, frame), ...]``: ``[(None, data)]`` alone, or train and test."""
        if self.test is None:
            return [(None, self.data)]
        return [("train", self.data), ("test", self.test)]

    @property
    def has_sequences(self):
        """Whether the training set has sequences (coordinate-only data has none)."""
        return "sequence" in self.data.columns and bool(
            (self.data["sequence"].str.len() > 0).any())

    @staticmethod
    def has_intervals(frame):
        return frame is not None and set(INTERVAL_COLUMNS) <= set(frame.columns)

    def satisfies(self, need):
        """Whether the input has what ``need`` (a key of the registry's ``NEEDS``) asks for."""
        if need == "sequences":
            return self.has_sequences
        if need == "labels":
            return self.labelled
        if need == "two_classes":
            return self.labelled and self.data["label"].nunique() >= 2
        if need == "test":
            return self.has_test
        if need == "test_labels":
            return self.has_test and "label" in self.test.columns
        if need == "intervals":
            return self.has_intervals(self.data)
        if need == "pairs":
            return self.pair_columns is not None and len(self.pair_columns) == 2 and all(
                c in self.data.columns and (self.test is None or c in self.test.columns)
                for c in self.pair_columns)
        raise ValueError(f"need={need!r} is not something QCContext can check.")
