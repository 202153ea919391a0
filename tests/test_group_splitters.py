"""BalancedGroupKFold, SimilarityGroupKFold and split diagnostics."""

import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate, permutation_test_score

from conftest import mutate, random_sequences
from skgenqc.features.encoding import reverse_complement
from skgenqc.model_selection.diagnostics import split_diagnostics
from skgenqc.model_selection.groups import BalancedGroupKFold, RepeatedBalancedGroupKFold
from skgenqc.model_selection.similarity import SimilarityGroupKFold


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 15), min_size=12, max_size=120), st.integers(2, 5),
       st.booleans(), st.integers(0, 3))
def test_group_kfold_invariants(group_list, n_splits, shuffle, seed):
    groups = np.array(group_list)
    if len(np.unique(groups)) < n_splits:
        with pytest.raises(ValueError, match="distinct groups"):
            list(BalancedGroupKFold(n_splits).split(groups, None, groups))
        return
    y = np.array([g % 2 for g in group_list])
    cv = BalancedGroupKFold(n_splits, shuffle=shuffle, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        splits = list(cv.split(groups, y, groups))
        again = list(cv.split(groups, y, groups))
    tested = np.concatenate([te for _, te in splits])
    assert np.array_equal(np.sort(tested), np.arange(len(groups)))  # each sample tested once
    for (tr, te), (tr2, te2) in zip(splits, again):
        assert not set(tr) & set(te)
        assert not set(groups[tr]) & set(groups[te])  # no group on both sides
        assert np.array_equal(te, te2)  # deterministic


def test_balance_with_heavy_tailed_groups():
    rng = np.random.default_rng(0)
    sizes = np.minimum(rng.zipf(2.0, 20000), 300)
    groups = np.repeat(np.arange(len(sizes)), sizes)
    y = (rng.random(len(groups)) < 0.1).astype(int)
    folds = list(BalancedGroupKFold(5, shuffle=True, random_state=0).split(groups, y, groups))
    test_sizes = np.array([len(te) for _, te in folds])
    assert test_sizes.max() / test_sizes.min() <= 1.02
    prevalence = [y[te].mean() for _, te in folds]
    assert max(prevalence) - min(prevalence) < 0.01


def test_oversized_group_warns():
    groups = np.array([0] * 50 + list(range(1, 51)))
    with pytest.warns(UserWarning, match="kept whole"):
        list(BalancedGroupKFold(4).split(groups, None, groups))


@pytest.mark.parametrize("bad, match", [([0, 1, None, 2], "groups\\[2\\] is missing"),
                                        ([0, 1, 2], "3 entries but X has 4"),
                                        ([[0, 1], [1, 2], [2, 3], [3, 4]], "shape")])
def test_bad_groups(bad, match):
    with pytest.raises(ValueError, match=match):
        list(BalancedGroupKFold(2).split(np.zeros(4), None, bad))


def test_clone_and_params():
    cv = BalancedGroupKFold(3, shuffle=True, random_state=4)
    copy = clone(cv)
    assert copy.get_params() == cv.get_params()
    assert clone(SimilarityGroupKFold(threshold=0.95)).threshold == 0.95


def test_bad_n_splits():
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError, match=r"The 'n_splits' parameter of "
                       r"BalancedGroupKFold must be an int in the range \[2, inf\). Got 1"):
        BalancedGroupKFold(1).get_n_splits()


def test_repeated_variant_differs_between_repeats():
    rng = np.random.default_rng(1)
    groups = rng.integers(0, 200, 1000)
    y = rng.integers(0, 2, 1000)
    cv = RepeatedBalancedGroupKFold(n_splits=5, n_repeats=3, random_state=0)
    splits = list(cv.split(groups, y, groups))
    assert len(splits) == cv.get_n_splits() == 15
    assert not np.array_equal(splits[0][1], splits[5][1])
    assert [te.tolist() for _, te in splits] == [te.tolist() for _, te in cv.split(groups, y, groups)]


