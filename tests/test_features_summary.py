"""SequenceSummary: exact counts equal to the in-memory code; merges equal the whole."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skgenqc.features import SequenceSummary, composition_table, positional_composition
from skgenqc.features.encoding import pack_sequences
from skgenqc.features.kmers import kmer_count_matrix
from skgenqc.qc.duplicates import check_duplicates
from conftest import random_sequences

ALPHABET = "ACGTacgtNnUuRY"


def _dataset(rng, n=300):
    seqs = random_sequences(rng, n, 40)
    seqs = [s[: rng.integers(1, 41)] for s in seqs]
    seqs = ["".join(c.lower() if rng.random() < 0.1 else c for c in s) for s in seqs]
    seqs[5] = "ACGTNNRYU" + seqs[5]
    seqs[10] = seqs[11].upper()          # exact copy (case ignored), same or other class
    rc = seqs[12][::-1].translate(str.maketrans("ACGTacgt", "TGCAtgca"))
    seqs[13] = rc                          # reverse-complement copy
    seqs[20] = seqs[21] = seqs[22] = "GATTACAGATTACA"
    labels = rng.integers(0, 3, n).tolist()
    return seqs, labels


def test_statistics_equal_the_in_memory_code():
    rng = np.random.default_rng(3)
    seqs, labels = _dataset(rng)
    summary = SequenceSummary(k=3, max_positions=30).update(seqs, labels)
    table = composition_table(seqs)
    labels_arr = np.asarray(labels)
    for label in summary.classes_:
        rows = table[labels_arr == label]
        assert summary.length_counts(label) == rows["length"].astype(int).value_counts().to_dict()
        values, counts = summary.gc_content_counts(label)
        expected = rows["gc_content"].value_counts().sort_index()
        np.testing.assert_array_equal(values, expected.index.to_numpy())
        np.testing.assert_array_equal(counts, expected.to_numpy())
        totals = summary.base_totals().loc[label]
        for base in "ACGTN":
            assert totals[base] == round((rows[base] * rows["length"]).sum())
        assert totals["lowercase"] == round((rows["lowercase"] * rows["length"]).sum())
        di = summary.dinucleotide_totals().loc[label]
        for name in ("AA", "CG", "GT", "TT"):
            expected_di = (rows[name] * np.maximum(rows["length"] - 1, 1)).sum()
            assert di[name] == round(expected_di)
        packed = pack_sequences([s for s, lab in zip(seqs, labels) if lab == label])
        presence, _ = kmer_count_matrix(packed, 3, presence=True)
        np.testing.assert_array_equal(summary.kmer_presence(label),
                                      np.asarray(presence.sum(axis=0)).ravel())
    for from_end in (False, True):
        reference = positional_composition(seqs, labels, max_positions=30, from_end=from_end)
        mine = summary.positional_counts(from_end=from_end)
        assert mine["n"].to_dict() == reference["n"].to_dict()
        fractions = mine[list("ACGTN")].div(mine["n"], axis=0)
        np.testing.assert_allclose(fractions.to_numpy(),
                                   reference.loc[mine.index, list("ACGTN")].to_numpy())


def test_duplicate_counts_equal_check_duplicates():
    rng = np.random.default_rng(4)
    seqs, labels = _dataset(rng, 400)
    seqs += [seqs[0], seqs[1].lower(), "ACGU", "ACGT", "AACCGGTT"]  # U/T strands, palindrome
    labels += [labels[0], 1 - labels[1] if labels[1] < 2 else 0, 0, 0, 1]
    frame = pd.DataFrame({"id": [str(i) for i in range(len(seqs))], "label": labels})
    found = {f.check: f.evidence for f in check_duplicates(frame, seqs)}
    counts = SequenceSummary(k=0).update(seqs, labels).duplicate_counts()
    within = found["duplicates_within_class"]
    assert counts["n_redundant"] == within["n_redundant"]
    assert counts["n_conflicting_sequences"] == found["label_conflicts"][
        "n_conflicting_sequences"]
    assert counts["n_conflict_records"] == found["label_conflicts"]["n_records"]
    rc = found["reverse_complement_duplicates"]
    assert counts["n_reverse_complement_groups"] == rc["n_reverse_complement_groups"] > 0
    assert counts["n_rc_records"] == rc["n_records"]
    assert counts["rc_groups_spanning_labels"] == rc["groups_spanning_labels"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(ALPHABET, max_size=25), st.sampled_from(["a", "b", 7])),
                min_size=0, max_size=60),
       st.lists(st.integers(0, 60), max_size=5), st.randoms(use_true_random=False))
def test_merge_of_shards_equals_the_whole(records, cuts, rnd):
    seqs = [s for s, _ in records]
    labels = [lab for _, lab in records]
    whole = SequenceSummary(k=2, max_positions=8).update(seqs, labels)
    bounds = [0, *sorted(c for c in cuts if c <= len(seqs)), len(seqs)]
    shards = [SequenceSummary(k=2, max_positions=8).update(seqs[a:b], labels[a:b])
              for a, b in zip(bounds[:-1], bounds[1:])]
    rnd.shuffle(shards)  # commutative
    merged = SequenceSummary(k=2, max_positions=8)
    for shard in shards:
        merged.merge(shard)
    assert merged == whole
    if len(shards) >= 3:  # associative: (a + b) + c == a + (b + c)
        left = SequenceSummary(k=2, max_positions=8).merge(shards[0]).merge(shards[1])
        left.merge(shards[2])
        right = SequenceSummary(k=2, max_positions=8).merge(shards[1]).merge(shards[2])
        assert SequenceSummary(k=2, max_positions=8).merge(shards[0]).merge(right) == left
    assert merged.n_sequences_ == len(seqs)
    assert merged.duplicate_counts() == whole.duplicate_counts()


def test_hash_table_memory_is_per_distinct_sequence():
    rng = np.random.default_rng(5)
    seqs = random_sequences(rng, 2000, 50)
    summary = SequenceSummary(k=4)
    for _ in range(5):  # the same sequences five times: no growth of the table
        summary.update(seqs, [0] * len(seqs))
    fixed = SequenceSummary(k=4).update(seqs[:1], [0]).nbytes_ - 20
    assert summary.nbytes_ - fixed == 20 * 2000
    assert summary.duplicate_counts()["n_redundant"] == 4 * 2000


def test_null_and_planted_duplicates():
    rng = np.random.default_rng(6)
    seqs = random_sequences(rng, 1000, 100)
    assert SequenceSummary(k=0).update(seqs).duplicate_counts()["n_redundant"] == 0
    planted = seqs + seqs[:25]
    assert SequenceSummary(k=0).update(planted).duplicate_counts()["n_redundant"] == 25


def test_bad_inputs():
    with pytest.raises(ValueError, match=r"labels has 1 entries but sequences has 2"):
        SequenceSummary().update(["A", "C"], [0])
    with pytest.raises(ValueError, match=r"sequences\[1\] is missing"):
        SequenceSummary().update(["A", None])
    with pytest.raises(TypeError, match=r"single str"):
        SequenceSummary().update("ACGT")
    with pytest.raises(ValueError, match=r"'k' parameter of SequenceSummary"):
        SequenceSummary(k=7).update(["ACGT"])
    with pytest.raises(ValueError, match=r"'k' parameter of SequenceSummary"):
        SequenceSummary(k=True).update(["ACGT"])
    with pytest.raises(ValueError, match=r"cannot merge a summary with k=3"):
        SequenceSummary(k=2).merge(SequenceSummary(k=3))
    with pytest.raises(TypeError, match=r"other must be a SequenceSummary"):
        SequenceSummary().merge({})
    with pytest.raises(ValueError, match=r"label 'x' is not in the summary"):
        SequenceSummary().update(["AC"]).length_counts("x")


@pytest.mark.parametrize("gc_shift", [0.0, 0.08])
def test_separability_from_the_summary_is_exact(gc_shift):
    from skgenqc.qc.separability import binary_separability, separability_from_summary

    rng = np.random.default_rng(8)
    pos = random_sequences(rng, 700, 120, gc=0.5 + gc_shift)
    neg = random_sequences(rng, 500, 120, gc=0.5)
    neg = [s[: rng.integers(90, 121)] for s in neg]
    seqs, labels = pos + neg, [1] * 700 + [0] * 500
    shards = [SequenceSummary(k=0).update(seqs[a:a + 300], labels[a:a + 300])
              for a in range(0, 1200, 300)]
    summary = shards[0]
    for shard in shards[1:]:
        summary.merge(shard)
    table = composition_table(seqs)
    positive = np.asarray(labels) == 1
    for feature in ("gc_content", "length"):
        expected = binary_separability(table[feature].to_numpy(), positive)
        got = separability_from_summary(summary, feature, 1, 0)
        assert got == expected
    gc = separability_from_summary(summary, "gc_content", 1, [0])
    if gc_shift:   # planted signal is found
        assert gc["auroc"] > 0.8 and gc["p_value"] < 1e-10
    else:          # null: no signal
        assert gc["auroc"] < 0.6 and gc["p_value"] > 1e-3
