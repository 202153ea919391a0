"""Known answers: every QC finding that can warn or fail reaches each of its severities.

Each case builds a small dataset whose answer is known by construction (an AU-ROC of
exactly ``0.5 + p / 2``, one or two copies among 100 records, a ratio of exactly the
threshold) and asserts the verdict. The confounding checks grade an AU-ROC only when it is
also significant after the multiplicity correction, so their planted classes have 200
sequences each (at 20 the same AU-ROC is noise-sized and passes). ``test_every_grading_finding_is_covered`` fails when a
registered finding is missing here, so a new check cannot join without its severities.
"""

import warnings

import numpy as np
import pandas as pd
import pytest

from conftest import dinucleotide_shuffle, mutate, random_sequences
from skgenqc import DatasetQC
from skgenqc.features.encoding import reverse_complement
from skgenqc.qc import finding_names

PLAIN, OTHER = "ACGT" * 5, "GGCC" * 5  # same length, GC 0.5 vs 1.0, no shared 4-mer


def _frame(seqs, labels=None, prefix="s", **columns):
    frame = pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(seqs))], "sequence": seqs})
    if labels is not None:
        frame["label"] = labels
    return frame.assign(**columns)


def _share_of_class_one(p, n=200, plain=PLAIN, other=OTHER):
    """Class 0: n plain sequences; class 1: round(p * n) others, the rest plain.

    Every separating feature then has AU-ROC 0.5 + p / 2 exactly.
    """
    k = int(round(p * n))
    return _frame([plain] * n + [other] * k + [plain] * (n - k), [0] * n + [1] * n)


def _run(checks, data, X_test=None, **params):
    return DatasetQC(checks=checks, **params).run(data, X_test=X_test)


# p = 0 -> AU-ROC 0.5 (pass), p = 0.3 -> 0.65 (warn at 0.6), p = 0.6 -> 0.8 (fail at 0.7)
BANDS = [(0.0, "pass", 0.5), (0.3, "warn", 0.65), (0.6, "fail", 0.8)]


@pytest.mark.parametrize("p, severity, auroc", BANDS)
@pytest.mark.parametrize("finding", ["gc_content", "nucleotide_composition",
                                     "dinucleotide_composition"])
def test_composition_features(finding, p, severity, auroc):
    report = _run(["composition"], _share_of_class_one(p))
    assert report[finding].value == pytest.approx(auroc)
    assert report[finding].severity == severity
    assert report["length"].severity == "pass"


LONG = PLAIN + "ACGTACGTAC"


@pytest.mark.parametrize("long0, long1, severity, auroc, rule", [
    (0, 0, "pass", 0.5, False),
    (20, 80, "warn", 0.65, False),   # longer in both classes: an AU-ROC shift, no rule
    (40, 160, "fail", 0.8, False),
    (0, 14, "warn", 0.535, True),    # 7 % of class 1 longer than every class 0: a rule
    (0, 60, "fail", 0.65, True),     # 30 %: the rule fails although the AU-ROC only warns
])
def test_length(long0, long1, severity, auroc, rule):
    n = 200
    seqs = [LONG] * long0 + [PLAIN] * (n - long0) + [LONG] * long1 + [PLAIN] * (n - long1)
    finding = _run(["composition"], _frame(seqs, [0] * n + [1] * n))["length"]
    assert finding.value == pytest.approx(auroc)
    assert finding.severity == severity
    assert ("one-feature rule" in finding.message) == rule
    if rule:
        assert finding.evidence["length_rule"]["n_rule"] == long1
        assert finding.evidence["length_rule"]["class"] == 1


@pytest.mark.parametrize("other0, other1, severity, auroc, rule", [
    (0, 0, "pass", 0.5, False),
    (20, 80, "warn", 0.65, False),   # a word at fixed positions in both classes: no rule
    (40, 160, "fail", 0.8, False),
    (0, 60, "fail", 0.65, True),     # 30 % of class 1 only: the rule fails, the AU-ROC warns
])
def test_positional_composition(other0, other1, severity, auroc, rule):
    n = 200
    seqs = [OTHER] * other0 + [PLAIN] * (n - other0) + [OTHER] * other1 + [PLAIN] * (n - other1)
    finding = _run(["positional"], _frame(seqs, [0] * n + [1] * n))["positional_composition"]
    assert finding.value == pytest.approx(auroc)
    assert finding.severity == severity
    assert ("fixed-position rule" in finding.message) == rule


