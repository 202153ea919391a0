"""QC inputs that used to crash or run for minutes: empty sequences among the records, a label
column with one value per row (an id given by mistake), more classes than DatasetQC compares.
"""

import numpy as np
import pandas as pd
import pytest

from skgenqc.qc import DatasetQC
from skgenqc.qc import dataset as dataset_module
from skgenqc.qc.dataset import MAX_CLASSES


def _random(n, length=80, seed=0):
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]


def test_an_empty_sequence_is_counted_by_alphabet_and_left_out_of_the_rest():
    seqs = _random(80)
    seqs[3] = ""
    y = np.arange(80) % 2
    report = DatasetQC().run(seqs, y)  # used to crash: NaN reached the shortcut model
    alphabet = report["alphabet"]
    assert alphabet.severity == "fail"
    assert alphabet.evidence["n_empty"] == 1 and alphabet.evidence["empty_ids"] == ["3"]
    assert alphabet.evidence["n_empty_left_out"] == 1
    assert "left out of every other check" in alphabet.message
    assert report["shortcut_score"].evidence["n_samples"] == 79
    assert report["class_sizes"].evidence["sizes"] == {0: 40, 1: 39}  # row 3 was class 1
    assert report["gc_content"].value == report["gc_content"].value  # a number, not NaN
    assert report.metadata["n_empty_left_out"] == 1 and report.metadata["n_sequences"] == 80
    checks = set(report.to_frame()["check"])
    assert {"length", "gc_content", "positional_composition", "kmer_enrichment",
            "shortcut_score", "near_duplicates"} <= checks


def test_empty_sequences_do_not_count_as_duplicates():
    seqs = _random(40)
    seqs[1] = seqs[3] = ""  # two empty records of one class would be one duplicate group
    report = DatasetQC(checks=["alphabet", "duplicates"]).run(seqs, np.arange(40) % 2)
    assert report["alphabet"].evidence["n_empty"] == 2
    duplicates = report["duplicates_within_class"]
    assert duplicates.severity == "pass" and duplicates.evidence["n_redundant"] == 0


def test_an_empty_test_sequence_is_counted_and_left_out_of_leakage():
    train, test = _random(40), _random(20, seed=1)
    test[0] = ""
    report = DatasetQC(checks=["alphabet", "leakage"]).run(
        train, np.arange(40) % 2, X_test=test, y_test=np.arange(20) % 2)
    alphabet = report["alphabet"]
    assert alphabet.severity == "fail" and alphabet.evidence["n_empty_test"] == 1
    assert alphabet.evidence["empty_test_ids"] == ["0"]
    assert "1 empty test sequence(s)" in alphabet.message
    assert report.metadata["n_empty_left_out_test"] == 1
    assert report["train_test_exact"].severity == "pass"


def test_only_empty_sequences_is_an_error():
    with pytest.raises(ValueError, match=r"every sequence of X is empty \(3 records\)"):
        DatasetQC().run(["", "", ""], [0, 1, 0])


def _no_context(*args, **kwargs):
    raise AssertionError("a check ran: the label should have been refused before any")


def test_a_label_with_one_value_per_row_is_refused_before_any_check(monkeypatch):
    monkeypatch.setattr(dataset_module, "QCContext", _no_context)
    ids = [f"ENSG{i:08d}" for i in range(500)]
    with pytest.raises(ValueError, match=r"as many distinct values as rows \(500; e\.g\. "
                                         r"'ENSG00000000'.*looks like an id column"):
        DatasetQC().run(_random(500, length=30), ids)


def test_more_classes_than_the_limit_are_refused_before_any_check(monkeypatch):
    monkeypatch.setattr(dataset_module, "QCContext", _no_context)
    n = MAX_CLASSES + 1
    labels = np.repeat([f"c{i}" for i in range(n)], 2)
    with pytest.raises(ValueError, match=rf"has {n} classes, more than the {MAX_CLASSES} "
                                         rf"DatasetQC compares .*101 comparisons"):
        DatasetQC().run(_random(2 * n, length=30), labels)


def test_the_class_limit_itself_is_accepted_and_continuous_targets_never_refused():
    assert MAX_CLASSES == 100
    labels = np.repeat([f"c{i}" for i in range(MAX_CLASSES)], 2)
    report = DatasetQC(checks=["class_sizes"]).run(_random(2 * MAX_CLASSES, length=30), labels)
    assert report["class_sizes"].evidence["ratio"] == 1.0
    values = np.linspace(0.1, 9.9, 300)  # one distinct value per row, but a continuous target
    report = DatasetQC(checks=["class_sizes"]).run(_random(300, length=30), values)
    assert report.metadata["target_type"] == "continuous"


def test_two_rows_two_labels_is_still_a_dataset():
    report = DatasetQC(checks=["class_sizes"]).run(["ACGTACGT", "GGCCGGCC"], [0, 1])
    assert report["class_sizes"].severity == "pass"


def test_label_column_in_a_frame_is_named():
    frame = pd.DataFrame({"sequence": _random(5, length=20), "label": list("abcde")})
    with pytest.raises(ValueError, match="the label column of X has as many distinct values"):
        DatasetQC().run(frame)
