"""scikit-learn transformers that turn raw DNA/RNA sequences into feature matrices.

``KmerVectorizer``, ``CompositionFeatures`` and ``SequenceOneHot`` take
*sequences*: a list, tuple, numpy array or pandas Series of ``str``, a one-column
DataFrame or an ``(n, 1)`` array (what a ``ColumnTransformer`` hands over).  They
wrap the packed 2-bit primitives of :mod:`skgenqc.features.encoding`: no Python
loop per sequence or per k-mer.  Shared input rules:

- NaN/None entries raise ``ValueError`` naming the index; a single ``str``
  raises ``TypeError``.  Empty sequences are allowed (an all-zero row).
- Case is ignored; ``U`` counts as ``T``.
- ``alphabet_policy``, for characters outside A, C, G, T, U, N (IUPAC, gaps):
  ``"count_as_n"`` (default) treats them like ``N``; ``"skip"`` lets them
  contribute to no feature (no k-mer spans them, they are not in the ``N``
  fraction although fractions keep the full length as denominator, their
  one-hot row is zero even when ``n_value > 0``); ``"error"`` raises
  ``ValueError`` naming the first sequence index, position and character.
  For k-mers ``"skip"`` and ``"count_as_n"`` coincide: a window with an ``N``
  is no k-mer either.

The k-mer and composition columns are fixed by the parameters, so ``fit`` learns
nothing (no leakage across folds): it validates and sets ``n_features_in_ = 1``
(one sequence column).  ``SequenceOneHot(length=None)`` learns the longest length.
"""

from __future__ import annotations

from functools import lru_cache
from numbers import Integral, Real

import numpy as np
import pandas as pd
from scipy import sparse as sp
from sklearn import get_config
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize as _sk_normalize
from sklearn.utils._param_validation import InvalidParameterError, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skgenqc._core.params import reject_bools
from skgenqc.features.composition import DINUCLEOTIDES, composition_table
from skgenqc.features.kmers import csr_from_keys
from skgenqc.features.encoding import (
    BASES,
    INVALID,
    as_sequence_list,
    canonical_kmer_codes,
    kmer_codes,
    kmer_names,
    pack_sequences,
)

__all__ = ["CompositionFeatures", "KmerVectorizer", "SequenceOneHot"]

_POLICIES = ("count_as_n", "skip", "error")
_ALLOWED = np.zeros(256, dtype=bool)
_ALLOWED[np.frombuffer(b"ACGTUNacgtun", dtype=np.uint8)] = True
_IS_N = np.zeros(256, dtype=bool)
_IS_N[[ord("N"), ord("n")]] = True
MAX_K = 12
CHUNK = 2 ** 18  # characters packed and featurized at a time


def _invalid(owner, name, expected, value):
    """An InvalidParameterError in scikit-learn's message form (for checks beyond its constraints)."""
    return InvalidParameterError(f"The {name!r} parameter of {type(owner).__name__} must be "
                                 f"{expected}. Got {value!r} instead.")


def _as_sequences(X):
    """A list of str from any accepted input container."""
    if sp.issparse(X):
        raise TypeError("X is a scipy sparse matrix; sparse input is not supported: pass "
                        "sequences (a list, array or Series of str).")
    if isinstance(X, pd.DataFrame) or (isinstance(X, np.ndarray) and X.ndim == 2):
        if X.shape[1] != 1:
            raise ValueError(
                f"X has {X.shape[1]} columns; pass one column of sequences "
                "(a list/Series of str, df[['sequence']] or an (n, 1) array).")
        X = X.iloc[:, 0] if isinstance(X, pd.DataFrame) else X[:, 0]
    elif isinstance(X, np.ndarray) and X.ndim != 1:
        raise ValueError(f"X must be 1-D or of shape (n, 1), got shape {X.shape}.")
    return as_sequence_list(X, name="X")


def _check_alphabet(seqs, packed, policy, start=0):
    """Under the "error" policy, raise on the first character outside ACGTUN."""
    if policy != "error":
        return
    bad = np.flatnonzero(~_ALLOWED[packed.raw])
    if len(bad):
        i = int(np.searchsorted(packed.offsets, bad[0], side="right") - 1)
        pos = int(bad[0] - packed.offsets[i])
        raise ValueError(
            f"X[{start + i}] has {seqs[start + i][pos]!r} at position {pos} (the first "
            "character outside A, C, G, T, U, N); clean the sequences or set "
            "alphabet_policy='count_as_n' or 'skip'.")


