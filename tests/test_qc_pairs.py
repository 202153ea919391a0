"""Pair-aware QC: in pair data the sample is the pair, and a reused partner is not a duplicate.

Known answers on generated pairs (planted repeated pairs, random unique pairs with reused
partners, planted C1 test pairs, disjoint partners), the bundled miRNA-gene pairs, and bad
input.
"""

import numpy as np
import pandas as pd
import pytest

from conftest import mutate, random_sequences
from skgenqc import DatasetQC
from skgenqc.features.encoding import reverse_complement
from skgenqc.datasets import load_mirna_pairs
from skgenqc.model_selection import pair_classes
from skgenqc.qc import (
    check_pair_classes_train_test,
    check_pair_duplicates,
    check_pair_near_duplicates,
    check_pair_near_duplicates_train_test,
    check_pairs,
    check_partner_reuse,
    partner_families,
    with_pair_columns,
)

PARTNER_CHECKS = ("duplicates_within_class", "label_conflicts", "reverse_complement_duplicates")


def _reused_pairs(seed, n_mirna=10, n_pairs=100):
    """Unique pairs: each gene once, each miRNA in about n_pairs / n_mirna pairs; random labels."""
    rng = np.random.default_rng(seed)
    mirnas = random_sequences(rng, n_mirna, 22)
    genes = random_sequences(rng, n_pairs, 60)
    frame = pd.DataFrame({"gene": genes, "mirna": [mirnas[i % n_mirna] for i in range(n_pairs)],
                          "label": rng.integers(0, 2, n_pairs)})
    return frame


def _by_check(report):
    return {f.check: f for f in report.findings}


# ------------------------------------------------------------------------- pair duplicates
@pytest.mark.parametrize("seed", range(5))
def test_unique_pairs_with_reused_partners_pass_and_partner_duplicates_are_info(seed):
    frame = _reused_pairs(seed)
    report = DatasetQC(checks=["duplicates", "pairs"]).run(frame, frame["label"],
                                                  sequence_columns=["gene", "mirna"])
    found = _by_check(report)
    assert found["pair_duplicates"].severity == "pass"
    assert found["partner_reuse"].severity == "info"
    assert found["partner_reuse"].evidence["mirna"]["n_partners"] == 10
    assert found["partner_reuse"].evidence["mirna"]["max_degree"] == 10
    # As single sequences the miRNA column is 90 % copies; here that is information only.
    duplicates = found["duplicates_within_class[mirna]"]
    assert duplicates.severity == "info"
    assert duplicates.evidence["severity_as_single_sequences"] == "fail"
    assert "partner_reuse" in duplicates.message
    for name in PARTNER_CHECKS:
        for column in ("gene", "mirna"):
            finding = found[f"{name}[{column}]"]
            assert finding.severity in ("pass", "info")
            assert "eduplicate" not in finding.recommendation


def test_the_same_columns_as_single_sequences_still_fail():
    """One sequence column is not pair data: the miRNA copies stay a failing duplicate."""
    frame = _reused_pairs(0)
    report = DatasetQC(checks=["duplicates", "pairs"]).run(frame, frame["label"], sequence_columns=["mirna"])
    found = _by_check(report)
    assert found["duplicates_within_class[mirna]"].severity == "fail"
    assert "pair_duplicates" not in found


def test_planted_duplicate_pairs_warn_then_fail():
    frame = _reused_pairs(1, n_pairs=200)
    one = pd.concat([frame, frame.iloc[[0]]], ignore_index=True)  # 1 of 201 repeated
    assert check_pair_duplicates(one[["gene", "mirna"]], one["label"]).severity == "warn"
    many = pd.concat([frame, frame.iloc[:10]], ignore_index=True)  # 10 of 210 (4.8 %)
    finding = check_pair_duplicates(many[["gene", "mirna"]], many["label"])
    assert finding.severity == "fail"
    assert finding.evidence["n_redundant"] == 10 and finding.evidence["n_label_conflicts"] == 0
    assert len(finding.table) == 10 and (finding.table["n_copies"] == 2).all()
    report = DatasetQC(checks=["duplicates", "pairs"]).run(many, many["label"],
                                                  sequence_columns=["gene", "mirna"])
    assert _by_check(report)["pair_duplicates"].severity == "fail"


