"""Conformance suite every splitter exported from skgenqc.model_selection passes.

Splitters are discovered from ``skgenqc.model_selection.__all__``; a new one fails
``test_every_exported_splitter_is_covered`` until it has a row in ``CASES`` (how to
build it with default settings and what its ``groups`` hold) and a guarantee test.
"""

import ast
import inspect
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.utils._param_validation import InvalidParameterError

import skgenqc.model_selection as ms
from conftest import mutate, random_sequences
from skgenqc._core.genome import chromosome_family, normalize_chromosome
from skgenqc.features.similarity import find_similar_pairs
from skgenqc.model_selection import BaseGenomicSplitter

PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
QUIET = pytest.mark.filterwarnings("ignore::UserWarning")


def exported_splitters():
    out = []
    for name in ms.__all__:
        obj = getattr(ms, name)
        if inspect.isclass(obj) and hasattr(obj, "split") and not name.startswith("Base"):
            out.append(obj)
    return out


# --------------------------------------------------------------------------- data per kind
N = 160
CHROMS = ["chr1", "1", "chr2", "Chr3", "chr4", "5", "chr6", "chrX", "chr10", "chr11",
          "chr1_KI270706v1_random", "MT"]


def _labels(rng, n):
    return (rng.random(n) < 0.4).astype(int)


def group_data(rng):
    groups = rng.integers(0, 30, N)
    return rng.normal(size=(N, 3)), _labels(rng, N), groups


def chromosome_data(rng):
    groups = np.array(CHROMS, dtype=object)[np.r_[np.arange(len(CHROMS)),
                                                  rng.integers(0, len(CHROMS), N - len(CHROMS))]]
    return rng.normal(size=(N, 3)), _labels(rng, N), groups


def coordinate_data(rng):
    start = rng.integers(0, 3_000_000, N)
    coords = pd.DataFrame({"chrom": rng.choice(["chr1", "2", "chr3"], N), "start": start,
                           "end": start + rng.integers(0, 2_000, N)})
    return rng.normal(size=(N, 3)), _labels(rng, N), coords


def protein_pairs(rng, n_modules=12, size=8, p=0.5, bridges=4):
    """Protein-protein pairs as integer ids, either orientation: most proteins in both columns."""
    pairs = [(m * size + i, m * size + j) for m in range(n_modules) for i in range(size)
             for j in range(i) if rng.random() < p]
    pairs += [tuple(rng.integers(0, n_modules * size, 2)) for _ in range(bridges)]
    pairs = np.array(pairs, dtype=np.int64)
    flip = rng.random(len(pairs)) < 0.5
    pairs[flip] = pairs[flip][:, ::-1]
    return pairs[rng.permutation(len(pairs))]


def pair_data(rng):
    pairs = protein_pairs(rng)
    return rng.normal(size=(len(pairs), 3)), _labels(rng, len(pairs)), pairs


def sequence_data(rng):
    seqs = random_sequences(rng, N, 60)
    for i in range(0, 40, 2):
        seqs[i + 1] = mutate(rng, seqs[i], 0.95)
    return rng.normal(size=(N, 3)), _labels(rng, N), seqs


KINDS = {"groups": group_data, "chromosomes": chromosome_data, "coordinates": coordinate_data,
         "pairs": pair_data, "sequences": sequence_data}

# Each exported splitter with default settings (only what the data forces is given).
CASES = {
    ms.BalancedGroupKFold: (lambda: ms.BalancedGroupKFold(), "groups"),
    ms.RepeatedBalancedGroupKFold: (lambda: ms.RepeatedBalancedGroupKFold(n_repeats=2), "groups"),
    ms.ChromosomeKFold: (lambda: ms.ChromosomeKFold(), "chromosomes"),
    ms.LeaveOneChromosomeOut: (lambda: ms.LeaveOneChromosomeOut(), "chromosomes"),
    ms.ChromosomeHoldout: (lambda: ms.ChromosomeHoldout(preset="grelu"), "chromosomes"),
    ms.GenomicBlockKFold: (lambda: ms.GenomicBlockKFold(), "coordinates"),
    ms.PairKFold: (lambda: ms.PairKFold(), "pairs"),
    ms.SimilarityGroupKFold: (lambda: ms.SimilarityGroupKFold(), "sequences"),
}
SPLITTERS = exported_splitters()
ids = [cls.__name__ for cls in SPLITTERS]


def _case(cls, seed=0):
    make, kind = CASES[cls]
    X, y, groups = KINDS[kind](np.random.default_rng(seed))
    return make, X, y, groups


def _splits(cv, X, y, groups):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return list(cv.split(X, y, groups))