class _SequenceTransformer(TransformerMixin, BaseEstimator):
    """Input handling shared by the sequence transformers (not public)."""

    _parameter_constraints: dict = {"alphabet_policy": [StrOptions(set(_POLICIES))]}
    _integer_params: dict = {}  # name -> what it accepts, for refusing True/False

    def _validate_params(self):
        # scikit-learn's declarative check (InvalidParameterError), then what it cannot say.
        super()._validate_params()
        reject_bools(self, self._integer_params, self._integer_params)

    def _fit(self, X):
        self._validate_params()
        seqs = _as_sequences(X)
        if not seqs:
            raise ValueError("X holds no sequences (0 samples); fit needs at least one.")
        self.n_features_in_ = 1
        if isinstance(X, pd.DataFrame) and isinstance(X.columns[0], str):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self._fit_seqs(seqs)
        return seqs

    def _fit_seqs(self, seqs):  # only SequenceOneHot learns something
        pass

    def _iter_packed(self, seqs):
        """Pack and check the sequences in chunks of about CHUNK characters.

        Chunks bound the transient memory to a few times the output and keep
        the per-window arrays in cache, which is also faster than one big pass.
        """
        ends = np.cumsum(np.fromiter(map(len, seqs), dtype=np.int64, count=len(seqs)))
        cuts = np.searchsorted(ends, np.arange(CHUNK, ends[-1] if len(ends) else 0, CHUNK))
        bounds = np.unique(np.concatenate([[0], cuts + 1, [len(seqs)]]).clip(0, len(seqs)))
        for start, stop in zip(bounds[:-1], bounds[1:]) if len(seqs) else [(0, 0)]:
            packed = pack_sequences(seqs[start:stop])
            _check_alphabet(seqs, packed, self.alphabet_policy, start)
            yield packed

    def fit(self, X, y=None):
        """Validate the parameters and the sequences (``y`` is ignored); return self."""
        seqs = self._fit(X)
        if self.alphabet_policy == "error":
            for _ in self._iter_packed(seqs):
                pass
        return self

    def transform(self, X):
        """Features of each sequence (see the class docstring for the columns)."""
        check_is_fitted(self)
        self._validate_params()
        self._check_output_container()
        return self._keep_index(X, self._transform_seqs(_as_sequences(X)))

    def fit_transform(self, X, y=None):
        """Fit, then transform (checking the sequences once)."""
        self._validate_params()
        self._check_output_container()
        return self._keep_index(X, self._transform_seqs(self._fit(X)))

    def _keep_index(self, X, out):
        """A pandas Series' index on pandas output, whatever the scikit-learn release.

        scikit-learn's output wrapper keeps the index of a DataFrame input, and from
        some release on of any indexed input; before that (1.6, our minimum) a Series
        of sequences lost its index. A DataFrame returned here keeps it in every release
        (the wrapper then only renames the columns).
        """
        if isinstance(X, pd.Series) and isinstance(out, np.ndarray) and out.ndim == 2:
            container = getattr(self, "_sklearn_output_config", {}).get("transform")
            if (container or get_config().get("transform_output", "default")) == "pandas":
                return pd.DataFrame(out, index=X.index)
        return out

    def _transform_seqs(self, seqs):
        parts = [self._transform_packed(packed) for packed in self._iter_packed(seqs)]
        if len(parts) == 1:
            return parts[0]
        return sp.vstack(parts, format="csr") if sp.issparse(parts[0]) else np.concatenate(parts)

    def _check_output_container(self):
        container = getattr(self, "_sklearn_output_config", {}).get("transform")
        container = container or get_config().get("transform_output", "default")
        if container != "default" and self._not_dense_2d():
            raise ValueError(
                f"{type(self).__name__} is set to give {container} output, which needs a "
                f"dense 2-D result; {self._not_dense_2d()} Use "
                "set_output(transform='default') or change that parameter.")

    def _not_dense_2d(self):
        """Why the output is not a dense 2-D array, or None when it is."""
        return None

    def _check_input_features(self, input_features):
        check_is_fitted(self)
        if input_features is None:
            return
        names = list(np.asarray(input_features, dtype=object).ravel())
        if len(names) != 1:
            raise ValueError(f"input_features should name the 1 sequence column, got {names}.")
        names_in = list(getattr(self, "feature_names_in_", names))
        if names != names_in:
            raise ValueError(f"input_features {names} is not equal to feature_names_in_ "
                             f"{names_in}.")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.transformer_tags.preserves_dtype = []
        return tags