# Enrichment of a k-mer at any position may be the biology itself: at most a warn.
@pytest.mark.parametrize("p, severity, auroc", [(0.0, "pass", 0.5), (0.3, "warn", 0.65),
                                                (0.6, "warn", 0.8)])
def test_kmer_enrichment(p, severity, auroc):
    finding = _run(["kmers"], _share_of_class_one(p))["kmer_enrichment"]
    assert finding.value == pytest.approx(auroc)
    assert finding.severity == severity
    if severity == "warn":
        assert "Biology or artefact? check" in finding.message
        assert finding.evidence["p_adjusted"] < 1e-6
        assert finding.evidence["n_features_compared"] > 1000


def _gc_share_of_class_one(p, n=200, length=60, seed=0):
    """Distinct random sequences; round(p * n) of class 1 are GC-rich (0.95), the rest 0.5."""
    rng = np.random.default_rng(seed)
    k = int(round(p * n))
    seqs = (random_sequences(rng, n, length) + random_sequences(rng, k, length, gc=0.95)
            + random_sequences(rng, n - k, length))
    return _frame(seqs, [0] * n + [1] * n)


@pytest.mark.parametrize("p, severity, low, high", [
    (0.0, "pass", 0.3, 0.62),    # the same distribution: chance, not significant
    (0.5, "warn", 0.7, 0.8),     # half of one class separable: about 0.75
    (1.0, "fail", 0.99, 1.0),    # fully separable
])
def test_shortcut_score(p, severity, low, high):
    finding = _run(["shortcut"], _gc_share_of_class_one(p))["shortcut_score"]
    assert low <= finding.value <= high
    assert finding.severity == severity


@pytest.mark.parametrize("p, severity, auroc", BANDS)
def test_train_test_shift(p, severity, auroc):
    k = int(round(p * 20))
    train = _frame([PLAIN] * 20)
    test = _frame([OTHER] * k + [PLAIN] * (20 - k), prefix="t")
    finding = _run(["shift"], train, X_test=test)["train_test_shift"]
    assert finding.value == pytest.approx(auroc)
    assert finding.severity == severity


@pytest.mark.parametrize("sizes, severity", [
    ((20, 20), "pass"),
    ((15, 10), "warn"),   # ratio 1.5: exactly imbalance_warn
    ((20, 3), "warn"),
    ((20, 2), "fail"),    # ratio 10: exactly imbalance_fail
    ((20, 0), "fail"),    # one class
])
def test_class_sizes(sizes, severity):
    rng = np.random.default_rng(0)
    n0, n1 = sizes
    finding = _run(["class_sizes"], _frame(random_sequences(rng, n0 + n1, 30),
                                           [0] * n0 + [1] * n1))["class_sizes"]
    assert finding.severity == severity
    if n1:
        assert finding.value == pytest.approx(n0 / n1)


@pytest.mark.parametrize("class0, class1, severity", [
    (["ACGT", "AACC"], ["GGTTC", "TTGCA"], "pass"),
    (["ACGTN", "AACC"], ["GGNTTC", "TTGCA"], "warn"),  # N in both classes: same alphabet
    (["ACGTN", "AACC"], ["GGTTC", "TTGCA"], "fail"),   # N in one class only
    (["ACGT", ""], ["GGTTC", "TTGCA"], "fail"),        # an empty sequence
])
def test_alphabet(class0, class1, severity):
    report = _run(["alphabet"], _frame(class0 + class1, [0, 0, 1, 1]))
    assert report["alphabet"].severity == severity


@pytest.mark.parametrize("class1, severity", [(["GGTTC", "TTGCA"], "info"),
                                              (["ggttc", "ttgca"], "warn")])
def test_lowercase_share(class1, severity):
    report = _run(["alphabet"], _frame(["ACGT", "AACC"] + class1, [0, 0, 1, 1]))
    assert report["lowercase_share"].severity == severity


def _distinct(n=100, length=40, seed=0):
    return random_sequences(np.random.default_rng(seed), n, length)


