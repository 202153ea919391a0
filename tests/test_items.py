"""The per-item table: known answers for a split and for CV roles, bad inputs, the CLI options."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from conftest import mutate, random_sequences
from skgenqc.cli import main
from skgenqc.features import reverse_complement
from skgenqc.model_selection import SimilarityGroupKFold
from skgenqc.qc import item_table


def _sets(seed=0):
    rng = np.random.default_rng(seed)
    train_seqs = random_sequences(rng, 30, 80)
    test_seqs = [mutate(rng, train_seqs[3], 0.95), reverse_complement(train_seqs[7])]
    test_seqs += random_sequences(rng, 3, 80)
    train = pd.DataFrame({"id": [f"tr{i}" for i in range(30)], "sequence": train_seqs,
                          "label": [0, 1] * 15, "chrom": "chr1",
                          "start": np.arange(30) * 1000, "end": np.arange(30) * 1000 + 80})
    test = pd.DataFrame({"id": [f"te{i}" for i in range(5)], "sequence": test_seqs,
                         "label": [1, 1, 0, 0, 1], "chrom": ["chr1"] * 4 + ["chr2"],
                         "start": [40, 5000, 9000, 100, 3000], "end": [200, 5100, 9010, 150, 3080]})
    return train, test


def test_item_table_of_a_train_test_split():
    train, test = _sets()
    t = item_table(train, test)
    assert len(t) == 35 and t["split"].tolist() == ["train"] * 30 + ["test"] * 5
    te = t[t["split"] == "test"].reset_index(drop=True)
    assert te["row"].tolist() == [0, 1, 2, 3, 4]
    assert te["nearest_train_id"][:2].tolist() == ["tr3", "tr7"]
    assert te["method"][:2].tolist() == ["identity", "identity"]
    assert te["strand"][1] == "-" and te["identity"][1] == 1.0
    assert te["identity"][0] == pytest.approx(0.95)
    assert (te["method"][2:] != "identity").all()
    # Near-copies share a group with their training item.
    tr = t[t["split"] == "train"].reset_index(drop=True)
    assert te["group"][0] == tr["group"][3] and te["group_size"][0] == 2
    # Intervals: te0 overlaps tr0 (0-80), te1 tr5 (5000-5080), te2 tr9; te3 (100-150) falls
    # between training intervals; te4 is on chr2.
    assert te["overlap_train_id"].tolist() == ["tr0", "tr5", "tr9", "", ""]
    assert (tr["method"] == "").all() and (tr["nearest_train_row"] == -1).all()
    assert te["label"].tolist() == [1, 1, 0, 0, 1]


def test_item_table_of_cv_roles_searches_each_fold_s_training_rows():
    train, _ = _sets(1)
    rng = np.random.default_rng(1)
    extra = pd.DataFrame({"id": ["c0", "c1"], "sequence": [mutate(rng, train["sequence"][0], 0.95),
                                                            train["sequence"][1]]})
    data = pd.concat([train[["id", "sequence"]], extra], ignore_index=True)
    roles = SimilarityGroupKFold(3).roles(np.zeros((len(data), 1)), None, data["sequence"].tolist())
    t = item_table(data, roles=roles)
    tested = roles.to_numpy() == "test"
    assert t["fold"].tolist() == tested.argmax(axis=1).tolist()
    # The similarity split keeps copies together: no tested row has an identity neighbour.
    assert (t["method"] != "identity").all()
    assert t.loc[30, "group"] == t.loc[0, "group"] and t.loc[31, "group"] == t.loc[1, "group"]
    # A random split of the same rows would have found them.
    fold = np.arange(32) % 3
    fold[30:] = 2  # the copies are tested apart from their sources (rows 0 and 1)
    shuffled = pd.DataFrame({f"split_{s}": np.where(fold == s, "test", "train") for s in range(3)})
    t = item_table(data, roles=shuffled)
    assert t.loc[[0, 1, 30, 31], "nearest_train_id"].tolist() == ["c0", "c1", "tr0", "tr1"]


def test_item_table_bad_inputs():
    train, test = _sets()
    with pytest.raises(TypeError, match="data must be a pandas DataFrame"):
        item_table(["ACGT"])
    with pytest.raises(ValueError, match="neither a 'sequence' column nor chrom/start/end"):
        item_table(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="not both"):
        item_table(train, test, roles=pd.DataFrame({"split_0": ["train"] * 30}))
    with pytest.raises(ValueError, match="one row per row of data"):
        item_table(train, roles=pd.DataFrame({"split_0": ["train"]}))
    with pytest.raises(ValueError, match=r"roles holds \['x'\]"):
        item_table(train, roles=pd.DataFrame({"split_0": ["x"] * 30}))
    with pytest.raises(ValueError, match="both have a 'sequence' column"):
        item_table(train, test.drop(columns="sequence"))


def test_qc_and_split_write_the_item_table(tmp_path):
    train, test = _sets()
    train.to_csv(tmp_path / "train.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    items = tmp_path / "items.tsv"
    result = CliRunner().invoke(main, ["qc", str(tmp_path / "train.csv"), "--test",
                                       str(tmp_path / "test.csv"), "--checks", "leakage",
                                       "--items", str(items), "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    t = pd.read_csv(items, sep="\t", keep_default_na=False)
    assert t.loc[t["split"] == "test", "nearest_train_id"].tolist()[:2] == ["tr3", "tr7"]
    assert t.loc[t["split"] == "test", "overlap_train_id"].tolist() == ["tr0", "tr5", "tr9",
                                                                         "", ""]
    items2 = tmp_path / "items2.tsv"
    result = CliRunner().invoke(main, ["split", str(tmp_path / "train.csv"), "--by", "similarity",
                                       "--n-splits", "3", "--label-column", "label",
                                       "--out", str(tmp_path / "folds.tsv"),
                                       "--items", str(items2)])
    assert result.exit_code == 0, result.output
    t = pd.read_csv(items2, sep="\t", keep_default_na=False)
    folds = pd.read_csv(tmp_path / "folds.tsv", sep="\t")
    assert t["fold"].tolist() == folds["fold"].tolist() and len(t) == 30
    assert t["label"].tolist() == [0, 1] * 15
    result = CliRunner().invoke(main, ["split", str(tmp_path / "train.csv"), "--by", "similarity",
                                       "--out", str(items2), "--items", str(items2)])
    assert result.exit_code == 2 and "same file" in result.output
    result = CliRunner().invoke(main, ["qc", str(tmp_path / "train.csv"), "--items",
                                       str(tmp_path / "nope" / "i.tsv")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_parquet_by_extension(tmp_path):
    train, test = _sets()
    train.to_csv(tmp_path / "train.csv", index=False)
    out = tmp_path / "items.parquet"
    result = CliRunner().invoke(main, ["qc", str(tmp_path / "train.csv"), "--checks", "duplicates",
                                       "--items", str(out), "--fail-on", "never"])
    import importlib.util

    if not any(importlib.util.find_spec(m) for m in ("pyarrow", "fastparquet")):
        assert result.exit_code == 2 and "parquet needs pyarrow or fastparquet" in result.output
        assert not out.exists()
        return
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(out)) == 30


def test_a_split_column_gives_the_item_table_its_test_set():
    train, test = _sets()
    one = pd.concat([train.assign(split="train"), test.assign(split="test")], ignore_index=True)
    together, apart = item_table(one), item_table(train, test)
    pd.testing.assert_frame_equal(together, apart)


def test_items_of_a_genomic_benchmarks_folder_without_sequences(shared_data, tmp_path):
    # Coordinates only (no --reference): the item table comes from the intervals, and its test
    # rows with a training overlap are the ones the QC counts.
    folder = shared_data / "genomic_benchmarks" / "human_enhancers_ensembl"
    items, report = tmp_path / "items.tsv", tmp_path / "qc.json"
    result = CliRunner().invoke(main, ["qc", str(folder), "--items", str(items), "--json",
                                       str(report), "--fail-on", "never", "--quiet"])
    assert result.exit_code == 0, result.output
    t = pd.read_csv(items, sep="\t", keep_default_na=False)
    test = t[t["split"] == "test"]
    assert set(t["split"]) == {"train", "test"} and len(test) == 30970
    overlapping = int((test["overlap_train_row"] >= 0).sum())
    findings = {f["check"]: f for f in json.loads(report.read_text())["findings"]}
    assert overlapping == findings["interval_overlap_train_test"]["evidence"]["n_test_overlapping"]
