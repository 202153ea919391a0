"""PairKFold and pair_classes: C1/C2/C3 guarantees, bad inputs, sklearn integration, real data."""

import warnings

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms import bipartite
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import (GridSearchCV, KFold, cross_val_predict, cross_validate,
                                     permutation_test_score)

from skgenqc.datasets import load_mirna_pairs
from skgenqc.model_selection.pairs import PairKFold, pair_classes, pairs_from_graph

pytestmark = pytest.mark.filterwarnings("ignore:.*(never tested|self-pair|duplicate|take part)")


def _units(pairs, homogeneous, families=None):
    """Tagged (side, unit) of each partner, the way C3 must keep them apart."""
    fa, fb = families if isinstance(families, tuple) else (families, families)
    fa, fb = fa or {}, fb or {}
    if homogeneous:
        return [[("u", fa.get(x, ("e", x))) for x in row] for row in pairs.tolist()]
    return [[("a", fa.get(a, ("e", a))), ("b", fb.get(b, ("e", b)))] for a, b in pairs.tolist()]


def _split_or_skip(cv, X, y, pairs):
    try:
        return list(cv.split(X, y, pairs))
    except ValueError as e:   # tiny random graphs: a clear refusal is an acceptable outcome
        assert "leaves fold" in str(e) or "greater than the number" in str(e), e
        return None


@st.composite
def pair_data(draw, homogeneous=None):
    homog = draw(st.booleans()) if homogeneous is None else homogeneous
    n_a = draw(st.integers(3, 14))
    n_b = n_a if homog else draw(st.integers(3, 14))
    n = draw(st.integers(8, 70))
    a = draw(st.lists(st.integers(0, n_a - 1), min_size=n, max_size=n))
    b = draw(st.lists(st.integers(0, n_b - 1), min_size=n, max_size=n))
    pairs = np.array([[f"p{x}" for x in a], [f"p{x}" if homog else f"q{x}" for x in b]]).T
    return pairs, homog, draw(st.integers(2, 4)), draw(st.integers(0, 2**16))


# --------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(pair_data())
def test_c3_no_entity_on_both_sides(data):
    pairs, homog, k, seed = data
    X = np.zeros((len(pairs), 1))
    cv = PairKFold(k, mode="C3", homogeneous=homog, random_state=seed)
    splits = _split_or_skip(cv, X, None, pairs)
    if splits is None:
        return
    assert len(splits) == cv.get_n_splits() == k
    units = _units(pairs, homog)
    tested = np.zeros(len(pairs), int)
    for train, test in splits:
        assert len(test) and len(train) and not set(train) & set(test)
        seen = {u for i in train for u in units[i]}
        assert not seen & {u for i in test for u in units[i]}
        assert set(pair_classes(pairs, train, test, homogeneous=homog)) == {"C3"}
        tested[test] += 1
    assert tested.max() <= 1
    table = cv.assignment(X, groups=pairs)
    np.testing.assert_array_equal(table["test_fold"].to_numpy() >= 0, tested == 1)
    summary = cv.fold_summary(X, groups=pairs)
    assert (summary["n_train"] + summary["n_test"] + summary["n_dropped"] == len(pairs)).all()


@settings(max_examples=60, deadline=None)
@given(pair_data(homogeneous=False), st.sampled_from([0, 1]))
def test_c2_heterogeneous_holds_out_one_side(data, side):
    pairs, _, k, seed = data
    X = np.zeros((len(pairs), 1))
    cv = PairKFold(k, mode="C2", side=side, random_state=seed)
    splits = _split_or_skip(cv, X, None, pairs)
    if splits is None:
        return
    tested = np.zeros(len(pairs), int)
    for train, test in splits:
        assert not set(pairs[train, side]) & set(pairs[test, side])
        assert len(train) + len(test) == len(pairs)
        assert "C1" not in set(pair_classes(pairs, train, test))
        tested[test] += 1
    assert (tested == 1).all()