def test_a_pair_under_two_labels_fails_and_is_counted_apart():
    frame = _reused_pairs(2, n_pairs=200)
    conflict = frame.iloc[[0]].assign(label=1 - frame["label"].iloc[0])
    both = pd.concat([frame, conflict], ignore_index=True)
    finding = check_pair_duplicates(both[["gene", "mirna"]], both["label"], warn=0.05)
    assert finding.severity == "fail"     # 1 of 201 copies is under warn=0.05; the conflict fails
    assert finding.evidence["n_label_conflicts"] == 1
    assert bool(finding.table["label_conflict"].iloc[0])


def test_homogeneous_pairs_count_transposed_copies():
    pairs = [["p1", "p2"], ["p2", "p1"], ["p3", "p4"]]
    assert check_pair_duplicates(pairs, homogeneous=True).evidence["n_redundant"] == 1
    assert check_pair_duplicates(pairs, homogeneous=False).evidence["n_redundant"] == 0


def test_partner_reuse_counts_by_hand():
    pairs = pd.DataFrame({"m": ["a", "a", "a", "b", "c"], "g": ["x", "y", "z", "x", "w"]})
    finding = check_partner_reuse(pairs)
    assert finding.evidence["m"] == {"n_partners": 3, "max_degree": 3, "median_degree": 1.0,
                                     "share_pairs_with_reused_partner": 0.6}
    assert finding.evidence["g"]["n_partners"] == 4
    assert finding.evidence["g"]["share_pairs_with_reused_partner"] == 0.4
    assert "expected in pair data" in finding.message and "PairKFold" in finding.recommendation
    assert sum(finding.evidence["random_5fold_test_classes"].values()) == 5


# --------------------------------------------------------------------------- train / test
def test_disjoint_partners_pass():
    train, test = _reused_pairs(3), _reused_pairs(4)   # other random sequences: no partner shared
    finding = check_pair_classes_train_test(train[["gene", "mirna"]], test[["gene", "mirna"]])
    assert finding.severity == "pass"
    assert (finding.evidence["C1"], finding.evidence["C2"], finding.evidence["C3"]) == (0, 0, 100)


def test_planted_c1_pairs_warn_then_fail():
    train = _reused_pairs(5)
    fresh = _reused_pairs(6)
    c1 = pd.DataFrame({"gene": train["gene"].iloc[:5].to_numpy(),
                       "mirna": train["mirna"].iloc[5:10].to_numpy()})   # both partners seen
    few = pd.concat([fresh[["gene", "mirna"]].iloc[:95], c1], ignore_index=True)
    finding = check_pair_classes_train_test(train[["gene", "mirna"]], few)
    assert finding.severity == "warn" and finding.evidence["C1"] == 5
    assert finding.evidence["share_C1"] == 0.05
    assert "PairKFold(mode='C3')" in finding.recommendation
    reused = pd.DataFrame({"gene": train["gene"].iloc[:60].to_numpy(),
                           "mirna": train["mirna"].iloc[40:100].to_numpy()})
    most = pd.concat([fresh[["gene", "mirna"]].iloc[:40], reused], ignore_index=True)
    finding = check_pair_classes_train_test(train[["gene", "mirna"]], most)
    assert finding.severity == "fail" and finding.evidence["C1"] == 60


def test_classes_agree_with_pair_classes():
    train, test = _reused_pairs(7), _reused_pairs(7, n_pairs=40).iloc[::2]  # miRNAs shared
    test = test.assign(gene=list(train["gene"].iloc[:10]) + list(test["gene"].iloc[10:]))
    finding = check_pair_classes_train_test(train[["gene", "mirna"]], test[["gene", "mirna"]])
    both = pd.concat([train[["gene", "mirna"]], test[["gene", "mirna"]]]).to_numpy()
    expected = pd.Series(pair_classes(both, np.arange(100), np.arange(100, 120))).value_counts()
    assert {k: finding.evidence[k] for k in ("C1", "C2", "C3")} == {
        k: int(expected.get(k, 0)) for k in ("C1", "C2", "C3")}


def test_dataset_qc_runs_pair_classes_with_a_test_set():
    train, test = _reused_pairs(8), _reused_pairs(9)
    report = DatasetQC(checks=["duplicates", "pairs"]).run(
        train, train["label"], X_test=test, y_test=test["label"],
        sequence_columns=["gene", "mirna"])
    assert _by_check(report)["pair_classes_train_test"].severity == "pass"


