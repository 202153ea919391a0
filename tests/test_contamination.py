"""Benchmark contamination (check_contamination, ``skgenqc qc --against``): known answers.

Not a registered check (it needs a second data set), so its severities are covered here
rather than in test_qc_severities.py: random data passes both directions, one planted copy
among 100 warns, two fail, an empty side is ``info``.
"""

import json

import numpy as np
import pandas as pd
import pytest

from conftest import mutate, random_sequences
from skgenqc.cli import main
from skgenqc.features.encoding import reverse_complement
from skgenqc.qc import check_contamination, check_train_test_leakage


def _frame(seqs, prefix):
    return pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(seqs))], "sequence": seqs})


def _sides(seed=0, n=100, length=200):
    rng = np.random.default_rng(seed)
    return rng, random_sequences(rng, n, length), random_sequences(rng, n, length)


def _by_check(findings):
    return {f.check: f for f in findings}


def test_random_data_is_clean_both_ways():
    for seed in range(3):
        _, ours, theirs = _sides(seed)
        found = _by_check(check_contamination(ours, theirs))
        assert set(found) == {"contamination", "contamination_reverse"}
        for finding in found.values():
            assert finding.severity == "pass"
            assert finding.evidence["n_contaminated"] == 0 and finding.table.empty


@pytest.mark.parametrize("plant, kind", [
    (lambda rng, s: s, "exact"),
    (lambda rng, s: s.lower(), "exact"),
    (lambda rng, s: reverse_complement(s), "reverse_complement"),
    (lambda rng, s: s[5:] + "ACGTA", "near"),  # shifted by 5 of 200: identity 0.95
    (lambda rng, s: mutate(rng, s, 0.95), "near"),
    (lambda rng, s: reverse_complement(mutate(rng, s, 0.95)), "near"),
])
@pytest.mark.parametrize("n_planted, severity", [(1, "warn"), (2, "fail")])
def test_planted_copies_are_found_with_ids_of_both_sides(plant, kind, n_planted, severity):
    rng, ours, theirs = _sides(1)
    for i in range(n_planted):
        theirs[10 + i] = plant(rng, ours[20 + i])
    found = _by_check(check_contamination(_frame(ours, "a"), _frame(theirs, "b"),
                                          names=("train", "bench")))
    forward, reverse = found["contamination"], found["contamination_reverse"]
    assert forward.severity == reverse.severity == severity
    assert forward.evidence["n_contaminated"] == reverse.evidence["n_contaminated"] == n_planted
    assert forward.evidence[f"n_{kind}"] == n_planted
    assert sorted(forward.evidence["ids"]) == [f"a{20 + i}" for i in range(n_planted)]
    assert sorted(forward.evidence["other_ids"]) == [f"b{10 + i}" for i in range(n_planted)]
    assert sorted(reverse.evidence["ids"]) == [f"b{10 + i}" for i in range(n_planted)]
    assert (forward.evidence["side"], forward.evidence["other_side"]) == ("train", "bench")
    assert "train" in forward.message and "bench" in forward.message
    assert set(forward.table["kind"]) >= {kind}


def test_directions_differ_when_one_side_holds_several_copies():
    rng, ours, theirs = _sides(2)
    theirs[0] = theirs[1] = theirs[2] = ours[7]
    found = _by_check(check_contamination(ours, theirs))
    assert found["contamination"].evidence["n_contaminated"] == 1
    assert found["contamination"].evidence["n_other_involved"] == 3
    assert found["contamination_reverse"].evidence["n_contaminated"] == 3
    assert found["contamination_reverse"].evidence["n_other_involved"] == 1
    assert found["contamination"].evidence["n_pairs"] == 3


def test_a_short_sequence_inside_a_long_one_is_not_a_copy():
    rng, ours, theirs = _sides(3)
    theirs[0] = ours[0][50:70]  # 20 nt of 200: coverage-aware identity 0.1
    found = _by_check(check_contamination(ours, theirs))
    assert found["contamination"].severity == "pass"


def test_agrees_with_train_test_leakage_in_each_direction():
    rng, ours, theirs = _sides(4)
    theirs[3] = ours[4]
    theirs[5] = mutate(rng, ours[6], 0.92)
    found = _by_check(check_contamination(_frame(ours, "a"), _frame(theirs, "b")))
    leak, _ = check_train_test_leakage(_frame(ours, "a"), ours, _frame(theirs, "b"), theirs)
    leaked = sum(f.evidence["n_test_leaked"] for f in leak)
    assert found["contamination_reverse"].evidence["n_contaminated"] == leaked == 2