@settings(max_examples=60, deadline=None)
@given(pair_data(homogeneous=True))
def test_c2_homogeneous_tests_each_pair_once_without_held_out_proteins_in_training(data):
    pairs, _, k, seed = data
    X = np.zeros((len(pairs), 1))
    cv = PairKFold(k, mode="C2", homogeneous=True, random_state=seed)
    splits = _split_or_skip(cv, X, None, pairs)
    if splits is None:
        return
    table = cv.assignment(X, groups=pairs)
    tested = np.zeros(len(pairs), int)
    for f, (train, test) in enumerate(splits):
        held_out = set(table.loc[table.fold_a == f, "partner_a"]) | set(
            table.loc[table.fold_b == f, "partner_b"])
        assert not held_out & set(pairs[train].ravel())
        assert "C1" not in set(pair_classes(pairs, train, test, homogeneous=True))
        tested[test] += 1
    assert (tested == 1).all()


@settings(max_examples=40, deadline=None)
@given(pair_data())
def test_c1_tests_each_pair_once_and_is_deterministic(data):
    pairs, homog, k, seed = data
    X = np.zeros((len(pairs), 1))
    cv = PairKFold(k, mode="C1", homogeneous=homog, random_state=seed)
    splits = list(cv.split(X, None, pairs))
    counts = np.bincount(np.concatenate([te for _, te in splits]), minlength=len(pairs))
    assert (counts == 1).all()
    for mode in ("C1", "C2", "C3"):
        cv = PairKFold(k, mode=mode, homogeneous=homog, random_state=seed)
        first, again = _split_or_skip(cv, X, None, pairs), _split_or_skip(clone(cv), X, None, pairs)
        if first is None:
            continue
        for (tr1, te1), (tr2, te2) in zip(first, again):
            np.testing.assert_array_equal(tr1, tr2)
            np.testing.assert_array_equal(te1, te2)


@settings(max_examples=40, deadline=None)
@given(pair_data(), st.integers(1, 4), st.integers(0, 1000))
def test_c3_holds_out_whole_families(data, n_fam, fseed):
    pairs, homog, k, seed = data
    rng = np.random.default_rng(fseed)
    ids = sorted(set(pairs.ravel()))
    mapped = [x for x in ids if rng.random() < 0.7]   # the others are their own family
    families = {x: f"fam{rng.integers(n_fam)}" for x in mapped}
    fam = families if homog else (families, families)
    X = np.zeros((len(pairs), 1))
    cv = PairKFold(k, mode="C3", homogeneous=homog, families=fam, random_state=seed)
    splits = _split_or_skip(cv, X, None, pairs)
    if splits is None:
        return
    units = _units(pairs, homog, fam if homog else (families, families))
    for train, test in splits:
        assert not {u for i in train for u in units[i]} & {u for i in test for u in units[i]}
        assert set(pair_classes(pairs, train, test, homog, families=fam)) == {"C3"}


def test_shuffle_false_is_deterministic_and_c1_contiguous():
    X, y, pairs = _toy(90)
    for mode in ("C1", "C2", "C3"):
        a = list(PairKFold(3, mode=mode, shuffle=False, random_state=1).split(X, y, pairs))
        b = list(PairKFold(3, mode=mode, shuffle=False, random_state=2).split(X, y, pairs))
        for (tr1, te1), (tr2, te2) in zip(a, b):
            np.testing.assert_array_equal(te1, te2)
    c1 = list(PairKFold(3, mode="C1", shuffle=False).split(X, y, pairs))
    np.testing.assert_array_equal(c1[0][1], np.arange(30))


def test_families_with_missing_values_fall_back_to_entities():
    pairs = np.array([["m1", "g1"], ["m2", "g2"], ["m3", "g3"], ["m4", "g4"], ["m5", "g5"],
                      ["m6", "g6"]])
    fam = pd.Series({"m1": "f", "m2": "f", "m3": np.nan})     # m3..m6: their own family
    cv = PairKFold(2, mode="C2", families=(fam, None), random_state=0)
    table = cv.assignment(np.zeros((6, 1)), groups=pairs)
    assert table.fold_a[0] == table.fold_a[1]
    with pytest.raises(ValueError, match="greater than the number of side-0"):
        list(PairKFold(2, mode="C2", families={f"m{i}": "one" for i in range(1, 7)}).split(
            np.zeros((6, 1)), groups=pairs))


