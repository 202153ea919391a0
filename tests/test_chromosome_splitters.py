"""Chromosome and genomic-block splitters: properties, real data, sklearn tools, bad inputs."""

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate, permutation_test_score

from skgenqc.io import parse_coordinates, read_genomic_benchmark
from skgenqc.model_selection.blocks import GenomicBlockKFold
from skgenqc.model_selection.chromosome import (
    ChromosomeHoldout,
    ChromosomeKFold,
    LeaveOneChromosomeOut,
    chromosome_family,
    normalize_chromosome,
)

PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
NAMES = ["chr1", "1", "Chr2", "chr3", "X", "chrY", "MT", "chr1_KI270706v1_random",
         "chrUn_KI270302v1", "GL000009.2", "chr4", "5", "chr6_GL000250v2_alt"]


def _splits(cv, X, y=None, groups=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # oversized chromosomes/blocks
        return list(cv.split(X, y, groups))


def _assert_partition(splits, n):
    tested = np.concatenate([test for _, test in splits])
    assert np.array_equal(np.sort(tested), np.arange(n)), "each sample tested exactly once"
    for train, test in splits:
        assert len(test) and not np.intersect1d(train, test).size


def _brute_near(train, test, chrom, start, end, gap):
    """Train samples within gap of a test sample on the same chromosome, pair by pair."""
    same = chrom[train][:, None] == chrom[test][None, :]
    dist = np.maximum(0, np.maximum(start[train][:, None], start[test][None, :])
                      - np.minimum(end[train][:, None], end[test][None, :]))
    return (same & (dist <= gap)).any(axis=1)


# --- names -----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, canonical, family", [
    ("1", "chr1", "chr1"), ("chr1", "chr1", "chr1"), ("CHR01", "chr1", "chr1"), (7, "chr7", "chr7"),
    ("x", "chrX", "chrX"), ("chrY", "chrY", "chrY"), ("MT", "chrM", "chrM"),
    ("chrMT", "chrM", "chrM"), ("M", "chrM", "chrM"),
    ("chr1_KI270706v1_random", "chr1_KI270706v1_random", "chr1"),
    ("chr6_GL000250v2_alt", "chr6_GL000250v2_alt", "chr6"),
    ("chrUn_KI270302v1", "chrUn_KI270302v1", "chrUn"), ("GL000009.2", "GL000009.2", "chrUn"),
    ("KI270302.1", "KI270302.1", "chrUn"), ("HLA-A*01:01:01:01", "HLA-A*01:01:01:01", "chr6"),
    ("chrEBV", "chrEBV", "chrEBV"), ("CM000663.2", "CM000663.2", "CM000663.2"),
])
def test_normalize_and_family(raw, canonical, family):
    assert normalize_chromosome([raw]).tolist() == [canonical]
    assert chromosome_family([raw]).tolist() == [family]
    if isinstance(raw, str):
        assert normalize_chromosome(raw) == canonical and chromosome_family(raw) == family


def test_whole_number_floats_from_csv_are_chromosome_numbers():
    assert normalize_chromosome(pd.Series([1.0, 2, "3"])).tolist() == ["chr1", "chr2", "chr3"]


# --- properties ------------------------------------------------------------------------------

@PROPERTY
@given(labels=st.lists(st.sampled_from(NAMES), min_size=4, max_size=60),
       n_splits=st.integers(2, 5), stratify=st.booleans(), shuffle=st.booleans(),
       seed=st.integers(0, 2**16))
def test_chromosome_kfold_properties(labels, n_splits, stratify, shuffle, seed):
    families = chromosome_family(labels)
    assume(len(set(families)) >= n_splits)
    y = np.arange(len(labels)) % 2
    cv = ChromosomeKFold(n_splits, stratify=stratify, shuffle=shuffle, random_state=seed)
    splits = _splits(cv, np.zeros((len(labels), 1)), y, labels)
    assert len(splits) == cv.get_n_splits() == n_splits
    _assert_partition(splits, len(labels))
    for train, test in splits:
        assert len(train) + len(test) == len(labels)
        assert not set(families[train]) & set(families[test])
    again = _splits(cv, np.zeros((len(labels), 1)), y, labels)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(splits, again))


