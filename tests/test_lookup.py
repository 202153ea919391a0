"""Known answers of the nearest-neighbour search and the lookup baseline, bad inputs, real data."""

import numpy as np
import pandas as pd
import pytest

from conftest import mutate, random_sequences
from skgenqc import DatasetQC
from skgenqc.features import kmer_containment, nearest_neighbours, reverse_complement
from skgenqc.features.similarity import find_similar_pairs, sequence_identity
from skgenqc.qc import check_lookup_baseline, lookup_scores


def _frame(seqs, labels, prefix):
    return pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(seqs))], "sequence": seqs,
                         "label": labels})


def test_nearest_neighbours_agrees_with_the_one_identity_definition():
    rng = np.random.default_rng(1)
    train = random_sequences(rng, 300, 120)
    sources = rng.choice(300, size=40, replace=False)
    test = [mutate(rng, train[i], 0.95) for i in sources[:20]]
    test += [reverse_complement(mutate(rng, train[i], 0.93)) for i in sources[20:]]
    test += random_sequences(rng, 40, 120)
    nn = nearest_neighbours(test, train, threshold=0.9)
    assert len(nn) == len(test)
    assert (nn["method"][:40] == "identity").all()
    assert nn["train"][:40].tolist() == sources.tolist()
    assert (nn["strand"][20:40] == "-").all()
    for i in (0, 25):
        assert nn["identity"][i] == pytest.approx(sequence_identity(test[i], train[sources[i]]))
    assert (nn["method"][40:] != "identity").all()
    # Random 120 nt items share almost no 12-mer with training: containment near zero.
    assert nn["containment"][40:].max() < 0.1
    # The hits can be passed in (one search per run) with the same answer.
    pairs = find_similar_pairs(test, train, threshold=0.9)
    pd.testing.assert_frame_equal(nearest_neighbours(test, train, pairs=pairs), nn)


def test_containment_finds_a_fragment_the_identity_search_cannot():
    rng = np.random.default_rng(2)
    train = random_sequences(rng, 50, 400)
    fragment = train[7][100:160]  # 60 nt inside 400: identity 0.15, containment 1
    nn = nearest_neighbours([fragment, reverse_complement(fragment)], train)
    assert nn["method"].tolist() == ["containment", "containment"]
    assert nn["train"].tolist() == [7, 7]
    assert nn["containment"].tolist() == [1.0, 1.0]
    c = kmer_containment([fragment[:30] + random_sequences(rng, 1, 30)[0]], train, k=12)
    assert c["train"][0] == 7 and 0.3 < c["containment"][0] < 0.7
    assert c["set_containment"][0] >= c["containment"][0]


def test_containment_of_items_without_valid_kmers_is_nan_not_zero():
    c = kmer_containment(["NNNNNNNNNNNNNNNN", "ACG"], ["ACGTACGTACGTACGT"], k=12)
    assert c["n_kmers"].tolist() == [0, 0]
    assert c["containment"].isna().all() and (c["train"] == -1).all()


@pytest.mark.parametrize("kwargs, words", [
    ({"k": 3}, "k=3 must be an int from 4 to 16"),
    ({"k": True}, "k=True"),
    ({"block": 0}, "block=0 must be a positive int"),
])
def test_kmer_containment_bad_parameters(kwargs, words):
    with pytest.raises(ValueError, match=words):
        kmer_containment(["ACGTACGTACGTAC"], ["ACGTACGTACGTAC"], **kwargs)


def test_nearest_neighbours_bad_inputs():
    with pytest.raises((TypeError, ValueError), match="test"):
        nearest_neighbours(12, ["ACGT"])
    with pytest.raises(ValueError, match="pairs lacks"):
        nearest_neighbours(["ACGT"], ["ACGT"], pairs=pd.DataFrame({"query": [0]}))