# --------------------------------------------------------------------------- partition quality
def test_c3_keeps_separate_communities_whole():
    rng = np.random.default_rng(0)
    # 10 modules of 8 proteins, dense inside, 3 bridges between modules.
    pairs = [(f"m{m}_{i}", f"m{m}_{j}") for m in range(10) for i in range(8) for j in range(i)
             if rng.random() < 0.6]
    pairs += [("m0_0", "m1_0"), ("m2_0", "m3_0"), ("m4_1", "m7_2")]
    pairs = np.array(pairs)
    X = np.zeros((len(pairs), 1))
    summary = PairKFold(5, mode="C3", homogeneous=True, random_state=1).fold_summary(
        X, groups=pairs)
    assert summary["n_dropped"].sum() / 2 <= 3            # each cut pair is dropped in 2 folds
    assert summary["n_test"].min() >= 0.7 * summary["n_test"].max()


def test_c3_heavy_tailed_graph_keeps_leaves_with_their_hub():
    rng = np.random.default_rng(3)
    hubs = rng.zipf(2.0, 60).clip(1, 80)
    pairs = np.array([(f"mir{h}", f"gene{h}_{j}") for h, d in enumerate(hubs) for j in range(d)])
    X = np.zeros((len(pairs), 1))
    table = PairKFold(5, mode="C3", random_state=0).assignment(X, groups=pairs)
    assert (table["test_fold"] >= 0).mean() > 0.97   # stars are separable: nearly all kept


# --------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize("shape", [(10,), (10, 3)])
def test_wrong_pair_shape(shape):
    groups = np.arange(np.prod(shape)).reshape(shape)
    with pytest.raises(ValueError, match=r"groups must have shape \(n_samples, 2\).*"
                       + str(shape).replace("(", r"\(").replace(")", r"\)")):
        list(PairKFold(2).split(np.zeros((10, 1)), groups=groups))


def test_nan_ids_rejected():
    groups = np.array([["a", "x"], ["b", None], ["c", "z"], ["d", "w"]], dtype=object)
    with pytest.raises(ValueError, match=r"groups\[1\] is missing"):
        list(PairKFold(2).split(np.zeros((4, 1)), groups=groups))


def test_self_pairs_and_duplicates_warn():
    pairs = np.array([["A", "A"], ["A", "B"], ["B", "A"], ["C", "D"], ["D", "E"], ["E", "F"]])
    X = np.zeros((6, 1))
    with pytest.warns(UserWarning, match=r"1 self-pair.*'A'"):
        list(PairKFold(2, mode="C1", homogeneous=True, random_state=0).split(X, groups=pairs))
    with pytest.warns(UserWarning, match=r"1 duplicate or transposed.*split across folds"):
        list(PairKFold(2, mode="C1", homogeneous=True, random_state=0).split(X, groups=pairs))
    with warnings.catch_warnings():   # heterogeneous: (A, B) and (B, A) are different pairs
        warnings.simplefilter("error")
        list(PairKFold(2, mode="C1", homogeneous=False, random_state=0).split(X, groups=pairs))
    with pytest.warns(UserWarning, match=r"1 duplicate pair.*row 1"):
        list(PairKFold(2, mode="C1", random_state=0).split(
            X[:3], groups=pairs[[1, 1, 3]]))


def test_transposed_duplicates_land_together_in_c2_c3():
    pairs = np.array([["A", "B"], ["B", "A"], ["C", "D"], ["D", "C"], ["E", "F"], ["G", "H"]])
    X = np.zeros((6, 1))
    for mode in ("C2", "C3"):
        table = PairKFold(2, mode=mode, homogeneous=True, random_state=0).assignment(
            X, groups=pairs)
        assert table.test_fold[0] == table.test_fold[1] and table.test_fold[2] == table.test_fold[3]


def test_too_few_entities():
    pairs = np.array([["a", "x"], ["a", "y"], ["b", "x"], ["b", "y"]])
    with pytest.raises(ValueError, match=r"n_splits=3 is greater than the number of side-0"):
        list(PairKFold(3, mode="C2").split(np.zeros((4, 1)), groups=pairs))
    with pytest.raises(ValueError, match=r"n_splits=5 is greater than the number of entities"):
        list(PairKFold(5, mode="C3").split(np.zeros((4, 1)), groups=pairs))


