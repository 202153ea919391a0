"""Covariate-matched under-sampling: keep majority examples that look like the minority.

Negatives drawn from the genome at random rarely share the GC content or the
length of the positives, and a classifier happily learns that difference
instead of biology (Whalen et al. 2022, pitfall 1 and 3).  Matching removes it:
the joint covariate space is cut into cells by quantile bins computed on the
reference (minority) class, and every other class is sampled, cell by cell, to
``ratio`` times the reference's count in that cell.

Everything is vectorised (``np.quantile``, ``np.searchsorted``, ``np.bincount``
and one stable sort that ranks a random permutation inside each cell), so a
million examples are matched in well under a second.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array
from sklearn_compat.utils.validation import validate_data

from imblearn.under_sampling.base import BaseUnderSampler
from imblearn.utils import check_target_type
from imblearn.utils._validation import _check_X
from skgenqc.features.composition import DINUCLEOTIDES, composition_table
from skgenqc.sampling._checks import check_lengths

__all__ = ["CovariateMatchedUnderSampler", "match_covariates"]

DEFAULT_SEQUENCE_COVARIATES = ("gc_content", "length")
_COMPOSITION_COLUMNS = ("length", "A", "C", "G", "T", "N", "gc_content", "lowercase",
                        *DINUCLEOTIDES)


# --- covariates --------------------------------------------------------------------------------

def _is_sequence_collection(X):
    """True for a 1-D list/array/Series whose first element is a string."""
    if isinstance(X, pd.DataFrame) or sparse.issparse(X):
        return False
    if isinstance(X, pd.Series):
        return len(X) > 0 and isinstance(X.iloc[0], str)
    if isinstance(X, (list, tuple)):
        return len(X) > 0 and isinstance(X[0], str)
    if isinstance(X, np.ndarray):
        return X.ndim == 1 and X.size > 0 and isinstance(X.flat[0], str)
    return False


def _as_list(covariates):
    if isinstance(covariates, (str, numbers.Integral)):
        return [covariates]
    return list(covariates)


def _composition_covariates(sequences, names):
    unknown = [n for n in names if n not in _COMPOSITION_COLUMNS]
    if unknown:
        raise ValueError(
            f"covariates={names!r}: {unknown!r} are not sequence statistics; with sequences "
            f"as X use names from composition_table: {list(_COMPOSITION_COLUMNS)[:8]} or a "
            "dinucleotide such as 'CG'")
    dinuc = any(n in DINUCLEOTIDES for n in names)
    table = composition_table(list(sequences), dinucleotides=dinuc)
    return table[list(names)].to_numpy(dtype=np.float64), list(names)


def _columns_of(X, covariates):
    """Covariate values from columns of a DataFrame or a 2-D array (names or positions)."""
    names = _as_list(covariates)
    if not names:
        raise ValueError("covariates=[] is empty; give at least one column name or index")
    if isinstance(X, pd.DataFrame):
        columns = list(X.columns)
        out, labels, missing = [], [], []
        has_sequences = "sequence" in X.columns
        for c in names:
            if isinstance(c, numbers.Integral) and not isinstance(c, bool) and c not in columns:
                if not -len(columns) <= c < len(columns):
                    raise ValueError(f"covariates: column index {c} is out of range for X "
                                     f"with {len(columns)} columns")
                out.append(X.iloc[:, c]), labels.append(str(columns[c]))
            elif c in columns:
                out.append(X[c]), labels.append(str(c))
            elif has_sequences and c in _COMPOSITION_COLUMNS:
                values, _ = _composition_covariates(X["sequence"], [c])
                out.append(pd.Series(values[:, 0], index=X.index)), labels.append(str(c))
            else:
                missing.append(c)
        if missing:
            shown = columns[:20] + (["..."] if len(columns) > 20 else [])
            raise ValueError(f"covariates: column(s) {missing!r} are not in X; "
                             f"available columns: {shown}")
        values = []
        for label, col in zip(labels, out):
            try:
                values.append(pd.to_numeric(col).to_numpy(dtype=np.float64))
            except (TypeError, ValueError):
                raise TypeError(f"covariates: column {label!r} is not numeric "
                                f"(dtype {col.dtype}); match on numbers such as GC or length"
                                ) from None
        return np.column_stack(values), labels
    n_features = X.shape[1] if getattr(X, "ndim", 2) == 2 else 1
    bad = [c for c in names if not isinstance(c, numbers.Integral) or isinstance(c, bool)]
    if bad:
        raise ValueError(f"covariates: {bad!r} look like column names, but X is an array "
                         "without names; pass column indices or a pandas DataFrame")
    for c in names:
        if not -n_features <= c < n_features:
            raise ValueError(f"covariates: column index {c} is out of range for X with "
                             f"{n_features} columns")
    cols = X[:, names]
    cols = cols.toarray() if sparse.issparse(cols) else np.asarray(cols)
    try:
        values = cols.astype(np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"covariates: columns {names!r} of X are not numeric") from None
    return values, [f"x{c}" for c in names]


def covariate_matrix(X, covariates=None):
    """The (n_samples, n_covariates) matrix a matcher stratifies on, and its names.

    Parameters
    ----------
    X : array-like, DataFrame or 1-D collection of str
        Sequences (then GC content and length are the default covariates), a
        DataFrame (column names; a ``sequence`` column also gives composition
        statistics by name) or a 2-D array (column indices).
    covariates : None, str, int, list or callable, default=None
        ``None`` (sequences only), column names or indices, names of
        :func:`~skgenqc.features.composition_table` columns for sequences, or a
        callable ``X -> (n_samples, m)`` array/DataFrame.

    Returns
    -------
    values : ndarray of shape (n_samples, m)
    names : list of str

    Examples
    --------
    >>> values, names = covariate_matrix(["GGCC", "ATAT", "GCAT"])
    >>> names, values[:, 0].tolist()
    (['gc_content', 'length'], [1.0, 0.0, 0.5])
    """
    n = len(X) if not sparse.issparse(X) else X.shape[0]
    if callable(covariates):
        out = covariates(X)
        names = ([str(c) for c in out.columns] if isinstance(out, pd.DataFrame) else None)
        values = np.asarray(out, dtype=np.float64)
        shape = values.shape
        values = values.reshape(-1, 1) if values.ndim == 1 else values
        if values.ndim != 2 or values.shape[0] != n:
            raise ValueError(f"covariates: the callable returned shape {shape}; "
                             f"expected ({n}, n_covariates)")
        names = names or [f"covariate{j}" for j in range(values.shape[1])]
    elif _is_sequence_collection(X):
        names = list(DEFAULT_SEQUENCE_COVARIATES) if covariates is None else _as_list(covariates)
        values, names = _composition_covariates(X, names)
    elif covariates is None:
        if isinstance(X, pd.DataFrame) and "sequence" in X.columns:
            values, names = _composition_covariates(X["sequence"],
                                                    list(DEFAULT_SEQUENCE_COVARIATES))
        else:
            raise ValueError(
                "covariates=None only works when X holds sequences (a 1-D collection of str "
                "or a DataFrame with a 'sequence' column); for numeric X name the columns to "
                "match on, e.g. covariates=['gc_content', 'length'] or covariates=[0, 1], "
                "or pass a callable X -> covariate matrix")
    elif isinstance(covariates, (str, numbers.Integral, list, tuple, np.ndarray)):
        values, names = _columns_of(X, covariates)
    else:
        raise TypeError(f"covariates={covariates!r} ({type(covariates).__name__}) is not "
                        "accepted; use None, column names, column indices or a callable")
    bad = np.flatnonzero(~np.isfinite(values).all(axis=0))
    if bad.size:
        raise ValueError(f"covariates: {[names[j] for j in bad]!r} contain NaN or infinite "
                         "values; impute or drop those examples before matching")
    return values, names


# --- the matching core --------------------------------------------------------------------------

def _allocate(total, weights):
    """Split an integer total over cells in proportion to weights (largest remainder)."""
    weights = np.asarray(weights, dtype=np.float64)
    if total <= 0 or weights.sum() == 0:
        return np.zeros(len(weights), dtype=np.int64)
    quota = total * weights / weights.sum()
    base = np.floor(quota).astype(np.int64)
    rest = int(total - base.sum())
    if rest > 0:
        # ties go to the lower cell index, so the result is deterministic
        base[np.argsort(-(quota - base), kind="stable")[:rest]] += 1
    return base


def _take_per_cell(members, cells, alloc, rng, replacement=False):
    """Draw ``alloc[c]`` of the ``members`` falling in each cell ``c``.

    One random permutation, one stable sort by cell, and a per-cell rank: a
    member is kept when its rank is below its cell's allocation.  Returns the
    chosen members and the per-cell shortfall (allocation that did not exist).
    """
    n_cells = len(alloc)
    available = np.bincount(cells, minlength=n_cells)
    order = rng.permutation(len(members))
    keys = cells[order]
    if n_cells <= np.iinfo(np.uint16).max:
        keys = keys.astype(np.uint16)  # numpy radix-sorts 16-bit keys: linear time
    order = order[np.argsort(keys, kind="stable")]
    members, cells = members[order], cells[order]
    start = np.concatenate([[0], np.cumsum(available)[:-1]])
    if replacement:
        draw_cells = np.repeat(np.arange(n_cells), np.where(available > 0, alloc, 0))
        offsets = np.floor(rng.random(len(draw_cells)) * available[draw_cells]).astype(np.int64)
        chosen = members[start[draw_cells] + offsets]
        short = np.where(available > 0, 0, alloc)
    else:
        rank = np.arange(len(members)) - start[cells]
        chosen = members[rank < alloc[cells]]
        short = np.maximum(alloc - available, 0)
    return chosen, short


def _cells(values, reference_mask, n_bins):
    """Quantile-bin every covariate on the reference class; combine into cell codes.

    Examples outside the reference's range of any covariate get cell -1: nothing
    in the reference looks like them, so they are never kept.
    """
    n, m = values.shape
    code = np.zeros(n, dtype=np.int64)
    inside = np.ones(n, dtype=bool)
    edges_all, size = [], 1
    for j in range(m):
        ref = values[reference_mask, j]
        edges = np.unique(np.quantile(ref, np.linspace(0, 1, n_bins + 1)))
        edges_all.append(edges)
        v = values[:, j]
        inside &= (v >= edges[0]) & (v <= edges[-1])
        b = np.searchsorted(edges[1:-1], v, side="right")
        n_b = max(len(edges) - 1, 1)
        if size * n_b > 2 ** 40:
            # keep codes small: renumber the occupied cells before they could overflow
            _, code = np.unique(code, return_inverse=True)
            size = int(code.max()) + 1
        code = code * n_b + b
        size *= n_b
    code_in = code[inside]
    if size <= 4 * n + 1024:
        # renumber the occupied cells 0..k-1 without sorting
        occupied = np.bincount(code_in, minlength=size) > 0
        code_in = (np.cumsum(occupied) - 1)[code_in]
    else:
        _, code_in = np.unique(code_in, return_inverse=True)
    cells = np.full(n, -1, dtype=np.int64)
    cells[inside] = code_in
    return cells, edges_all


def _match(values, y, targets, reference, n_bins, replacement, rng, shortfall="keep"):
    """Indices kept, and per class the requested examples not taken.

    ``targets`` maps each class to resample to its total; the class ``reference``
    defines the cells and the proportions over them.  With ``shortfall="trim"``
    a cell that some class cannot fill is scaled down for every class, the
    reference included, so the kept classes stay matched cell by cell.
    """
    ref_mask = y == reference
    cells, edges = _cells(values, ref_mask, n_bins)
    n_cells = int(cells.max()) + 1
    ref_counts = np.bincount(cells[ref_mask], minlength=n_cells)
    kept, members_of, allocs = [], {}, {}
    for cls in np.unique(y):
        in_class = np.flatnonzero(y == cls)
        if cls in targets:
            members_of[cls] = in_class[cells[in_class] >= 0]
            allocs[cls] = _allocate(int(targets[cls]), ref_counts)
        elif cls == reference and shortfall == "trim":
            members_of[cls], allocs[cls] = in_class, ref_counts.copy()
        else:
            kept.append(in_class)
    requested = {cls: int(alloc.sum()) for cls, alloc in allocs.items()}
    if shortfall == "trim":
        fill = np.ones(n_cells)
        for cls, alloc in allocs.items():
            available = np.bincount(cells[members_of[cls]], minlength=n_cells).astype(float)
            if replacement:
                available[available > 0] = np.inf
            with np.errstate(divide="ignore", invalid="ignore"):
                fill = np.minimum(fill, np.where(alloc > 0, available / alloc, 1.0))
        allocs = {cls: np.floor(alloc * fill + 1e-9).astype(np.int64)
                  for cls, alloc in allocs.items()}
    n_short = {}
    for cls, alloc in allocs.items():
        members = members_of[cls]
        chosen, _ = _take_per_cell(members, cells[members], alloc, rng, replacement)
        kept.append(chosen)
        n_short[cls] = requested[cls] - len(chosen)
    return np.sort(np.concatenate(kept)), n_short, edges


def _label(cls):
    """A class label as a plain Python value, for messages."""
    return cls.item() if isinstance(cls, np.generic) else cls


def _check_ratio_request(requested, counts, replacement, ratio, argument="ratio"):
    for cls, n_req in requested.items():
        if not replacement and n_req > counts[cls]:
            raise ValueError(
                f"{argument}={ratio!r} asks for {n_req} examples of class {_label(cls)!r} but only "
                f"{counts[cls]} exist; lower {argument} or set replacement=True")


def _warn_short(n_short, requested, shortfall="keep"):
    short = {c: s for c, s in n_short.items() if s}
    if short:
        parts = ", ".join(f"class {_label(c)!r}: {s} of {requested[c]}"
                          for c, s in short.items())
        if shortfall == "trim":
            message = (f"covariate matching trimmed cells without enough matches ({parts} "
                       "examples dropped, the reference class included); the kept classes "
                       "are matched cell by cell")
        else:
            message = (f"covariate matching fell short ({parts} requested examples had no "
                       "match in their covariate cell and were not taken); use fewer n_bins, "
                       "replacement=True or shortfall='trim' (which keeps the classes matched)")
        warnings.warn(message, UserWarning, stacklevel=3)


def match_covariates(covariates, y, *, n_bins=10, ratio=1.0, reference=None,
                     replacement=False, shortfall="keep", random_state=None):
    """Indices of a covariate-matched subset: every class looks like the reference class.

    The covariates of the ``reference`` class (by default the minority class)
    are cut into ``n_bins`` quantile bins each; the bins combine into cells.
    Each other class keeps ``ratio`` times the reference's count in every cell,
    drawn at random without replacement inside the cell.  All reference
    examples are kept.

    Parameters
    ----------
    covariates : array-like of shape (n_samples, n_covariates) or (n_samples,)
        The values to match on (e.g. GC content and length).
    y : array-like of shape (n_samples,)
        Class labels.
    n_bins : int, default=10
        Quantile bins per covariate (fewer when the reference has ties).
    ratio : float, default=1.0
        Examples of each other class per reference example, cell by cell.
    reference : label, optional
        Class whose covariate distribution the others are matched to; the
        minority class by default.
    replacement : bool, default=False
        Draw with replacement inside a cell (then a cell short of examples is
        filled with repeats, as long as it holds at least one).
    shortfall : {"keep", "trim"}, default="keep"
        What to do with a cell that lacks examples of some class. ``"keep"``:
        take what exists and keep every reference example (the classes are
        then slightly less well matched).  ``"trim"``: scale the cell down for
        every class, the reference included, so the kept classes are matched
        cell by cell exactly (coarsened exact matching).
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    ndarray of int
        Sorted indices of the kept examples.

    Warns
    -----
    UserWarning
        When some cells lack enough examples; the kept set is then smaller.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> gc = np.concatenate([rng.normal(0.6, 0.05, 100), rng.normal(0.45, 0.15, 900)])
    >>> y = np.r_[np.ones(100), np.zeros(900)]
    >>> kept = match_covariates(gc, y, n_bins=5, random_state=0)
    >>> np.bincount(y[kept].astype(int)).tolist()
    [100, 100]
    >>> bool(abs(gc[kept][y[kept] == 0].mean() - gc[y == 1].mean()) < 0.01)
    True
    """
    values = np.asarray(covariates, dtype=np.float64)
    values = values.reshape(-1, 1) if values.ndim == 1 else values
    y = np.asarray(y)
    if values.ndim != 2 or values.shape[0] != len(y):
        raise ValueError(f"covariates has shape {values.shape}; expected ({len(y)}, "
                         "n_covariates) to match y")
    if not np.isfinite(values).all():
        raise ValueError("covariates contain NaN or infinite values; impute or drop them")
    if not isinstance(n_bins, numbers.Integral) or n_bins < 1:
        raise ValueError(f"n_bins={n_bins!r} must be an integer >= 1")
    if not isinstance(ratio, numbers.Real) or not ratio > 0:
        raise ValueError(f"ratio={ratio!r} must be a number > 0")
    if shortfall not in ("keep", "trim"):
        raise ValueError(f"shortfall={shortfall!r} is not accepted; use 'keep' or 'trim'")
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise ValueError(f"y has {len(classes)} class; matching needs at least 2 classes")
    if reference is None:
        reference = classes[np.argmin(counts)]
    elif reference not in classes:
        raise ValueError(f"reference={reference!r} is not a class of y; classes: "
                         f"{classes.tolist()}")
    count_of = dict(zip(classes.tolist(), counts.tolist()))
    n_ref = count_of[reference]
    requested = {c: int(round(ratio * n_ref)) for c in count_of if c != reference}
    _check_ratio_request(requested, count_of, replacement, ratio)
    kept, n_short, _ = _match(values, y, requested, reference, n_bins, replacement,
                              check_random_state(random_state), shortfall)
    _warn_short(n_short, {reference: n_ref, **requested}, shortfall)
    return kept


# --- the sampler --------------------------------------------------------------------------------

class _SequenceSamplerTags:
    """Tags shared by the samplers: they take sequences, frames and NaN in the features."""

    def _more_tags(self):  # imbalanced-learn with older scikit-learn
        return {"X_types": ["2darray", "string", "sparse", "dataframe"],
                "sample_indices": True, "allow_nan": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True  # in the features; covariates/groups must be complete
        tags.sampler_tags.sample_indices = True
        return tags


class CovariateMatchedUnderSampler(_SequenceSamplerTags, BaseUnderSampler):
    """Under-sample each class so its covariate distribution matches the minority class's.

    The minority class is the reference.  Its covariates (GC content and
    length by default, for sequences) are cut into ``n_bins`` quantile bins
    each; the bins combine into cells, and every class being resampled keeps
    the reference's share of examples in each cell, drawn at random inside the
    cell.  Examples outside the reference's covariate range are dropped: they
    have no counterpart.  Like every imbalanced-learn sampler it acts only in
    ``fit`` of an :class:`imblearn.pipeline.Pipeline`, i.e. on the training
    folds, never on the test fold.

    Parameters
    ----------
    covariates : None, str, int, list or callable, default=None
        What to match on.

        - ``None``: X must hold sequences (a 1-D collection of str, or a
          DataFrame with a ``sequence`` column); GC content and length are used
          (a covariate constant over all examples is skipped).
        - column names (DataFrame X) or column indices (any 2-D X). With
          sequences, names of :func:`~skgenqc.features.composition_table`
          columns such as ``"gc_content"``, ``"length"`` or ``"CG"``.
        - a callable ``X -> (n_samples, m)`` array or DataFrame.
    sampling_strategy : float, str, dict or callable, default="auto"
        imbalanced-learn's ``sampling_strategy``: which classes are resampled
        and to how many examples (``"auto"``: every class but the minority, to
        the minority's size).
    n_bins : int, default=10
        Quantile bins per covariate, computed on the minority class.
    ratio : float, default=1.0
        Multiplies the number of examples kept of each resampled class other
        than the minority (``ratio=3``: three matched negatives per positive).
    random_state : int, RandomState instance or None, default=None
        Seed of the draws inside each cell.
    replacement : bool, default=False
        Draw with replacement inside a cell, which fills cells short of
        examples with repeats.
    shortfall : {"keep", "trim"}, default="keep"
        A cell lacking examples of some class: ``"keep"`` takes what exists
        and keeps every minority example; ``"trim"`` scales the cell down for
        every class, the minority included, so the classes stay matched
        exactly.

    Attributes
    ----------
    sampling_strategy_ : dict
        Class -> number of examples requested (before ``ratio``).
    sample_indices_ : ndarray of int
        Sorted indices of the kept examples.
    reference_class_ : label
        The class the others were matched to.
    covariate_names_ : list of str
        Names of the covariates matched on.
    bin_edges_ : dict
        Covariate name -> quantile bin edges of the reference class.
    n_short_ : dict
        Class -> number of requested examples not taken because their cell
        lacked matches (with ``shortfall="trim"`` also the dropped minority
        examples); a ``UserWarning`` is raised when any is non-zero.
    n_features_in_ : int
        Number of features (1 for a 1-D collection of sequences).
    feature_names_in_ : ndarray of str
        Defined only when X has string column names.

    Notes
    -----
    Put the sampler first in the pipeline, or make sure the covariate columns
    survive the steps before it: column names, indices and callables refer to
    X as the sampler receives it.  Matching can only be as good as the
    overlap: minority cells without majority examples are reported in
    ``n_short_`` (and by a warning), never filled with unmatched examples.

    See Also
    --------
    match_covariates : The same matching on a covariate matrix, returning indices.
    GroupBalancedUnderSampler : Balance classes within each chromosome.
    imblearn.under_sampling.RandomUnderSampler : Unmatched under-sampling.

    Examples
    --------
    Positives are GC-rich, random negatives are not; matching picks negatives
    with the positives' GC:

    >>> rng = np.random.default_rng(0)
    >>> def seq(gc, n=60):
    ...     p = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    ...     return "".join(rng.choice(list("ACGT"), n, p=p))
    >>> positives = [seq(0.6) for _ in range(50)]
    >>> negatives = [seq(rng.uniform(0.3, 0.7)) for _ in range(450)]
    >>> X = np.array(positives + negatives)
    >>> y = np.r_[np.ones(50, int), np.zeros(450, int)]
    >>> sampler = CovariateMatchedUnderSampler(n_bins=4, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist(), sampler.covariate_names_
    ([50, 50], ['gc_content'])
    >>> gc = composition_table(X_res, dinucleotides=False)["gc_content"].to_numpy()
    >>> bool(abs(gc[y_res == 0].mean() - gc[y_res == 1].mean()) < 0.02)
    True
    """

    _parameter_constraints: dict = {
        **BaseUnderSampler._parameter_constraints,
        "covariates": [None, str, numbers.Integral, list, tuple, np.ndarray, callable],
        "n_bins": [Interval(numbers.Integral, 1, None, closed="left")],
        "ratio": [Interval(numbers.Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "replacement": ["boolean"],
        "shortfall": [StrOptions({"keep", "trim"})],
    }

    def __init__(self, covariates=None, *, sampling_strategy="auto", n_bins=10, ratio=1.0,
                 random_state=None, replacement=False, shortfall="keep"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.covariates = covariates
        self.n_bins = n_bins
        self.ratio = ratio
        self.random_state = random_state
        self.replacement = replacement
        self.shortfall = shortfall

    def _check_X_y(self, X, y):
        check_lengths(X, y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        if _is_sequence_collection(X):
            # sequences stay a 1-D object array: nothing numeric to validate
            X = np.asarray(X, dtype=object)
            y = check_array(y, ensure_2d=False, dtype=None)
            if len(X) != len(y):
                raise ValueError(f"X has {len(X)} sequences but y has {len(y)} labels")
            self.n_features_in_ = 1
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            return X, y, binarize_y
        X = _check_X(X)
        X, y = validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        values, names = covariate_matrix(X, self.covariates)
        constant = [j for j in range(values.shape[1]) if np.ptp(values[:, j]) == 0]
        if constant and self.covariates is None:
            # default sequence covariates: a fixed length is common and harmless
            keep = [j for j in range(values.shape[1]) if j not in constant]
            values, names = values[:, keep], [names[j] for j in keep]
            if not names:
                values, names = np.zeros((len(y), 1)), ["constant"]
        elif constant:
            raise ValueError(
                f"covariates: {[names[j] for j in constant]!r} are constant "
                f"(value {values[0, constant[0]]!r}) over all examples, so matching on them "
                "does nothing; drop them from covariates")
        classes, counts = np.unique(y, return_counts=True)
        count_of = dict(zip(classes.tolist(), counts.tolist()))
        reference = classes[np.argmin(counts)]
        requested = {}
        for cls, n in self.sampling_strategy_.items():
            requested[cls] = n if cls == reference else int(round(self.ratio * n))
        _check_ratio_request(requested, count_of, self.replacement, self.ratio)
        kept, n_short, edges = _match(values, y, requested, reference, self.n_bins,
                                      self.replacement, check_random_state(self.random_state),
                                      self.shortfall)
        _warn_short(n_short, {reference: count_of[reference], **requested}, self.shortfall)
        self.reference_class_ = reference
        self.covariate_names_ = names
        self.bin_edges_ = dict(zip(names, edges))
        self.n_short_ = n_short
        self.sample_indices_ = kept
        return _safe_indexing(X, kept), _safe_indexing(y, kept)