def test_empty_side_is_not_a_pass():
    _, ours, _ = _sides(5)
    found = _by_check(check_contamination(ours, []))
    assert found["contamination_reverse"].severity == "info"
    assert "not measured" in found["contamination_reverse"].message
    assert found["contamination"].severity == "pass"  # 100 measured, none with a copy


def test_labels_of_pairs_are_compared():
    rng, ours, theirs = _sides(6)
    theirs[0] = ours[0]
    a = _frame(ours, "a").assign(label=0)
    b = _frame(theirs, "b").assign(label=1)
    found = _by_check(check_contamination(a, b))
    assert found["contamination"].evidence["pairs_with_different_labels"] == 1


@pytest.mark.parametrize("kwargs, error, words", [
    ({"data": 5}, TypeError, ["data", "int"]),
    ({"other": pd.DataFrame({"seq": ["ACGT"]})}, ValueError, ["other", "'sequence'", "seq"]),
    ({"other": ["ACGT", None]}, TypeError, ["other", "row 1", "str"]),
    ({"names": ("a", "a")}, ValueError, ["names", "('a', 'a')"]),
    ({"names": "ab"}, ValueError, ["names"]),
    ({"max_ids": -1}, ValueError, ["max_ids", "-1"]),
    ({"threshold": 0.2}, ValueError, ["threshold", "0.2"]),
])
def test_bad_inputs_name_the_argument(kwargs, error, words):
    args = {"data": ["ACGTACGTAC"], "other": ["ACGTACGTAC"], **kwargs}
    data, other = args.pop("data"), args.pop("other")
    with pytest.raises(error) as info:
        check_contamination(data, other, **args)
    for word in words:
        assert word in str(info.value)


def test_real_enhancers_train_against_test(shared_data, runner, tmp_path):
    folder = shared_data / "genbenchqc_examples"
    train = pd.read_csv(folder / "enhancers_train.csv")
    test = pd.read_csv(folder / "enhancers_test.csv")
    found = _by_check(check_contamination(train, test, names=("train", "test")))
    leak, _ = check_train_test_leakage(train.assign(id=[f"data:{i}" for i in range(len(train))]),
                                       train["sequence"].tolist(),
                                       test.assign(id=[f"other:{i}" for i in range(len(test))]),
                                       test["sequence"].tolist())
    leak = {f.check: f.evidence["n_test_leaked"] for f in leak}
    reverse = found["contamination_reverse"].evidence
    assert reverse["n_near"] == leak["train_test_near_duplicates"]
    assert reverse["n_exact"] == leak["train_test_exact"]
    assert found["contamination"].evidence["n_contaminated"] >= 1  # near-copies are shared
    assert reverse["n_sequences"] == len(test) and reverse["n_other_sequences"] == len(train)

    out = tmp_path / "c.json"
    result = runner.invoke(main, ["qc", str(folder / "enhancers_train.csv"), "--checks", "leakage",
                                  "--against", str(folder / "enhancers_test.csv"),
                                  "--json", str(out), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    cli = {f["check"]: f for f in report["findings"]}
    for check in ("contamination", "contamination_reverse"):
        assert cli[check]["evidence"]["n_contaminated"] == found[check].evidence["n_contaminated"]
        assert cli[check]["severity"] == found[check].severity
    assert report["metadata"]["against"] == ["enhancers_test.csv"]


def test_cli_against_gates_and_names_the_option(runner, tmp_path):
    rng = np.random.default_rng(7)
    ours, theirs = random_sequences(rng, 50, 120), random_sequences(rng, 50, 120)
    theirs[0] = reverse_complement(ours[3])
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    pd.DataFrame({"sequence": ours, "label": [0, 1] * 25}).to_csv(a, index=False)
    pd.DataFrame({"sequence": theirs, "label": [0, 1] * 25}).to_csv(b, index=False)
    result = runner.invoke(main, ["qc", str(a), "--checks", "duplicates", "--against", str(b),
                                  "--fail-on", "warn"])
    assert result.exit_code == 1
    assert "contamination" in result.output
    missing = runner.invoke(main, ["qc", str(a), "--against", str(tmp_path / "gone.csv")])
    assert missing.exit_code == 2
    assert "--against" in missing.stderr and "gone.csv" in missing.stderr
