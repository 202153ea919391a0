"""Known-answer tests of the dataset checks on generated data with planted signal."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import average_precision_score, roc_auc_score

from conftest import random_sequences
from skgenqc import DatasetQC
from skgenqc.features.encoding import reverse_complement
from skgenqc.qc.separability import binary_separability


def _frame(seqs, labels, prefix="s"):
    return pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(seqs))], "sequence": seqs,
                         "label": labels})


def test_planted_gc_shortcut_fails_and_balanced_passes():
    rng = np.random.default_rng(0)
    pos = random_sequences(rng, 400, 150, gc=0.6)
    neg = random_sequences(rng, 400, 150, gc=0.4)
    report = DatasetQC(checks=["composition", "shortcut"]).run(_frame(pos + neg, [1] * 400 + [0] * 400))
    assert report["gc_content"].severity == "fail"
    assert report["gc_content"].value > 0.9
    assert report["shortcut_score"].severity == "fail"
    assert report["length"].severity == "pass"
    same = random_sequences(rng, 800, 150, gc=0.5)
    report = DatasetQC(checks=["composition", "shortcut"]).run(_frame(same, [1] * 400 + [0] * 400))
    assert report["gc_content"].severity == "pass"
    assert report["shortcut_score"].severity == "pass"
    assert report["shortcut_score"].value < 0.65


def test_duplicates_conflicts_and_reverse_complements_name_the_ids():
    rng = np.random.default_rng(1)
    seqs = random_sequences(rng, 100, 60)
    labels = [0] * 50 + [1] * 50
    seqs[1] = seqs[0].lower()            # within-class duplicate (case-insensitive)
    seqs[60] = seqs[10]                  # label conflict: s10 (0) and s60 (1)
    seqs[20] = reverse_complement(seqs[30])  # reverse-complement copy within class 0
    report = DatasetQC(checks=["duplicates"]).run(_frame(seqs, labels))
    dup = report["duplicates_within_class"]
    assert dup.evidence["n_redundant"] == 1
    assert dup.table["ids"].tolist() == ["s0, s1"]
    conflict = report["label_conflicts"]
    assert conflict.severity == "fail"
    assert conflict.table["ids"].tolist() == ["s10, s60"]
    rc = report["reverse_complement_duplicates"]
    assert rc.evidence["n_reverse_complement_groups"] == 1
    assert set(rc.table["ids"].iloc[0].split(", ")) == {"s20", "s30"}


def test_small_classes_are_scored_with_an_interval():
    rng = np.random.default_rng(2)
    pos = random_sequences(rng, 6, 100, gc=0.7)
    neg = random_sequences(rng, 6, 100, gc=0.3)
    report = DatasetQC(checks=["composition"]).run(_frame(pos + neg, [1] * 6 + [0] * 6))
    gc = report["gc_content"]
    assert gc.severity == "info"  # fewer than min_class_size=10: no verdict, but numbers
    assert gc.value == 1.0
    low, high = gc.evidence["auroc_ci95"]
    assert low < 1.0 and high == 1.0
    report = DatasetQC(checks=["composition"], min_class_size=5).run(
        _frame(pos + neg, [1] * 6 + [0] * 6))
    # A perfect separation of 6 vs 6 is graded on its evidence: p = 0.005 (no test on six
    # sequences per class gets below 2 / C(12, 6) = 0.002), enough for a warn, not a fail.
    assert report["gc_content"].severity == "warn"
    assert report["gc_content"].evidence["p_adjusted"] == pytest.approx(0.0051, abs=5e-4)


def test_multiclass_all_pairs_and_one_vs_rest():
    rng = np.random.default_rng(3)
    seqs = (random_sequences(rng, 100, 100, gc=0.5) + random_sequences(rng, 100, 100, gc=0.5)
            + random_sequences(rng, 100, 100, gc=0.7))
    labels = ["a"] * 100 + ["b"] * 100 + ["c"] * 100
    report = DatasetQC(checks=["composition", "shortcut"]).run(_frame(seqs, labels))
    table = report["gc_content"].table
    assert set(table["comparison"]) == {"a vs b", "a vs c", "b vs c", "a vs rest", "b vs rest",
                                        "c vs rest"}
    assert report["gc_content"].evidence["comparison"] in {"a vs c", "b vs c", "c vs rest"}
    ab = table[table["comparison"] == "a vs b"]["auroc"].iloc[0]
    assert ab < 0.65
    assert report["shortcut_score"].value > 0.7


def test_continuous_target_uses_ranks():
    rng = np.random.default_rng(4)
    gcs = rng.uniform(0.3, 0.7, 300)
    seqs = [random_sequences(rng, 1, 120, gc=g)[0] for g in gcs]
    report = DatasetQC(checks=["composition"]).run(_frame(seqs, gcs + rng.normal(0, 0.02, 300)))
    assert report.metadata["target_type"] == "continuous"
    gc = report["gc_content"]
    assert gc.severity == "fail"
    assert gc.evidence["spearman_rho"] > 0.8


def test_train_test_given_as_split_column_equals_two_inputs():
    rng = np.random.default_rng(5)
    train = _frame(random_sequences(rng, 200, 80), [0, 1] * 100, "tr")
    test = _frame(random_sequences(rng, 50, 80), [0, 1] * 25, "te")
    test.loc[3, "sequence"] = reverse_complement(train.loc[7, "sequence"])
    a = DatasetQC(checks=["leakage"]).run(train, X_test=test)
    both = pd.concat([train.assign(split="train"), test.assign(split="test")])
    b = DatasetQC(checks=["leakage"]).run(both)
    for report in (a, b):
        rc = report["train_test_reverse_complement"]
        assert rc.table[["test_id", "train_id"]].values.tolist() == [["te3", "tr7"]]


def test_lists_in_memory_work():
    rng = np.random.default_rng(6)
    seqs = random_sequences(rng, 40, 50)
    report = DatasetQC(checks=["alphabet", "class_sizes", "duplicates"]).run(seqs, [0, 1] * 20)
    assert report["class_sizes"].severity == "pass"
    assert report["class_sizes"].evidence["sizes"] == {0: 20, 1: 20}
    assert report.to_frame()["check"].tolist() == [
        "alphabet", "lowercase_share", "class_sizes", "duplicates_within_class",
        "label_conflicts", "reverse_complement_duplicates"]


def test_report_serialises_every_number(tmp_path):
    import json

    rng = np.random.default_rng(7)
    seqs = random_sequences(rng, 60, 50)
    seqs[1] = seqs[0]
    report = DatasetQC(checks=["duplicates", "composition"]).run(_frame(seqs, [0, 1] * 30))
    data = json.loads(report.to_json(tmp_path / "r.json"))
    assert (tmp_path / "r.json").exists()
    dup = next(f for f in data["findings"] if f["check"] == "duplicates_within_class")
    assert dup["evidence"]["n_redundant"] == 0  # s0 and s1 are in different classes
    conflict = next(f for f in data["findings"] if f["check"] == "label_conflicts")
    assert conflict["table"][0]["ids"] == "s0, s1"
    # The label conflict fails "dependent examples" and names its check.
    pitfalls = {row["pitfall"]: row for row in data["pitfalls"]}
    assert set(pitfalls) == {"dependent examples", "confounding"}
    assert pitfalls["dependent examples"]["verdict"] == "fail"
    assert pitfalls["dependent examples"]["worst_checks"] == "label_conflicts"


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 5), st.booleans()), min_size=2, max_size=60))
def test_separability_matches_sklearn(rows):
    values = np.array([r[0] for r in rows], dtype=float)
    positive = np.array([r[1] for r in rows])
    result = binary_separability(values, positive)
    if positive.all() or not positive.any():
        assert np.isnan(result["auroc"])
        return
    auc = roc_auc_score(positive, values)
    folded = values if auc >= 0.5 else -values
    assert result["auroc"] == pytest.approx(max(auc, 1 - auc))
    assert result["auroc"] >= 0.5
    if abs(auc - 0.5) < 1e-9:
        # Exactly 0.5: sklearn's float sum may land either side of 0.5 (and so would
        # gb-qc's folding); skgenqc counts exactly and does not flip. Either AP is valid.
        both = [average_precision_score(positive, values), average_precision_score(positive, -values)]
        assert min(abs(result["auprc"] - b) for b in both) < 1e-9
    elif not np.all(values == values[0]):
        assert result["auprc"] == pytest.approx(average_precision_score(positive, folded))
    # Best-threshold accuracy is at least the majority rate and at most 1.
    majority = max(positive.mean(), 1 - positive.mean())
    assert majority - 1e-12 <= result["accuracy"] <= 1.0
    assert 0.0 <= result["ks"] <= 1.0
    assert result["auroc_ci_low"] <= result["auroc"] <= result["auroc_ci_high"]


def test_kmer_table_labels_agree_with_the_sign_of_the_adjusted_ratio():
    """Each row's adjusted_enriched_in names the class its adjusted_log2_ratio points to."""
    rng = np.random.default_rng(5)
    seqs = ["".join(rng.choice(list("ACGT"), 120, p=[0.2, 0.3, 0.3, 0.2])) for _ in range(120)]
    seqs = [s[:50] + "TATAAT" + s[56:] if i % 2 and i % 3 else s for i, s in enumerate(seqs)]
    table = DatasetQC(checks=["kmers"]).run(seqs, [i % 2 for i in range(120)])[
        "kmer_enrichment"].table
    first, second = (table["comparison"].str.split(" vs ", expand=True)[j] for j in (0, 1))
    expected = np.where(table["adjusted_log2_ratio"] >= 0, first, second)
    assert (table["adjusted_enriched_in"] == expected).all()


def test_alphabet_advice_names_only_what_was_found():
    report = DatasetQC(checks=["alphabet"]).run(["ACGTNNNNNNNNNNNNACGT", "ACGTACGT"], [0, 1])
    advice = report["alphabet"].recommendation
    assert report["alphabet"].severity != "pass"
    assert "N/IUPAC" in advice and "empty" not in advice
    report = DatasetQC(checks=["alphabet"]).run(["ACGT", "", "ACGTAC", "GGCC"], [0, 0, 1, 1])
    assert report["alphabet"].recommendation.startswith("Remove the empty sequences")