# ---------------------------------------------------------------------------- real pairs
def test_bundled_mirna_pairs_are_checked_per_pair():
    pairs = load_mirna_pairs()
    report = DatasetQC(checks=["duplicates", "pairs"]).run(pairs, pairs["label"],
                                                  sequence_columns=["gene", "noncodingRNA"])
    found = _by_check(report)
    assert found["pair_duplicates"].severity == "pass"
    assert found["pair_duplicates"].evidence["n_redundant"] == 0
    reuse = found["partner_reuse"].evidence
    # 100 pairs: 21 miRNAs (up to 17 pairs each), 99 genes.
    assert reuse["noncodingRNA"]["n_partners"] == pairs["noncodingRNA"].str.upper().nunique() == 21
    assert reuse["noncodingRNA"]["max_degree"] == 17
    assert reuse["gene"]["n_partners"] == 99
    miRNA_copies = found["duplicates_within_class[noncodingRNA]"]
    assert miRNA_copies.severity == "info" and miRNA_copies.evidence["n_redundant"] == 59
    for finding in report.findings:
        if finding.check.split("[")[0] in PARTNER_CHECKS:
            assert "eduplicate" not in finding.recommendation
            assert finding.severity in ("pass", "info")


def test_bundled_mirna_pairs_full_qc_gives_no_dedup_advice_on_partners():
    pairs = load_mirna_pairs()
    report = DatasetQC().run(pairs, pairs["label"], sequence_columns=["gene", "noncodingRNA"])
    advice = {f.check: f.recommendation for f in report.findings
              if "eduplicate" in f.recommendation}
    assert advice == {"partner_reuse": _by_check(report)["partner_reuse"].recommendation}
    assert advice["partner_reuse"].startswith("Do not deduplicate partners")


def test_cli_qc_on_mirna_pairs_checks_pairs(tmp_path):
    import json

    from click.testing import CliRunner

    from skgenqc.cli import main

    table, out = tmp_path / "pairs.tsv", tmp_path / "qc.json"
    load_mirna_pairs().to_csv(table, sep="\t", index=False)
    result = CliRunner().invoke(main, ["qc", str(table), "--sequence-column", "gene",
                                       "--sequence-column", "noncodingRNA", "--label-column",
                                       "label", "--json", str(out)])
    # The miRNA copies and families are partners; the one failure is a real near-copied pair:
    # two gene sites 4 nt apart (50 nt windows, 92 % identical) with the same miRNA.
    assert result.exit_code == 1, result.output
    findings = {f["check"]: f for f in json.loads(out.read_text())["findings"]}
    assert findings["pair_duplicates"]["severity"] == "pass"
    assert findings["pair_near_duplicates"]["severity"] == "fail"
    assert findings["pair_near_duplicates"]["evidence"]["n_records"] == 2
    assert [c for c, f in findings.items() if f["severity"] == "fail"] == ["pair_near_duplicates"]
    assert findings["duplicates_within_class[noncodingRNA]"]["severity"] == "info"
    assert findings["near_duplicates[noncodingRNA]"]["severity"] == "info"
    # The one gene site shared by two pairs (under two labels) is a reused partner: info, and
    # the interval and label checks run once, unsuffixed.
    assert findings["interval_duplicates"]["severity"] == "info"
    assert "interval_duplicates[gene]" not in findings and "class_sizes[gene]" not in findings
    assert not [c for c, f in findings.items() if c != "partner_reuse"
                and "eduplicate" in (f.get("recommendation") or "")]


# ----------------------------------------------------------------------------- bad input
def test_one_column_is_refused_with_the_shape():
    with pytest.raises(ValueError, match=r"pairs must have shape \(n_pairs, 2\).*got shape \(3, 1\)"):
        check_pairs(pd.DataFrame({"gene": ["A", "C", "G"]}))
    with pytest.raises(ValueError, match=r"pairs_test must have shape .*got shape \(3,\)"):
        check_pair_classes_train_test([["a", "b"]], ["a", "b", "c"])


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match=r"labels has 2 entries but there are 3 pairs"):
        check_pairs([["a", "x"], ["b", "y"], ["c", "z"]], [0, 1])


def test_a_split_column_gives_the_pair_test_set():
    train = _reused_pairs(10)
    test = train.iloc[:20].assign(gene=_reused_pairs(11, n_pairs=20)["gene"].to_numpy())  # C2
    frame = pd.concat([train.assign(split="train"), test.assign(split="test")], ignore_index=True)
    report = DatasetQC(checks=["duplicates", "pairs"]).run(frame, sequence_columns=["gene", "mirna"])
    found = _by_check(report)
    assert (found["pair_classes_train_test"].evidence["C2"],
            found["pair_classes_train_test"].evidence["n_test_pairs"]) == (20, 20)
    assert found["pair_classes_train_test"].severity == "pass"
    assert found["pair_duplicates"].evidence["n_pairs"] == 100