@pytest.mark.parametrize("params, match", [
    ({"mode": "C4"}, r"The 'mode' parameter of PairKFold must be a str among .*'C3'.* Got 'C4'"),
    ({"side": 2}, r"The 'side' parameter of PairKFold must be a int among \{0, 1\}. Got 2"),
    ({"n_splits": 1}, r"The 'n_splits' parameter of PairKFold must be an int in the range "
                      r"\[2, inf\). Got 1"),
])
def test_invalid_parameters_raise_in_split_not_init(params, match):
    cv = PairKFold(**params)       # the constructor only stores
    assert cv.get_params()[next(iter(params))] == next(iter(params.values()))
    pairs = np.array([["a", "x"], ["b", "y"], ["c", "z"], ["d", "w"]])
    with pytest.raises(ValueError, match=match):
        cv.get_n_splits()
    with pytest.raises(ValueError, match=match):
        list(cv.split(np.zeros((4, 1)), groups=pairs))


def test_bad_families():
    pairs = np.array([["a", "x"], ["b", "y"], ["c", "z"], ["d", "w"]])
    X = np.zeros((4, 1))
    with pytest.raises(TypeError, match="families must be None, a dict"):
        list(PairKFold(2, families=["a"]).split(X, groups=pairs))
    with pytest.raises(ValueError, match="single mapping when homogeneous=True"):
        list(PairKFold(2, homogeneous=True, families=({}, {})).split(X, groups=pairs))


def test_oversized_entity_warns():
    pairs = np.array([("hub", f"g{i}") for i in range(12)] + [(f"m{i}", f"h{i}") for i in range(8)])
    with pytest.warns(UserWarning, match=r"1 entit.* more than n_pairs / n_splits = 5 pairs "
                                         r"\(largest: 12, e.g. hub\)"):
        list(PairKFold(4, mode="C2", random_state=0).split(np.zeros((20, 1)), groups=pairs))


def test_c1_is_reported_as_such():
    X, y, pairs = _toy(600)
    c1 = PairKFold(3, mode="C1", random_state=0).fold_summary(X, y, pairs)
    assert (c1["n_C1"] > c1["n_C3"]).all() and (c1["n_dropped"] == 0).all()
    table = PairKFold(3, mode="C3", random_state=0).assignment(X, y, pairs)
    assert set(table.columns) >= {"partner_a", "partner_b", "fold_a", "fold_b", "test_fold",
                                  "test_class", "split_0", "split_1", "split_2"}
    tested = table.test_fold >= 0
    assert set(table.loc[tested, "test_class"]) == {"C3"}
    assert set(table.loc[~tested, "test_class"]) <= {""}
    assert set(table.split_0) <= {"train", "C3", "dropped"}


def test_graph_with_wrong_number_of_rows():
    with pytest.raises(ValueError, match="graph with 3 edges but X has 5 samples"):
        list(PairKFold(2).split(np.zeros((5, 1)), groups=nx.path_graph(4)))


def test_c3_on_a_complete_graph_refuses_clearly():
    pairs = np.array([(a, b) for a in "abcd" for b in "abcd" if a < b])
    with pytest.raises(ValueError, match="leaves fold .* too few or too interconnected"):
        list(PairKFold(4, mode="C3", homogeneous=True).split(np.zeros((6, 1)), groups=pairs))


# --------------------------------------------------------------------------- graph input
def test_networkx_graph_groups_match_edge_list():
    G = nx.Graph()
    G.add_nodes_from(["m1", "m2", "m3"], bipartite=0)
    G.add_nodes_from(["g1", "g2", "g3", "g4"], bipartite=1)
    G.add_edges_from([("g1", "m1"), ("m1", "g2"), ("m2", "g3"), ("g4", "m3"), ("m3", "g1")])
    pairs = pairs_from_graph(G)
    assert set(pairs[:, 0]) == {"m1", "m2", "m3"}        # oriented by the bipartite attribute
    X = np.zeros((G.number_of_edges(), 1))
    cv = PairKFold(2, mode="C2", random_state=0)
    for (tr1, te1), (tr2, te2) in zip(cv.split(X, groups=G), cv.split(X, groups=pairs)):
        np.testing.assert_array_equal(te1, te2)


# --------------------------------------------------------------------------- sklearn integration
@pytest.fixture(params=[False, True], ids=["no-routing", "routing"])
def routing(request):
    with sklearn.config_context(enable_metadata_routing=request.param):
        yield request.param


