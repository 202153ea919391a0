"""Numeric features for the probes that fit their own models (adversarial groups, shift).

The auditor's headline use feeds raw sequences (an object array of ``str``, a
Series, a DataFrame with a text column) into a Pipeline whose first steps make
the features (``KmerVectorizer``...).  Probes that need a numeric matrix never
cast ``X`` to float themselves: they use ``X`` as it is when it is numeric,
else the user's own featurizing steps (the Pipeline without its final
estimator, samplers left out because they change the rows), else they report
"not run" with the reason.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import clone

#: Densify a sparse featurized matrix only up to this many cells (the shift probe's
#: gradient boosting and per-feature KS need dense columns).
MAX_DENSE_CELLS = 20_000_000


def as_numeric(X):
    """``X`` as a 2-D float array (or sparse matrix), or None when it holds text.

    Parameters
    ----------
    X : array-like, sparse matrix, Series or DataFrame

    Returns
    -------
    ndarray, sparse matrix or None

    Examples
    --------
    >>> as_numeric([[1, 2], [3, 4]]).dtype.name
    'float64'
    >>> as_numeric(np.array(["ACGT", "GGCC"], dtype=object)) is None
    True
    >>> as_numeric(pd.DataFrame({"seq": ["AC", "GT"], "gc": [0.5, 0.5]})) is None
    True
    """
    if sparse.issparse(X):
        return X.astype(np.float64)
    if isinstance(X, pd.DataFrame):
        if not all(pd.api.types.is_numeric_dtype(t) or pd.api.types.is_bool_dtype(t)
                   for t in X.dtypes):
            return None
        return X.to_numpy(dtype=np.float64)
    if isinstance(X, pd.Series):
        if not pd.api.types.is_numeric_dtype(X.dtype):
            return None
        return X.to_numpy(dtype=np.float64)[:, None]
    try:
        array = np.asarray(X)
    except Exception:  # noqa: BLE001 - ragged or exotic containers are "not numeric"
        return None
    if array.dtype.kind not in "biuf":
        if array.dtype.kind != "O":
            return None
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            return None
    array = array.astype(np.float64, copy=False)
    if array.ndim == 1:
        array = array[:, None]
    return array if array.ndim == 2 else None


def featurizer_steps(estimator):
    """The steps of a Pipeline before its final estimator, samplers and passthrough left out.

    Returns an empty list when ``estimator`` is not a Pipeline of two or more steps.
    """
    steps = getattr(estimator, "steps", None)
    if not steps or len(steps) < 2:
        return []
    return [step for _, step in steps[:-1]
            if step is not None and step != "passthrough" and not hasattr(step, "fit_resample")]


def numeric_features(estimator, X, y, *others):
    """Numeric versions of ``X`` (and of ``others``, e.g. ``X_new``) for a probe's own model.

    Parameters
    ----------
    estimator : estimator
        The audited estimator; when ``X`` holds text and this is a Pipeline,
        its featurizing steps are fitted on ``(X, y)`` and applied to every input.
    X : array-like
    y : array-like
    *others : array-like
        More inputs to featurize the same way.

    Returns
    -------
    arrays : list or None
        ``[X, *others]`` as float matrices (dense, or sparse when large), or None.
    how : str
        Where the features came from, or why there are none (for a "not run" finding).

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.feature_extraction.text import CountVectorizer
    >>> from sklearn.linear_model import LogisticRegression
    >>> pipe = make_pipeline(CountVectorizer(analyzer="char"), LogisticRegression())
    >>> arrays, how = numeric_features(pipe, np.array(["ACGT", "GGCC"], dtype=object), [0, 1])
    >>> arrays[0].shape, how
    ((2, 4), "the features made by the Pipeline's steps (CountVectorizer) fitted on X")
    >>> numeric_features(LogisticRegression(), ["ACGT", "GGCC"], [0, 1])[0] is None
    True
    """
    inputs = (X, *others)
    numeric = [as_numeric(a) for a in inputs]
    if all(a is not None for a in numeric):
        return numeric, "the features as given"
    steps = featurizer_steps(estimator)
    if not steps:
        return None, ("X is not numeric (it holds text, e.g. sequences) and the estimator is "
                      "not a Pipeline whose first steps make numeric features")
    names = ", ".join(type(s).__name__ for s in steps)
    try:
        fitted, Xt = [], X
        for step in steps:
            step = clone(step)
            Xt = step.fit(Xt, np.asarray(y)).transform(Xt)
            fitted.append(step)
        out = [Xt]
        for other in others:
            Ot = other
            for step in fitted:
                Ot = step.transform(Ot)
            out.append(Ot)
    except Exception as err:  # noqa: BLE001 - user code
        return None, (f"X is not numeric and the Pipeline's steps ({names}) could not "
                      f"featurize it: {type(err).__name__}: {err}"[:300])
    converted = [as_numeric(a) for a in out]
    if any(a is None for a in converted):
        return None, f"the Pipeline's steps ({names}) do not give numeric features"
    return converted, f"the features made by the Pipeline's steps ({names}) fitted on X"


def dense_or_none(matrix):
    """A dense array, or None when a sparse ``matrix`` is too large to densify."""
    if not sparse.issparse(matrix):
        return np.asarray(matrix)
    if matrix.shape[0] * matrix.shape[1] > MAX_DENSE_CELLS:
        return None
    return matrix.toarray()


#: Column names taken for record identifiers: ``id``, ``*_id``, ``*ID``, ``*.id``,
#: ``identifier``, ``index``/``idx`` and anything naming a ``cluster``.
ID_NAME = re.compile(r"(?:^|[_.\-\s])(?:id|ids|identifier|index|idx)$|^(?:id|idx|index)$|[a-z]ID$"
                     r"|cluster", re.IGNORECASE)
#: Column names taken for genomic coordinates: they locate a record, and a model given them
#: can memorise regions (BED ``chromStart``/``chromEnd``, ``start``/``end``, ``pos``...).
COORDINATE_NAME = re.compile(r"^(?:chrom|tx|cds)?[_.]?(?:start|end)$|^(?:pos|position)$",
                             re.IGNORECASE)


def id_like_columns(frame, columns=None):
    """The columns of ``frame`` that identify or locate records rather than describe them.

    The rule (any part is enough):

    * the **name**: ``id``, ends in ``_id``/``.id``/``-id``/`` id`` or a
      camel-case ``ID`` (``geneID``), is ``identifier``/``index``/``idx`` (alone or
      after such a separator), or contains ``cluster`` (``gene_cluster_ID``:
      a group label, not a measurement);
    * a **coordinate** name: ``start``, ``end``, ``chromStart``, ``chromEnd``,
      ``chrom_start``, ``txStart``..., ``pos``, ``position``;
    * the **values**: integers (or integer-valued floats) unique per row, over
      at least 2 rows: a row number or accession.

    A model given such a column can memorise records, groups or regions, and blocked CV
    then looks better or worse for reasons unrelated to the biology.

    Parameters
    ----------
    frame : pandas.DataFrame
    columns : list of str, optional
        Columns to examine (default: all).

    Returns
    -------
    list of str

    Examples
    --------
    >>> t = pd.DataFrame({"gene_cluster_ID": [3, 3, 7], "row": [0, 1, 2],
    ...                   "gc": [0.4, 0.5, 0.4], "start": [10, 10, 20]})
    >>> id_like_columns(t)
    ['gene_cluster_ID', 'row', 'start']
    """
    out = []
    for name in (frame.columns if columns is None else columns):
        column = frame[name]
        if ID_NAME.search(str(name)) or COORDINATE_NAME.search(str(name)):
            out.append(name)
            continue
        if pd.api.types.is_bool_dtype(column) or not pd.api.types.is_numeric_dtype(column):
            continue
        values = column.dropna().to_numpy()
        if len(column) >= 2 and len(values) == len(column) \
                and np.all(np.mod(values, 1) == 0) and len(np.unique(values)) == len(values):
            out.append(name)
    return out


def table_features(frame, *, exclude=(), features=None, sequence_column=None, kmer_k=None,
                   composition=False):
    """The numeric feature matrix of a table, and a record of where each column came from.

    One rule for the audit command and for Python callers of
    :class:`~skgenqc.audit.LeakageAuditor` that start from a table:

    * ``features`` given: those columns, as numbers (text is refused);
    * ``sequence_column`` given: its k-mer counts (``kmer_k``, through
      :class:`~skgenqc.features.KmerVectorizer`) and/or its composition
      (GC, length, base and dinucleotide fractions, through
      :class:`~skgenqc.features.CompositionFeatures`), added to ``features``
      (without ``features``, only the sequence features are used);
    * neither: every numeric column not in ``exclude`` and not id-like
      (identifiers, cluster labels, coordinates: :func:`id_like_columns`);
      the id-like ones are left out with a ``UserWarning`` naming them.

    Pass ``info`` to :meth:`LeakageAuditor.audit(..., feature_info=info)
    <skgenqc.audit.LeakageAuditor.audit>` to record the features in the report.

    Parameters
    ----------
    frame : pandas.DataFrame
    exclude : iterable of str, default=()
        Columns never used (target, groups, confounders).
    features : list of str, optional
    sequence_column : str, optional
    kmer_k : int, optional
        k-mer length 1-8; needs ``sequence_column``.
    composition : bool, default=False
        Needs ``sequence_column``.

    Returns
    -------
    X : pandas.DataFrame of float
    info : dict
        ``features`` (column names of ``X``), ``from_table``, ``sequence_column``,
        ``kmer_k``, ``composition``, ``excluded_id_like`` and ``rule``.

    Raises
    ------
    ValueError
        A named column that is missing or holds text, ``kmer_k`` outside 1-8,
        ``kmer_k``/``composition`` without ``sequence_column`` (or the reverse),
        or no feature left.
    TypeError
        ``frame`` not a DataFrame, or a ``sequence_column`` holding non-strings.

    Warns
    -----
    UserWarning
        Under the default rule, naming the id-like columns left out.

    Examples
    --------
    >>> t = pd.DataFrame({"seq": ["ACGTAC", "GGCCGG"], "gc": [0.5, 1.0], "label": [0, 1]})
    >>> X, info = table_features(t, exclude=["label"], sequence_column="seq", kmer_k=1,
    ...                          features=["gc"])
    >>> info["features"]
    ['gc', 'seq:A', 'seq:C', 'seq:G', 'seq:T']
    >>> X.to_numpy().tolist()
    [[0.5, 2.0, 2.0, 1.0, 1.0], [1.0, 0.0, 2.0, 4.0, 0.0]]
    >>> import warnings
    >>> t["start"] = [100, 900]
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     X, info = table_features(t, exclude=["label"])
    >>> info["features"], info["excluded_id_like"]
    (['gc'], ['start'])
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}.")
    exclude = set(exclude)
    uses_sequence = sequence_column is not None
    if (kmer_k is not None or composition) and not uses_sequence:
        raise ValueError("kmer_k= or composition= featurize a sequence column: give "
                         "sequence_column= too.")
    if uses_sequence and kmer_k is None and not composition:
        raise ValueError(f"sequence_column={sequence_column!r} needs kmer_k= (e.g. 3) and/or "
                         "composition= to say how to featurize it.")
    if kmer_k is not None and (isinstance(kmer_k, bool) or not isinstance(kmer_k, (int, np.integer))
                               or not 1 <= kmer_k <= 8):
        raise ValueError(f"kmer_k={kmer_k!r} must be an integer from 1 to 8.")
    if isinstance(features, str):
        features = [features]
    for name, value in (("features=", features or []),
                        ("sequence_column=", [sequence_column] if uses_sequence else [])):
        missing = [c for c in value if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} names {missing[0]!r}, which is not a column; columns are "
                             f"{list(frame.columns)[:20]}.")
    excluded_id_like = []
    if features is not None:
        from_table = list(features)
    elif uses_sequence:
        from_table = []
    else:
        numeric = [c for c in frame.select_dtypes(["number", "bool"]).columns if c not in exclude]
        excluded_id_like = id_like_columns(frame, numeric)
        from_table = [c for c in numeric if c not in excluded_id_like]
        if excluded_id_like:
            warnings.warn(f"left out id-like column(s) {excluded_id_like} from the features "
                          "(identifiers, cluster labels or coordinates, not measurements: a "
                          "model can memorise records or regions); name them in features= to "
                          "use them anyway.", UserWarning, stacklevel=2)
    parts = []
    for name in from_table:
        try:
            parts.append(pd.to_numeric(frame[name]).astype(np.float64).rename(name))
        except (TypeError, ValueError):
            example = frame[name].dropna().astype(str).head(1).tolist()
            shown = repr(example[0][:30]) if example else "no values"
            raise ValueError(f"features= names {name!r}, which holds text ({frame[name].dtype} "
                             f"values such as {shown}), not numbers; featurize it with "
                             "sequence_column= and kmer_k= instead.") from None
    if uses_sequence:
        from skgenqc.features import CompositionFeatures, KmerVectorizer

        seqs = frame[sequence_column]
        if not all(isinstance(s, str) for s in seqs):
            raise TypeError(f"sequence_column={sequence_column!r} holds values that are not "
                            "str (missing or numeric); expected DNA/RNA strings.")
        for make in ([lambda: KmerVectorizer(kmer_k, sparse=False)] if kmer_k else []) + \
                ([lambda: CompositionFeatures()] if composition else []):
            step = make()
            values = np.asarray(step.fit_transform(seqs.tolist()), dtype=np.float64)
            names = [f"{sequence_column}:{n}" for n in step.get_feature_names_out()]
            parts.append(pd.DataFrame(values, columns=names, index=frame.index))
    if not parts:
        raise ValueError("no feature columns: give features= or sequence_column=, or a table "
                         "with numeric columns that are not id-like (left out: "
                         f"{excluded_id_like}).")
    X = pd.concat(parts, axis=1)
    info = {"features": [str(c) for c in X.columns], "from_table": list(from_table),
            "sequence_column": sequence_column, "kmer_k": kmer_k, "composition": bool(composition),
            "excluded_id_like": list(excluded_id_like),
            "rule": ("as named" if features is not None else "sequence features only"
                     if uses_sequence else "numeric columns, id-like ones left out")}
    return X, info