# --------------------------------------------------------------------------- discovery
def test_every_exported_splitter_is_covered():
    assert SPLITTERS, "no splitter discovered"
    missing = [cls.__name__ for cls in SPLITTERS if cls not in CASES]
    assert not missing, f"add these splitters to CASES and GUARANTEES: {missing}"
    assert not [c.__name__ for c in SPLITTERS if c not in GUARANTEES]
    for cls in SPLITTERS:
        assert issubclass(cls, BaseGenomicSplitter), cls


def test_splitter_modules_import_no_private_names_from_each_other():
    folder = Path(ms.__file__).parent
    offenders = []
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = node.module or ""
            inside = node.level > 0 or module.startswith("skgenqc.model_selection")
            if inside and not module.endswith("_base"):
                offenders += [f"{path.name}: {alias.name} from {module}" for alias in node.names
                              if alias.name.startswith("_")]
    assert not offenders, offenders


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_defaults_are_repeatable_and_agree(cls):
    params = inspect.signature(cls.__init__).parameters
    if "random_state" in params:
        assert params["random_state"].default == 0
    if "stratify" in params:
        assert params["stratify"].default == "auto"


# --------------------------------------------------------------------------- sklearn contract
@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_clone_round_trip(cls):
    make, X, y, groups = _case(cls)
    cv = make()
    copy = clone(cv)
    assert copy is not cv and type(copy) is cls
    assert copy.get_params() == cv.get_params() and repr(copy) == repr(cv)
    for (tr1, te1), (tr2, te2) in zip(_splits(cv, X, y, groups), _splits(copy, X, y, groups)):
        np.testing.assert_array_equal(tr1, tr2)
        np.testing.assert_array_equal(te1, te2)


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_get_and_set_params(cls):
    make, *_ = _case(cls)
    params = make().get_params(deep=False)
    assert set(params) == set(inspect.signature(cls.__init__).parameters) - {"self"}
    other = cls().set_params(**params) if cls is not ms.ChromosomeHoldout else \
        cls(test="chr9").set_params(**params)
    assert other.get_params(deep=False) == params
    with pytest.raises(InvalidParameterError, match="not a parameter of " + cls.__name__):
        other.set_params(no_such_parameter=1)


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_groups_are_routed_through_cross_val_score(cls):
    make, X, y, groups = _case(cls)
    cv = make()
    assert cv.get_metadata_routing().split.requests["groups"] is True
    expected = _splits(cv, X, y, groups)
    seen = []

    class Recorder(LogisticRegression):
        def fit(self, X, y, **kw):
            seen.append(len(X))
            return super().fit(X, y)

    with sklearn.config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        scores = cross_val_score(Recorder(), X, y, cv=cv, params={"groups": groups})
    assert len(scores) == len(expected) == cv.get_n_splits(X, y, groups)
    assert sorted(seen) == sorted(len(tr) for tr, _ in expected)   # the splitter's own folds


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_default_settings_give_the_same_folds_twice(cls):
    make, X, y, groups = _case(cls)
    first, second = _splits(make(), X, y, groups), _splits(make(), X, y, groups)
    assert len(first) == len(second) > 0
    for (tr1, te1), (tr2, te2) in zip(first, second):
        np.testing.assert_array_equal(tr1, tr2)
        np.testing.assert_array_equal(te1, te2)


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_train_and_test_are_disjoint(cls):
    make, X, y, groups = _case(cls)
    n = len(X)
    splits = _splits(make(), X, y, groups)
    assert len(splits) == make().get_n_splits(X, y, groups)
    for train, test in splits:
        assert len(train) and len(test)
        assert not np.intersect1d(train, test).size
        assert train.min() >= 0 and max(train.max(), test.max()) < n
        assert len(np.unique(train)) == len(train) and len(np.unique(test)) == len(test)


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_roles_agree_with_split(cls):
    make, X, y, groups = _case(cls)
    cv = make()
    splits = _splits(cv, X, y, groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        roles = cv.roles(X, y, groups)
    assert isinstance(roles, pd.DataFrame) and roles.shape == (len(X), len(splits))
    assert list(roles.columns) == [f"split_{i}" for i in range(len(splits))]
    assert set(np.unique(roles.to_numpy())) <= {"train", "test", "excluded"}
    for i, (train, test) in enumerate(splits):
        role = roles[f"split_{i}"].to_numpy()
        np.testing.assert_array_equal(np.flatnonzero(role == "train"), train)
        np.testing.assert_array_equal(np.flatnonzero(role == "test"), test)
        rest = np.setdiff1d(np.arange(len(X)), np.r_[train, test])
        np.testing.assert_array_equal(np.flatnonzero(role == "excluded"), rest)


def _bad_values(cls):
    """(parameter, bad value) pairs: a foreign object for every parameter, plus the usual."""
    names = inspect.signature(cls.__init__).parameters
    bad = [(name, object()) for name in names if name != "self"]
    bad += [(n, v) for n, v in [("n_splits", 1), ("n_splits", "3"), ("n_splits", 2.5),
                                ("shuffle", "yes"), ("stratify", "yes"), ("random_state", "0"),
                                ("n_repeats", 0)] if n in names]
    return bad


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_bad_parameters_raise_invalid_parameter_error(cls):
    make, X, y, groups = _case(cls)
    for name, value in _bad_values(cls):
        cv = make().set_params(**{name: value})   # the constructor and set_params only store
        match = rf"The '{name}' parameter of {cls.__name__} must be .* Got .* instead\."
        with pytest.raises(InvalidParameterError, match=match):
            cv.get_n_splits(X, y, groups)
        with pytest.raises(InvalidParameterError, match=match):
            next(cv.split(X, y, groups))
        with pytest.raises(InvalidParameterError, match=match):
            cv.roles(X, y, groups)


# --------------------------------------------------------------------------- guarantees
@st.composite
def drawn_groups(draw):
    groups = np.array(draw(st.lists(st.integers(0, 12), min_size=10, max_size=80)))
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=len(groups), max_size=len(groups))))
    return np.zeros((len(groups), 1)), y, groups


