"""Every kind of report survives JSON: rebuilt from its JSON it renders the same summary."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from conftest import random_sequences
from skgenqc import DatasetQC, Report
from skgenqc.audit import LeakageAuditor
from skgenqc.datasets import load_enhancers
from skgenqc.model_selection import split_diagnostics
from skgenqc.report import Finding
from skgenqc.report.html import render_summary_html


def _qc_report():
    data = load_enhancers()
    train, test = data[data["split"] == "train"], data[data["split"] == "test"]
    return DatasetQC(checks=["class_sizes", "composition", "duplicates", "leakage"]).run(
        train, X_test=test)


def _pairs_report():
    from skgenqc.datasets import load_mirna_pairs

    pairs = load_mirna_pairs().assign(split=["train"] * 70 + ["test"] * 30)
    return DatasetQC(checks=["pairs", "near_duplicates", "leakage", "intervals"]).run(
        pairs, sequence_columns=["gene", "noncodingRNA"])


def _split_report():
    rng = np.random.default_rng(0)
    n = 60
    folds = np.arange(n) % 3
    return split_diagnostics(folds, y=rng.integers(0, 2, n), groups=np.arange(n) % 7,
                             sequences=random_sequences(rng, n, 60))


def _audit_report():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = rng.integers(0, 2, 80)
    groups = np.arange(80) % 8
    return LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=3,
                          random_state=0).audit(X, y, groups=groups)


def _predictions_report():
    from skgenqc.audit import audit_predictions

    data = load_enhancers()
    train, test = data[data["split"] == "train"], data[data["split"] == "test"]
    rng = np.random.default_rng(0)
    score = test["label"].to_numpy() * 0.3 + rng.uniform(size=len(test))
    return audit_predictions(test["label"], score, train_sequences=train["sequence"].tolist(),
                             test_sequences=test["sequence"].tolist(),
                             train_labels=train["label"], n_permutations=99)


@pytest.mark.parametrize("make", [_qc_report, _pairs_report, _split_report, _audit_report,
                                  _predictions_report],
                         ids=["qc", "pairs", "split", "audit", "predictions"])
def test_report_round_trips_through_json(make):
    report = make()
    text = report.to_json()
    data = json.loads(text)
    assert data["schema"] == "skgenqc.report" and data["schema_version"] == 1
    assert data["provenance"]["skgenqc"] and data["provenance"]["created"]
    back = Report.from_json(text)
    assert render_summary_html(back) == render_summary_html(report)
    pd.testing.assert_frame_equal(back.to_frame(), report.to_frame())
    assert back.to_dict() == report.to_dict()
    for before, after in zip(report.findings, back.findings):
        assert after.evidence.keys() == before.evidence.keys(), before.check
        if before.table is not None:
            assert list(after.table.columns) == list(before.table.columns)
            assert after.table.dtypes.astype(str).tolist() == \
                before.table.dtypes.astype(str).tolist(), before.check


def test_integer_labels_and_table_types_survive(tmp_path):
    finding = Finding("class_sizes", "Class sizes", "warn", pitfall="unbalanced classes",
                      value=3.0, threshold={"warn": 1.5, "fail": 10},
                      evidence={"sizes": {0: 30, 1: 10}, "ratio": 3.0},
                      table=pd.DataFrame({"label": [0, 1], "n": [30, 10], "share": [0.75, 0.25]}))
    path = tmp_path / "r.json"
    Report([finding]).to_json(path)
    back = Report.from_json(path)["class_sizes"]
    assert back.evidence["sizes"] == {0: 30, 1: 10}
    assert back.table["label"].tolist() == [0, 1] and back.table["label"].dtype == np.int64
    frame = Report([back]).to_frame()
    assert frame.loc[0, "warn_threshold"] == 1.5 and frame.loc[0, "fail_threshold"] == 10


def test_thresholds_mean_one_thing_per_column():
    report = Report([Finding("a", "A", "pass", threshold={"warn": 0.6, "fail": 0.7}),
                     Finding("b", "B", "fail", threshold={"warn": 0.6, "fail": 0.7})])
    frame = report.to_frame()
    assert frame["warn_threshold"].tolist() == [0.6, 0.6]
    assert frame["fail_threshold"].tolist() == [0.7, 0.7]


@pytest.mark.parametrize("bad, match", [
    ({"findings": [{"check": "x"}]}, "needs"),
    ({"schema": "other", "findings": []}, "schema"),
    ({"schema": "skgenqc.report", "schema_version": 99, "findings": []}, "version"),
    ([], "findings"),
])
def test_from_dict_rejects_what_it_cannot_read(bad, match):
    with pytest.raises(ValueError, match=match):
        Report.from_dict(bad)


def test_info_never_raises_the_overall_verdict():
    assert Report([Finding("a", "A", "pass"), Finding("b", "B", "info")]).worst_severity == "pass"
    assert Report([Finding("b", "B", "info")]).worst_severity == "info"
    assert Report([]).worst_severity == "info"
    assert Report([Finding("a", "A", "warn"), Finding("b", "B", "info")]).worst_severity == "warn"
    report = Report([Finding("a", "A", "warn")])
    assert report.fails("warn") and not report.fails("fail")
    with pytest.raises(ValueError, match="level"):
        report.fails("info")
