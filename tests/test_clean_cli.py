"""``skgenqc clean``: files in the input's format, manifest, summary, refusals, real data."""

import gzip
import hashlib
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from skgenqc.cli import main
from skgenqc.datasets import data_path
from skgenqc.features import find_similar_pairs
from skgenqc.io import read_genomic_benchmark


@pytest.fixture
def tables(tmp_path):
    for name in ("train", "test"):
        with gzip.open(data_path(f"enhancers_{name}.csv.gz"), "rt") as handle:
            (tmp_path / f"{name}.csv").write_text(handle.read())
    return tmp_path


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_filter_writes_tables_manifest_summary_and_qc(runner, tables):
    out = tables / "clean"
    result = runner.invoke(main, ["clean", str(tables / "train.csv"), "--test",
                                  str(tables / "test.csv"), "--out", str(out)])
    assert result.exit_code in (0, 1), result.output + result.stderr
    train_in, test_in = pd.read_csv(tables / "train.csv"), pd.read_csv(tables / "test.csv")
    train, test = pd.read_csv(out / "train.csv"), pd.read_csv(out / "test.csv")
    assert list(train.columns) == list(train_in.columns) == list(test.columns)
    assert train.equals(train_in)
    # No test sequence left at >= 90 % identity (either strand) to a training one.
    assert len(find_similar_pairs(test["sequence"], train["sequence"], threshold=0.9)) == 0
    hits = find_similar_pairs(test_in["sequence"], train_in["sequence"], threshold=0.9)
    manifest = pd.read_csv(out / "manifest.tsv", sep="\t", keep_default_na=False)
    assert len(manifest) == len(train_in) + len(test_in)
    assert sorted(zip(manifest["split"], manifest["row"])) == sorted(
        [("train", i) for i in range(len(train_in))] + [("test", i) for i in range(len(test_in))])
    dropped = manifest[manifest["new_split"] == "dropped"]
    assert sorted(dropped["row"]) == sorted(hits["query"].unique())
    assert (dropped["link"] == "identity").all() and (dropped["linked_id"] != "").all()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["settings"]["mode"] == "filter" and summary["settings"]["link"] == ["identity"]
    assert summary["counts"]["output"]["dropped"] == len(dropped)
    assert {r["name"]: r["sha256"] for r in summary["inputs"]} == {
        "train.csv": _sha(tables / "train.csv"), "test.csv": _sha(tables / "test.csv")}
    for record in summary["outputs"]:
        assert _sha(out / record["name"]) == record["sha256"]
    assert summary["provenance"]["call"].startswith("skgenqc")
    qc = json.loads((out / "qc.json").read_text())
    assert qc["findings"]


def test_resplit_is_repeatable_and_moves_nothing_out(runner, tables):
    args = ["clean", str(tables / "train.csv"), "--test", str(tables / "test.csv"),
            "--mode", "resplit", "--seed", "5"]
    for name in ("a", "b"):
        result = runner.invoke(main, args + ["--out", str(tables / name), "--quiet"])
        assert result.exit_code in (0, 1), result.output + result.stderr
    assert (tables / "a" / "manifest.tsv").read_bytes() == (tables / "b" / "manifest.tsv").read_bytes()
    manifest = pd.read_csv(tables / "a" / "manifest.tsv", sep="\t")
    assert (manifest["new_split"] != "dropped").all()
    train, test = pd.read_csv(tables / "a" / "train.csv"), pd.read_csv(tables / "a" / "test.csv")
    assert len(train) + len(test) == len(manifest)
    assert len(find_similar_pairs(test["sequence"], train["sequence"], threshold=0.9)) == 0


def test_refuses_a_non_empty_out_without_overwrite(runner, tables):
    out = tables / "full"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    args = ["clean", str(tables / "train.csv"), "--test", str(tables / "test.csv"),
            "--out", str(out)]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "--out" in result.stderr and "--overwrite" in result.stderr
    assert not (out / "manifest.tsv").exists()
    result = runner.invoke(main, args + ["--overwrite", "--quiet"])
    assert result.exit_code in (0, 1), result.stderr
    assert (out / "manifest.tsv").exists()


@pytest.mark.parametrize("extra, words", [
    (["--test", "missing.csv"], "--test"),
    ([], "--test is missing"),
    (["--test", "test.csv", "--link", "interval"], "link='interval' needs columns"),
    (["--test", "pos.fa"], "not a CSV/TSV table"),
])
def test_bad_inputs_exit_2_with_the_option_named(runner, tables, monkeypatch, extra, words):
    shutil.copy(data_path("G4_positives.fasta"), tables / "pos.fa")
    monkeypatch.chdir(tables)
    result = runner.invoke(main, ["clean", "train.csv", "--out", "o"] + extra)
    assert result.exit_code == 2, result.output
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_option_values_are_usage_errors(runner, tables, monkeypatch):
    monkeypatch.chdir(tables)
    for extra in (["--identity", "0.2"], ["--distance", "-3"], ["--mode", "drop"]):
        result = runner.invoke(main, ["clean", "train.csv", "--test", "test.csv", "--out", "o"]
                               + extra)
        assert result.exit_code == 2, extra
        assert extra[0] in result.stderr