def _toy(n=240, seed=0):
    rng = np.random.default_rng(seed)
    pairs = np.c_[rng.integers(0, 30, n), rng.integers(0, 40, n)].astype(str)
    pairs = np.char.add(np.array(["mir", "gene"]), pairs)
    X = rng.normal(size=(n, 4))
    y = (X[:, 0] + rng.normal(size=n) > 0).astype(int)
    return X, y, pairs


@pytest.mark.parametrize("mode", ["C1", "C2", "C3"])
def test_cross_validate_and_grid_search(routing, mode):
    X, y, pairs = _toy()
    cv = PairKFold(3, mode=mode, random_state=0)
    kw = {"params": {"groups": pairs}} if routing else {"groups": pairs}
    res = cross_validate(LogisticRegression(), X, y, cv=cv, **kw)
    assert len(res["test_score"]) == 3
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=cv).fit(X, y, groups=pairs)
    assert search.n_splits_ == 3
    G = nx.Graph()   # a graph as groups: rows of X are its edges
    G.add_edges_from(map(tuple, pairs))
    Xg = np.zeros((G.number_of_edges(), 2))
    yg = np.arange(len(Xg)) % 2
    kw = {"params": {"groups": G}} if routing else {"groups": G}
    assert len(cross_validate(LogisticRegression(), Xg, yg, cv=cv, **kw)["test_score"]) == 3


def test_permutation_test_score(routing):
    X, y, pairs = _toy()
    cv = PairKFold(3, mode="C3", random_state=0)
    if routing:
        score, perm, p = permutation_test_score(LogisticRegression(), X, y, cv=cv,
                                                n_permutations=5, random_state=0,
                                                params={"groups": pairs})
    else:   # sklearn also permutes y within `groups`, which a pair array cannot drive
        score, perm, p = permutation_test_score(LogisticRegression(), X, y,
                                                cv=list(cv.split(X, y, pairs)),
                                                n_permutations=5, random_state=0)
    assert score > perm.mean() and 0 < p <= 1


def test_cross_val_predict_with_c2_and_clone():
    X, y, pairs = _toy()
    cv = PairKFold(4, mode="C2", side=1, families=None, random_state=3)
    pred = cross_val_predict(LogisticRegression(), X, y, cv=cv, groups=pairs)
    assert pred.shape == y.shape
    twin = clone(cv)
    assert twin.get_params() == cv.get_params() and twin is not cv
    assert repr(cv).startswith("PairKFold(")
    assert cv.get_metadata_routing().split.requests["groups"] is True


def test_c2_stratifies_by_label():
    X, y, pairs = _toy(600)
    summary = []
    for train, test in PairKFold(4, mode="C2", random_state=0).split(X, y, pairs):
        summary.append(y[test].mean())
    assert max(summary) - min(summary) < 0.1


# --------------------------------------------------------------------------- real data
def test_mirna_pairs_family_level_c3_and_c2():
    df = load_mirna_pairs()
    fam_mirna = dict(zip(df.noncodingRNA, df.noncodingRNA_fam))
    fam_gene = df.drop_duplicates("gene").set_index("gene")["gene_cluster_ID"]   # a Series
    groups = df[["noncodingRNA", "gene"]]
    families = (fam_mirna, fam_gene)
    cv = PairKFold(5, mode="C3", families=families, random_state=0)
    splits = list(cv.split(df, df.label, groups))
    for train, test in splits:
        rows_tr, rows_te = df.iloc[train], df.iloc[test]
        assert not set(rows_tr.noncodingRNA_fam) & set(rows_te.noncodingRNA_fam)
        assert not set(rows_tr.gene_cluster_ID) & set(rows_te.gene_cluster_ID)
        assert set(pair_classes(groups, train, test, families=families)) == {"C3"}
    summary = cv.fold_summary(df, groups=groups)
    # Only gene cluster 19 links two miRNA families (mir-103, mir-1180): one pair is lost.
    assert summary["n_dropped"].sum() <= 2 and summary["n_test"].sum() >= 99
    c2 = PairKFold(5, mode="C2", side=0, families=families, random_state=0)
    for train, test in c2.split(df, df.label, groups):
        assert not set(df.noncodingRNA_fam.iloc[train]) & set(df.noncodingRNA_fam.iloc[test])
    random_cv = [(tr, te) for tr, te in KFold(5, shuffle=True, random_state=0).split(df)]
    classes = np.concatenate([pair_classes(groups, tr, te, families=families)
                              for tr, te in random_cv])
    assert (classes == "C3").mean() < 0.1     # random CV: nearly every test miRNA was seen


