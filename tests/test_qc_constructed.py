"""Known answers of the constructed-negatives check: planted twins and constants are found,
random data and label-free structure (twins within one class, a segment in every class) pass."""

import numpy as np
import pandas as pd
import pytest

from conftest import dinucleotide_shuffle, random_sequences
from skgenqc import DatasetQC
from skgenqc.qc import (
    check_constructed_negatives,
    check_library_constants,
    composition_twin_pairs,
    dinucleotide_signatures,
    positional_twin_pairs,
)

ADAPTER = "AGATCGGAAGAGCACACG"


def _frame(labels, prefix="s"):
    return pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(labels))], "label": labels})


def _keep_flanks(rng, seq, flank=30):
    """A negative made from a positive by replacing its centre: both flanks stay in place."""
    centre = random_sequences(rng, 1, len(seq) - 2 * flank)[0]
    return seq[:flank] + centre + seq[len(seq) - flank:]


def _planted(kind, n_planted, n=100, length=100, seed=0):
    rng = np.random.default_rng(seed)
    pos, neg = random_sequences(rng, n, length), random_sequences(rng, n, length)
    make = dinucleotide_shuffle if kind == "composition" else _keep_flanks
    for i in range(n_planted):
        neg[i] = make(rng, pos[i])
    return _frame([1] * n + [0] * n), pos + neg


def _by_check(findings):
    return {f.check: f for f in findings}


def test_dinucleotide_shuffle_helper_keeps_what_it_promises():
    rng = np.random.default_rng(3)
    for seq in random_sequences(rng, 50, 80):
        shuffled = dinucleotide_shuffle(rng, seq)
        assert shuffled != seq
        assert (shuffled[0], shuffled[-1]) == (seq[0], seq[-1])
        assert (dinucleotide_signatures([seq]) == dinucleotide_signatures([shuffled])).all()


def test_signatures_are_the_kmer_counts():
    sig = dinucleotide_signatures(["AACGT", "aacgt", "AANGT"])
    assert sig[0].tolist() == sig[1].tolist()
    assert sig[0, 0] == 5 and sig[0, 1:].sum() == 4
    assert sig[2, 1:].sum() == 2  # pairs with N count towards no dinucleotide


def test_shuffled_negatives_are_composition_twins_with_their_ids():
    data, seqs = _planted("composition", 30)
    found = _by_check(check_constructed_negatives(data, seqs))
    twins = found["composition_twins"]
    assert twins.severity == "fail"
    assert twins.evidence["n_records_with_opposite_label_twin"] == 60
    assert twins.evidence["p_adjusted"] < 0.001
    assert twins.evidence["null_mean"] < 40
    planted = {(f"s{i}", f"s{100 + i}") for i in range(30)}
    assert set(zip(twins.table["id_a"], twins.table["id_b"])) == planted
    assert twins.recommendation
    assert found["positional_twins"].severity == "pass"


def test_kept_flanks_are_positional_twins():
    data, seqs = _planted("positional", 30)
    found = _by_check(check_constructed_negatives(data, seqs))
    twins = found["positional_twins"]
    assert twins.severity == "fail"
    assert twins.evidence["n_opposite_label_pairs"] == 30
    assert (twins.table["longest_shared_run"] >= 30).all()
    assert found["composition_twins"].severity == "pass"


@pytest.mark.parametrize("seed", range(6))
def test_random_data_with_random_labels_passes(seed):
    rng = np.random.default_rng(100 + seed)
    seqs = random_sequences(rng, 300, 60)
    data = _frame(rng.permutation([0] * 150 + [1] * 150))
    findings = check_constructed_negatives(data, seqs, random_state=seed)
    findings.append(check_library_constants(data, seqs, random_state=seed))
    assert all(f.severity == "pass" for f in findings), [(f.check, f.message) for f in findings]


def test_twins_within_one_class_are_not_constructed_negatives():
    # Shuffles of positives labelled positive: twins everywhere, but never across the labels
    # more than relabelling gives (the biology can make similar sequences in one class).
    rng = np.random.default_rng(5)
    pos = random_sequences(rng, 100, 100)
    pos[50:] = [dinucleotide_shuffle(rng, s) for s in pos[:50]]
    neg = random_sequences(rng, 100, 100, gc=0.6)
    found = _by_check(check_constructed_negatives(_frame([1] * 100 + [0] * 100), pos + neg))
    assert found["composition_twins"].evidence["n_twin_pairs"] == 50
    assert found["composition_twins"].severity == "pass"


def test_twins_of_both_labels_at_chance_pass():
    # Twin pairs whose labels are drawn at random: as many mixed pairs as relabelling gives.
    rng = np.random.default_rng(8)
    base = random_sequences(rng, 100, 80)
    seqs = base + [dinucleotide_shuffle(rng, s) for s in base]
    labels = rng.integers(0, 2, size=200)
    finding = check_constructed_negatives(_frame(labels), seqs)[0]
    assert finding.evidence["n_twin_pairs"] == 100
    assert finding.severity == "pass"


def test_train_test_twins_count_test_records():
    rng = np.random.default_rng(1)
    train_seqs = random_sequences(rng, 200, 100)
    train = _frame([1] * 100 + [0] * 100, "tr")
    test_seqs = random_sequences(rng, 100, 100)
    for i in range(25):  # test negatives shuffled from training positives
        test_seqs[50 + i] = dinucleotide_shuffle(rng, train_seqs[i])
    test = _frame([1] * 50 + [0] * 50, "te")
    found = _by_check(check_constructed_negatives(train, train_seqs, test, test_seqs,
                                                  split_name="train"))
    assert set(found) == {"composition_twins_train", "positional_twins_train",
                          "composition_twins_train_test", "positional_twins_train_test"}
    cross = found["composition_twins_train_test"]
    assert cross.severity == "fail"
    assert cross.evidence["n_records_with_opposite_label_twin"] == 25
    assert cross.evidence["n_records"] == 100
    assert set(cross.evidence["example_ids"]) <= {f"te{50 + i}" for i in range(25)}
    assert found["composition_twins_train"].severity == "pass"