@PROPERTY
@given(labels=st.lists(st.sampled_from(NAMES), min_size=2, max_size=40))
def test_leave_one_chromosome_out_properties(labels):
    families = chromosome_family(labels)
    assume(len(set(families)) >= 2)
    cv = LeaveOneChromosomeOut()
    splits = _splits(cv, np.zeros((len(labels), 1)), None, labels)
    assert len(splits) == cv.get_n_splits(groups=labels) == len(set(families))
    _assert_partition(splits, len(labels))
    for _, test in splits:
        assert len(set(families[test])) == 1


@st.composite
def genomic_samples(draw):
    n = draw(st.integers(4, 50))
    chrom = draw(st.lists(st.sampled_from(["chr1", "1", "chr2", "X"]), min_size=n, max_size=n))
    start = np.array(draw(st.lists(st.integers(0, 20_000), min_size=n, max_size=n)))
    length = np.array(draw(st.lists(st.integers(0, 600), min_size=n, max_size=n)))
    return np.array(chrom, dtype=object), start, start + length


@PROPERTY
@given(data=genomic_samples(), n_splits=st.integers(2, 4),
       block_size=st.sampled_from([100, 1_000, 5_000]),
       gap=st.one_of(st.none(), st.integers(0, 3_000)), seed=st.integers(0, 1000),
       points=st.booleans())
