"""Tests of the sequence featurizers in ``skgenqc.features.transformers``.

scikit-learn estimator checks
-----------------------------
``KmerVectorizer``, ``CompositionFeatures`` and ``SequenceOneHot`` take raw
sequences (str), not a numeric 2-D ``X``.  Like ``CountVectorizer`` they carry
the tags ``input_tags.string=True, two_d_array=False`` (tested), so
``check_estimator(est)`` skips the numeric checks; which checks scikit-learn
skips is its business, not tested here.

A one-off run of the full suite (scikit-learn 1.9, ``on_fail=None``) on
subclasses pretending to accept 2-D numeric input: 17 of 46 passed, 1 skipped
(``check_array_api_input``), 28 failed, as listed below.

Passed, and run below through scikit-learn's own functions
(``check_estimator_sparse_tag``, absent from scikit-learn 1.6.0, is replaced by
an own equivalent assertion there):
``check_estimator_cloneable``, ``check_estimator_repr``,
``check_estimator_tags_renamed``, ``check_valid_tag_types``,
``check_no_attributes_set_in_init``, ``check_estimators_unfitted``,
``check_transformers_unfitted``, ``check_do_not_raise_errors_in_init_or_set_params``,
``check_mixin_order``, ``check_transformer_n_iter``,
``check_parameters_default_constructible``, ``check_get_params_invariance``,
``check_set_params``, ``check_fit1d`` (1-D numeric X is rejected with ValueError),
``check_estimator_sparse_tag``, ``check_estimator_sparse_matrix`` and
``check_estimator_sparse_array`` (sparse X is rejected with a TypeError that
says "sparse input is not supported").

Failed because the check feeds numeric ``X`` of shape (n, m>1) or a numeric
column, which is not a sequence (``ValueError: X has 3 columns; pass one column
of sequences`` / ``X[0] is of type float64``).  The properties they test are
tested here with sequences instead (test named in brackets):
``check_dont_overwrite_parameters``, ``check_estimators_overwrite_params``
[test_fit_does_not_change_params], ``check_fit_idempotent`` [test_fit_idempotent],
``check_estimators_pickle``, ``check_pipeline_consistency`` [test_pickle_and_clone],
``check_methods_sample_order_invariance``, ``check_methods_subset_invariance``
[test_order_and_subset_invariance], ``check_dict_unchanged``
[test_transform_does_not_change_state], ``check_estimators_fit_returns_self``,
``check_fit_check_is_fitted`` [test_fit_returns_self_and_is_fitted],
``check_n_features_in``, ``check_n_features_in_after_fitting``
[test_n_features_in_and_feature_names_in], ``check_transformer_general``,
``check_fit_score_takes_y`` [test_fit_accepts_y], ``check_transformer_data_not_an_array``
[test_input_containers], ``check_fit2d_predict1d``, ``check_fit2d_1sample``,
``check_fit2d_1feature`` [test_input_containers, test_bad_inputs],
``check_estimators_nan_inf`` [test_bad_inputs: NaN/None entries raise naming
the index], ``check_estimators_empty_data_messages`` [test_bad_inputs: empty X
raises, with our message rather than sklearn's "0 feature(s)" wording].

Not applicable (no sequence analogue): ``check_estimators_dtypes``,
``check_dtype_object``, ``check_complex_data``, ``check_f_contiguous_array_estimator``,
``check_readonly_memmap_input``, ``check_positive_only_tag_during_fit`` (all
about numeric dtypes or memory layout of a numeric X).
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.utils import estimator_checks as ec

from conftest import random_sequences
from skgenqc.features.composition import composition_table
from skgenqc.features.encoding import pack_sequences, reverse_complement
from skgenqc.features.kmers import kmer_count_matrix
from skgenqc.features.transformers import CompositionFeatures, KmerVectorizer, SequenceOneHot

ESTIMATORS = [KmerVectorizer(k=3), KmerVectorizer(k=6, canonical=True, normalize="l2"),
              CompositionFeatures(), SequenceOneHot(), SequenceOneHot(10, flatten=False)]
IDS = ["kmer3", "kmer6_canonical", "composition", "onehot", "onehot_3d"]
SEQS = ["ACGTACGTTA", "ggccNNatat", "", "ACRYTTG-A", "AC", "TTTTTTTTTTTTTT"]

def _check_sparse_tag(name, estimator):
    """Our equivalent of ``check_estimator_sparse_tag`` (absent from scikit-learn 1.6.0): the
    sparse tag is False and sparse input is refused, so tag and behaviour agree."""
    from sklearn.utils import get_tags

    assert get_tags(estimator).input_tags.sparse is False
    with pytest.raises(TypeError, match="sparse input is not supported"):
        estimator.fit(sparse.csr_matrix(np.ones((3, 1))))


_check_sparse_tag.__name__ = "check_estimator_sparse_tag"

SKLEARN_CHECKS = [
    ec.check_estimator_cloneable, ec.check_estimator_repr, ec.check_estimator_tags_renamed,
    ec.check_valid_tag_types, ec.check_no_attributes_set_in_init, ec.check_estimators_unfitted,
    ec.check_transformers_unfitted, ec.check_do_not_raise_errors_in_init_or_set_params,
    ec.check_mixin_order, ec.check_transformer_n_iter, ec.check_parameters_default_constructible,
    ec.check_get_params_invariance, ec.check_set_params, ec.check_fit1d,
    getattr(ec, "check_estimator_sparse_tag", _check_sparse_tag),
    ec.check_estimator_sparse_matrix, ec.check_estimator_sparse_array,
]


def dense(X):
    return X.toarray() if sparse.issparse(X) else np.asarray(X)


# ---------------------------------------------------------------- sklearn API checks


@pytest.mark.parametrize("check", SKLEARN_CHECKS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_sklearn_checks_that_apply(est, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(type(est).__name__, clone(est))


def test_sparse_tag_equivalent_runs():
    """The own assertion used where scikit-learn lacks check_estimator_sparse_tag."""
    for est in ESTIMATORS:
        _check_sparse_tag(type(est).__name__, clone(est))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_tags_declare_string_input(est):
    """What makes scikit-learn's numeric checks inapplicable is our tags: test those, not
    scikit-learn's skipping."""
    from sklearn.utils import get_tags

    tags = get_tags(est)
    assert tags.input_tags.string and not tags.input_tags.two_d_array
    assert tags.transformer_tags.preserves_dtype == []


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_fit_does_not_change_params(est):
    est = clone(est)
    before = {k: pickle.dumps(v) for k, v in est.get_params().items()}
    est.fit(SEQS)
    assert {k: pickle.dumps(v) for k, v in est.get_params().items()} == before
    public = [a for a in vars(est) if not a.startswith("_")]
    assert set(public) - set(before) <= {"n_features_in_", "length_"}


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_fit_idempotent(est):
    est = clone(est)
    a = dense(est.fit(SEQS).transform(SEQS))
    b = dense(est.fit(SEQS[::-1]).fit(SEQS).transform(SEQS))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, dense(clone(est).fit_transform(SEQS)))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_pickle_and_clone(est):
    fitted = clone(est).fit(SEQS)
    expected = dense(fitted.transform(SEQS))
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(dense(restored.transform(SEQS)), expected)
    np.testing.assert_array_equal(dense(clone(fitted).fit(SEQS).transform(SEQS)), expected)
    assert clone(fitted).get_params() == fitted.get_params()


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_order_and_subset_invariance(est):
    est = clone(est).fit(SEQS)
    full = dense(est.transform(SEQS))
    order = np.random.default_rng(0).permutation(len(SEQS))
    np.testing.assert_array_equal(dense(est.transform([SEQS[i] for i in order])), full[order])
    np.testing.assert_array_equal(dense(est.transform(SEQS[2:4])), full[2:4])


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_transform_does_not_change_state(est):
    est = clone(est).fit(SEQS)
    state = pickle.dumps(est.__dict__)
    est.transform(SEQS)
    est.get_feature_names_out()
    assert pickle.dumps(est.__dict__) == state


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_fit_returns_self_and_is_fitted(est):
    est = clone(est)
    with pytest.raises(NotFittedError):
        est.transform(SEQS)
    with pytest.raises(NotFittedError):
        est.get_feature_names_out()
    assert est.fit(SEQS) is est


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_fit_accepts_y(est):
    y = np.arange(len(SEQS)) % 2
    np.testing.assert_array_equal(dense(clone(est).fit_transform(SEQS, y)),
                                  dense(clone(est).fit_transform(SEQS)))


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_n_features_in_and_feature_names_in(est):
    est = clone(est).fit(pd.DataFrame({"sequence": SEQS}))
    assert est.n_features_in_ == 1
    assert est.feature_names_in_.tolist() == ["sequence"]
    names = est.get_feature_names_out(["sequence"])
    X = est.transform(SEQS)
    assert len(names) == int(np.prod(X.shape[1:]))
    assert len(set(names)) == len(names)
    with pytest.raises(ValueError, match="not equal to feature_names_in_"):
        est.get_feature_names_out(["seq"])
    with pytest.raises(ValueError, match="1 sequence column"):
        est.get_feature_names_out(["a", "b"])
    assert not hasattr(est.fit(SEQS), "feature_names_in_")


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_input_containers(est):
    est = clone(est).fit(SEQS)
    expected = dense(est.transform(SEQS))
    for X in (tuple(SEQS), np.array(SEQS), np.array(SEQS, dtype=object), pd.Series(SEQS),
              pd.DataFrame({"s": SEQS}), np.array(SEQS, dtype=object)[:, None],
              [s.encode() for s in SEQS]):
        np.testing.assert_array_equal(dense(est.transform(X)), expected)


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_chunked_equals_one_pass(est, monkeypatch):
    import skgenqc.features.transformers as module

    seqs = SEQS * 5 + ["ACGTTGCA" * 20]
    expected = dense(clone(est).fit_transform(seqs))
    monkeypatch.setattr(module, "CHUNK", 7)  # many chunks, some of one long sequence
    np.testing.assert_array_equal(dense(clone(est).fit_transform(seqs)), expected)
    with pytest.raises(ValueError, match=r"X\[21\] has 'Y' at position 3"):
        clone(est).set_params(alphabet_policy="error").fit(["ACGT"] * 21 + ["ACGY"])


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_empty_input_to_transform(est):
    est = clone(est).fit(SEQS)
    X = est.transform([])
    assert X.shape[0] == 0 and int(np.prod(X.shape[1:])) == len(est.get_feature_names_out())


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_deterministic(est):
    a = dense(clone(est).fit_transform(SEQS))
    b = dense(clone(est).fit_transform(SEQS))
    np.testing.assert_array_equal(a, b)


