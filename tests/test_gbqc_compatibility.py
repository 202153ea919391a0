"""Numbers agree with genomic-benchmarks-qc 1.0.0 (gb-qc).

The reference values were produced by running gb-qc 1.0.0 itself
(`gb-qc evaluate-classes ... --report-types simple`) on the data below; the
real-data values were produced with gb-qc's 250-sequence floor switched off,
since gb-qc otherwise leaves classes of 100-157 sequences unscored.

The issue quotes gb-qc on "its synthetic 10k set" (GC AU-ROC 0.965206); gb-qc
ships no such set and its generator is not public, so the compatibility test
uses a synthetic set of the same design (5,000 + 5,000 x 200 bp, GC 0.40 vs
0.50, a 6 nt motif in 30 % of one class) generated here and scored by gb-qc.
"""

import numpy as np
import pandas as pd
import pytest

from skgenqc import DatasetQC
from skgenqc.datasets import load_enhancers, load_g4
from skgenqc.features.composition import composition_table
from skgenqc.qc.separability import binary_separability


def synthetic_10k():
    """5,000 + 5,000 x 200 bp; label 1 GC-richer and carrying TATAAT at 101-106 in 30 %."""
    rng = np.random.default_rng(12345)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    rows = []
    for label, gc in ((0, 0.40), (1, 0.50)):
        codes = rng.choice(4, size=(5000, 200), p=[(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2])
        if label == 1:
            carriers = rng.random(5000) < 0.30
            codes[carriers, 100:106] = [3, 0, 3, 0, 0, 3]  # TATAAT
        rows += [(r.tobytes().decode(), label) for r in letters[codes]]
    return pd.DataFrame(rows, columns=["sequence", "label"])


@pytest.fixture(scope="module")
def synth():
    data = synthetic_10k()
    return data, DatasetQC(checks=["composition", "positional", "kmers"]).run(data)


# (check, AU-ROC, AU-PR, accuracy) from gb-qc 1.0.0 on synthetic_10k(); positive class = label 0.
GBQC_SYNTH = {
    "gc_content": (0.97238886, 0.9703726043743899, 0.9111),
    "dinucleotide_composition": (0.85694122, 0.833307909644172, 0.7771),
    "nucleotide_composition": (0.87614276, 0.8670162496944582, 0.7921),
}


@pytest.mark.parametrize("check", sorted(GBQC_SYNTH))
def test_synthetic_headlines_match_gbqc(synth, check):
    _, report = synth
    auroc, auprc, accuracy = GBQC_SYNTH[check]
    ev = report[check].evidence
    assert ev["auroc"] == pytest.approx(auroc, abs=1e-8)
    assert report[check].severity == "fail"
    # gb-qc's headline AU-PR/accuracy are maxima over sub-features; compare the feature's own.
    if check == "gc_content":
        assert ev["auprc"] == pytest.approx(auprc, abs=1e-12)
        assert ev["accuracy"] == pytest.approx(accuracy, abs=1e-12)


def test_cg_dinucleotide_matches_gbqc(synth):
    data, _ = synth
    comp = composition_table(data["sequence"])
    r = binary_separability(comp["CG"], data["label"].to_numpy() == 0)
    assert r["auroc"] == pytest.approx(0.85451202, abs=1e-8)
    assert r["auprc"] == pytest.approx(0.8321791142927198, abs=1e-12)
    assert r["accuracy"] == pytest.approx(0.7702, abs=1e-12)


def test_motif_passes_per_position_but_kmers_see_it(synth):
    """gb-qc passes the 30 % motif (per-position AU-ROC 0.5911); our k-mer check flags it, and
    the fixed-position k-mer rule fails it (TATAAT at 101-106 marks class 1 only: a shortcut)."""
    _, report = synth
    positional = report["positional_composition"]
    assert positional.value == pytest.approx(0.5911, abs=1e-12)  # gb-qc's number, unchanged
    assert positional.severity == "fail"
    kmer = report["kmer_enrichment"]
    assert kmer.severity in ("warn", "fail")
    # Against the GC shift, raw presence ranks GC-rich words first; adjusted for each
    # class's own composition, the motif's canonical 6-mer (TATAAT = ATTATA) tops the list.
    assert kmer.evidence["adjusted_top_kmer"] == "ATTATA"
    assert kmer.evidence["adjusted_log2_ratio"] < -1  # enriched in class 1 (the second)
    assert "ATTATA" in kmer.message


# Real data, gb-qc 1.0.0 with its 250 floor off (positive class = first sorted label).
GBQC_REAL = {
    "g4": {"gc_content": (0.8289, 0.784131, 0.765), "nucleotide_composition": 0.9216,
           "dinucleotide_composition": 0.95285, "positional_composition": 0.68},
    "enhancers": {"gc_content": (0.685826, 0.681019, 0.646865),
                  "nucleotide_composition": 0.674592, "dinucleotide_composition": 0.691781,
                  "positional_composition": 0.613123},
}


@pytest.mark.parametrize("name", ["g4", "enhancers"])
def test_real_data_matches_gbqc(name):
    data = load_g4() if name == "g4" else load_enhancers("train")
    report = DatasetQC(checks=["composition", "positional"]).run(data)
    for check, expected in GBQC_REAL[name].items():
        if isinstance(expected, tuple):
            auroc, auprc, accuracy = expected
            assert report[check].evidence["auprc"] == pytest.approx(auprc, abs=1e-6)
            assert report[check].evidence["accuracy"] == pytest.approx(accuracy, abs=1e-6)
        else:
            auroc = expected
        assert report[check].value == pytest.approx(auroc, abs=1e-6), check


def test_enhancer_split_leakage_matches_gbqc():
    """gb-qc evaluate-splits: Warning, 2/102 test and 2/303 train leaked, forward strand only.

    gb-qc's leaked hits: test_11 ~ train_21 (min(qcov, tcov) * pident = 96.3) and
    test_2 ~ train_2 (95.3). skgenqc finds both, plus test_11 ~ train_12 at 97.4 %
    on the reverse strand, which gb-qc's forward-only MMseqs2 search cannot see.
    """
    report = DatasetQC(checks=["leakage"]).run(load_enhancers())
    near = report["train_test_near_duplicates"]
    assert near.severity == "warn"
    assert near.evidence["percent_test_leaked"] == pytest.approx(100 * 2 / 102)
    forward = near.table[near.table["strand"] == "+"]
    assert set(zip(forward["test_id"], forward["train_id"])) == {
        ("test_11", "train_21"), ("test_2", "train_2")}
    # 0.967: one of its 34 plain edits (500 bp) is an end overhang, counted half.
    assert forward["identity"].round(3).tolist() == [0.967, 0.954]
    reverse = near.table[near.table["strand"] == "-"]
    assert set(zip(reverse["test_id"], reverse["train_id"])) == {("test_11", "train_12")}