@lru_cache(maxsize=4)
def _canonical_columns(k):
    """Codes of the canonical k-mers (the columns) and a code -> column lookup."""
    columns = canonical_kmer_codes(k)
    lookup = np.full(4 ** k, -1, dtype=np.int32)
    lookup[columns] = np.arange(len(columns), dtype=np.int32)
    return columns, lookup


class KmerVectorizer(_SequenceTransformer):
    """Count the overlapping k-mers of each sequence.

    The columns are all ``4**k`` k-mers in lexicographic order (``AA..A`` to
    ``TT..T``), or with ``canonical=True`` only the canonical ones (a k-mer and
    its reverse complement share one column, named after the smaller).  The
    vocabulary does not depend on the data, so ``fit`` only validates.  Only
    windows made of A/C/G/T (any case, U as T) count.  Sequences are counted
    in chunks, so the sparse form peaks at about twice the output's memory and
    never holds an ``n x 4**k`` array.

    Parameters
    ----------
    k : int, default=6
        k-mer length, 1 to 12 (names for k >= 10 are millions of strings: slow).
        Window keys are int64 (``row * 4**k + code``), so every k up to 12 works
        for any number of sequences.
    canonical : bool, default=False
        Merge each k-mer with its reverse complement, so a sequence and its
        reverse complement get the same row.
    normalize : {None, "frequency", "l2"}, default=None
        ``None``: integer counts (int32).  ``"frequency"``: counts divided by
        the row's number of k-mers.  ``"l2"``: rows scaled to unit Euclidean
        norm.  All-zero rows (sequences shorter than k) stay zero.
    sparse : {"auto", True, False}, default="auto"
        Return a ``scipy.sparse.csr_matrix``; ``"auto"`` is sparse for k >= 5.
        Pandas output (``set_output``) needs ``sparse=False``.
    alphabet_policy : {"count_as_n", "skip", "error"}, default="count_as_n"
        Characters outside ACGTUN: see the module docstring.

    Attributes
    ----------
    n_features_in_ : int
        Always 1 (one column of sequences).
    feature_names_in_ : ndarray of str
        The column name, when fitted on a one-column DataFrame.

    See Also
    --------
    sklearn.feature_extraction.text.CountVectorizer : the generic version;
        ``analyzer="char", ngram_range=(k, k)`` gives the same counts on ACGT-only text.
    CompositionFeatures, SequenceOneHot

    Examples
    --------
    >>> from skgenqc.features.transformers import KmerVectorizer
    >>> vec = KmerVectorizer(k=2)
    >>> X = vec.fit_transform(["AACG", "gtt", "ANA"])
    >>> X.shape
    (3, 16)
    >>> X[0].tolist()
    [1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    >>> vec.get_feature_names_out()[:4].tolist()
    ['AA', 'AC', 'AG', 'AT']
    >>> KmerVectorizer(k=3, canonical=True).fit_transform(["AAC", "GTT"]).sum(axis=0)[:2]
    array([0, 2])
    >>> X6 = KmerVectorizer(k=6).fit_transform(["ACGTACGT"])  # sparse CSR from k=5 on
    >>> X6.format, X6.shape, X6.nnz
    ('csr', (1, 4096), 3)
    """

    def __init__(self, k=6, *, canonical=False, normalize=None, sparse="auto",
                 alphabet_policy="count_as_n"):
        self.k = k
        self.canonical = canonical
        self.normalize = normalize
        self.sparse = sparse
        self.alphabet_policy = alphabet_policy

    _parameter_constraints: dict = {
        **_SequenceTransformer._parameter_constraints,
        "k": [Interval(Integral, 1, MAX_K, closed="both")],
        "canonical": ["boolean"],
        "normalize": [StrOptions({"frequency", "l2"}), None],
        "sparse": [StrOptions({"auto"}), "boolean"],
    }
    _integer_params = {"k": f"an int in the range [1, {MAX_K}]"}

    def _is_sparse(self):
        return self.k >= 5 if self.sparse == "auto" else bool(self.sparse)

    def _not_dense_2d(self):
        if not self._is_sparse():
            return None
        return f"k={self.k} with sparse={self.sparse!r} gives a scipy sparse matrix."

    def _transform_packed(self, packed):
        k, n = int(self.k), packed.n_sequences
        codes, rows = kmer_codes(packed, k, canonical=bool(self.canonical))
        if self.canonical:
            columns, lookup = _canonical_columns(k)
            n_cols, codes = len(columns), lookup[codes]
        else:
            n_cols = 4 ** k
        # One key per window, ``row * n_cols + code``, built in place. int32 keys halve the
        # sort's memory when every key fits; otherwise int64 (``rows`` is int32, so it must be
        # widened before the multiplication: k >= 10 overflows int32 from a few hundred rows).
        sparse_out = self._is_sparse()
        if n * n_cols >= 2 ** 63:  # Python ints: exact
            raise ValueError(f"{n} sequences x {n_cols} k-mer columns (k={k}) cannot be keyed "
                             "in int64; featurize fewer sequences at a time or lower k.")
        small = sparse_out and n * n_cols < 2 ** 31
        keys = rows.astype(np.int32 if small else np.int64)
        del rows
        keys *= n_cols
        np.add(keys, codes, out=keys, casting="unsafe")  # codes < n_cols: no overflow
        del codes
        if sparse_out:
            X = csr_from_keys(keys, n, n_cols)
        else:
            X = np.bincount(keys, minlength=n * n_cols).astype(np.int32).reshape(n, n_cols)
        if self.normalize is not None:
            X = X.astype(np.float64)
            if n:  # sklearn's normalize refuses 0 rows
                norm = "l1" if self.normalize == "frequency" else "l2"
                X = _sk_normalize(X, norm=norm, copy=False)
        return X

    def get_feature_names_out(self, input_features=None):
        """The k-mer of each output column (ndarray of str)."""
        self._check_input_features(input_features)
        self._validate_params()
        k = int(self.k)
        codes = _canonical_columns(k)[0] if self.canonical else None
        return np.asarray(kmer_names(k, codes), dtype=object)