def _merged(frame):
    """Union of intervals per chromosome: sorted disjoint (start, end) arrays."""
    merged = {}
    for chrom, part in frame.groupby("chrom"):
        part = part.sort_values("start")
        starts, ends = [], []
        for s, e in zip(part["start"], part["end"]):
            if ends and s < ends[-1]:
                ends[-1] = max(ends[-1], e)
            else:
                starts.append(s)
                ends.append(e)
        merged[chrom] = (np.array(starts), np.array(ends))
    return merged


def _overlapping(test, train):
    """Test intervals sharing a base with a training interval (an oracle independent of
    skgenqc's overlap code: merged training segments, then one binary search)."""
    segments, n = _merged(train), 0
    for chrom, part in test.groupby("chrom"):
        if chrom not in segments:
            continue
        starts, ends = segments[chrom]
        k = np.searchsorted(starts, part["end"].to_numpy(), side="left") - 1
        ok = k >= 0
        n += int((ok & (ends[np.maximum(k, 0)] > part["start"].to_numpy())).sum())
    return n


@pytest.mark.parametrize("mode", ["filter", "resplit"])
def test_genomic_benchmarks_enhancers_leave_no_test_interval_on_training(runner, shared_data,
                                                                         tmp_path, mode):
    folder = shared_data / "genomic_benchmarks" / "human_enhancers_ensembl"
    before = read_genomic_benchmark(folder)
    tr0, te0 = before[before["split"] == "train"], before[before["split"] == "test"]
    keys = lambda f: f["chrom"] + ":" + f["start"].astype(str) + "-" + f["end"].astype(str)  # noqa: E731
    assert keys(te0).isin(set(keys(tr0))).mean() > 0.3  # the known leak is there to begin with
    out = tmp_path / mode
    result = runner.invoke(main, ["clean", str(folder), "--out", str(out), "--mode", mode,
                                  "--quiet"])
    assert result.exit_code in (0, 1), result.stderr  # 1: duplicates within train remain
    after = read_genomic_benchmark(out)
    train, test = after[after["split"] == "train"], after[after["split"] == "test"]
    assert len(test) > 0.3 * len(te0)
    assert not keys(test).isin(set(keys(train))).any()
    assert _overlapping(test, train) == 0
    manifest = pd.read_csv(out / "manifest.tsv", sep="\t", keep_default_na=False)
    assert len(manifest) == len(before) and not manifest["id"].duplicated().any()
    assert (manifest["new_split"] != "dropped").sum() == len(after)
    assert set(pd.read_csv(out / "test" / "positive.csv.gz").columns) == {
        "id", "region", "start", "end", "strand"}
    qc = json.loads((out / "qc.json").read_text())
    severity = {f["check"]: f["severity"] for f in qc["findings"]}
    assert severity["interval_identical_train_test"] == "pass"
    assert severity["interval_overlap_train_test"] == "pass"


def test_ctrl_c_while_writing_leaves_no_files_and_no_new_folder(runner, tables,
                                                                interrupt_write):
    state = interrupt_write(3)  # the third file stops half-way
    result = runner.invoke(main, ["clean", str(tables / "train.csv"), "--test",
                                  str(tables / "test.csv"), "--out", str(tables / "o")])
    assert result.exit_code == 130, result.stderr
    assert state["calls"] == 3
    assert not (tables / "o").exists()


def test_dev_and_coordinate_tables_are_written_back_in_their_format(runner, tmp_path):
    train = pd.DataFrame({"chrom": ["chr1", "chr1", "chr2"], "start": [0, 1000, 0],
                          "end": [100, 1100, 100], "label": [0, 1, 0], "note": ["a", "b", "c"]})
    dev = pd.DataFrame({"chrom": ["1", "chr3"], "start": [1050, 0], "end": [1200, 50],
                        "label": [1, 0], "note": ["d", "e"]})
    test = pd.DataFrame({"chrom": ["chr3", "chr4", "chr2"], "start": [10, 0, 150],
                         "end": [40, 10, 160], "label": [1, 0, 1], "note": ["f", "g", "h"]})
    for name, frame in (("train", train), ("dev", dev), ("test", test)):
        frame.to_csv(tmp_path / f"{name}.tsv", sep="\t", index=False)
    result = runner.invoke(main, ["clean", str(tmp_path / "train.tsv"), "--test",
                                  str(tmp_path / "test.tsv"), "--dev", str(tmp_path / "dev.tsv"),
                                  "--distance", "60", "--out", str(tmp_path / "o"), "--quiet",
                                  "--fail-on", "never"])
    assert result.exit_code == 0, result.stderr
    out = {n: pd.read_csv(tmp_path / "o" / f"{n}.tsv", sep="\t") for n in ("train", "dev", "test")}
    assert out["train"].equals(train)
    assert out["dev"]["note"].tolist() == ["e"]             # d overlaps training
    assert out["test"]["note"].tolist() == ["g"]            # f overlaps kept dev e, h is 50 bp from c
    assert "clean: train 3 -> 3, dev 2 -> 1, test 3 -> 1, dropped 3" in result.stderr
