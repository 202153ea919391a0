"""clean_split: no held-out item linked to training afterwards; every input row accounted for."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skgenqc.features import sequence_identity
from skgenqc.model_selection import CleanSplit, clean_split


def _interval_linked(a, b, distance):
    """Brute-force oracle: same chromosome (1 = chr1) and fewer than ``distance`` bp apart."""
    same = a["chrom"].removeprefix("chr") == b["chrom"].removeprefix("chr")
    gap = max(a["start"], b["start"]) - min(a["end"], b["end"])
    return same and gap < distance


def _cross_linked(left, right, distance):
    return [(i, j) for i, a in left.iterrows() for j, b in right.iterrows()
            if _interval_linked(a, b, distance)]


def _n_components(frame, distance):
    parent = list(range(len(frame)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i, j in _cross_linked(frame, frame, distance):
        parent[root(i)] = root(j)
    return len({root(i) for i in range(len(frame))})


def _accounts_once(manifest, tables):
    expected = sorted((s, r) for s, t in tables.items() if t is not None for r in range(len(t)))
    assert sorted(zip(manifest["split"], manifest["row"])) == expected


interval = st.tuples(st.sampled_from(["chr1", "1", "chr2"]), st.integers(0, 300),
                     st.integers(1, 60))


def _frame(rows, prefix):
    return pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(rows))],
                         "chrom": [r[0] for r in rows], "start": [r[1] for r in rows],
                         "end": [r[1] + r[2] for r in rows],
                         "label": [i % 2 for i in range(len(rows))]})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(interval, min_size=1, max_size=25), st.lists(interval, min_size=1, max_size=25),
       st.lists(interval, max_size=10), st.sampled_from(["filter", "resplit"]),
       st.integers(0, 40), st.integers(0, 3))
def test_no_test_item_is_linked_to_training_afterwards(tr, te, dv, mode, distance, seed):
    train, test = _frame(tr, "tr"), _frame(te, "te")
    dev = _frame(dv, "dv") if dv else None
    try:
        r = clean_split(train, test, dev=dev, mode=mode, link="interval", distance=distance,
                        seed=seed)
    except ValueError as err:  # only when no clean split with every held-out set exists
        assert "is left" in str(err)
        everything = pd.concat([train] + ([dev] if dev is not None else []) + [test],
                               ignore_index=True)
        if mode == "resplit":
            assert _n_components(everything, distance) < (3 if dev is not None else 2)
        else:  # filter: every item of the emptied set was linked to what it is kept apart from
            held = dev if "no dev" in str(err) else test
            before = train if held is dev or dev is None else pd.concat([train, dev])
            linked = {i for i, _ in _cross_linked(held, before, distance)}
            assert held is test and dev is not None or len(linked) == len(held)
        return
    assert _cross_linked(r.test, r.train, distance) == []
    if dev is not None:
        assert _cross_linked(r.dev, r.train, distance) == []
        assert _cross_linked(r.test, r.dev, distance) == []
    _accounts_once(r.manifest, {"train": train, "dev": dev, "test": test})
    kept = r.manifest[r.manifest["new_split"] != "dropped"]
    assert len(kept) == len(r.train) + len(r.test) + (0 if dev is None else len(r.dev))
    if mode == "filter":
        assert r.train.equals(train)  # training is never touched
    else:
        assert (r.manifest["new_split"] != "dropped").all()


bases = st.text(alphabet="ACGT", min_size=8, max_size=14)


@settings(max_examples=30, deadline=None)
@given(st.lists(bases, min_size=1, max_size=10), st.lists(bases, min_size=1, max_size=10),
       st.sampled_from(["filter", "resplit"]))
def test_identity_links_are_gone_reverse_complement_counted(tr, te, mode):
    comp = str.maketrans("ACGT", "TGCA")
    te = te + [tr[0][::-1].translate(comp)]  # a reverse-complement copy must go
    train = pd.DataFrame({"sequence": tr, "label": [i % 2 for i in range(len(tr))]})
    test = pd.DataFrame({"sequence": te, "label": [i % 2 for i in range(len(te))]})
    try:
        r = clean_split(train, test, mode=mode, identity=0.9)
    except ValueError as err:
        assert "no test item is left" in str(err)
        if mode == "filter":
            assert all(max(sequence_identity(a, b) for b in tr) >= 0.9 for a in te)
        return
    for a in r.test["sequence"]:
        for b in r.train["sequence"]:
            assert sequence_identity(a, b) < 0.9
    _accounts_once(r.manifest, {"train": train, "test": test})


def test_filter_manifest_names_the_linked_training_item():
    train = pd.DataFrame({"id": ["a", "b"], "chrom": ["chr1", "chr1"], "start": [0, 500],
                          "end": [100, 600], "extra": ["x", "y"]})
    test = pd.DataFrame({"id": ["c", "d"], "chrom": ["1", "chr1"], "start": [99, 700],
                         "end": [150, 800], "extra": ["z", "w"]})
    r = clean_split(train, test, link="interval")
    assert isinstance(r, CleanSplit)
    m = r.manifest.set_index("id")
    assert m.loc["c", "new_split"] == "dropped" and m.loc["c", "linked_id"] == "a"
    assert m.loc["c", "link"] == "interval" and m.loc["c", "reason"] == "linked to train"
    assert m.loc["d", "new_split"] == "test"
    assert list(r.test.columns) == list(test.columns) and r.test["id"].tolist() == ["d"]
    # 'd' is 100 bp from 'b': linked at distance 101, not at 100.
    assert clean_split(train, test, link="interval", distance=100).test["id"].tolist() == ["d"]
    with pytest.raises(ValueError, match="no test item is left"):
        clean_split(train, test, link="interval", distance=101)


def test_chromosome_link_drops_shared_chromosomes():
    train = pd.DataFrame({"chrom": ["chr1", "chr2"], "start": [0, 0], "end": [5, 5]})
    test = pd.DataFrame({"chrom": ["1", "chr3", "chr3"], "start": [900, 0, 9], "end": [950, 5, 20]})
    r = clean_split(train, test, link="chromosome")
    assert r.test["chrom"].tolist() == ["chr3", "chr3"]


def test_dev_items_linked_to_training_are_dropped_and_test_against_dev():
    train = pd.DataFrame({"chrom": ["chr1"], "start": [0], "end": [10]})
    dev = pd.DataFrame({"chrom": ["chr1", "chr2"], "start": [5, 0], "end": [15, 10]})
    test = pd.DataFrame({"chrom": ["chr2", "chr3"], "start": [5, 0], "end": [8, 10]})
    r = clean_split(train, test, dev=dev, link="interval")
    assert r.dev["chrom"].tolist() == ["chr2"]
    assert r.test["chrom"].tolist() == ["chr3"]
    assert r.manifest.loc[r.manifest["split"] == "test", "reason"].tolist()[0] == "linked to dev"


def test_resplit_keeps_proportions_and_labels_and_is_repeatable():
    rng = np.random.default_rng(0)
    n = 400
    starts = rng.integers(0, 20_000, n)
    data = pd.DataFrame({"chrom": rng.choice(["chr1", "chr2"], n), "start": starts,
                         "end": starts + 50, "label": rng.integers(0, 2, n)})
    train, test = data.iloc[:300].reset_index(drop=True), data.iloc[300:].reset_index(drop=True)
    a = clean_split(train, test, mode="resplit", link="interval", seed=3)
    b = clean_split(train, test, mode="resplit", link="interval", seed=3)
    assert a.manifest.equals(b.manifest)
    assert abs(len(a.test) - 100) <= a.manifest["group_size"].max()
    share = a.test["label"].mean() - data["label"].mean()
    assert abs(share) < 0.1
    # Whole groups move together.
    assert (a.manifest.groupby("group")["new_split"].nunique() == 1).all()


@pytest.mark.parametrize("kwargs, match", [
    ({"mode": "drop"}, "mode='drop'"),
    ({"link": "kmer"}, "link='kmer'"),
    ({"link": []}, "link=\\[\\]"),
    ({"identity": 0.2}, "identity=0.2"),
    ({"distance": -1}, "distance=-1"),
    ({"distance": 1.5}, "distance=1.5"),
    ({"seed": "a"}, "seed='a'"),
])
def test_bad_arguments_are_named(kwargs, match):
    train = pd.DataFrame({"sequence": ["ACGTACGTAA"], "chrom": ["chr1"], "start": [0], "end": [9]})
    with pytest.raises(ValueError, match=match):
        clean_split(train, train, **kwargs)


def test_bad_tables_are_named():
    seqs = pd.DataFrame({"sequence": ["ACGTACGTAA"]})
    with pytest.raises(ValueError, match="link='interval' needs columns"):
        clean_split(seqs, seqs, link="interval")
    coords = pd.DataFrame({"chrom": ["chr1"], "start": [0], "end": [9]})
    with pytest.raises(ValueError, match="needs a 'sequence' column, but train"):
        clean_split(coords, coords)
    with pytest.raises(ValueError, match="test has no rows"):
        clean_split(coords, coords.iloc[:0], link="interval")
    with pytest.raises(TypeError, match="test must be a pandas DataFrame"):
        clean_split(coords, [1, 2], link="interval")


def test_no_test_item_left_is_an_error_not_an_empty_split():
    train = pd.DataFrame({"chrom": ["chr1"], "start": [0], "end": [100]})
    test = pd.DataFrame({"chrom": ["chr1", "1"], "start": [10, 50], "end": [20, 60]})
    with pytest.raises(ValueError, match="no test item is left: every one is linked"):
        clean_split(train, test, link="interval")
    with pytest.raises(ValueError, match="1 group\\(s\\) of linked items cannot fill 2"):
        clean_split(train, test, link="interval", mode="resplit")