_COMPOSITION = ("length", "gc_content", "A", "C", "G", "T", "N", "cpg_oe", "entropy",
                "lowercase", "dinucleotides")


class CompositionFeatures(_SequenceTransformer):
    """Length, GC, base and dinucleotide fractions, CpG o/e and entropy per sequence.

    Parameters
    ----------
    features : sequence of str, default=("length", "gc_content", "A", "C", "G", \
"T", "N", "cpg_oe", "entropy", "dinucleotides")
        Columns, in this order (empty sequences give zeros, never NaN):
        ``length`` (characters); ``gc_content`` ((G + C) / length); ``A``,
        ``C``, ``G``, ``T`` (base fractions, U as T); ``N`` (fraction of N and,
        with ``alphabet_policy="count_as_n"``, of other non-ACGT characters);
        ``cpg_oe`` (CpG observed/expected: ``CG count * length / (C count *
        G count)``, 0 without C or G); ``entropy`` (Shannon entropy in bits of
        the A/C/G/T distribution, 0 to 2); ``lowercase`` (soft-masked fraction);
        ``dinucleotides`` (the 16 columns ``AA`` ... ``TT``: overlapping pair
        counts / (length - 1); single names such as ``"CG"`` work too).
    alphabet_policy : {"count_as_n", "skip", "error"}, default="count_as_n"
        Characters outside ACGTUN: see the module docstring.

    Attributes
    ----------
    n_features_in_ : int
        Always 1 (one column of sequences).
    feature_names_in_ : ndarray of str
        The column name, when fitted on a one-column DataFrame.

    See Also
    --------
    skgenqc.features.composition_table : the same statistics as a DataFrame.

    Examples
    --------
    >>> from skgenqc.features.transformers import CompositionFeatures
    >>> comp = CompositionFeatures(features=("length", "gc_content", "cpg_oe", "entropy"))
    >>> comp.fit_transform(["CGCG", "ACGT", ""]).tolist()
    [[4.0, 1.0, 2.0, 1.0], [4.0, 0.5, 4.0, 2.0], [0.0, 0.0, 0.0, 0.0]]
    >>> comp.set_output(transform="pandas").fit_transform(["ACGT"]).columns.tolist()
    ['length', 'gc_content', 'cpg_oe', 'entropy']
    """

    def __init__(self, *, features=("length", "gc_content", "A", "C", "G", "T", "N", "cpg_oe",
                                    "entropy", "dinucleotides"),
                 alphabet_policy="count_as_n"):
        self.features = features
        self.alphabet_policy = alphabet_policy

    def _columns_out(self):
        features = self.features
        expected = (f"a non-empty list or tuple of distinct names from {list(_COMPOSITION)} "
                    "or dinucleotides such as 'CG'")
        if isinstance(features, str) or not isinstance(features, (list, tuple)):
            raise _invalid(self, "features", expected, features)
        out = []
        for name in features:
            if name == "dinucleotides":
                out.extend(DINUCLEOTIDES)
            elif isinstance(name, str) and (name in _COMPOSITION or name in DINUCLEOTIDES):
                out.append(name)
            else:
                raise _invalid(self, "features", expected + f" (unknown name {name!r})", features)
        if not out or len(set(out)) != len(out):
            raise _invalid(self, "features", expected + " (no repeats)", features)
        return out

    _parameter_constraints: dict = {
        **_SequenceTransformer._parameter_constraints,
        "features": [list, tuple],
    }

    def _validate_params(self):
        super()._validate_params()
        self._columns_out()

    def _transform_packed(self, packed):
        names = self._columns_out()
        need_di = bool({"cpg_oe", *DINUCLEOTIDES} & set(names))
        table = composition_table(None, dinucleotides=need_di, packed=packed).fillna(0.0)
        length = table["length"].to_numpy()
        counts = np.rint(table[list(BASES)].to_numpy() * length[:, None])
        out = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for name in names:
                if name == "N" and self.alphabet_policy == "skip":
                    is_n = np.bincount(packed.sequence_index(), weights=_IS_N[packed.raw],
                                       minlength=packed.n_sequences)
                    col = is_n / length
                elif name == "cpg_oe":
                    cg = np.rint(table["CG"].to_numpy() * np.maximum(length - 1, 1))
                    col = cg * length / (counts[:, 1] * counts[:, 2])
                elif name == "entropy":
                    p = counts / counts.sum(axis=1, keepdims=True)
                    col = -np.where(p > 0, p * np.log2(p), 0.0).sum(axis=1)
                else:
                    col = table[name].to_numpy()
                out.append(col)
        X = np.column_stack(out).astype(np.float64)
        return np.nan_to_num(X, nan=0.0, posinf=0.0) + 0.0  # + 0.0: no -0.0

    def get_feature_names_out(self, input_features=None):
        """Output column names: ``features`` with ``dinucleotides`` expanded (ndarray of str)."""
        self._check_input_features(input_features)
        return np.asarray(self._columns_out(), dtype=object)


