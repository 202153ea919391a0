"""Known answers for the one-feature rules: fixed-position k-mers, padding and length bands.

The rule of issue 10: a k-mer enriched in one class at random positions may be the biology a
model should learn (at most a warn); a k-mer at a fixed offset, a length or padding artefact
is a shortcut (may fail), even when it marks too few sequences to move an AU-ROC. Each rule
is tested on planted signal (found, at the stated severity) and on null data (never a warn).
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import random_sequences
from skgenqc import DatasetQC
from skgenqc.features.encoding import pack_sequences
from skgenqc.qc.position_rules import positional_kmer_rule
from skgenqc.qc.separability import pure_band_rule

MOTIF = "TATAAA"


def _run(checks, seqs, labels):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DatasetQC(checks=checks).run(pd.DataFrame({"sequence": seqs, "label": labels}))


def _planted(rng, n, length, share, place):
    """n random sequences per class; ``place(seq, rng)`` applied to ``share`` of class 1."""
    seqs = random_sequences(rng, 2 * n, length)
    carriers = n + np.flatnonzero(rng.random(n) < share)
    for i in carriers:
        seqs[i] = place(seqs[i], rng)
    return seqs, np.repeat([0, 1], n), len(carriers)


def _at(offset):
    return lambda s, rng: s[:offset] + MOTIF + s[offset + len(MOTIF):]


def _anywhere(s, rng):
    p = int(rng.integers(0, len(s) - len(MOTIF) + 1))
    return s[:p] + MOTIF + s[p + len(MOTIF):]


def test_a_fixed_position_motif_in_ten_percent_of_one_class_fails():
    rng = np.random.default_rng(1)
    seqs, labels, k = _planted(rng, 1000, 120, 0.12, _at(60))
    finding = _run(["positional"], seqs, labels)["positional_composition"]
    assert finding.value < 0.6          # the AU-ROC alone would pass
    assert finding.severity == "fail"
    rule = finding.evidence["position_rule"]
    assert rule["from"] == "start" and rule["class"] == 1 and rule["carries"]
    assert 61 <= rule["position"] <= 66 and rule["kmer"] in MOTIF
    assert rule["n_rule"] >= k and rule["purity"] > 0.95
    assert "fixed-position rule" in finding.message


def test_a_motif_at_random_positions_is_at_most_a_warn():
    # seqleak's control_motif: the motif anywhere in 90 % of one class (biology or artefact?).
    rng = np.random.default_rng(2)
    seqs, labels, _ = _planted(rng, 500, 120, 0.9, _anywhere)
    report = _run(["positional", "kmers"], seqs, labels)
    assert report["kmer_enrichment"].severity == "warn"
    assert report["positional_composition"].severity == "pass"
    assert "fixed-position rule" not in report["positional_composition"].message


def test_negatives_lacking_the_site_of_every_positive_fail():
    # seqleak's site plant: every positive has GT at 51-52, 15 % of negatives lack it.
    rng = np.random.default_rng(3)
    n = 800
    seqs = random_sequences(rng, 2 * n, 100)
    lack = rng.random(n) < 0.15
    for i in range(2 * n):
        if i < n and lack[i]:   # these keep their random bases, never GT
            site = "CA" if seqs[i][50:52] == "GT" else seqs[i][50:52]
        else:
            site = "GT"
        seqs[i] = seqs[i][:50] + site + seqs[i][52:]
    finding = _run(["positional"], seqs, np.repeat([0, 1], n))["positional_composition"]
    assert finding.severity == "fail"
    rule = finding.evidence["position_rule"]
    assert rule["class"] == 0 and not rule["carries"]
    assert rule["share_of_class"] == pytest.approx(lack.mean(), abs=0.02)


def test_a_motif_anchored_at_the_end_of_variable_length_items_is_found_from_the_end():
    # seqleak's anchored plant: lengths 150-400, the motif 30 bases before the end.
    rng = np.random.default_rng(4)
    n = 800
    lengths = rng.integers(150, 401, 2 * n)
    seqs = [s[:m] for s, m in zip(random_sequences(rng, 2 * n, 400), lengths)]
    for i in n + np.flatnonzero(rng.random(n) < 0.12):
        m = len(seqs[i])
        seqs[i] = seqs[i][:m - 30] + MOTIF + seqs[i][m - 24:]
    finding = _run(["positional"], seqs, np.repeat([0, 1], n))["positional_composition"]
    assert finding.severity == "fail"
    rule = finding.evidence["position_rule"]
    assert rule["from"] == "end" and rule["class"] == 1
    assert 25 <= rule["position"] <= 30


@pytest.mark.parametrize("n, length, variable", [(20, 60, False), (50, 200, False),
                                                 (200, 200, False), (300, 300, True)])
def test_no_fixed_position_rule_on_random_labels(n, length, variable):
    for seed in range(5):
        rng = np.random.default_rng(100 + seed)
        seqs = random_sequences(rng, 2 * n, length)
        if variable:
            seqs = [s[:m] for s, m in zip(seqs, rng.integers(length // 2, length + 1, 2 * n))]
        labels = rng.permutation(np.repeat([0, 1], n))
        rule = positional_kmer_rule(pack_sequences(seqs), labels)
        assert rule is None or rule["p_adjusted"] > 0.01, rule


def test_n_padding_in_ten_percent_of_one_class_fails():
    # seqleak's npad plant: the last 30 bases of 10 % of class 1 are N.
    rng = np.random.default_rng(5)
    seqs, labels, k = _planted(rng, 1000, 200, 0.11, lambda s, rng: s[:170] + "N" * 30)
    finding = _run(["composition"], seqs, labels)["nucleotide_composition"]
    assert finding.value < 0.6
    assert finding.severity == "fail"
    rule = finding.evidence["nucleotide_composition_rule"]
    assert rule["class"] == 1 and rule["n_rule"] == k
    assert "padding or masking artefact" in finding.message


def test_n_runs_in_both_classes_alike_are_no_rule():
    rng = np.random.default_rng(6)
    n = 500
    seqs = random_sequences(rng, 2 * n, 200)
    for i in np.flatnonzero(rng.random(2 * n) < 0.2):
        start = int(rng.integers(0, 180))
        seqs[i] = seqs[i][:start] + "N" * int(rng.integers(1, 20)) + seqs[i][start + 20:]
        seqs[i] = seqs[i][:200]
    labels = rng.permutation(np.repeat([0, 1], n))
    finding = _run(["composition"], seqs, labels)["nucleotide_composition"]
    assert finding.severity == "pass"


def test_a_length_band_inside_the_range_is_a_rule():
    # Not monotone: both classes are 200 or 240 bp, 10 % of class 1 is 220 bp.
    rng = np.random.default_rng(7)
    n = 500
    lengths = rng.choice([200, 240], 2 * n)
    band = n + np.flatnonzero(rng.random(n) < 0.12)
    lengths[band] = 220
    seqs = [s[:m] for s, m in zip(random_sequences(rng, 2 * n, 240), lengths)]
    finding = _run(["composition"], seqs, np.repeat([0, 1], n))["length"]
    assert finding.severity == "fail"
    rule = finding.evidence["length_rule"]
    assert rule["kind"] == "band" and rule["low"] == rule["high"] == 220
    assert rule["n_rule"] == len(band)


def test_pure_band_rule_on_random_labels_is_not_significant():
    for seed in range(10):
        rng = np.random.default_rng(200 + seed)
        values = rng.integers(100, 400, 1000)
        rule = pure_band_rule(values, rng.random(1000) < 0.5)
        assert rule["p_value"] > 0.01


def test_pure_band_rule_edge_cases():
    assert pure_band_rule([1, 1, 1], [True, False, True]) is None       # constant
    assert pure_band_rule([1, 2, 3], [True, True, True]) is None        # one class
    assert pure_band_rule([1, 2, 3, 4], [False, False, True, True])["n_rule"] == 2
    assert pure_band_rule([1.0, np.nan, 2.0], [True, False, False])["n_rule"] == 1


def test_positional_kmer_rule_bad_inputs():
    packed = pack_sequences(["ACGT"] * 4)
    with pytest.raises(ValueError, match="labels has shape"):
        positional_kmer_rule(packed, [0, 1, 0])
    with pytest.raises(ValueError, match="purity=1.5"):
        positional_kmer_rule(packed, [0, 1, 0, 1], purity=1.5)
    with pytest.raises(ValueError, match="min_carriers=0"):
        positional_kmer_rule(packed, [0, 1, 0, 1], min_carriers=0)
    assert positional_kmer_rule(packed, [0, 1, 0, 1]) is None   # too few per class