@pytest.mark.parametrize("routing", [False, True])
def test_sklearn_integration(routing):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 3))
    y = rng.integers(0, 2, 200)
    groups = rng.integers(0, 40, 200)
    cv = clone(BalancedGroupKFold(4, shuffle=True, random_state=0))
    model = LogisticRegression()
    sklearn.set_config(enable_metadata_routing=routing)
    try:
        kwargs = {"params": {"groups": groups}} if routing else {"groups": groups}
        result = cross_validate(model, X, y, cv=cv, return_indices=True, **kwargs)
        # the groups reached the splitter: no group on both sides of any fold it made
        for train, test in zip(result["indices"]["train"], result["indices"]["test"]):
            assert not set(groups[train]) & set(groups[test])
        assert len(result["test_score"]) == 4
        search = GridSearchCV(model, {"C": [0.1, 1]}, cv=cv).fit(X, y, groups=groups)
        assert search.n_splits_ == 4
        score, null, _ = permutation_test_score(model, X, y, cv=cv, n_permutations=3,
                                                random_state=0, **kwargs)
        assert len(null) == 3 and np.isfinite(score)
    finally:
        sklearn.set_config(enable_metadata_routing=False)


def test_similarity_splitter_keeps_planted_copies_together():
    rng = np.random.default_rng(3)
    seqs = random_sequences(rng, 1000, 150)
    planted = []
    for i in range(0, 100, 2):
        seqs[i + 1] = mutate(rng, seqs[i], 0.95) if i % 4 else reverse_complement(seqs[i])
        planted.append((i, i + 1))
    y = rng.integers(0, 2, 1000)
    X = np.zeros((1000, 2))
    cv = SimilarityGroupKFold(5, threshold=0.9, shuffle=True, random_state=0)
    for tr, te in cv.split(X, y, groups=seqs):
        side = np.zeros(1000, dtype=int)
        side[te] = 1
        for a, b in planted:
            assert side[a] == side[b]
    report = split_diagnostics(list(cv.split(X, y, groups=seqs)), y, sequences=seqs)
    assert report["test_similarity_to_train"].severity == "pass"
    naive = split_diagnostics(list(sklearn.model_selection.KFold(5, shuffle=True, random_state=0)
                                   .split(X)), y, sequences=seqs)
    assert naive["test_similarity_to_train"].evidence["n_above_threshold"] > 40


def test_similarity_splitter_takes_sequences_as_X():
    seqs = ["ACGTACGTAAGGCTTA", "TAAGCCTTACGTACGT", "GGGGCCCCAATTGGAA", "TTCCAATTGGGGCCCC"]
    splits = list(SimilarityGroupKFold(2, stratify=False).split(seqs))
    assert sorted(splits[0][1].tolist()) in ([0, 1], [2, 3])
    with pytest.raises(ValueError, match="1-D collection of sequences"):
        list(SimilarityGroupKFold(2).split(np.zeros((4, 2))))


def test_diagnostics_on_a_given_assignment():
    y = np.array([0, 1] * 10)
    split = np.array(["train"] * 15 + ["test"] * 5)
    chroms = np.array(["chr1"] * 10 + ["chr2"] * 10)
    r = split_diagnostics(split, y, chromosomes=chroms)
    assert r["chromosomes_across_split"].severity == "fail"
    assert r["fold_sizes"].evidence["never_tested"] == 15
    frame = r.to_frame()
    assert {"fold_sizes", "label_balance", "chromosomes_across_split"} <= set(frame["check"])
    with pytest.raises(ValueError, match="different lengths"):
        split_diagnostics(split, y, groups=y[:5])


def test_fantom5_group_balance(shared_data):
    """FANTOM5 K562: stratified folds keep the 4 % prevalence in every fold."""
    from skgenqc.io import parse_coordinates

    labels = pd.read_csv(shared_data / "ml_pitfalls" / "cage-k562-labels-hg38.csv")
    coords = parse_coordinates(labels["coord"])
    # Groups: 100 kb bins, a typical "nearby regions share a group" choice.
    groups = coords["chrom"] + ":" + (coords["start"] // 100_000).astype(str)
    y = labels["k562"].to_numpy()
    folds = list(BalancedGroupKFold(5).split(labels, y, groups))
    sizes = [len(te) for _, te in folds]
    assert max(sizes) / min(sizes) <= 1.02
    assert max(abs(y[te].mean() - y.mean()) for _, te in folds) < 0.002