# ------------------------------------------------------- the registered check ``pairs``
def test_pairs_is_a_registered_check_selected_by_its_names():
    from skgenqc.qc import check_table, resolve_checks

    assert resolve_checks(["pair_near_duplicates"]) == resolve_checks("partner_reuse") == ["pairs"]
    row = check_table().set_index("check").loc["pairs"]
    assert row["needs"] == "pairs" and "pair_near_duplicates_train_test" in row["findings"]
    frame = _reused_pairs(12)
    report = DatasetQC(checks=["pairs"]).run(frame, frame["label"],
                                             sequence_columns=["gene", "mirna"])
    assert [f.check for f in report] == ["pair_duplicates", "pair_near_duplicates",
                                         "partner_reuse"]
    assert report.metadata["checks"] == ["pairs"] and "skipped_checks" not in report.metadata


def test_pairs_on_single_sequences_is_skipped_with_the_reason_and_all_leaves_it_out():
    frame = _reused_pairs(13)
    report = DatasetQC(checks=["pairs", "class_sizes"]).run(frame.assign(sequence=frame["gene"]))
    assert report.metadata["skipped_checks"] == {
        "pairs": "needs two partner sequence columns (sequence_columns=[a, b], --sequence-column "
                 "twice)"}
    assert [f.check for f in report] == ["class_sizes"]
    # checks="all": the pair checks do not apply to single sequences (not "skipped").
    report = DatasetQC().run(frame.assign(sequence=frame["gene"]))
    assert "pairs" not in report.metadata["checks"]
    assert "pairs" not in report.metadata.get("skipped_checks", {})


def test_cli_checks_pairs_runs_only_the_pair_findings(tmp_path, runner):
    import json

    from skgenqc.cli import main

    table, out = tmp_path / "pairs.tsv", tmp_path / "qc.json"
    load_mirna_pairs().to_csv(table, sep="\t", index=False)
    result = runner.invoke(main, ["qc", str(table), "--sequence-column", "gene",
                                  "--sequence-column", "noncodingRNA", "--checks", "pairs",
                                  "--json", str(out)])
    assert result.exit_code == 1, result.output + result.stderr  # the shifted gene-site pair
    report = json.loads(out.read_text())
    assert [f["check"] for f in report["findings"]] == ["pair_duplicates", "pair_near_duplicates",
                                                        "partner_reuse"]
    assert report["findings"][1]["evidence"]["compared_as"]["noncodingRNA"].startswith("sequences")


# ------------------------------------------------------------- near-identical pairs
@pytest.mark.parametrize("seed", range(5))
def test_random_pairs_with_reused_partners_have_no_near_identical_pairs(seed):
    frame = _reused_pairs(seed)
    finding = check_pair_near_duplicates(frame[["gene", "mirna"]], frame["label"])
    assert finding.severity == "pass" and finding.evidence["n_records"] == 0
    assert finding.evidence["compared_as"] == {"gene": "sequences (identity >= 90%, either strand)",
                                               "mirna": "sequences (identity >= 90%, either strand)"}


def test_near_identical_pairs_are_counted_and_exact_repeats_are_not():
    rng = np.random.default_rng(20)
    frame = _reused_pairs(20, n_pairs=100)[["gene", "mirna"]]
    g, m = frame.iloc[0]
    near = pd.DataFrame({"gene": [mutate(rng, g, 0.95), reverse_complement(g)],
                         "mirna": [mutate(rng, m, 21 / 22), m]})        # both count (either strand)
    repeat = frame.iloc[[5, 5]]                                        # pair_duplicates' business
    other_side = pd.DataFrame({"gene": [mutate(rng, g, 0.95)],         # gene alike, miRNA not
                               "mirna": [random_sequences(rng, 1, 22)[0]]})
    both = pd.concat([frame, near, repeat, other_side], ignore_index=True)
    finding = check_pair_near_duplicates(both)
    assert finding.evidence["n_groups"] == 1 and finding.evidence["n_records"] == 3
    assert finding.severity == "fail"   # 3 of 104 > 2 %
    assert finding.table["n_pairs"].tolist() == [3] and "PairKFold" in finding.recommendation
    assert check_pair_duplicates(both).evidence["n_redundant"] == 2