@pytest.mark.parametrize("share, severity", [(0.0, "pass"), (0.3, "fail")])
def test_adapter_in_a_share_of_positives(share, severity):
    rng = np.random.default_rng(2)
    seqs = random_sequences(rng, 200, 80)
    k = int(share * 100)
    seqs[:k] = [ADAPTER + s[len(ADAPTER):] for s in seqs[:k]]
    finding = check_library_constants(_frame([1] * 100 + [0] * 100), seqs)
    assert finding.severity == severity
    if k:
        assert finding.evidence["segment"] in ADAPTER
        assert finding.evidence["position"] == ADAPTER.index(finding.evidence["segment"])
        assert finding.evidence["share_in_class"] == pytest.approx(share)
        assert set(finding.evidence["example_ids"]) <= {f"s{i}" for i in range(k)}


def test_adapter_at_the_end_of_sequences_of_several_lengths():
    rng = np.random.default_rng(4)
    seqs = [s[:rng.integers(60, 90)] for s in random_sequences(rng, 200, 90)]
    seqs[:40] = [s + ADAPTER for s in seqs[:40]]
    finding = check_library_constants(_frame([1] * 100 + [0] * 100), seqs)
    assert finding.severity == "fail"
    assert finding.evidence["form"] == "from_end"


def test_adapter_anywhere_is_at_most_a_warn():
    rng = np.random.default_rng(6)
    seqs = random_sequences(rng, 200, 100)
    for i in range(40):
        at = int(rng.integers(0, 100 - len(ADAPTER)))
        seqs[i] = seqs[i][:at] + ADAPTER + seqs[i][at + len(ADAPTER):]
    finding = check_library_constants(_frame([1] * 100 + [0] * 100), seqs)
    assert finding.severity == "warn"
    assert finding.evidence["form"] == "anywhere"
    assert "at most a warn" in finding.message


def test_adapter_in_every_class_passes():
    rng = np.random.default_rng(7)
    seqs = [ADAPTER + s for s in random_sequences(rng, 200, 60)]
    finding = check_library_constants(_frame([1] * 100 + [0] * 100), seqs)
    assert finding.severity == "pass"
    # The largest difference is a 12-mer across the adapter's end, at chance level.
    assert finding.evidence["p_adjusted"] >= 0.01
    assert finding.evidence["segment"] not in ADAPTER


def test_pair_searches_skip_identical_sequences():
    a, b, _ = composition_twin_pairs(["ACGTAC", "ACGTAC", "acgtac"])
    assert len(a) == 0
    a, b, _ = positional_twin_pairs(["ACGTACGTAA", "ACGTACGTAA"], min_segment=5)
    assert len(a) == 0


def test_registered_check_in_dataset_qc_with_a_test_set():
    data, seqs = _planted("composition", 30)
    train = data.assign(sequence=seqs)
    rng = np.random.default_rng(9)
    test = _frame([1] * 20 + [0] * 20, "te").assign(sequence=random_sequences(rng, 40, 100))
    report = DatasetQC(checks=["constructed"]).run(train, X_test=test)
    names = {f.check for f in report}
    assert names == {"composition_twins_train", "positional_twins_train", "composition_twins_test",
                     "positional_twins_test", "composition_twins_train_test",
                     "positional_twins_train_test", "library_constant_train"}
    assert report["composition_twins_train"].severity == "fail"
    assert report["composition_twins_test"].severity == "pass"


def test_one_class_is_not_a_pass():
    finding = check_library_constants(_frame([1] * 10), random_sequences(
        np.random.default_rng(0), 10, 30))
    assert finding.severity == "info"


@pytest.mark.parametrize("call, match", [
    (lambda: check_constructed_negatives(pd.DataFrame({"id": ["a"]}), ["ACGT"]),
     "'id' and 'label'"),
    (lambda: check_constructed_negatives(_frame([0, 1]), ["ACGT"]), "2 rows but 1 sequences"),
    (lambda: check_constructed_negatives(_frame([0.0, np.nan]), ["ACGT", "ACGA"]), "NaN"),
    (lambda: check_constructed_negatives(_frame([0, 1]), ["ACGT", "ACGA"], min_segment=1),
     "min_segment=1"),
    (lambda: check_library_constants(_frame([0, 1]), ["ACGT", "ACGA"], k=40), "k=40"),
    (lambda: check_library_constants(_frame([0, 1]), ["ACGT", "ACGA"], min_share=0),
     "min_share=0"),
    (lambda: check_library_constants(["ACGT"], ["ACGT"]), "DataFrame"),
])
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_real_data(shared_data):
    from skgenqc.io import read_fasta

    folder = shared_data / "genbenchqc_examples"
    pos = read_fasta(folder / "G4_positives.fasta")
    neg = read_fasta(folder / "G4_negatives.fasta")
    frame = pd.concat([pos.assign(label="G4"), neg.assign(label="neg")], ignore_index=True)
    report = DatasetQC(checks=["constructed"]).run(frame)
    assert report["composition_twins"].evidence["n_records"] == 200
    assert all(f.severity != "fail" for f in report)
    train = pd.read_csv(folder / "enhancers_train.csv")
    test = pd.read_csv(folder / "enhancers_test.csv")
    report = DatasetQC(checks=["constructed"]).run(train, X_test=test)
    assert report["composition_twins_train_test"].evidence["n_records"] == len(test)
    assert all(f.severity != "fail" for f in report)