def _guarantee_groups(make):
    @PROPERTY
    @given(data=drawn_groups(), k=st.integers(2, 4))
    def check(data, k):
        X, y, groups = data
        assume(len(set(groups.tolist())) >= k)
        for train, test in _splits(make(k), X, y, groups):
            assert not set(groups[train]) & set(groups[test])
    check()


@st.composite
def drawn_chromosomes(draw):
    names = draw(st.lists(st.sampled_from(CHROMS), min_size=6, max_size=60))
    return np.zeros((len(names), 1)), np.arange(len(names)) % 2, np.array(names, dtype=object)


def _guarantee_chromosomes(make):
    @PROPERTY
    @given(data=drawn_chromosomes())
    def check(data):
        X, y, chroms = data
        family = chromosome_family(chroms)
        assume(len(set(family)) >= 4 and {"chr10", "chr11"} <= set(family))
        for train, test in _splits(make(), X, y, chroms):
            assert not set(family[train]) & set(family[test])
    check()


@st.composite
def drawn_coordinates(draw):
    n = draw(st.integers(6, 50))
    chrom = draw(st.lists(st.sampled_from(["chr1", "1", "chr2"]), min_size=n, max_size=n))
    start = np.array(draw(st.lists(st.integers(0, 30_000), min_size=n, max_size=n)))
    end = start + np.array(draw(st.lists(st.integers(0, 800), min_size=n, max_size=n)))
    return np.zeros((n, 1)), None, pd.DataFrame({"chrom": chrom, "start": start, "end": end})


def _guarantee_gap(cls):
    @PROPERTY
    @given(data=drawn_coordinates(), gap=st.integers(0, 4_000), seed=st.integers(0, 100))
    def check(data, gap, seed):
        X, y, coords = data
        chrom = normalize_chromosome(coords["chrom"])
        start, end = coords["start"].to_numpy(), coords["end"].to_numpy()
        cv = cls(2, block_size=2_000, gap=gap, random_state=seed)
        try:
            splits = _splits(cv, X, y, coords)
        except ValueError as err:
            assert "block(s)" in str(err) or "no training samples" in str(err)
            return
        for train, test in splits:
            same = chrom[train][:, None] == chrom[test][None, :]
            dist = np.maximum(0, np.maximum(start[train][:, None], start[test][None, :])
                              - np.minimum(end[train][:, None], end[test][None, :]))
            assert not (same & (dist <= gap)).any(), "a training sample within gap of test"
    check()


@st.composite
def drawn_protein_pairs(draw):
    n_proteins = draw(st.integers(8, 40))
    n = draw(st.integers(10, 80))
    a = draw(st.lists(st.integers(0, n_proteins - 1), min_size=n, max_size=n))
    b = draw(st.lists(st.integers(0, n_proteins - 1), min_size=n, max_size=n))
    return np.zeros((n, 1)), None, np.c_[a, b]


def _guarantee_pairs(cls):
    @PROPERTY
    @given(data=drawn_protein_pairs(), k=st.integers(2, 3), seed=st.integers(0, 100))
    def check(data, k, seed):
        X, y, pairs = data
        try:
            splits = _splits(cls(k, random_state=seed), X, y, pairs)   # C3, homogeneous="auto"
        except ValueError as err:
            assert "leaves fold" in str(err) or "greater than the number" in str(err)
            return
        for train, test in splits:
            assert not set(pairs[train].ravel()) & set(pairs[test].ravel())
    check()