def test_labels_of_near_identical_pairs_and_id_columns():
    pairs = [["hsa-let-7a-5p", "TP53"], ["hsa-let-7a-5p", "tp53"], ["hsa-let-7b-5p", "TP53"]]
    finding = check_pair_near_duplicates(pairs, [1, 0, 1])
    # Ids are compared exactly (case ignored): only the case-variant pair, an exact repeat.
    assert finding.evidence["n_records"] == 0
    assert finding.evidence["compared_as"] == {"A": "ids (exact)", "B": "ids (exact)"}
    let7a, let7b = "TGAGGTAGTAGGTTGTATAGTT", "TGAGGTAGTAGGTTGTGTGGTT"
    site = random_sequences(np.random.default_rng(0), 1, 40)[0]
    finding = check_pair_near_duplicates([[let7a, site], [let7b, site]], [1, 0])
    assert finding.evidence["n_groups_spanning_labels"] == 1
    assert bool(finding.table["label_conflict"].iloc[0])


def test_homogeneous_near_identical_pairs_match_transposed():
    rng = np.random.default_rng(21)
    a, b, c, d = random_sequences(rng, 4, 40)
    pairs = [[a, b], [mutate(rng, b, 0.95), mutate(rng, a, 0.95)], [c, d]]
    assert check_pair_near_duplicates(pairs, homogeneous=True).evidence["n_records"] == 2
    assert check_pair_near_duplicates(pairs, homogeneous=False).evidence["n_records"] == 0


def test_partner_families_group_near_identical_partners_for_pair_kfold():
    from skgenqc.model_selection import PairKFold
    from skgenqc.features import find_similar_pairs

    pairs = load_mirna_pairs()
    families = partner_families(pairs["noncodingRNA"])
    assert set(families.index) == set(pairs["noncodingRNA"]) and families.nunique() == 18
    # The advice works: no miRNA of a test fold is near-identical to a training miRNA.
    cv = PairKFold(5, mode="C2", side=1, families=families, random_state=0)
    mirna = pairs["noncodingRNA"].to_numpy()
    for train, test in cv.split(pairs, groups=pairs[["gene", "noncodingRNA"]]):
        hits = find_similar_pairs(list(mirna[test]), list(mirna[train]), threshold=0.9)
        assert hits.empty


def test_bundled_mirna_pairs_near_identical_mirnas_are_information_with_pair_kfold_advice():
    from skgenqc.features import sequence_identity

    pairs = load_mirna_pairs()
    report = DatasetQC(checks=["near_duplicates", "pairs"]).run(
        pairs, pairs["label"], sequence_columns=["gene", "noncodingRNA"])
    found = _by_check(report)
    mirna = found["near_duplicates[noncodingRNA]"]
    assert mirna.severity == "info" and mirna.evidence["severity_as_single_sequences"] == "fail"
    assert mirna.evidence["n_records"] == 44
    assert "PairKFold(mode='C2'" in mirna.recommendation
    assert "families=partner_families(X['noncodingRNA'])" in mirna.recommendation
    assert "SimilarityGroupKFold" not in mirna.recommendation
    # Known answer by brute force: one pair of different pairs has both partners >= 90 %
    # identical (the same miRNA, gene sites shifted by 4 nt), which the QC counts.
    g, m = pairs["gene"].str.upper().tolist(), pairs["noncodingRNA"].str.upper().tolist()
    near = [(i, j) for i in range(len(g)) for j in range(i + 1, len(g))
            if (g[i], m[i]) != (g[j], m[j]) and sequence_identity(m[i], m[j]) >= 0.9
            and sequence_identity(g[i], g[j]) >= 0.9]
    assert near == [(46, 48)] and found["pair_near_duplicates"].evidence["n_records"] == 2
    assert found["pair_near_duplicates"].severity == "fail"


def test_a_test_pair_copying_a_training_pair_is_counted_exact_apart():
    train = _reused_pairs(22)[["gene", "mirna"]]
    fresh = _reused_pairs(23)[["gene", "mirna"]]
    rng = np.random.default_rng(22)
    g, m = train.iloc[3]
    test = pd.concat([fresh.iloc[:97], train.iloc[[0]],
                      pd.DataFrame({"gene": [mutate(rng, g, 0.95), g], "mirna": [m, m]})],
                     ignore_index=True)
    finding = check_pair_near_duplicates_train_test(train, test)
    assert (finding.evidence["n_test_leaked"], finding.evidence["n_test_exact"]) == (3, 2)
    assert finding.severity == "fail" and finding.table["exact_copy"].tolist() == [True, False, True]