def _planted(rng, n_train=200, n_test=200, copies=0, length=100, identity=1.0):
    train = random_sequences(rng, n_train, length)
    y_train = np.array([0, 1] * (n_train // 2))
    src = rng.choice(n_train, size=copies, replace=False)
    test = [train[i] if identity == 1.0 else mutate(rng, train[i], identity) for i in src]
    test += random_sequences(rng, n_test - copies, length)
    y_test = np.concatenate([y_train[src], rng.permutation([0, 1] * ((n_test - copies) // 2))])
    return _frame(train, y_train, "tr"), _frame(test, y_test, "te")


def test_planted_near_copies_with_their_labels_fail_and_random_data_passes():
    rng = np.random.default_rng(3)
    train, test = _planted(rng, copies=120, identity=0.95)
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.severity == "fail" and f.value > 0.85
    assert f.evidence["p_value"] < 0.001
    assert f.evidence["n_identity_neighbour"] == 120
    assert f.evidence["share_with_neighbour"] == pytest.approx(0.6)
    assert len(f.table) == 200 and set(f.table["method"][:120]) == {"identity"}
    warns = 0
    for seed in range(10):
        train, test = _planted(np.random.default_rng(100 + seed))
        f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
        assert f.severity in ("pass", "warn"), f.message  # null data never fails
        warns += f.severity == "warn"
        assert f.evidence["share_with_neighbour"] == 0.0
    assert warns <= 1


def test_copies_with_other_labels_are_not_a_lookup_leak():
    rng = np.random.default_rng(4)
    train, test = _planted(rng, copies=200)
    test["label"] = rng.permutation(test["label"].to_numpy())  # the copy's label is random
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.severity == "pass" and f.evidence["share_with_neighbour"] == 1.0


def test_continuous_target_is_scored_with_r2():
    rng = np.random.default_rng(5)
    train, test = _planted(rng, copies=150)
    values = rng.normal(size=len(train)) + 0.01
    train["label"] = values
    copied = train.set_index("sequence").loc[test["sequence"][:150], "label"].to_numpy()
    test["label"] = np.concatenate([copied, rng.normal(size=50) + 0.01])
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.evidence["metric"] == "r2" and f.threshold["metric"] == "R2"
    assert f.severity == "fail" and f.value > 0.5
    test["label"] = rng.permutation(test["label"].to_numpy())
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.severity == "pass"


def test_multiclass_macro_auroc():
    rng = np.random.default_rng(6)
    train = random_sequences(rng, 150, 80)
    y_train = np.array(["a", "b", "c"] * 50)
    test = train[:90]
    f = check_lookup_baseline(_frame(train, y_train, "tr"), train, _frame(test, y_train[:90], "te"),
                              test)
    assert f.severity == "fail" and f.value == pytest.approx(1.0)
    assert set(f.table["lookup_prediction"]) == {"a", "b", "c"}


def test_labels_read_as_floats_match_integer_training_labels():
    rng = np.random.default_rng(11)
    train, test = _planted(rng, copies=100)
    test["label"] = test["label"].astype(float)
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.severity == "fail"


def test_one_test_class_or_tiny_classes_are_info_never_pass():
    rng = np.random.default_rng(7)
    train, test = _planted(rng, copies=100)
    test["label"] = 1
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.severity == "info" and f.value is None
    train, test = _planted(rng, n_test=12, copies=12)
    f = DatasetQC(checks=["lookup"]).run(train, X_test=test)["lookup_baseline"]
    assert f.severity == "info" and "Too few" in f.message


def test_lookup_runs_beside_composition_and_reuses_its_table():
    rng = np.random.default_rng(8)
    train, test = _planted(rng, copies=50)
    r = DatasetQC(checks=["composition", "leakage", "lookup"]).run(train, X_test=test)
    rule = r["lookup_baseline"].evidence["best_single_feature"]
    best = max(f.value for f in r if f.check in ("length", "gc_content", "nucleotide_composition",
                                                 "dinucleotide_composition"))
    assert rule["auroc"] == pytest.approx(best)
    assert r["lookup_baseline"].evidence["n_identity_neighbour"] == \
        r["train_test_exact"].evidence["n_test_leaked"] + \
        r["train_test_near_duplicates"].evidence["n_test_leaked"] + \
        r["train_test_reverse_complement"].evidence["n_test_leaked"]


def test_lookup_is_skipped_without_test_labels():
    rng = np.random.default_rng(9)
    train, test = _planted(rng)
    r = DatasetQC(checks=["lookup"]).run(train, X_test=test.drop(columns="label"))
    assert "lookup" in r.metadata["skipped_checks"]


def test_lookup_scores_bad_inputs():
    nn = pd.DataFrame({"train": [0, 5], "identity": [1.0, 1.0], "containment": 1.0,
                       "method": "identity"})
    with pytest.raises(ValueError, match="neighbours names training item 5"):
        lookup_scores([0, 1], [0, 1], nn)
    with pytest.raises(ValueError, match="neighbours has 2 rows but test_labels has 3"):
        lookup_scores([0, 1], [0, 1, 0], nn)
    with pytest.raises(ValueError, match="n_permutations=-1"):
        lookup_scores(list(range(6)), [0, 1], nn, n_permutations=-1)
    with pytest.raises(ValueError, match="'label' column"):
        check_lookup_baseline(pd.DataFrame({"id": [0]}), ["ACGT"], pd.DataFrame({"id": [0]}),
                              ["ACGT"])


def test_permutation_null_is_calibrated_on_null_data():
    rng = np.random.default_rng(10)
    nn = pd.DataFrame({"train": rng.integers(0, 100, 300), "identity": rng.uniform(0.9, 1, 300),
                       "containment": 0.0, "method": "identity"})
    ps = [lookup_scores(rng.integers(0, 2, 100), rng.integers(0, 2, 300), nn,
                        n_permutations=199, random_state=s)["p_value"] for s in range(40)]
    assert 0.3 < np.mean(ps) < 0.7  # uniform p-values under the null


def test_real_enhancers(shared_data):
    folder = shared_data / "genbenchqc_examples"
    train = pd.read_csv(folder / "enhancers_train.csv")
    test = pd.read_csv(folder / "enhancers_test.csv")
    r = DatasetQC(checks=["composition", "leakage", "lookup"]).run(train, X_test=test)
    f = r["lookup_baseline"]
    # Two test enhancers are near-copies of training ones (the leakage check's answer).
    assert f.evidence["n_identity_neighbour"] == \
        r["train_test_near_duplicates"].evidence["n_test_leaked"] == 2
    assert f.severity in ("pass", "warn") and 0.4 < f.value < 0.7
    assert f.evidence["best_single_feature"]["auroc"] > f.value


def _frozen(rng, copies, model_noise):
    """Training set with labels; test = copies with their labels + new items; a model score."""
    train, test = _planted(rng, copies=copies)
    y = test["label"].to_numpy()
    score = y + model_noise * rng.normal(size=len(y))
    return train, test, score


@pytest.mark.parametrize("copies, noise, severity", [
    (0, 0.5, "pass"),      # no lookup signal: the model is not compared with memorisation
    (120, 0.05, "pass"),   # the model beats the lookup on the new items too
    (120, 50.0, "fail"),   # a noise model is no better than copying labels
])
def test_audit_predictions_puts_the_lookup_beside_the_model(copies, noise, severity):
    from skgenqc.audit import audit_predictions

    train, test, score = _frozen(np.random.default_rng(12), copies, noise)
    report = audit_predictions(test["label"], score, train_sequences=train["sequence"].tolist(),
                               test_sequences=test["sequence"].tolist(),
                               train_labels=train["label"], n_permutations=999)
    f = report["model_vs_lookup"]
    assert f.severity == severity
    assert f.evidence["model_minus_lookup"] == pytest.approx(
        report.metadata["overall"] - f.evidence["lookup"])
    if copies:
        assert f.evidence["lookup"] > 0.75 and f.evidence["lookup_p_value"] < 0.01


def test_audit_predictions_lookup_bad_inputs():
    from skgenqc.audit import audit_predictions

    with pytest.raises(ValueError, match="train_labels needs train_sequences"):
        audit_predictions([0, 1], [0.1, 0.9], train_labels=[0, 1])
    with pytest.raises(ValueError, match="train_labels has 1 values but train_sequences has 2"):
        audit_predictions([0, 1], [0.1, 0.9], train_sequences=["ACGTAC", "GGCCTA"],
                          test_sequences=["ACGTAC", "GGCCTA"], train_labels=[0])


def test_audit_predictions_command_train_label_column(tmp_path):
    from click.testing import CliRunner

    from skgenqc import Report
    from skgenqc.cli import main

    train, test, score = _frozen(np.random.default_rng(13), 120, 50.0)
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    pd.DataFrame({"id": test["id"], "score": score}).to_csv(tmp_path / "pred.csv", index=False)
    out = tmp_path / "a.json"
    args = ["audit-predictions", "--train", str(tmp_path / "train.csv"), "--test",
            str(tmp_path / "test.csv"), "--pred", str(tmp_path / "pred.csv"), "--json", str(out)]
    result = CliRunner().invoke(main, args + ["--train-label-column", "label"])
    assert result.exit_code == 1, result.output
    assert Report.from_json(out.read_text())["model_vs_lookup"].severity == "fail"
    result = CliRunner().invoke(main, args + ["--train-label-column", "nope"])
    assert result.exit_code not in (0, 1) and "nope" in result.output
    result = CliRunner().invoke(main, args + ["--fail-on", "never"])
    assert result.exit_code == 0
    assert Report.from_json(out.read_text()).get("model_vs_lookup") is None