# ------------------------------------------------------------------ KmerVectorizer


def test_kmer_known_counts():
    vec = KmerVectorizer(k=2).fit(["A"])
    X = vec.transform(["AACG", "ANAA", "", "a"])
    names = vec.get_feature_names_out().tolist()
    assert isinstance(X, np.ndarray) and X.dtype == np.int32
    row = dict(zip(names, X[0].tolist()))
    assert {n: c for n, c in row.items() if c} == {"AA": 1, "AC": 1, "CG": 1}
    assert X[1].tolist() == [1] + [0] * 15  # only the AA after the N
    assert X[2].sum() == X[3].sum() == 0
    X1 = KmerVectorizer(k=1).fit_transform(["AACGTT", "uu"])
    assert X1.tolist() == [[2, 1, 1, 2], [0, 0, 0, 2]]  # U counts as T


def test_kmer_canonical_merges_reverse_complements():
    vec = KmerVectorizer(k=3, canonical=True).fit(["A"])
    X = vec.transform(["AAC", "GTT", "CCC"])
    names = vec.get_feature_names_out().tolist()
    assert len(names) == 32
    assert "GTT" not in names
    assert X[0].tolist() == X[1].tolist()
    assert X[0, names.index("AAC")] == 1
    assert X[2, names.index("CCC")] == 1  # CCC < GGG
    assert X[:, 0].sum() == 0  # AAA