def test_pair_near_duplicate_inputs_are_checked():
    with pytest.raises(ValueError, match=r"pairs must have shape \(n_pairs, 2\).*got shape \(2, 3\)"):
        check_pair_near_duplicates([["a", "b", "c"], ["d", "e", "f"]])
    with pytest.raises(ValueError, match=r"labels has 1 entries but there are 2 pairs"):
        check_pair_near_duplicates([["a", "b"], ["c", "d"]], [1])
    with pytest.raises(ValueError, match=r"pairs_test must have shape"):
        check_pair_near_duplicates_train_test([["a", "b"]], ["a", "b"])
    with pytest.raises(ValueError, match=r"columns must name two partner columns, got 3"):
        with_pair_columns(pd.DataFrame({"a": [1], "b": [1], "c": [1]}), ["a", "b", "c"])
    with pytest.raises(ValueError, match=r"columns names 'z', which is not a column"):
        with_pair_columns(pd.DataFrame({"a": [1], "b": [1]}), ["a", "z"])


# ------------------------------------------------ checks that do not read sequences: once
def test_checks_without_sequences_run_once_unsuffixed_in_pair_data():
    rng = np.random.default_rng(24)
    frame = _reused_pairs(24).assign(chrom="chr1", start=np.arange(100) * 1000)
    frame["end"] = frame["start"] + 60
    frame.loc[1, ["start", "end"]] = frame.loc[0, ["start", "end"]].to_numpy()  # one repeat
    test = _reused_pairs(25, n_pairs=20).assign(chrom="chr2", start=np.arange(20) * 1000)
    test["end"] = test["start"] + 60
    test["label"] = rng.integers(0, 2, 20)
    report = DatasetQC(checks=["class_sizes", "intervals", "train_test_labels", "duplicates",
                               "pairs"]).run(frame, frame["label"], X_test=test,
                                             y_test=test["label"], sequence_columns=["gene", "mirna"])
    names = [f.check for f in report]
    for once in ("class_sizes", "interval_duplicates_train", "interval_identical_train_test",
                 "train_test_labels", "pair_duplicates"):
        assert names.count(once) == 1, names
    assert not [n for n in names if n.startswith(("class_sizes[", "interval", "train_test_labels["))
                and "[" in n]
    assert "duplicates_within_class_train[gene]" in names
    # The repeated interval locates a reused partner: information, graded warn on its own.
    repeat = report["interval_duplicates_train"]
    assert repeat.severity == "info" and repeat.evidence["severity_as_single_sequences"] == "warn"
    # Three sequence columns are not pairs: still once, and no pair checks.
    three = DatasetQC(checks=["class_sizes", "duplicates", "pairs"]).run(
        frame.assign(third=frame["gene"].str[::-1]), frame["label"],
        sequence_columns=["gene", "mirna", "third"])
    assert [f.check for f in three].count("class_sizes") == 1
    assert "pairs" in three.metadata["skipped_checks"]
    assert three["duplicates_within_class[mirna]"].severity == "fail"


def test_a_test_interval_of_a_reused_partner_is_information_in_pair_data(tmp_path):
    pairs = load_mirna_pairs().rename(columns={"chr": "chrom"})
    train, test = pairs.iloc[:70], pairs.iloc[70:]   # one gene site is in both halves
    single = DatasetQC(checks=["intervals"]).run(train.assign(sequence=train["gene"]),
                                                 X_test=test.assign(sequence=test["gene"]))
    assert single["interval_identical_train_test"].severity == "fail"
    report = DatasetQC(checks=["intervals", "pairs"]).run(
        train, X_test=test, sequence_columns=["gene", "noncodingRNA"])
    for name in ("interval_identical_train_test", "interval_overlap_train_test"):
        assert report[name].severity == "info", name
        assert report[name].evidence["severity_as_single_sequences"] == "fail"
    # The pair view: that test pair is C2 (its gene seen in training), no pair is copied.
    assert report["pair_classes_train_test"].evidence["C1"] == 0
    assert report["pair_near_duplicates_train_test"].evidence["n_test_leaked"] == 0