def test_genomic_block_kfold_properties(data, n_splits, block_size, gap, seed, points):
    chrom, start, end = data
    if points:
        end = start
        groups = np.column_stack([chrom, start])
    else:
        groups = pd.DataFrame({"chrom": chrom, "start": start, "end": end})
    canon = normalize_chromosome(chrom)
    blocks = {(c, (s + e) // 2 // block_size) for c, s, e in zip(canon, start, end)}
    assume(len(blocks) >= n_splits)
    cv = GenomicBlockKFold(n_splits, block_size=block_size, gap=gap, random_state=seed)
    try:
        splits = _splits(cv, np.zeros((len(chrom), 1)), None, groups)
    except ValueError as err:  # a gap that swallows a whole training set is reported, not hidden
        assert "no training samples" in str(err)
        return
    _assert_partition(splits, len(chrom))
    for train, test in splits:
        # A block is never on both sides.
        block = [(c, (s + e) // 2 // block_size) for c, s, e in zip(canon, start, end)]
        assert not {block[i] for i in train} & {block[i] for i in test}
        # Train is exactly the complement of test minus the samples within gap of test.
        rest = np.setdiff1d(np.arange(len(chrom)), test)
        dropped = (np.zeros(len(rest), bool) if gap is None
                   else _brute_near(rest, test, canon, start, end, gap))
        assert np.array_equal(train, rest[~dropped])


def test_gap_semantics_on_a_hand_made_example():
    groups = pd.DataFrame({"chrom": ["chr1"] * 4 + ["chr2"],
                           "start": [0, 1_000, 1_100, 1_400, 1_000],
                           "end": [100, 1_100, 1_300, 1_500, 1_100]})
    # Blocks of 1 kb: sample 0 alone in chr1:0-1000, the rest of chr1 in the next block.
    cv = GenomicBlockKFold(2, block_size=1_000, shuffle=False)
    folds = {tuple(te): tr.tolist() for tr, te in _splits(cv, np.zeros((5, 1)), None, groups)}
    assert sorted(map(sorted, folds)) == [[0, 4], [1, 2, 3]]
    # Distances from sample 0 (chr1:0-100): 900, 1000 and 1300 bp; chr2 is never near.
    for gap, train in [(None, [1, 2, 3]), (0, [1, 2, 3]), (899, [1, 2, 3]), (900, [2, 3]),
                       (999, [2, 3]), (1_000, [3])]:
        cv.set_params(gap=gap)
        splits = {tuple(te): tr.tolist() for tr, te in _splits(cv, np.zeros((5, 1)), None, groups)}
        assert splits[(0, 4)] == train, gap
        assert splits[(1, 2, 3)] == ([0, 4] if gap is None or gap < 900 else [4]), gap
    # Touching intervals (end == start) are 0 bp apart: dropped even with gap=0, kept with None.
    touching = [["chr1", 0, 100], ["chr1", 100, 200], ["chr1", 5_000, 5_100],
                ["chr1", 5_200, 5_300]]
    for gap, kept in [(0, False), (None, True)]:
        cv = GenomicBlockKFold(2, block_size=100, gap=gap, shuffle=False)
        splits = _splits(cv, np.zeros((4, 1)), None, touching)
        separating = [(tr, te) for tr, te in splits if 0 in te and 1 not in te]
        assert separating and (1 in separating[0][0]) == kept


def test_coordinate_strings_are_accepted():
    coords = ["chr1:0-100", "chr1:5000-5100", "2:0-10", "chr2:9000-9100"]
    splits = _splits(GenomicBlockKFold(2, block_size=1_000, shuffle=False),
                     np.zeros((4, 1)), None, coords)
    _assert_partition(splits, 4)
    splits = _splits(ChromosomeKFold(2), np.zeros((4, 1)), None, coords)
    assert sorted(te.tolist() for _, te in splits) == [[0, 1], [2, 3]]


def test_determinism_under_random_state():
    rng = np.random.default_rng(0)
    groups = np.column_stack([rng.choice(["chr1", "chr2", "chr3"], 300),
                              rng.integers(0, 10_000_000, 300)]).astype(object)
    X = np.zeros((300, 1))

    def tests(seed):
        return [te.tolist() for _, te in GenomicBlockKFold(5, random_state=seed).split(X, None,
                                                                                      groups)]
    assert tests(3) == tests(3)
    assert tests(3) != tests(4)


# --- named hold-outs -------------------------------------------------------------------------

def test_holdout_presets_and_validation():
    chroms = ["chr1", "6", "chr7", "chr8", "9", "chr10", "11", "chr8_KI270810v1_alt", "chrX"]
    X = np.zeros((len(chroms), 1))
    train, valid, test = ChromosomeHoldout(preset="selene").split_with_validation(X, None, chroms)
    assert (train.tolist(), valid.tolist(), test.tolist()) == ([0, 5, 6, 8], [1, 2], [3, 4, 7])
    cv = ChromosomeHoldout(preset="grelu")
    assert cv.get_n_splits() == 1
    [(train, test)] = list(cv.split(X, None, chroms))
    assert test.tolist() == [6] and 5 not in train and len(train) == len(chroms) - 2
    [(train, test)] = list(ChromosomeHoldout(test=["8"]).split(X, None, chroms))
    assert test.tolist() == [3, 7] and len(train) == len(chroms) - 2
    _, valid, _ = ChromosomeHoldout(test="chr1").split_with_validation(X, None, chroms)
    assert valid.size == 0


# --- real data -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fantom5(shared_data):
    table = pd.read_csv(shared_data / "ml_pitfalls" / "cage-k562-labels-hg38.csv")
    return parse_coordinates(table["coord"]), table["k562"].to_numpy()


def _fold_stats(cv, coords, y):
    splits = _splits(cv, np.zeros((len(y), 1)), y, coords)
    sizes = np.array([len(te) for _, te in splits])
    deviation = max(abs(y[te].mean() - y.mean()) for _, te in splits)
    return splits, sizes.max() / sizes.min(), deviation


def test_fantom5_chromosome_folds_are_balanced(fantom5):
    coords, y = fantom5
    splits, ratio, deviation = _fold_stats(ChromosomeKFold(5, stratify=False),
                                           coords["chrom"], y)
    _assert_partition(splits, len(y))
    print(f"FANTOM5 K562 ChromosomeKFold(5): max/min fold size {ratio:.3f}, "
          f"max prevalence deviation {deviation:.4f} (overall {y.mean():.4f})")
    assert ratio <= 1.3
    _, ratio_s, deviation_s = _fold_stats(ChromosomeKFold(5, stratify=True), coords["chrom"], y)
    print(f"stratified: max/min {ratio_s:.3f}, max prevalence deviation {deviation_s:.4f}")
    assert ratio_s <= 1.3 and deviation_s <= 0.15 * y.mean() and deviation_s < deviation


def test_fantom5_block_folds_keep_gap(fantom5):
    coords, y = fantom5
    gap = 10_000
    cv = GenomicBlockKFold(5, gap=gap, random_state=0, stratify=True)
    splits, ratio, deviation = _fold_stats(cv, coords, y)
    _assert_partition(splits, len(y))
    assert ratio <= 1.01 and deviation <= 0.05 * y.mean()
    chrom = normalize_chromosome(coords["chrom"])
    start, end = coords["start"].to_numpy(), coords["end"].to_numpy()
    rng = np.random.default_rng(0)
    for train, test in splits[:2]:
        assert len(train) < len(y) - len(test)  # some neighbours were dropped
        sample = rng.choice(train, 300, replace=False)
        assert not _brute_near(sample, test, chrom, start, end, gap).any()


def test_nontata_promoters_chromosome_folds(shared_data):
    data = read_genomic_benchmark(shared_data / "genomic_benchmarks" / "human_nontata_promoters")
    y = (data["label"] == "positive").to_numpy().astype(int)
    splits, ratio, deviation = _fold_stats(ChromosomeKFold(5, stratify=False), data, y)
    _assert_partition(splits, len(y))
    assert ratio <= 1.2
    # Label shares differ a lot between chromosomes here (chrX 17% positive, chr13 100%), so
    # stratification can only narrow, not close, the gap between folds.
    _, ratio_s, deviation_s = _fold_stats(ChromosomeKFold(5, stratify=True), data, y)
    print(f"nontata: max/min {ratio:.3f}/{ratio_s:.3f}, "
          f"deviation {deviation:.3f}/{deviation_s:.3f}")
    assert deviation_s < deviation and ratio_s <= 1.2


# --- sklearn integration ---------------------------------------------------------------------

@pytest.fixture(params=[False, True], ids=["no-routing", "routing"])
def routing(request):
    with sklearn.config_context(enable_metadata_routing=request.param):
        yield request.param


def _small_problem():
    rng = np.random.default_rng(1)
    n = 200
    chrom = rng.choice(["chr1", "chr2", "3", "chr4", "chrX", "chr5"], n)
    pos = rng.integers(0, 5_000_000, n)
    X = rng.normal(size=(n, 3))
    y = (X[:, 0] + rng.normal(scale=0.3, size=n) > 0).astype(int)
    return X, y, chrom, pd.DataFrame({"chrom": chrom, "start": pos, "end": pos + 200})


SPLITTERS = [
    (ChromosomeKFold(3, stratify=True), "chrom"),
    (LeaveOneChromosomeOut(), "chrom"),
    (ChromosomeHoldout(test=["chr1"], validation="chr2"), "chrom"),
    (GenomicBlockKFold(3, block_size=500_000, gap=50_000, random_state=0), "coords"),
]


@pytest.mark.parametrize("cv, kind", SPLITTERS, ids=lambda v: type(v).__name__)
def test_sklearn_tools_accept_the_splitters(cv, kind, routing):
    X, y, chrom, coords = _small_problem()
    groups = chrom if kind == "chrom" else coords
    n = cv.get_n_splits(X, y, groups)
    route = {"params": {"groups": groups}} if routing else {"groups": groups}
    scores = cross_validate(LogisticRegression(), X, y, cv=cv, **route)
    assert len(scores["test_score"]) == n and np.all(scores["test_score"] > 0.5)
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=cv)
    search.fit(X, y, groups=groups)
    assert search.n_splits_ == n
    if routing or kind == "chrom":  # without routing sklearn permutes y within groups values
        score, perms, pvalue = permutation_test_score(
            LogisticRegression(), X, y, cv=cv, n_permutations=5, random_state=0, **route)
        assert score > perms.mean() and 0 < pvalue <= 1


@pytest.mark.parametrize("cv, kind", SPLITTERS, ids=lambda v: type(v).__name__)
def test_clone_and_repr(cv, kind):
    copy = clone(cv)
    assert type(copy) is type(cv) and copy.get_params() == cv.get_params()
    assert repr(copy) == repr(cv)
    search = clone(GridSearchCV(LogisticRegression(), {"C": [1.0]}, cv=cv))
    assert search.cv.get_params() == cv.get_params()


# --- bad inputs ------------------------------------------------------------------------------

X4 = np.zeros((4, 1))


@pytest.mark.parametrize("cv, groups, y, error, match", [
    (ChromosomeKFold(5), ["chr1", "chr2", "3", "chr1"], None, ValueError,
     r"n_splits=5 but groups holds only 3 chromosome\(s\).*chr1, chr2, chr3"),
    (ChromosomeKFold(2), ["chr1", np.nan, "chr2", "chr3"], None, ValueError,
     r"groups\[1\] is missing"),
    (ChromosomeKFold(2), np.zeros((4, 5)), None, ValueError, r"got shape \(4, 5\)"),
    (ChromosomeKFold(2), ["chr1", "chr2"], None, ValueError, r"inconsistent numbers of samples"),
    (ChromosomeKFold(2), None, None, ValueError, r"'groups' parameter should not be None"),
    (ChromosomeKFold(1), ["chr1", "chr2", "chr3", "chr4"], None, ValueError, r"n_splits"),
    (ChromosomeKFold(2.5), ["chr1", "chr2", "chr3", "chr4"], None, TypeError, r"n_splits"),
    (ChromosomeKFold(2, stratify=True), ["chr1", "chr2", "chr3", "chr4"], None, ValueError,
     r"stratify=True needs class labels y"),
    (ChromosomeHoldout(preset="enformer"), ["chr1"] * 4, None, ValueError,
     r"preset='enformer' is not a known preset.*grelu.*selene"),
    (ChromosomeHoldout(test=["chr8", "chr22"]), ["chr1", "8", "chr2", "chr3"], None, ValueError,
     r"test chromosome\(s\) chr22 .*not found in groups, which holds: chr1, chr2, chr3, chr8"),
    (ChromosomeHoldout(test="chr1", validation=["chr9"]), ["chr1", "8", "chr2", "chr3"], None,
     ValueError, r"validation chromosome\(s\) chr9"),
    (ChromosomeHoldout(preset="grelu", test="chr1"), ["chr1"] * 4, None, ValueError,
     r"either preset"),
    (ChromosomeHoldout(), ["chr1"] * 4, None, ValueError, r"needs test chromosomes"),
    (ChromosomeHoldout(test=["chr1", "chr2"]), ["chr1", "chr2", "1", "2"], None, ValueError,
     r"nothing is left for training"),
    (ChromosomeHoldout(test={"chr1": 1}), ["chr1"] * 4, None, TypeError,
     r"The 'test' parameter of ChromosomeHoldout must be None, an instance of 'str'"),
    (GenomicBlockKFold(2), [["chr1", 1], ["chr1", -5], ["chr2", 3], ["chr2", 4]], None,
     ValueError, r"groups\[1\] has negative position -5"),
    (GenomicBlockKFold(2), [["chr1", 1, 5], ["chr1", 9, 2], ["chr2", 3, 4], ["chr2", 4, 5]],
     None, ValueError, r"groups\[1\] has end < start \(9-2\)"),
    (GenomicBlockKFold(2), [["chr1", 1], ["chr1", np.nan], ["chr2", 3], ["chr2", 4]], None,
     ValueError, r"groups\[1\] is missing"),
    (GenomicBlockKFold(2), [["chr1", 1], ["chr1", 1.5], ["chr2", 3], ["chr2", 4]], None,
     ValueError, r"groups\[1\] has position 1.5"),
    (GenomicBlockKFold(2), ["chr1", "chr1", "chr2", "chr2"], None, ValueError,
     r"is not a coordinate.*\(n_samples, 2\) array of \(chrom, position\)"),
    (GenomicBlockKFold(2), np.zeros((4, 4)), None, ValueError, r"got shape \(4, 4\)"),
    (GenomicBlockKFold(2), pd.DataFrame({"chrom": ["chr1"] * 4, "stop": [1] * 4}), None,
     ValueError, r"no 'start'"),
    (GenomicBlockKFold(3), [["chr1", 1], ["chr1", 2], ["chr2", 3], ["chr2", 4]], None,
     ValueError, r"n_splits=3 but the samples fall in only 2 block\(s\)"),
    (GenomicBlockKFold(2, block_size=0), [["chr1", 1]] * 4, None, ValueError, r"block_size"),
    (GenomicBlockKFold(2, gap=-1), [["chr1", 1]] * 4, None, ValueError,
     r"The 'gap' parameter of GenomicBlockKFold must be an int in the range \[0, inf\) or None"),
    (GenomicBlockKFold(2, block_size=10, gap=10**9), [["chr1", 1], ["chr1", 50], ["chr1", 90],
                                                      ["chr1", 130]], None, ValueError,
     r"gap=1000000000 leaves fold \d with no training samples"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_inputs(cv, groups, y, error, match):
    with pytest.raises(error, match=match):
        _splits(cv, X4, y, groups)


def test_oversized_chromosome_warns():
    groups = ["chr1"] * 8 + ["chr2", "chr3"]
    with pytest.warns(UserWarning, match="chromosome.*chr1"):
        list(ChromosomeKFold(2).split(np.zeros((10, 1)), None, groups))