# --------------------------------------------------------------------------- notebook A
def _preferential_attachment_pairs(seed=0, n_left=150, negatives=5):
    """Whalen et al. 2022 notebook A: random node features, labels from network topology."""
    rng = np.random.default_rng(seed)
    degrees = np.minimum(np.floor(rng.pareto(1.0, n_left) + 1).astype(int), 60)
    G = nx.Graph(bipartite.preferential_attachment_graph(degrees.tolist(), 0.2, seed=seed))
    pos = pairs_from_graph(G).astype(np.int64)
    left = np.unique(pos[:, 0])
    right = np.array([v for v, s in G.nodes(data="bipartite") if s == 1])
    edges, neg = set(map(tuple, pos.tolist())), set()
    while len(neg) < negatives * len(pos):
        pair = (int(rng.choice(left)), int(rng.choice(right)))
        if pair not in edges:
            neg.add(pair)
    pairs = np.vstack([pos, sorted(neg)])
    y = np.r_[np.ones(len(pos), int), np.zeros(len(neg), int)]
    features = rng.normal(size=(max(G.nodes) + 1, 10))
    X = np.hstack([features[pairs[:, 0]], features[pairs[:, 1]]])
    order = rng.permutation(len(y))
    return X[order], y[order], pairs[order]


def test_notebook_a_random_cv_inflates_c3_does_not():
    X, y, pairs = _preferential_attachment_pairs()
    prevalence = y.mean()
    assert 2000 <= len(y) <= 4000 and abs(prevalence - 1 / 6) < 0.01
    rf = RandomForestClassifier(n_estimators=50, random_state=0)
    random_ap = cross_validate(rf, X, y, cv=KFold(5, shuffle=True, random_state=0),
                               scoring="average_precision")["test_score"].mean()
    cv = PairKFold(5, mode="C3", random_state=0)
    with pytest.warns(UserWarning, match=r"pairs \(.*%\) have their partners in different"):
        splits = list(cv.split(X, y, pairs))
    c3_ap = cross_validate(rf, X, y, cv=splits, scoring="average_precision")["test_score"]
    summary = cv.fold_summary(X, y, pairs)
    kept = summary["n_test"].sum() / len(y)
    # Random negatives make every pair graph an expander: C3 must drop most pairs (reported).
    assert 0.25 < kept < 0.8 and (summary["n_dropped"] > 0).all()
    assert random_ap >= prevalence + 0.35
    assert abs(c3_ap.mean() - prevalence) <= 0.05
    test_prevalence = np.mean([y[te].mean() for _, te in splits])
    assert abs(c3_ap.mean() - test_prevalence) <= 0.05


def test_diagnostics_and_pair_classes_read_homogeneous_auto_as_the_splitter_does():
    """One answer to 'is this a C3 pair': PairKFold, pair_classes and split_diagnostics agree."""
    import warnings

    from skgenqc.model_selection import PairKFold, pair_classes, split_diagnostics

    rng = np.random.default_rng(3)
    pairs = rng.integers(0, 60, size=(300, 2))          # protein-protein: one id space
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        pooled = list(PairKFold(3, mode="C3").split(pairs, groups=pairs))
    for train, test in pooled:
        assert set(pair_classes(pairs, train, test)) == {"C3"}
    table = split_diagnostics(pooled, pairs=pairs)["pair_classes"].table
    assert table[["C1", "C2"]].to_numpy().sum() == 0 and table["C3"].sum() > 0
    # A split that keeps the columns apart leaks proteins across sides; read with the default
    # ("auto", like the splitter) the diagnostics see it, read as two id spaces they would not.
    apart = list(PairKFold(3, mode="C3", homogeneous=False).split(pairs, groups=pairs))
    leaky = split_diagnostics(apart, pairs=pairs)["pair_classes"].table
    blind = split_diagnostics(apart, pairs=pairs, homogeneous=False)["pair_classes"].table
    assert leaky[["C1", "C2"]].to_numpy().sum() > 0
    assert blind[["C1", "C2"]].to_numpy().sum() == 0
    train, test = apart[0]
    assert set(pair_classes(pairs, train, test)) != {"C3"}