@st.composite
def drawn_sequences(draw):
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(8, 30))
    seqs = random_sequences(rng, n, draw(st.integers(30, 80)))
    for i in draw(st.lists(st.integers(0, n - 2), max_size=8)):
        seqs[i + 1] = mutate(rng, seqs[i], draw(st.sampled_from([0.8, 0.9, 0.97, 1.0])))
    return np.zeros((n, 1)), None, seqs


def _guarantee_similarity(cls):
    @PROPERTY
    @given(data=drawn_sequences(), threshold=st.sampled_from([0.8, 0.9]))
    def check(data, threshold):
        X, y, seqs = data
        try:
            splits = _splits(cls(2, threshold=threshold), X, y, seqs)
        except ValueError as err:
            assert "similarity group" in str(err)
            return
        for train, test in splits:
            cross = find_similar_pairs([seqs[i] for i in test], [seqs[i] for i in train],
                                       threshold=threshold)
            assert len(cross) == 0, cross
    check()


GUARANTEES = {
    ms.BalancedGroupKFold: lambda: _guarantee_groups(lambda k: ms.BalancedGroupKFold(k)),
    ms.RepeatedBalancedGroupKFold: lambda: _guarantee_groups(
        lambda k: ms.RepeatedBalancedGroupKFold(k, n_repeats=2)),
    ms.ChromosomeKFold: lambda: _guarantee_chromosomes(lambda: ms.ChromosomeKFold(3)),
    ms.LeaveOneChromosomeOut: lambda: _guarantee_chromosomes(ms.LeaveOneChromosomeOut),
    ms.ChromosomeHoldout: lambda: _guarantee_chromosomes(
        lambda: ms.ChromosomeHoldout(preset="grelu")),
    ms.GenomicBlockKFold: lambda: _guarantee_gap(ms.GenomicBlockKFold),
    ms.PairKFold: lambda: _guarantee_pairs(ms.PairKFold),
    ms.SimilarityGroupKFold: lambda: _guarantee_similarity(ms.SimilarityGroupKFold),
}


@pytest.mark.parametrize("cls", SPLITTERS, ids=ids)
def test_documented_guarantee_on_generated_data(cls):
    GUARANTEES[cls]()


# --------------------------------------------------------------------------- PairKFold auto
def test_pairkfold_auto_pools_shared_protein_ids_and_c3_shares_no_protein():
    # Integer protein ids, pairs drawn at random (no module structure to hide behind).
    rng = np.random.default_rng(0)
    pairs = np.unique(np.sort(rng.integers(0, 400, (1200, 2)), axis=1), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    flip = rng.random(len(pairs)) < 0.5
    pairs[flip] = pairs[flip][:, ::-1]
    both = set(pairs[:, 0].tolist()) & set(pairs[:, 1].tolist())
    assert len(both) >= 300       # adversarial: hundreds of proteins in both columns
    X = np.zeros((len(pairs), 1))
    with pytest.warns(UserWarning, match=r"homogeneous='auto'.*one id space.*homogeneous=True"):
        splits = list(ms.PairKFold(5).split(X, None, pairs))
    for train, test in splits:
        shared = set(pairs[train].ravel().tolist()) & set(pairs[test].ravel().tolist())
        assert len(shared) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)   # an explicit choice silences the warning
        warnings.filterwarnings("ignore", message=".*never tested")
        confirmed = list(ms.PairKFold(5, homogeneous=True).split(X, None, pairs))
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(splits, confirmed))
    # The flaw "auto" prevents: two id spaces let hundreds of proteins sit on both sides.
    naive = _splits(ms.PairKFold(5, homogeneous=False), X, None, pairs)
    leaked = [len(set(pairs[tr].ravel().tolist()) & set(pairs[te].ravel().tolist()))
              for tr, te in naive]
    assert min(leaked) > 50


def test_pairkfold_auto_keeps_disjoint_columns_apart_without_warning():
    pairs = np.array([[f"mir{i % 7}", f"gene{i % 11}"] for i in range(60)])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", message=".*never tested")
        auto = ms.PairKFold(3, mode="C2").roles(np.zeros((60, 1)), None, pairs)
    explicit = ms.PairKFold(3, mode="C2", homogeneous=False).roles(np.zeros((60, 1)), None, pairs)
    pd.testing.assert_frame_equal(auto, explicit)
    assert ms.shared_ids(pairs).size == 0


def test_assignment_still_matches_roles():
    rng = np.random.default_rng(3)
    pairs = protein_pairs(rng)
    X = np.zeros((len(pairs), 1))
    cv = ms.PairKFold(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table, roles = cv.assignment(X, None, pairs), cv.roles(X, None, pairs)
    for column in roles.columns:
        mapped = table[column].map(lambda r: {"train": "train", "dropped": "excluded"}.get(r, "test"))
        assert mapped.tolist() == roles[column].tolist()