@pytest.mark.parametrize("copies, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_duplicates_within_class(copies, severity):
    seqs = _distinct()
    for i in range(copies):  # rows 2 and 4 copy row 0: all three of class 0
        seqs[2 + 2 * i] = seqs[0]
    finding = _run(["duplicates"], _frame(seqs, [0, 1] * 50))["duplicates_within_class"]
    assert finding.evidence["n_redundant"] == copies
    assert finding.severity == severity


@pytest.mark.parametrize("conflict, severity", [(False, "pass"), (True, "fail")])
def test_label_conflicts(conflict, severity):
    seqs = _distinct()
    if conflict:
        seqs[1] = seqs[0]  # rows 0 (class 0) and 1 (class 1)
    assert _run(["duplicates"], _frame(seqs, [0, 1] * 50))["label_conflicts"].severity == severity


@pytest.mark.parametrize("pairs, severity", [
    ([], "pass"),
    ([(0, 2)], "warn"),           # one group of 100, within class 0
    ([(0, 2), (4, 6)], "fail"),   # two groups: 2 %
    ([(0, 1)], "fail"),           # one group across the two labels
])
def test_reverse_complement_duplicates(pairs, severity):
    seqs = _distinct()
    for a, b in pairs:
        seqs[b] = reverse_complement(seqs[a])
    finding = _run(["duplicates"], _frame(seqs, [0, 1] * 50))["reverse_complement_duplicates"]
    assert finding.evidence["n_reverse_complement_groups"] == len(pairs)
    assert finding.severity == severity


@pytest.mark.parametrize("n, near, severity", [(100, False, "pass"), (200, True, "warn"),
                                               (100, True, "fail")])
def test_near_duplicates(n, near, severity):
    rng = np.random.default_rng(1)
    seqs = _distinct(n)
    if near:
        seqs[1] = mutate(rng, seqs[0], 0.95)  # 2 of 40 bases changed
    finding = _run(["near_duplicates"], _frame(seqs, [0, 1] * (n // 2)))["near_duplicates"]
    assert finding.evidence["n_records"] == (2 if near else 0)
    assert finding.severity == severity


def _train_test(kind, copies):
    rng = np.random.default_rng(2)
    train, test = _distinct(100, seed=3), _distinct(100, seed=4)
    for i in range(copies):
        test[i] = {"exact": train[i], "reverse_complement": reverse_complement(train[i]),
                   "near": mutate(rng, train[i], 0.95)}[kind]
    return _frame(train, [0, 1] * 50, "tr"), _frame(test, [0, 1] * 50, "te")


@pytest.mark.parametrize("copies, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
@pytest.mark.parametrize("kind", ["exact", "reverse_complement", "near"])
def test_train_test_leakage(kind, copies, severity):
    train, test = _train_test(kind, copies)
    name = {"exact": "train_test_exact", "reverse_complement": "train_test_reverse_complement",
            "near": "train_test_near_duplicates"}[kind]
    finding = _run(["leakage"], train, X_test=test)[name]
    assert finding.evidence["n_test_leaked"] == copies
    assert finding.severity == severity


def _intervals(chrom, n=100, offset=0):
    starts = np.arange(n) * 1000 + offset
    return _frame(["ACGT"] * n, chrom=[chrom] * n, start=starts, end=starts + 100)


@pytest.mark.parametrize("copies, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_interval_duplicates_with_unnormalised_names(copies, severity):
    data = _intervals("chr1")
    for i in range(copies):  # "1:0-100" repeats "chr1:0-100"
        data.loc[1 + i, ["chrom", "start", "end"]] = ["1", 0, 100]
    finding = _run(["intervals"], data)["interval_duplicates"]
    assert finding.evidence["n_redundant"] == copies
    assert finding.severity == severity


@pytest.mark.parametrize("copies, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_interval_identical_train_test(copies, severity):
    train, test = _intervals("chr1"), _intervals("chr2")
    for i in range(copies):  # test "1:..." is train "chr1:..."
        test.loc[i, ["chrom", "start", "end"]] = ["1", train.loc[i, "start"], train.loc[i, "end"]]
    report = _run(["intervals"], train, X_test=test)
    assert report["interval_identical_train_test"].evidence["n_test_identical"] == copies
    assert report["interval_identical_train_test"].severity == severity


@pytest.mark.parametrize("overlaps, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_interval_overlap_train_test(overlaps, severity):
    train, test = _intervals("chr1"), _intervals("chr2")
    for i in range(overlaps):  # shifted by 50 bp, named without the chr prefix
        test.loc[i, ["chrom", "start", "end"]] = ["1", train.loc[i, "start"] + 50,
                                                  train.loc[i, "end"] + 50]
    report = _run(["intervals"], train, X_test=test)
    assert report["interval_overlap_train_test"].severity == severity
    assert report["interval_identical_train_test"].severity == "pass"


@pytest.mark.parametrize("near, severity", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_interval_window_overlap_train_test(near, severity):
    """Test intervals 50 bp after a training interval: windows of +/- 30 bp share 10 bp."""
    train, test = _intervals("chr1"), _intervals("chr2")
    for i in range(near):
        test.loc[i, ["chrom", "start", "end"]] = ["1", train.loc[i, "end"] + 50,
                                                  train.loc[i, "end"] + 150]
    report = _run(["intervals"], train, X_test=test, context=30)
    finding = report["interval_window_overlap_train_test"]
    assert finding.severity == severity
    assert finding.evidence["n_test_window_overlapping"] == near
    assert finding.evidence["n_beyond_interval_overlap"] == near
    assert report["interval_overlap_train_test"].severity == "pass"
    # 25 bp of context each side leaves the 50 bp gap unbridged (windows touch, share nothing).
    narrow = _run(["intervals"], train, X_test=test, context=25)
    assert narrow["interval_window_overlap_train_test"].severity == "pass"


def test_test_interval_1_equals_train_interval_chr1():
    """The issue's case: ``1:100-200`` in test is ``chr1:100-200`` in training."""
    train = _frame(["ACGT"], chrom=["chr1"], start=[100], end=[200])
    test = _frame(["ACGT"], prefix="t", chrom=["1"], start=[100], end=[200])
    report = _run(["intervals"], train, X_test=test)
    identical = report["interval_identical_train_test"]
    assert identical.severity == "fail"
    assert identical.table[["test_id", "train_id"]].values.tolist() == [["t0", "s0"]]
    assert report["interval_overlap_train_test"].severity == "fail"


@pytest.mark.parametrize("test_labels, severity", [
    ([0, 1] * 5, "pass"),
    ([0, 1, 2] * 3, "warn"),          # label 2 is not a training label
    (["pos", "neg"] * 5, "fail"),     # no label shared
])
def test_train_test_labels(test_labels, severity):
    train = _frame(_distinct(10), [0, 1] * 5)
    test = _frame(_distinct(len(test_labels), seed=9), test_labels, "te")
    if severity == "pass":
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no warning when the labels agree
            report = _run(["train_test_labels"], train, X_test=test)
    else:
        with pytest.warns(UserWarning, match="train_test_labels"):
            report = _run(["train_test_labels"], train, X_test=test)
    finding = report["train_test_labels"]
    assert finding.severity == severity
    if severity == "fail":
        assert finding.evidence["shared"] == []
        assert finding.evidence["test_labels"] == ["neg", "pos"]


def _constructed(kind, planted, seed=0):
    """100 positives, 100 negatives; ``planted`` negatives derived from positives."""
    rng = np.random.default_rng(seed)
    pos, neg = random_sequences(rng, 100, 100), random_sequences(rng, 100, 100)
    for i in range(planted):
        if kind == "composition":
            neg[i] = dinucleotide_shuffle(rng, pos[i])
        else:  # the centre replaced, 30 bases kept in place at each end
            neg[i] = pos[i][:30] + random_sequences(rng, 1, 40)[0] + pos[i][70:]
    return pos + neg


# 10 twin pairs of 200 records: beyond relabelled data at p ~ 0.002 (warn); 30: fail.
@pytest.mark.parametrize("kind", ["composition", "positional"])
@pytest.mark.parametrize("planted, severity", [(0, "pass"), (10, "warn"), (30, "fail")])
def test_constructed_twins(kind, planted, severity):
    report = _run(["constructed"], _frame(_constructed(kind, planted), [1] * 100 + [0] * 100))
    assert report[f"{kind}_twins"].severity == severity
    assert report[f"{kind}_twins"].evidence["n_records_with_opposite_label_twin"] == 2 * planted


# 8 test records each with one twin in training: every pair mixed has chance 0.5 ** 8 = 0.004
# under relabelling (Holm x 2: warn); 30: fail.
@pytest.mark.parametrize("kind", ["composition", "positional"])
@pytest.mark.parametrize("planted, severity", [(0, "pass"), (8, "warn"), (30, "fail")])
def test_constructed_twins_train_test(kind, planted, severity):
    seqs = _constructed(kind, planted)
    # Training: the positives and 100 fresh negatives; test: the derived negatives (and more).
    rng = np.random.default_rng(1)
    train = _frame(seqs[:100] + random_sequences(rng, 100, 100), [1] * 100 + [0] * 100, "tr")
    test = _frame(random_sequences(rng, 50, 100) + seqs[100:150], [1] * 50 + [0] * 50, "te")
    finding = _run(["constructed"], train, X_test=test)[f"{kind}_twins_train_test"]
    assert finding.severity == severity
    assert finding.evidence["n_records_with_opposite_label_twin"] == planted


# An 18-base adapter at the start of 0, 15 or 40 % of positives (fail needs a difference of 0.2).
@pytest.mark.parametrize("carriers, severity", [(0, "pass"), (15, "warn"), (40, "fail")])
def test_library_constant(carriers, severity):
    seqs = random_sequences(np.random.default_rng(2), 200, 80)
    seqs[:carriers] = ["AGATCGGAAGAGCACACG" + s[18:] for s in seqs[:carriers]]
    finding = _run(["constructed"], _frame(seqs, [1] * 100 + [0] * 100))["library_constant"]
    assert finding.severity == severity


def _lookup_split(copies, n=200, length=100, seed=0):
    """Training: n random sequences, labels 0/1. Test: ``copies`` exact copies of training items
    with their labels, the rest new random sequences with random labels.

    Copies score 0 or 1, the others the training prior, so the lookup AU-ROC is
    0.5 + p - p**2 / 2 for a share p of copies (up to chance 12-mers of the random items).
    """
    rng = np.random.default_rng(seed)
    train = random_sequences(rng, n, length)
    y_train = np.array([0, 1] * (n // 2))
    src = rng.choice(n, size=copies, replace=False)
    test = [train[i] for i in src] + random_sequences(rng, n - copies, length)
    y_test = np.concatenate([y_train[src], rng.permutation([0, 1] * ((n - copies) // 2))])
    return _frame(train, y_train), _frame(test, y_test.astype(int), "te")


@pytest.mark.parametrize("copies, severity", [(0, "pass"), (30, "warn"), (60, "fail"),
                                              (None, "info")])
def test_lookup_baseline(copies, severity):
    train, test = _lookup_split(copies or 0)
    if copies is None:  # one class in the test set: nothing to score, never a pass
        test["label"] = 1
    finding = _run(["lookup"], train, X_test=test)["lookup_baseline"]
    assert finding.severity == severity
    if copies is not None:
        p = copies / 200
        assert finding.value == pytest.approx(0.5 + p - p * p / 2, abs=0.02)
        assert finding.evidence["n_identity_neighbour"] == copies


# Pair findings: the registered check ``pairs`` (needs two partner columns, sequence_columns=).
def _pairs(n, prefix="g"):
    return [[f"{prefix}{i}", f"m{i % 10}"] for i in range(n)]


@pytest.mark.parametrize("extra, expected", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_pair_duplicates(extra, expected):
    from skgenqc.qc import check_pair_duplicates

    pairs = _pairs(100 - extra) + _pairs(extra)   # `extra` of 100 pairs repeat another
    assert check_pair_duplicates(pairs).severity == expected


def test_partner_reuse_is_information():
    from skgenqc.qc import check_partner_reuse

    assert check_partner_reuse(_pairs(100)).severity == "info"


@pytest.mark.parametrize("n_c1, expected", [(0, "pass"), (1, "pass"), (2, "warn"), (49, "warn"), (50, "fail")])
def test_pair_classes_train_test(n_c1, expected):
    from skgenqc.qc import check_pair_classes_train_test

    train = _pairs(100)
    test = train[:n_c1] + [[f"t{i}", f"u{i}"] for i in range(100 - n_c1)]
    finding = check_pair_classes_train_test(train, test)
    assert finding.severity == expected and finding.evidence["C1"] == n_c1


def _pair_frame(pairs, labels=None, prefix="p"):
    frame = pd.DataFrame(pairs, columns=["gene", "mirna"])
    frame["id"] = [f"{prefix}{i}" for i in range(len(frame))]
    return frame.assign(label=labels if labels is not None else [0, 1] * (len(frame) // 2))


def _run_pairs(train, test=None):
    return DatasetQC(checks=["pairs"]).run(train, X_test=test, sequence_columns=["gene", "mirna"])


def _sequence_pairs(rng, n, n_mirna=10):
    """n unique (60 nt gene, 22 nt miRNA) pairs, each miRNA in n / n_mirna of them."""
    genes, mirnas = random_sequences(rng, n, 60), random_sequences(rng, n_mirna, 22)
    return [[genes[i], mirnas[i % n_mirna]] for i in range(n)]


@pytest.mark.parametrize("planted, expected", [(0, "pass"), (1, "warn"), (3, "fail")])
def test_pair_near_duplicates(planted, expected):
    rng = np.random.default_rng(planted)
    pairs = _sequence_pairs(rng, 200 - planted)
    # A near-copy of a pair: its gene with one substitution in 60 (98 %), its miRNA's sibling.
    pairs += [[mutate(rng, gene, 59 / 60), mutate(rng, mirna, 21 / 22)] for gene, mirna in pairs[:planted]]
    finding = _run_pairs(_pair_frame(pairs))["pair_near_duplicates"]
    assert finding.severity == expected
    assert finding.evidence["n_records"] == 2 * planted and finding.evidence["n_groups"] == planted


@pytest.mark.parametrize("copied, expected", [(0, "pass"), (1, "warn"), (2, "fail")])
def test_pair_near_duplicates_train_test(copied, expected):
    rng = np.random.default_rng(10 + copied)
    train = _sequence_pairs(rng, 100)
    test = _sequence_pairs(rng, 100 - copied)   # other genes and miRNAs: C3 pairs
    test += [[mutate(rng, gene, 59 / 60), mirna] for gene, mirna in train[:copied]]
    finding = _run_pairs(_pair_frame(train), _pair_frame(test, prefix="t"))[
        "pair_near_duplicates_train_test"]
    assert finding.severity == expected
    assert finding.evidence["n_test_leaked"] == copied and finding.evidence["n_test_exact"] == 0


# Findings that only ever report numbers (or pass/fail) are listed with the severities they reach.
COVERED = {
    "alphabet": test_alphabet, "lowercase_share": test_lowercase_share,
    "class_sizes": test_class_sizes, "length": test_length,
    "gc_content": test_composition_features, "nucleotide_composition": test_composition_features,
    "dinucleotide_composition": test_composition_features,
    "positional_composition": test_positional_composition,
    "kmer_enrichment": test_kmer_enrichment, "shortcut_score": test_shortcut_score,
    "duplicates_within_class": test_duplicates_within_class,
    "label_conflicts": test_label_conflicts,
    "reverse_complement_duplicates": test_reverse_complement_duplicates,
    "near_duplicates": test_near_duplicates,
    "train_test_exact": test_train_test_leakage,
    "train_test_reverse_complement": test_train_test_leakage,
    "train_test_near_duplicates": test_train_test_leakage,
    "train_test_shift": test_train_test_shift,
    "train_test_labels": test_train_test_labels,
    "interval_duplicates": test_interval_duplicates_with_unnormalised_names,
    "interval_identical_train_test": test_interval_identical_train_test,
    "interval_overlap_train_test": test_interval_overlap_train_test,
    "composition_twins": test_constructed_twins, "positional_twins": test_constructed_twins,
    "composition_twins_train_test": test_constructed_twins_train_test,
    "positional_twins_train_test": test_constructed_twins_train_test,
    "library_constant": test_library_constant,


    "lookup_baseline": test_lookup_baseline,


    "interval_window_overlap_train_test": test_interval_window_overlap_train_test,
    "pair_duplicates": test_pair_duplicates, "partner_reuse": test_partner_reuse_is_information,
    "pair_classes_train_test": test_pair_classes_train_test,
    "pair_near_duplicates": test_pair_near_duplicates,
    "pair_near_duplicates_train_test": test_pair_near_duplicates_train_test,
}


def test_every_grading_finding_is_covered():
    assert set(finding_names()) == set(COVERED)
