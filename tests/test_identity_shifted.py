"""One identity that sees shifted and contained copies, and a search that finds every such pair.

The reference here is written from the definition alone, in plain Python (a full dynamic
programme, no band, no cutoff, no early exit): an internal edit costs 1, a base left over
at either end of either sequence costs 1/2, the length difference is a floor, the better
strand counts.  The compiled kernel, :func:`sequence_identity` and the search must all
agree with it, and the search must find every pair the reference puts at or above the
threshold, on data built to sit exactly at it (shifted windows plus evenly spaced edits).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import random_sequences
from skgenqc.features.encoding import reverse_complement
from skgenqc.features.similarity import (
    doubled_budget,
    find_similar_pairs,
    overlap_distances,
    seed_plan,
    sequence_identity,
)
from skgenqc.model_selection import SimilarityGroupKFold, split_diagnostics
from skgenqc.qc.duplicates import check_near_duplicates
from skgenqc.qc.leakage import check_train_test_leakage


def reference_doubled(a, b):
    """Doubled distance by the definition: internal edits 2, overhanging bases 1."""
    m, n = len(a), len(b)
    rows = [[0] * (n + 1) for _ in range(m + 1)]
    for j in range(n + 1):
        rows[0][j] = j
    for i in range(1, m + 1):
        rows[i][0] = i
        for j in range(1, n + 1):
            rows[i][j] = min(rows[i - 1][j - 1] + (0 if a[i - 1] == b[j - 1] else 2),
                             rows[i - 1][j] + 2, rows[i][j - 1] + 2)
    return min(min(rows[m][j] + n - j for j in range(n + 1)),
               min(rows[i][n] + m - i for i in range(m + 1)))


def reference_identity(a, b):
    a, b = a.upper(), b.upper()
    longest = max(len(a), len(b))
    if longest == 0:
        return 1.0
    doubled = min(reference_doubled(a, b), reference_doubled(reverse_complement(a), b))
    return 1.0 - max(doubled, 2 * abs(len(a) - len(b))) / (2.0 * longest)


def reference_pairs(query, target=None, *, threshold):
    """Brute force: the definition on every pair (the kernel, itself checked against the
    plain programme above; the search's seeds, filters and tiers play no part)."""
    same = target is None
    target = query if same else target
    ii, jj = np.meshgrid(np.arange(len(query)), np.arange(len(target)), indexing="ij")
    ii, jj = ii.ravel(), jj.ravel()
    if same:
        ii, jj = ii[ii < jj], jj[ii < jj]
    a = [query[i].upper() for i in ii]
    b = [target[j].upper() for j in jj]
    la = np.array([len(x) for x in a])
    lb = np.array([len(x) for x in b])
    longest = np.maximum(np.maximum(la, lb), 1)
    full = 2 * longest  # no cutoff
    doubled = np.minimum(overlap_distances(a, b, full),
                         overlap_distances([reverse_complement(x) for x in a], b, full))
    identity = 1.0 - np.maximum(doubled, 2 * np.abs(la - lb)) / (2.0 * longest)
    keep = identity >= threshold - 1e-9
    return set(zip(ii[keep].tolist(), jj[keep].tolist()))


def search(query, target=None, *, threshold):
    found = find_similar_pairs(query, target, threshold=threshold)
    return set(zip(found["query"].tolist(), found["target"].tolist()))


_dna = st.text(alphabet="ACGTN", min_size=0, max_size=30)


@settings(max_examples=200, deadline=None)
@given(_dna, _dna, st.integers(0, 70))
def test_kernel_is_the_definition(a, b, cutoff):
    """The banded, early-exiting kernel equals the full programme, up to its cutoff."""
    got = int(overlap_distances([a], [b], cutoff)[0])
    assert got == min(reference_doubled(a, b), cutoff + 1)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ACGTacgtN", min_size=1, max_size=40), st.integers(0, 12),
       st.integers(0, 12), st.text(alphabet="ACGT", max_size=12), st.booleans())
def test_sequence_identity_is_the_definition(src, cut_left, cut_right, extra, flip):
    """Shifted, trimmed, extended, reverse-complemented copies: one value everywhere."""
    copy = src[cut_left:len(src) - cut_right] + extra
    if flip:
        copy = reverse_complement(copy)
    assert sequence_identity(src, copy) == pytest.approx(reference_identity(src, copy))
    assert sequence_identity(copy, src) == pytest.approx(sequence_identity(src, copy))


