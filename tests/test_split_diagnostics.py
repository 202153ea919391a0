"""Every finding of split_diagnostics reaches each severity it can have (pass / warn / fail)."""

import numpy as np
import pytest

from conftest import random_sequences
from skgenqc.model_selection import split_diagnostics


def _one_split(n_train, n_test):
    return np.array(["train"] * n_train + ["test"] * n_test)


# --------------------------------------------------------------------------- fold sizes
@pytest.mark.parametrize("sizes, severity", [((10, 10), "pass"), ((10, 14), "pass"),
                                             ((10, 15), "warn"), ((10, 29), "warn"),
                                             ((10, 30), "fail")])
def test_fold_sizes_grades_the_size_ratio(sizes, severity):
    folds = np.repeat([0, 1], sizes)
    finding = split_diagnostics(folds)["fold_sizes"]
    assert finding.severity == severity
    assert finding.value == pytest.approx(max(sizes) / min(sizes))


def test_a_sample_in_both_train_and_test_fails():
    clean = [(np.arange(5, 10), np.arange(5)), (np.arange(5), np.arange(5, 10))]
    assert split_diagnostics(clean)["fold_sizes"].severity == "pass"
    leaky = [(np.arange(4, 10), np.arange(5)), (np.arange(5), np.arange(5, 10))]
    finding = split_diagnostics(leaky)["fold_sizes"]
    assert finding.severity == "fail"
    assert finding.evidence["train_test_overlap"] == [1, 0]
    assert "both train and test" in finding.message


# --------------------------------------------------------------------------- label balance
@pytest.mark.parametrize("test_positives, severity, ratio", [
    (10, "pass", 1.0),        # 50 % in test as in training
    (9, "pass", 10 / 9),      # 45 % vs 50 %: below 1.25
    (7, "warn", 0.5 / 0.35),  # 35 % vs 50 %
    (4, "fail", 0.5 / 0.2),   # 20 % vs 50 %: more than twofold
    (0, "fail", np.inf),      # a class missing from the test fold
])
def test_label_balance_grades_test_vs_train_prevalence(test_positives, severity, ratio):
    y = np.r_[np.tile([0, 1], 10), np.ones(test_positives, int), np.zeros(20 - test_positives, int)]
    finding = split_diagnostics(_one_split(20, 20), y)["label_balance"]
    assert finding.severity == severity
    assert finding.value == pytest.approx(ratio)
    assert finding.evidence["folds_missing_a_class"] == int(test_positives == 0)


def test_label_balance_thresholds_are_the_documented_ones():
    finding = split_diagnostics(_one_split(20, 20), np.r_[np.tile([0, 1], 20)])["label_balance"]
    assert finding.threshold == {"warn": 1.25, "fail": 2.0}


def test_label_balance_fails_when_a_class_is_missing_from_training():
    y = np.r_[np.zeros(20, int), np.tile([0, 1], 10)]
    assert split_diagnostics(_one_split(20, 20), y)["label_balance"].severity == "fail"


# --------------------------------------------------------------------------- shared ids
def test_groups_across_split_pass_and_fail():
    split = _one_split(4, 2)
    assert split_diagnostics(split, groups=list("aabbbc"))["groups_across_split"].severity == "fail"
    assert split_diagnostics(split, groups=list("aaaacc"))["groups_across_split"].severity == "pass"


def test_chromosomes_across_split_pass_and_fail_with_any_naming():
    split = _one_split(2, 2)
    shared = split_diagnostics(split, chromosomes=["chr1", "chr2", "1", "chr3"])
    assert shared["chromosomes_across_split"].severity == "fail"
    contig = split_diagnostics(split, chromosomes=["chr1", "chr2", "chr1_KI270706v1_random",
                                                   "chr3"])
    assert contig["chromosomes_across_split"].severity == "fail"
    clean = split_diagnostics(split, chromosomes=["chr1", "1", "chr2", "2"])
    assert clean["chromosomes_across_split"].severity == "pass"


# --------------------------------------------------------------------------- pairs
@pytest.mark.parametrize("n_c1, severity", [(0, "pass"), (1, "warn"), (5, "fail"), (10, "fail")])
def test_pair_classes_grades_the_share_of_c1_test_pairs(n_c1, severity):
    train = [[f"a{i}", f"b{i}"] for i in range(10)]
    test = [[f"a{i}", f"b{i}"] for i in range(n_c1)] + [[f"c{i}", f"d{i}"]
                                                        for i in range(10 - n_c1)]
    finding = split_diagnostics(_one_split(10, 10), pairs=np.array(train + test))["pair_classes"]
    assert finding.severity == severity
    assert finding.evidence["C1"] == n_c1 and finding.evidence["C3"] == 10 - n_c1


# --------------------------------------------------------------------------- similarity
@pytest.mark.parametrize("n_copies, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_similarity_to_training_pass_warn_fail(n_copies, severity):
    rng = np.random.default_rng(0)
    seqs = random_sequences(rng, 200, 80)
    for i in range(n_copies):          # test sequence 100 + i is a copy of training sequence i
        seqs[100 + i] = seqs[i]
    finding = split_diagnostics(_one_split(100, 100), sequences=seqs)["test_similarity_to_train"]
    assert finding.severity == severity
    assert finding.evidence["n_above_threshold"] == n_copies