def _start(slack, side):
    """Where a window starts given the slack and the side that absorbs it."""
    return {"right": np.zeros_like(slack), "left": slack, "center": slack // 2}[side]


class SequenceOneHot(_SequenceTransformer):
    """One-hot encode each position (A, C, G, T) after padding/truncating to one length.

    Parameters
    ----------
    length : int or None, default=None
        Output length L.  ``None`` learns the longest sequence seen in ``fit``
        (longer sequences met in ``transform`` are truncated); fitting it on
        empty strings only raises ``ValueError``.
    padding : {"right", "left", "center"}, default="right"
        Where shorter sequences get their all-zero padding rows.
    truncate : {"right", "left", "center"}, default="right"
        Where longer sequences are cut ("right" keeps the 5' start).
    flatten : bool, default=True
        ``True`` returns ``(n, L * 4)``, the 2-D form scikit-learn estimators
        need; ``False`` returns ``(n, L, 4)`` for convolutional models.
    n_value : float, default=0.0
        Value of all four columns at an ``N`` (0.25 gives a uniform prior).
    alphabet_policy : {"count_as_n", "skip", "error"}, default="count_as_n"
        Characters outside ACGTUN: see the module docstring.
    dtype : numpy dtype, default=numpy.float32
        Output dtype.

    Attributes
    ----------
    length_ : int
        The output length L.
    n_features_in_ : int
        Always 1 (one column of sequences).

    Examples
    --------
    >>> from skgenqc.features.transformers import SequenceOneHot
    >>> X = SequenceOneHot(flatten=False, n_value=0.25).fit_transform(["ACN", "T"])
    >>> X.shape
    (2, 3, 4)
    >>> X[0].tolist(), X[1].tolist()  # "T" is padded on the right
    ([[1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]],
     [[0.0, 0.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    >>> SequenceOneHot(length=2).fit(["ACGT"]).get_feature_names_out().tolist()
    ['pos0_A', 'pos0_C', 'pos0_G', 'pos0_T', 'pos1_A', 'pos1_C', 'pos1_G', 'pos1_T']
    """

    def __init__(self, length=None, *, padding="right", truncate="right", flatten=True,
                 n_value=0.0, alphabet_policy="count_as_n", dtype=np.float32):
        self.length = length
        self.padding = padding
        self.truncate = truncate
        self.flatten = flatten
        self.n_value = n_value
        self.alphabet_policy = alphabet_policy
        self.dtype = dtype

    _parameter_constraints: dict = {
        **_SequenceTransformer._parameter_constraints,
        "length": [Interval(Integral, 1, None, closed="left"), None],
        "padding": [StrOptions({"right", "left", "center"})],
        "truncate": [StrOptions({"right", "left", "center"})],
        "flatten": ["boolean"],
        "n_value": [Interval(Real, 0, 1, closed="both")],
        "dtype": "no_validation",  # checked below: any numpy number dtype
    }
    _integer_params = {"length": "an int in the range [1, inf) or None"}

    def _validate_params(self):
        super()._validate_params()
        if isinstance(self.n_value, bool):
            raise _invalid(self, "n_value", "a float in the range [0, 1]", self.n_value)
        try:
            kind = np.dtype(self.dtype).kind
        except TypeError:
            kind = None
        if kind not in ("f", "i", "u", "b"):
            raise _invalid(self, "dtype", "a numpy number dtype such as numpy.float32",
                           self.dtype)

    def _fit_seqs(self, seqs):
        self.length_ = int(self.length if self.length is not None else max(map(len, seqs)))
        if self.length_ == 0:
            # length 0 would give (n, 0) features, which every estimator downstream rejects
            raise ValueError(
                f"SequenceOneHot(length=None) learns the output length from the longest "
                f"sequence in fit, but all {len(seqs)} sequences in X are empty strings; fit on "
                "non-empty sequences or set length to a positive int.")

    def _not_dense_2d(self):
        return None if self.flatten else "flatten=False gives a 3-D array."

    def _transform_packed(self, packed):
        n, L = packed.n_sequences, self.length_
        lengths = packed.lengths
        keep = np.minimum(lengths, L)
        read = packed.offsets[:-1] + _start(lengths - keep, self.truncate)
        write = _start(L - keep, self.padding)
        row = np.repeat(np.arange(n), keep)
        within = np.arange(len(row)) - np.repeat(np.cumsum(keep) - keep, keep)
        src, dst = np.repeat(read, keep) + within, np.repeat(write, keep) + within
        code = packed.codes[src]
        out = np.zeros((n, L, 4), dtype=self.dtype)
        base = code != INVALID
        out[row[base], dst[base], code[base]] = 1
        if self.n_value:
            fill = ~base
            if self.alphabet_policy == "skip":
                fill &= _IS_N[packed.raw[src]]
            out[row[fill], dst[fill], :] = self.n_value
        return out.reshape(n, L * 4) if self.flatten else out

    def get_feature_names_out(self, input_features=None):
        """``pos{i}_{base}`` for each column of the flattened output (ndarray of str)."""
        self._check_input_features(input_features)
        return np.asarray([f"pos{i}_{b}" for i in range(self.length_) for b in BASES],
                          dtype=object)