def test_kmer_sparse_auto_and_normalize():
    seqs = random_sequences(np.random.default_rng(0), 30, 50) + ["ACG"]
    assert isinstance(KmerVectorizer(k=4).fit_transform(seqs), np.ndarray)
    X5 = KmerVectorizer(k=5).fit_transform(seqs)
    assert sparse.issparse(X5) and X5.format == "csr" and X5.shape == (31, 1024)
    assert sparse.issparse(KmerVectorizer(k=2, sparse=True).fit_transform(seqs))
    assert isinstance(KmerVectorizer(k=6, sparse=False).fit_transform(seqs), np.ndarray)
    freq = KmerVectorizer(k=5, normalize="frequency").fit_transform(seqs)
    np.testing.assert_allclose(np.asarray(freq.sum(axis=1)).ravel(), [1.0] * 30 + [0.0])
    l2 = KmerVectorizer(k=3, normalize="l2").fit_transform(seqs)
    np.testing.assert_allclose(np.linalg.norm(l2, axis=1), [1.0] * 30 + [1.0])
    counts = KmerVectorizer(k=3).fit_transform(seqs)
    np.testing.assert_allclose(l2, counts / np.linalg.norm(counts, axis=1, keepdims=True))


@pytest.mark.parametrize("k", [1, 5, 8])
@pytest.mark.parametrize("canonical", [False, True])
def test_kmer_matches_kmer_count_matrix(k, canonical):
    rng = np.random.default_rng(k)
    seqs = ["".join(rng.choice(list("ACGTNacgR"), rng.integers(0, 40))) for _ in range(50)]
    X = KmerVectorizer(k=k, canonical=canonical, sparse=True).fit_transform(seqs)
    M, names = kmer_count_matrix(pack_sequences(seqs), k, canonical=canonical)
    assert (X != M).nnz == 0
    vec = KmerVectorizer(k, canonical=canonical).fit(seqs)
    assert vec.get_feature_names_out().tolist() == names


