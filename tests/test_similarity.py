"""Known-answer and property tests of the built-in similarity search."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import mutate, random_sequences
from skgenqc.features.encoding import reverse_complement
from skgenqc.features.similarity import best_identity, find_similar_pairs, seed_plan


@pytest.mark.parametrize("length", [12, 15, 20, 25, 50, 200, 500])
def test_finds_every_planted_copy(length):
    """Every planted exact, reverse-complement and 97 % identity copy is found, at any length."""
    rng = np.random.default_rng(length)
    train = random_sequences(rng, 3000, length)
    test = random_sequences(rng, 600, length)
    planted = {}
    for i in range(0, 50):
        test[i] = train[i + 7].lower()
        planted[i] = (i + 7, "exact")
    for i in range(50, 100):
        test[i] = reverse_complement(train[i + 7])
        planted[i] = (i + 7, "reverse_complement")
    if length >= 34:  # below that, 97 % identity allows no substitution at all
        for i in range(100, 150):
            test[i] = mutate(rng, train[i + 7], 0.97)
            planted[i] = (i + 7, "near")
        for i in range(150, 200):
            test[i] = reverse_complement(mutate(rng, train[i + 7], 0.97))
            planted[i] = (i + 7, "near")
    pairs = find_similar_pairs(test, train, threshold=0.9)
    found = {(q, t): k for q, t, k in zip(pairs["query"], pairs["target"], pairs["kind"])}
    for q, (t, kind) in planted.items():
        assert (q, t) in found, f"planted {kind} copy {q}->{t} at length {length} missed"
        assert found[(q, t)] == kind
    near = pairs[pairs["kind"] == "near"]
    assert (near["identity"] >= 0.9).all()


def test_identity_is_coverage_aware():
    """A short sequence inside a long one is not a near-copy of it."""
    rng = np.random.default_rng(1)
    long = random_sequences(rng, 1, 200)[0]
    pairs = find_similar_pairs([long[50:70]], [long], threshold=0.9)
    assert len(pairs) == 0


def test_identity_value_matches_edit_distance():
    rng = np.random.default_rng(2)
    a = random_sequences(rng, 1, 100)[0]
    b = mutate(rng, a, 0.95)  # 5 substitutions
    pairs = find_similar_pairs([b], [a], threshold=0.9)
    assert pairs["identity"].tolist() == [pytest.approx(0.95)]
    assert pairs["strand"].tolist() == ["+"]


def test_within_set_reports_each_pair_once():
    rng = np.random.default_rng(3)
    seqs = random_sequences(rng, 200, 80)
    seqs[10] = seqs[3]
    seqs[20] = reverse_complement(seqs[3])
    seqs[30] = mutate(rng, seqs[5], 0.95)
    pairs = find_similar_pairs(seqs, threshold=0.9)
    got = set(zip(pairs["query"], pairs["target"]))
    assert {(3, 10), (3, 20), (10, 20), (5, 30)} <= got
    assert all(q < t for q, t in got)


def test_threshold_validation():
    with pytest.raises(ValueError, match="threshold=0.3"):
        find_similar_pairs(["ACGT"], ["ACGT"], threshold=0.3)
    with pytest.raises(TypeError, match="single str"):
        find_similar_pairs("ACGT", ["ACGT"])


def test_seed_plan_guarantee():
    """The pigeonhole k leaves one error-free window of k bases for the allowed edits."""
    for length in range(12, 400, 7):
        for t in (0.8, 0.9, 0.95, 0.97):
            k = int(seed_plan(t, [length], max_k=64)[0])
            edits = int(np.floor((1 - t) * length + 1e-9))
            # d edits leave length - d untouched bases in d + 1 runs: one holds k.
            assert k == 0 or (edits + 1) * (k - 1) < length - edits


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="ACGTN", min_size=0, max_size=40), min_size=1, max_size=25),
       st.sampled_from([0.8, 0.9, 1.0]))
def test_pairs_are_true_and_symmetric_under_swap(seqs, threshold):
    """Every reported pair really is at or above the threshold, and the search is symmetric."""
    from rapidfuzz.distance import Levenshtein

    half = len(seqs) // 2 or 1
    q, t = seqs[:half], seqs[half:] or seqs[:1]
    pairs = find_similar_pairs(q, t, threshold=threshold)
    for i, j, ident, strand in zip(pairs["query"], pairs["target"], pairs["identity"], pairs["strand"]):
        a = q[i].upper() if strand == "+" else reverse_complement(q[i].upper())
        b = t[j].upper()
        longest = max(len(a), len(b))
        assert ident >= threshold - 1e-12
        if longest:
            assert 1 - Levenshtein.distance(a, b) / longest == pytest.approx(ident)
    swapped = find_similar_pairs(t, q, threshold=threshold)
    assert set(zip(pairs["query"], pairs["target"])) == set(zip(swapped["target"], swapped["query"]))


def test_exact_copies_found_exhaustively():
    """Exact copies are found by hashing whatever their length or content (property)."""
    seqs = ["ACGT" * 3, "A" * 12, "ACGTN" * 4, "a" * 12]
    pairs = find_similar_pairs(seqs, seqs, threshold=1.0)
    got = set(zip(pairs["query"], pairs["target"]))
    assert {(0, 0), (1, 1), (1, 3), (3, 1), (2, 2)} <= got


def test_best_identity():
    rng = np.random.default_rng(4)
    train = random_sequences(rng, 50, 100)
    test = [train[0], random_sequences(rng, 1, 100)[0]]
    best = best_identity(find_similar_pairs(test, train), len(test))
    assert best[0] == 1.0 and best[1] == 0.0


def test_chunked_target_index_gives_the_same_pairs(monkeypatch):
    """The target set is indexed in chunks; chunking must not change the result."""
    import skgenqc.features.similarity as similarity

    rng = np.random.default_rng(11)
    train = random_sequences(rng, 500, 120)
    test = random_sequences(rng, 200, 120)
    for i in range(40):
        test[i] = mutate(rng, train[i * 12], 0.95)
        test[i + 40] = reverse_complement(train[i * 12 + 1])
    whole = find_similar_pairs(test, train)
    monkeypatch.setattr(similarity, "_TARGET_CHUNK", 37)
    chunked = find_similar_pairs(test, train)
    pd.testing.assert_frame_equal(whole, chunked)
    assert len(whole) >= 80
