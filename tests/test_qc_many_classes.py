"""Many classes: one plan of class comparisons (all pairs up to 10 classes, each class against
the rest above), the same in every class check, exact and fast enough at 100 classes."""

import json

import numpy as np
import pandas as pd
import pytest

from conftest import random_sequences
from skgenqc import DatasetQC
from skgenqc.features.composition import positional_composition
from skgenqc.qc.separability import (
    PAIRWISE_MAX_CLASSES,
    REST,
    class_comparisons,
    comparisons,
    positional_separability,
)


def test_plan_is_all_pairs_up_to_the_limit_and_one_vs_rest_above():
    few = np.repeat(np.arange(PAIRWISE_MAX_CLASSES), 3)
    plan = class_comparisons(few, one_vs_rest=False)
    n = PAIRWISE_MAX_CLASSES
    assert len(plan) == n * (n - 1) // 2 and all(b is not REST for _, _, b, _, _ in plan)
    many = np.repeat(np.arange(n + 1), 3)
    plan = class_comparisons(many, one_vs_rest=False)
    assert [name for name, *_ in plan] == [f"{c} vs rest" for c in range(n + 1)]
    for name, a, b, mask_a, mask_b in plan:
        assert b is REST
        assert np.array_equal(mask_a, many == a) and np.array_equal(mask_b, many != a)
    # the mask-only view is the same plan
    assert [c[0] for c in comparisons(many)] == [name for name, *_ in plan]


def test_rest_rates_equal_a_brute_force_count():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(12), 8)
    lengths = rng.integers(5, 12, len(labels))
    seqs = [s[:m] for s, m in zip(random_sequences(rng, len(labels), 12), lengths)]
    profile = positional_composition(seqs, labels, max_positions=12)
    table = positional_separability(profile, [(f"{a} vs rest", a, REST) for a in range(12)])
    assert len(table)
    for row in table.sample(60, random_state=0).itertuples():
        a = int(row.comparison.split()[0])
        rest = [s for s, lab in zip(seqs, labels) if lab != a and len(s) > row.position]
        assert row.n_b == len(rest)
        assert row.rate_b == pytest.approx(np.mean([s[row.position] == row.base for s in rest]))


def _many_class_data(n_classes, per_class, seed, length=80):
    rng = np.random.default_rng(seed)
    seqs = random_sequences(rng, n_classes * per_class, length)
    return seqs, np.repeat([f"c{i:02d}" for i in range(n_classes)], per_class), rng


def test_random_sequences_in_100_classes_raise_no_confounding_flag():
    seqs, labels, _ = _many_class_data(100, 20, seed=1)
    report = DatasetQC(checks=["class_sizes", "composition", "positional", "kmers"]).run(
        seqs, labels)
    flagged = report.to_frame().query("severity in ['warn', 'fail']")
    assert flagged.empty, flagged[["check", "severity", "message"]].to_string()
    kmers = report["kmer_enrichment"]
    assert kmers.evidence["comparison"].endswith(" vs rest")
    json.dumps(report.to_dict())   # the REST side is written as text


def test_a_motif_in_one_of_twelve_classes_is_found_against_the_rest():
    seqs, labels, rng = _many_class_data(12, 40, seed=2)
    motif = "GATTACAGG"
    seqs = [s[:p] + motif + s[p + len(motif):] if lab == "c07" else s
            for s, lab, p in zip(seqs, labels, rng.integers(0, 70, len(seqs)))]
    report = DatasetQC(checks=["kmers"]).run(seqs, labels)
    finding = report["kmer_enrichment"]
    assert finding.severity == "warn"                      # enrichment anywhere: at most a warn
    assert finding.evidence["comparison"] == "c07 vs rest"
    assert finding.table.iloc[0]["enriched_in"] == "c07"


def test_a_fixed_position_base_in_one_of_twelve_classes_fails_against_the_rest():
    seqs, labels, _ = _many_class_data(12, 40, seed=3)
    seqs = [("G" * 6 + s[6:]) if lab == "c03" else s for s, lab in zip(seqs, labels)]
    report = DatasetQC(checks=["positional"]).run(seqs, labels)
    finding = report["positional_composition"]
    assert finding.severity == "fail"
    assert finding.evidence["comparison"] == "c03 vs rest"
    assert finding.evidence["position"] < 6 and finding.evidence["base"] == "G"


def test_a_length_rule_against_the_rest_names_the_class_as_text():
    seqs, labels, rng = _many_class_data(12, 40, seed=4)
    seqs = [s + "".join(rng.choice(list("ACGT"), 40)) if lab == "c05" else s
            for s, lab in zip(seqs, labels)]
    report = DatasetQC(checks=["composition"]).run(seqs, labels)
    length = report["length"]
    assert length.severity == "fail"
    assert "c05" in length.message
    json.dumps(report.to_dict())
    assert isinstance(pd.DataFrame(report.to_frame()), pd.DataFrame)