def test_shifted_windows_count_their_shift_once():
    rng = np.random.default_rng(3)
    region = random_sequences(rng, 1, 400)[0]
    a, b = region[:200], region[14:214]  # two peaks sharing 186 of 200 bp
    assert sequence_identity(a, b) == pytest.approx(0.93)
    pairs = find_similar_pairs([b], [a], threshold=0.9)
    assert pairs["identity"].tolist() == [pytest.approx(0.93)]
    assert pairs["global_identity"].tolist() == [pytest.approx(0.86)]  # 28 plain edits
    # Contained copies are as identical as the share they cover, and no more.
    assert sequence_identity(region[5:195], a) == pytest.approx(0.95)
    assert sequence_identity(region[50:70], a) == pytest.approx(0.1)


def _windows(region, width, step):
    return [region[s:s + width] for s in range(0, len(region) - width + 1, step)]


def test_sliding_windows_stay_together_in_every_room():
    """200 bp windows at a 20 bp step: the search, the splitter, the diagnostics and the QC agree."""
    rng = np.random.default_rng(11)
    windows = _windows(random_sequences(rng, 1, 600)[0], 200, 20)  # 21 windows, neighbours at 90 %
    others = random_sequences(rng, 60, 200)
    seqs = windows + others
    order = rng.permutation(len(seqs))
    seqs = [seqs[i] for i in order]
    is_window = np.isin(order, np.arange(len(windows)))
    truth = reference_pairs(seqs, threshold=0.9)
    assert search(seqs, threshold=0.9) == truth
    # Neighbours (20 bp apart) are at 90 %, windows 40 bp apart at 80 %: a chain.
    window_rows = set(np.flatnonzero(is_window).tolist())
    assert sum(i in window_rows and j in window_rows for i, j in truth) == len(windows) - 1
    groups = SimilarityGroupKFold(n_splits=3, threshold=0.9).groups(seqs)
    assert len(set(groups[is_window])) == 1
    folds = list(SimilarityGroupKFold(n_splits=3, threshold=0.9).split(seqs))
    for train, test in folds:
        assert not any((i in set(test)) != (j in set(test)) for i, j in truth)
    naive = np.arange(len(seqs)) % 3
    naive_folds = [(np.flatnonzero(naive != k), np.flatnonzero(naive == k)) for k in range(3)]
    crossing = {x for i, j in truth if naive[i] != naive[j] for x in (i, j)}
    report = split_diagnostics(naive_folds, sequences=seqs, identity_threshold=0.9)
    assert report["test_similarity_to_train"].evidence["n_above_threshold"] == len(crossing)
    data = pd.DataFrame({"id": [f"s{i}" for i in range(len(seqs))]})
    _, near = check_near_duplicates(data, seqs, threshold=0.9)
    assert set(zip(near["query"], near["target"])) == truth