@pytest.mark.parametrize("k", [10, 12])
@pytest.mark.parametrize("canonical", [False, True])
def test_kmer_long_k_by_hand(k, canonical):
    rng = np.random.default_rng(k)
    seqs = ["".join(rng.choice(list("ACGTN"), 30)) for _ in range(5)] + ["A" * 20]
    X = KmerVectorizer(k=k, canonical=canonical).fit_transform(seqs)
    assert X.shape == (6, 4 ** k if not canonical else (4 ** k + 4 ** (k // 2)) // 2)
    for i, s in enumerate(seqs):
        windows = [s[j:j + k] for j in range(len(s) - k + 1) if "N" not in s[j:j + k]]
        if canonical:
            windows = [min(w, reverse_complement(w)) for w in windows]
        expected = {}
        for w in windows:
            expected[w] = expected.get(w, 0) + 1
        row = X[i]
        if not canonical:
            codes = {int(w.translate(str.maketrans("ACGT", "0123")), 4): c
                     for w, c in expected.items()}
            assert dict(zip(row.indices.tolist(), row.data.tolist())) == codes
        assert sorted(row.data.tolist()) == sorted(expected.values())


def _brute_force_keys(seqs, k, canonical):
    """{(row, column): count} counted window by window in Python."""
    from skgenqc.features.encoding import canonical_kmer_codes

    columns = canonical_kmer_codes(k) if canonical else None
    counts = {}
    for i, s in enumerate(seqs):
        for j in range(len(s) - k + 1):
            w = s[j:j + k].upper()
            if set(w) - set("ACGT"):
                continue
            if canonical:
                w = min(w, reverse_complement(w))
            code = int(w.translate(str.maketrans("ACGT", "0123")), 4)
            col = int(np.searchsorted(columns, code)) if canonical else code
            counts[i, col] = counts.get((i, col), 0) + 1
    return counts


@pytest.mark.parametrize("k", [10, 11, 12])
@pytest.mark.parametrize("canonical", [False, True])
def test_kmer_long_k_many_sequences_brute_force(k, canonical):
    """Hundreds of sequences at k >= 10: row * 4**k keys overflow int32 (they are int64)."""
    rng = np.random.default_rng(k)
    seqs = ["".join(rng.choice(list("ACGTNacgt"), rng.integers(0, 50))) for _ in range(600)]
    X = KmerVectorizer(k=k, canonical=canonical).fit_transform(seqs)
    palindromes = 4 ** (k // 2) if k % 2 == 0 else 0  # odd k: no k-mer is its own complement
    assert X.shape == (600, (4 ** k + palindromes) // 2 if canonical else 4 ** k)
    coo = X.tocoo()
    ours = dict(zip(zip(coo.row.tolist(), coo.col.tolist()), coo.data.tolist()))
    assert ours == _brute_force_keys(seqs, k, canonical)


@pytest.mark.parametrize("k", range(1, 9))
def test_kmer_matches_sklearn_countvectorizer(k):
    rng = np.random.default_rng(k)
    seqs = ["".join(rng.choice(list("ACGTacgt"), rng.integers(k, 60))) for _ in range(40)]
    cv = CountVectorizer(analyzer="char", ngram_range=(k, k), lowercase=True)
    expected = cv.fit_transform(seqs).toarray()
    vec = KmerVectorizer(k=k, sparse=False).fit(seqs)
    ours = vec.transform(seqs)
    column = {name: j for j, name in enumerate(vec.get_feature_names_out())}
    cols = [column[term.upper()] for term in cv.get_feature_names_out()]
    np.testing.assert_array_equal(ours[:, cols], expected)
    assert ours.sum() == expected.sum()  # nothing outside CountVectorizer's vocabulary


ALPHABET = "ACGTNacgtnRY-"


def valid_windows(seq, k):
    return sum(all(c in "ACGTacgt" for c in seq[i:i + k]) for i in range(len(seq) - k + 1))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=8),
       st.integers(1, 8))
def test_property_row_sums_are_valid_windows(seqs, k):
    for policy in ("count_as_n", "skip"):
        X = KmerVectorizer(k=k, sparse=True, alphabet_policy=policy).fit_transform(seqs)
        assert np.asarray(X.sum(axis=1)).ravel().tolist() == [valid_windows(s, k) for s in seqs]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=8),
       st.integers(1, 8))
def test_property_canonical_reverse_complement_invariant(seqs, k):
    vec = KmerVectorizer(k=k, canonical=True, sparse=True).fit(seqs)
    a = vec.transform(seqs)
    b = vec.transform([reverse_complement(s) for s in seqs])
    assert (a != b).nnz == 0


def test_kmer_pandas_output_and_sparse_error():
    seqs = pd.Series(["ACGT", "GGCA"], index=[10, 20])
    out = KmerVectorizer(k=2).set_output(transform="pandas").fit_transform(seqs)
    assert isinstance(out, pd.DataFrame) and out.columns[:2].tolist() == ["AA", "AC"]
    assert out.index.tolist() == [10, 20]
    assert out.loc[10, "CG"] == 1
    vec = KmerVectorizer(k=6).set_output(transform="pandas")
    with pytest.raises(ValueError, match=r"k=6 with sparse='auto' gives a scipy sparse"):
        vec.fit_transform(seqs)
    assert vec.set_params(sparse=False).fit_transform(seqs).shape == (2, 4096)


def test_pipeline_cross_val_score_and_column_transformer():
    rng = np.random.default_rng(0)
    seqs = random_sequences(rng, 200, 80)
    y = np.arange(200) % 2
    motif = "TATAAAGG"
    for i in np.flatnonzero(y):
        p = rng.integers(0, 72)
        seqs[i] = seqs[i][:p] + motif + seqs[i][p + 8:]
    pipe = make_pipeline(KmerVectorizer(k=4, normalize="frequency"),
                         LogisticRegression(C=10, max_iter=2000))
    scores = cross_val_score(pipe, seqs, y, cv=StratifiedKFold(5, shuffle=True, random_state=0))
    assert scores.mean() > 0.8
    df = pd.DataFrame({"sequence": seqs, "other": rng.normal(size=200)})
    ct = ColumnTransformer([("kmer", KmerVectorizer(k=3), ["sequence"]),
                            ("comp", CompositionFeatures(features=("gc_content", "CG")),
                             "sequence"),
                            ("num", "passthrough", ["other"])])
    Xt = ct.fit_transform(df)
    assert Xt.shape == (200, 64 + 2 + 1)
    names = ct.get_feature_names_out()
    assert names[0] == "kmer__AAA" and "comp__CG" in names
    ct_scores = cross_val_score(make_pipeline(ct, LogisticRegression(max_iter=2000)), df, y,
                                cv=StratifiedKFold(3, shuffle=True, random_state=0))
    assert ct_scores.mean() > 0.6  # the motif shows in the 3-mer columns too


# ------------------------------------------------------------- CompositionFeatures


def test_composition_known_values():
    comp = CompositionFeatures().fit(["A"])
    names = comp.get_feature_names_out().tolist()
    assert names[:9] == ["length", "gc_content", "A", "C", "G", "T", "N", "cpg_oe", "entropy"]
    assert names[9:] == [a + b for a in "ACGT" for b in "ACGT"]
    X = pd.DataFrame(comp.transform(["CGCG", "ACGT", "AAAA", "ACGTNN", "", "CCGG"]),
                     columns=names)
    assert X["cpg_oe"].tolist() == [2.0, 4.0, 0.0, 6.0, 0.0, 1.0]
    np.testing.assert_allclose(X["entropy"], [1.0, 2.0, 0.0, 2.0, 0.0, 1.0])
    assert X["N"].tolist() == [0, 0, 0, 1 / 3, 0, 0]
    assert X.iloc[4].abs().sum() == 0  # empty sequence: zeros, not NaN
    assert X.loc[0, "CG"] == pytest.approx(2 / 3)
    table = composition_table(["CGCG", "ACGT", "AAAA", "ACGTNN"])
    for col in ("length", "gc_content", "A", "C", "G", "T", "N", "CG", "TT"):
        np.testing.assert_allclose(X[col][:4], table[col])


def test_composition_policies_and_pandas_output():
    seqs = ["ACRN", "acgt"]
    count = CompositionFeatures(features=("N", "A", "lowercase")).fit_transform(seqs)
    skip = CompositionFeatures(features=("N", "A", "lowercase"),
                               alphabet_policy="skip").fit_transform(seqs)
    assert count.tolist() == [[0.5, 0.25, 0.0], [0.0, 0.25, 1.0]]
    assert skip.tolist() == [[0.25, 0.25, 0.0], [0.0, 0.25, 1.0]]
    with pytest.raises(ValueError, match=r"X\[0\] has 'R' at position 2"):
        CompositionFeatures(alphabet_policy="error").fit(seqs)
    out = CompositionFeatures(features=["gc_content", "dinucleotides"]).set_output(
        transform="pandas").fit_transform(pd.Series(seqs, index=["a", "b"]))
    assert out.shape == (2, 17) and out.index.tolist() == ["a", "b"]
    assert out.loc["b", "gc_content"] == 0.5


# ------------------------------------------------------------------ SequenceOneHot


def test_onehot_padding_truncation_and_n():
    enc = SequenceOneHot(flatten=False).fit(["ACGT", "A"])
    assert enc.length_ == 4
    X = enc.transform(["ACGT", "AN", "TTTTTTT"])
    assert X.shape == (3, 4, 4) and X.dtype == np.float32
    np.testing.assert_array_equal(X[0], np.eye(4))
    assert X[1].tolist() == [[1, 0, 0, 0]] + [[0, 0, 0, 0]] * 3
    assert X[2, :, 3].tolist() == [1, 1, 1, 1]

    def letters(x):
        return "".join("ACGT"[r.argmax()] if r.sum() else "." for r in x)

    kw = dict(length=4, flatten=False)
    assert letters(SequenceOneHot(padding="left", **kw).fit_transform(["AC"])[0]) == "..AC"
    assert letters(SequenceOneHot(padding="center", **kw).fit_transform(["AC"])[0]) == ".AC."
    long = ["AACCGGTT"]
    assert letters(SequenceOneHot(**kw).fit_transform(long)[0]) == "AACC"
    assert letters(SequenceOneHot(truncate="left", **kw).fit_transform(long)[0]) == "GGTT"
    assert letters(SequenceOneHot(truncate="center", **kw).fit_transform(long)[0]) == "CCGG"
    quarter = SequenceOneHot(n_value=0.25, flatten=False).fit_transform(["NR", "AC"])
    assert quarter[0].tolist() == [[0.25] * 4] * 2
    skip = SequenceOneHot(n_value=0.25, alphabet_policy="skip", flatten=False)
    assert skip.fit_transform(["NR"])[0].tolist() == [[0.25] * 4, [0.0] * 4]
    flat = SequenceOneHot(n_value=0.25).fit_transform(["ACN", "T"])
    cube = SequenceOneHot(n_value=0.25, flatten=False).fit_transform(["ACN", "T"])
    assert flat.shape == (2, 12) and cube.shape == (2, 3, 4)
    np.testing.assert_array_equal(flat, cube.reshape(2, 12))


def test_onehot_pandas_and_3d_error():
    out = SequenceOneHot(2).set_output(transform="pandas").fit_transform(["AC", "G"])
    assert out.columns.tolist()[:5] == ["pos0_A", "pos0_C", "pos0_G", "pos0_T", "pos1_A"]
    with pytest.raises(ValueError, match="flatten=False gives a 3-D array"):
        SequenceOneHot(flatten=False).set_output(transform="pandas").fit_transform(["AC"])


# --------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize("est", ESTIMATORS, ids=IDS)
def test_bad_inputs(est):
    est = clone(est)
    with pytest.raises(TypeError, match="single str"):
        est.fit("ACGT")
    with pytest.raises(ValueError, match=r"X\[1\] is missing \(NaN/None\)"):
        est.fit(pd.Series(["ACGT", np.nan]))
    with pytest.raises(ValueError, match=r"X\[2\] is missing"):
        est.fit(["ACGT", "A", None])
    with pytest.raises(ValueError, match=r"X\[0\] is of type float"):
        est.fit(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="X has 2 columns"):
        est.fit(pd.DataFrame({"a": ["A"], "b": ["C"]}))
    with pytest.raises(ValueError, match="X has 3 columns"):
        est.fit(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="no sequences"):
        est.fit([])
    with pytest.raises(TypeError, match="sparse input is not supported"):
        est.fit(sparse.csr_matrix(np.ones((3, 1))))
    with pytest.raises(ValueError, match="'alphabet_policy' parameter of .* Got 'strict'"):
        est.set_params(alphabet_policy="strict").fit(["ACGT"])
    est.set_params(alphabet_policy="error")
    with pytest.raises(ValueError, match=r"X\[2\] has '-' at position 1 \(the first character "
                                         r"outside A, C, G, T, U, N\)"):
        est.fit(["ACGT", "acgun", "A-GT", "ACGY"])
    with pytest.raises(ValueError, match=r"X\[0\] has 'é'"):
        est.fit(["Aé"])
    assert est.fit(["ACGUN", "acgun", ""]) is est


def test_bad_parameters_one_error_form():
    """Details of the checks beyond the declarative ones (the full table: test_audit_parameters)."""
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"'k' parameter of KmerVectorizer must be an "
                                                    r"int in the range \[1, 12\]. Got 13"):
        KmerVectorizer(k=13).fit(["ACGT"])
    with pytest.raises(InvalidParameterError, match="unknown name 'gc'"):
        CompositionFeatures(features=("gc",)).fit(["ACGT"])
    with pytest.raises(InvalidParameterError, match="no repeats"):
        CompositionFeatures(features=("CG", "dinucleotides")).fit(["ACGT"])
    with pytest.raises(InvalidParameterError, match="'dtype' parameter of SequenceOneHot"):
        SequenceOneHot(dtype="banana").fit(["ACGT"])
    # kmer_count_matrix is a function: its own message.
    with pytest.raises(ValueError, match="k=13 must be an integer from 1 to 12"):
        kmer_count_matrix(pack_sequences(["ACGT"]), 13)
