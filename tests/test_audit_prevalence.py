"""Test-fold prevalence graded as a ratio to the data's (either way), with the thresholds of
split diagnostics' ``label_balance``; single-class folds warned before fitting.

Known answers: folds built with a given number of positives per chromosome.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, PredefinedSplit

from skgenqc.audit import LeakageAuditor
from skgenqc.audit import _probes as probes
from skgenqc.audit._registry import AuditContext
from skgenqc.model_selection.diagnostics import LABEL_RATIO_FAIL, LABEL_RATIO_WARN


def _chromosomes(positives, size=500, seed=0):
    """One group per chromosome with ``positives[c]`` positives among ``size`` rows."""
    rng = np.random.default_rng(seed)
    groups = np.concatenate([[c] * size for c in positives])
    y = np.concatenate([[1] * k + [0] * (size - k) for k in positives.values()])
    X = rng.normal(size=(len(y), 3))
    X[:, 0] += y
    return X, y, groups


def _audit(X, y, groups, **kwargs):
    kwargs = {"n_permutations": 0, "n_repeats": 1, "random_state": 0, **kwargs}
    return LeakageAuditor(LogisticRegression(), cv=LeaveOneGroupOut(), **kwargs).audit(
        X, y, groups)


def _probe(y, folds):
    return probes.imbalance(AuditContext(estimator=None, X=None, y=np.asarray(y), folds=folds,
                                         table=pd.DataFrame(columns=["scheme", "score"])))


def test_loco_folds_from_2_to_9_percent_positive_fail():
    # 11, 22, 30, 43 positives of 500: 2.2 % to 8.6 %, 5.3 % in the data. Every absolute
    # deviation is below 0.04, which the old absolute threshold (0.1) passed.
    X, y, groups = _chromosomes({"chr1": 11, "chr2": 22, "chr3": 30, "chr4": 43})
    finding = _audit(X, y, groups)["class_imbalance"]
    data = 106 / 2000
    assert finding.severity == "fail"
    assert finding.value == pytest.approx(data / 0.022)  # 2.41: fold chr1, positives too few
    assert finding.evidence["worst_fold"] == 0 and finding.evidence["worst_class"] == 1
    assert finding.evidence["across_folds_ratio"] == pytest.approx(43 / 11)
    assert finding.evidence["max_fold_deviation"] < 0.04
    assert finding.threshold == {"warn": LABEL_RATIO_WARN, "fail": LABEL_RATIO_FAIL}
    assert "2.2%-8.6%" in finding.message and "2.41" in finding.message
    assert finding.table["share_1"].round(3).tolist() == [0.022, 0.044, 0.06, 0.086]


@pytest.mark.parametrize("positives, expected, ratio", [
    ({"chr1": 25, "chr2": 25, "chr3": 25, "chr4": 25}, "pass", 1.0),      # equal folds
    ({"chr1": 24, "chr2": 25, "chr3": 25, "chr4": 26}, "pass", 25 / 24),  # sampling noise
    ({"chr1": 30, "chr2": 30, "chr3": 30, "chr4": 70}, "warn", 70 / 40),  # one fold high: 1.75
    ({"chr1": 10, "chr2": 30, "chr3": 30, "chr4": 30}, "fail", 25 / 10),  # one fold low: 2.5
])
def test_ratio_grading_both_directions(positives, expected, ratio):
    X, y, groups = _chromosomes(positives)
    finding = _audit(X, y, groups)["class_imbalance"]
    assert finding.value == pytest.approx(ratio)
    assert finding.severity == expected


def test_ratio_uses_the_label_balance_grading_of_split_diagnostics():
    from skgenqc.model_selection import split_diagnostics

    y = np.array([1] * 6 + [0] * 94 + [1] * 14 + [0] * 86)  # folds at 6 % and 14 %, data 10 %
    folds = [(np.arange(100, 200), np.arange(100)), (np.arange(100), np.arange(100, 200))]
    finding = _probe(y, folds)
    assert finding.value == pytest.approx(0.10 / 0.06)
    assert finding.severity == "warn"
    # The same test folds, graded by split_diagnostics against each fold's training set.
    balance = split_diagnostics(folds, y)["label_balance"]
    assert balance.threshold == finding.threshold
    assert balance.severity in ("warn", "fail")


def test_multiclass_prevalence_graded_per_class():
    y = np.array(([0] * 40 + [1] * 40 + [2] * 20) + ([0] * 40 + [1] * 50 + [2] * 10))
    folds = [(np.arange(100, 200), np.arange(100)), (np.arange(100), np.arange(100, 200))]
    finding = _probe(y, folds)
    assert finding.evidence["worst_class"] == 2 and finding.value == pytest.approx(0.15 / 0.10)
    assert finding.severity == "warn"


def test_single_class_fold_is_warned_before_fitting_with_its_group():
    X, y, groups = _chromosomes({"chr1": 25, "chr2": 30, "chr3": 20, "chrY": 0}, size=200)
    auditor = LeakageAuditor(LogisticRegression(), cv=LeaveOneGroupOut(), n_permutations=0,
                             n_repeats=1, random_state=0)
    with pytest.warns(UserWarning, match=r"fold 3 \(group chrY\): the test set holds only "
                                         r"class 0") as record:
        report = auditor.audit(X, y, groups)
    assert len([w for w in record if "single class" in str(w.message)]) == 1
    finding = report["single_class_folds"]
    assert finding.severity == "warn" and finding.evidence["folds"] == [3]
    assert "chrY" in finding.message
    assert finding.table["groups"].tolist() == [["chrY"]]
    blocked = report.scores[report.scores["scheme"] == "blocked"]
    assert np.isnan(blocked["score"].iloc[3]) and "one class" in blocked["error"].iloc[3]
    assert blocked["score"].iloc[:3].notna().all()
    assert report["class_imbalance"].severity == "fail"  # a class absent from a test fold


def test_warning_is_raised_before_the_first_fit():
    X, y, groups = _chromosomes({"chr1": 25, "chrY": 0}, size=100)
    events = []

    class Recording(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            events.append("fit")
            return super().fit(X, y, sample_weight)

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # the warning stops the audit before fitting
        with pytest.raises(UserWarning, match="chrY"):
            LeakageAuditor(Recording(), cv=LeaveOneGroupOut(), n_permutations=0, n_repeats=1,
                           n_jobs=None).audit(X, y, groups)
    assert events == []


def test_no_single_class_fold_no_finding_and_no_warning():
    X, y, groups = _chromosomes({"chr1": 25, "chr2": 25, "chr3": 25})
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        report = _audit(X, y, groups)
    assert "single_class_folds" not in report.to_frame()["check"].tolist()


def test_single_class_training_set_is_named():
    y = np.array([0] * 10 + [1] * 10)
    folds = list(PredefinedSplit(np.r_[np.zeros(10), -np.ones(10)].astype(int)).split())
    found = probes.single_class_folds(folds, y)
    assert found["side"].tolist() == ["test", "training"]
    assert "the training set holds only class 1" in found["description"].iloc[1]