@pytest.mark.parametrize("threshold", [0.8, 0.9, 0.95])
@pytest.mark.parametrize("length", [12, 20, 25, 60, 200])
def test_shift_plus_edits_exactly_at_the_threshold_is_found(threshold, length):
    """The budget spent on a shift and evenly spaced substitutions together, either strand."""
    rng = np.random.default_rng(length)
    seqs = []
    budget = int(doubled_budget(length, threshold))  # half-edits
    for shift in range(0, budget // 2 + 1):
        source = random_sequences(rng, 1, length + shift)[0]
        a, b = source[:length], source[shift:shift + length]
        n_sub = (budget - 2 * shift) // 2  # internal edits left after the shift's overhangs
        b = list(b)
        inside = length - shift  # substitute inside the shared part only
        for p in [(i + 1) * (inside + 1) // (n_sub + 1) - 1 for i in range(n_sub)]:
            b[p] = {"A": "C", "C": "G", "G": "T", "T": "A"}[b[p]]
        b = "".join(b)
        if shift % 2:
            b = reverse_complement(b)
        seqs += [a, b]
    seqs += random_sequences(rng, 6, length)
    truth = reference_pairs(seqs, threshold=threshold)
    planted = {(2 * i, 2 * i + 1) for i in range(len(seqs) // 2 - 3)}
    assert all(reference_identity(seqs[i], seqs[j]) >= threshold - 1e-9 for i, j in planted)
    assert search(seqs, threshold=threshold) == truth
    half = len(seqs) // 2
    assert search(seqs[:half], seqs[half:], threshold=threshold) == \
        reference_pairs(seqs[:half], seqs[half:], threshold=threshold)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="ACGT", min_size=12, max_size=50), st.sampled_from([0.8, 0.85, 0.9, 0.95]),
       st.integers(0, 10), st.integers(0, 10),
       st.lists(st.tuples(st.sampled_from("sdi"), st.floats(0, 1), st.sampled_from("ACGT")),
                max_size=8), st.booleans(), st.integers(0, 2**31 - 1))
def test_random_shifts_and_edits_search_equals_the_definition(src, threshold, left, right, script,
                                                             flip, seed):
    """Trim either end, extend, edit inside, flip strand, among random others: brute force agrees."""
    out = list(src[min(left, len(src) - 1):])
    for op, where, base in script:
        p = min(int(where * len(out)), len(out) - 1)
        if op == "s":
            out[p] = base
        elif op == "d" and len(out) > 1:
            del out[p]
        else:
            out.insert(p, base)
    rng = np.random.default_rng(seed)
    copy = "".join(out) + "".join(rng.choice(list("ACGT"), right))
    if flip:
        copy = reverse_complement(copy)
    seqs = [src, copy] + random_sequences(rng, 3, len(src)) + [src[: max(12, len(src) - 3)]]
    assert search(seqs, threshold=threshold) == reference_pairs(seqs, threshold=threshold)
    assert search(seqs[:2], seqs[2:], threshold=threshold) == \
        reference_pairs(seqs[:2], seqs[2:], threshold=threshold)


def test_seed_plan_leaves_room_for_the_overhangs():
    """Where (1 - t) L is not a whole number, half an edit is spent on one overhanging base."""
    assert seed_plan(0.9, [200]).tolist() == [9]
    # 199 bp at 90 %: T = 19.9, so 19 edits and one overhanging base: (199 - 39 + 19) / 20.
    assert seed_plan(0.9, [199]).tolist() == [9]
    assert seed_plan(0.93, [57]).tolist() == [int(np.ceil((57 - 7 + 3) / 4))]


def test_real_sequences_shifted(shared_data):
    """Windows cut from real 500 bp enhancers at a 20 bp step are found and grouped as one."""
    table = pd.read_csv(Path(shared_data) / "genbenchqc_examples" / "enhancers_train.csv")
    regions = table["sequence"].str.upper().tolist()[:6]
    seqs, source = [], []
    for r, region in enumerate(regions):
        for w in _windows(region, 200, 20)[:5]:
            seqs.append(w)
            source.append(r)
    source = np.asarray(source)
    pairs = find_similar_pairs(seqs, threshold=0.9)
    # Neighbouring windows of one enhancer are 90 % identical; none links two enhancers.
    linked = {(int(i), int(j)) for i, j in zip(pairs["query"], pairs["target"])}
    expected = {(i, i + 1) for i in range(len(seqs) - 1) if source[i] == source[i + 1]}
    assert expected <= linked
    assert all(source[i] == source[j] for i, j in linked)
    groups = SimilarityGroupKFold(n_splits=3, threshold=0.9).groups(seqs)
    assert all(len(set(groups[source == r])) == 1 for r in range(len(regions)))
    # The test/train leakage check counts each shifted window as a near copy.
    data = pd.DataFrame({"id": [f"w{i}" for i in range(len(seqs))]})
    test_rows = np.flatnonzero(np.arange(len(seqs)) % 5 == 2)
    train_rows = np.setdiff1d(np.arange(len(seqs)), test_rows)
    findings, best = check_train_test_leakage(
        data.iloc[train_rows].reset_index(drop=True), [seqs[i] for i in train_rows],
        data.iloc[test_rows].reset_index(drop=True), [seqs[i] for i in test_rows], threshold=0.9)
    assert (best >= 0.9 - 1e-9).all()


def test_findings_say_how_many_pairs_are_shifted():
    rng = np.random.default_rng(5)
    region = random_sequences(rng, 1, 300)[0]
    train = [region[:200]] + random_sequences(rng, 5, 200)
    test = [region[15:215], train[1][:198] + "AA"]  # a 15 bp shift and 2 substitutions
    data_tr = pd.DataFrame({"id": [f"t{i}" for i in range(len(train))]})
    data_te = pd.DataFrame({"id": ["q0", "q1"]})
    findings, _ = check_train_test_leakage(data_tr, train, data_te, test, threshold=0.9)
    near = next(f for f in findings if f.check == "train_test_near_duplicates")
    assert near.evidence["n_pairs"] == 2 and near.evidence["n_pairs_shifted"] == 1
    assert "1 of the 2 pairs are shifted" in near.message
    finding, _ = check_near_duplicates(pd.DataFrame({"id": ["a", "b", "c"]}),
                                       [region[:200], region[15:215], train[2]], threshold=0.9)
    assert finding.evidence["n_pairs_shifted"] == 1 and "shifted" in finding.message
