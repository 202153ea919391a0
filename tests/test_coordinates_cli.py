"""``skgenqc qc`` and ``skgenqc split`` on coordinate-only inputs, --reference and --context."""

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from skgenqc.cli import main
from skgenqc.io import read_coordinates
from skgenqc.qc.intervals import check_interval_leakage


def _benchmark(folder, train, test):
    for split, frames in (("train", train), ("test", test)):
        (folder / split).mkdir(parents=True)
        for label, starts in frames.items():
            starts = np.asarray(starts)
            frame = pd.DataFrame({"id": np.arange(len(starts)), "region": "chr1", "start": starts,
                                  "end": starts + 100, "strand": "+"})
            with gzip.open(folder / split / f"{label}.csv.gz", "wt") as handle:
                frame.to_csv(handle, index=False)
    return folder


@pytest.fixture
def leaky_folder(tmp_path):
    """Train every 1 kb on chr1; test: 10 of 50 intervals copied from train, 40 far away."""
    train = {"positive": np.arange(0, 100_000, 2000), "negative": np.arange(1000, 100_000, 2000)}
    test = {"positive": np.concatenate([np.arange(0, 20_000, 2000), 10**6 + np.arange(15) * 2000]),
            "negative": 10**6 + 500 + np.arange(25) * 2000}
    return _benchmark(tmp_path / "ds", train, test)


def test_qc_on_a_benchmark_folder_fails_on_identical_intervals(runner, leaky_folder, tmp_path):
    out = tmp_path / "qc.json"
    result = runner.invoke(main, ["qc", str(leaky_folder), "--json", str(out)])
    assert result.exit_code == 1, result.output
    assert "cannot tell the format" not in result.output + result.stderr
    report = json.loads(out.read_text())
    found = {f["check"]: f for f in report["findings"]}
    assert found["interval_identical_train_test"]["value"] == pytest.approx(10 / 50)
    assert found["interval_identical_train_test"]["severity"] == "fail"
    skipped = report["metadata"]["skipped_checks"]
    assert skipped["composition"].startswith("no sequences; give --reference")
    assert f"note: {len(skipped)} checks skipped (no sequences; give --reference" in result.stderr
    assert set(skipped) >= {"alphabet", "composition", "duplicates", "leakage"}


def test_qc_context_adds_the_window_finding(runner, tmp_path):
    """Test intervals 60 bp after training ones: windows of +/- 40 bp overlap, +/- 30 do not."""
    folder = _benchmark(tmp_path / "ds", {"a": np.arange(0, 50_000, 1000)},
                        {"a": np.arange(0, 20_000, 1000) + 160})
    out = tmp_path / "qc.json"
    for context, expected in ((40, 20), (30, 0)):
        result = runner.invoke(main, ["qc", str(folder), "--context", str(context), "--json",
                                      str(out), "--fail-on", "never"])
        assert result.exit_code == 0, result.output
        found = {f["check"]: f for f in json.loads(out.read_text())["findings"]}
        window = found["interval_window_overlap_train_test"]
        assert window["evidence"]["n_test_window_overlapping"] == expected
        assert found["interval_overlap_train_test"]["value"] == 0
    result = runner.invoke(main, ["qc", str(folder), "--context", "-5"])
    assert result.exit_code == 2 and "--context" in result.stderr


def _genome(path, names, length=5000):
    rng = np.random.default_rng(1)
    path.write_text("".join(f">{n}\n{''.join(rng.choice(list('ACGT'), length))}\n" for n in names))
    return path


def test_qc_reference_fetches_sequences_and_runs_the_sequence_checks(runner, tmp_path):
    rows = [f"chr1\t{i * 100}\t{i * 100 + 80}\tp{i}\t0\t+\n" for i in range(30)]
    (tmp_path / "pos.bed").write_text("".join(rows[:15]))
    (tmp_path / "neg.bed").write_text("".join(rows[15:]).replace("chr1", "1"))
    genome = _genome(tmp_path / "g.fa", ["chr1"])
    out = tmp_path / "qc.json"
    result = runner.invoke(main, ["qc", str(tmp_path / "pos.bed"), str(tmp_path / "neg.bed"),
                                  "--reference", str(genome), "--checks",
                                  "alphabet,duplicates,intervals,class_sizes", "--json", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    report = json.loads(out.read_text())
    assert "skipped_checks" not in report["metadata"]
    assert {f["check"] for f in report["findings"]} >= {"alphabet", "interval_duplicates"}
    assert "note:" not in result.stderr


def test_qc_reference_missing_chromosomes_is_an_input_error(runner, tmp_path):
    (tmp_path / "x.bed").write_text("chr1\t1\t50\nchr2\t1\t50\nchr3\t1\t50\n")
    genome = _genome(tmp_path / "g.fa", ["1"])
    result = runner.invoke(main, ["qc", str(tmp_path / "x.bed"), "--reference", str(genome)])
    assert result.exit_code == 2
    assert "INPUTS: the reference lacks 2 chromosomes the intervals name: chr2, chr3" in \
        result.stderr
    assert "'chr' prefix" in result.stderr


@pytest.mark.parametrize("args, match", [
    (["--reference", "{genome}"], "holds sequence files already"),
    (["{bed}"], "mixes sequence files"),
])
def test_qc_coordinate_option_misuse(runner, tmp_path, args, match):
    fasta = tmp_path / "a.fa"
    fasta.write_text(">x\nACGTACGT\n>y\nGGGGCCCC\n")
    bed = tmp_path / "x.bed"
    bed.write_text("chr1\t1\t5\n")
    genome = _genome(tmp_path / "g.fa", ["chr1"])
    args = [a.format(genome=genome, bed=bed) for a in args]
    result = runner.invoke(main, ["qc", str(fasta), *args])
    assert result.exit_code == 2
    assert match in result.stderr


def test_qc_malformed_coordinates_name_the_file_and_row(runner, tmp_path):
    table = tmp_path / "cage.csv"
    table.write_text("coord,label\nchr1:1-50,0\nchr1:70-x,1\n")
    result = runner.invoke(main, ["qc", str(table)])
    assert result.exit_code == 2
    assert "'chr1:70-x' is not a coordinate" in result.stderr


def test_split_reads_the_region_column_of_a_benchmark_file(runner, tmp_path, leaky_folder):
    out = tmp_path / "folds.tsv"
    source = leaky_folder / "train" / "positive.csv.gz"
    result = runner.invoke(main, ["split", str(source), "--by", "chromosome", "--n-splits", "2",
                                  "--out", str(out)])
    # One chromosome cannot make two chromosome folds: the error is about that, not the column.
    assert "region" not in result.stderr and "'chrom' is not a column" not in result.stderr
    result = runner.invoke(main, ["split", str(leaky_folder), "--by", "block", "--block-size",
                                  "10000", "--n-splits", "3", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert len(pd.read_csv(out, sep="\t")) == 50 + 50 + 50


def test_split_block_context_keeps_windows_apart(runner, tmp_path):
    """Intervals every 150 bp (50 bp apart): without --context, training windows of +/- 30 bp
    overlap test windows at block edges; with --context 30 the gap (60 bp) keeps them apart."""
    starts = np.arange(0, 60_000, 150)
    bed = tmp_path / "x.bed"
    bed.write_text("".join(f"chr1\t{s}\t{s + 100}\tr{i}\n" for i, s in enumerate(starts)))
    frame = read_coordinates(bed)
    out = tmp_path / "folds.tsv"

    def window_overlaps(args):
        result = runner.invoke(main, ["split", str(bed), "--by", "block", "--block-size", "3000",
                                      "--n-splits", "4", "--out", str(out), *args])
        assert result.exit_code == 0, result.stderr
        roles = pd.read_csv(out, sep="\t")
        n = 0
        for column in [c for c in roles.columns if c.startswith("split_")]:
            train = frame[(roles[column] == "train").to_numpy()].reset_index(drop=True)
            test = frame[(roles[column] == "test").to_numpy()].reset_index(drop=True)
            n += check_interval_leakage(train, test, context=30)[2].evidence[
                "n_test_window_overlapping"]
        return n

    assert window_overlaps([]) > 0
    assert window_overlaps(["--context", "30"]) == 0
    assert window_overlaps(["--context", "10", "--gap", "60"]) == 0  # --gap larger: kept


def test_real_qc_human_enhancers_ensembl_cli(runner, shared_data, tmp_path):
    folder = shared_data / "genomic_benchmarks" / "human_enhancers_ensembl"
    out = tmp_path / "qc.json"
    result = runner.invoke(main, ["qc", str(folder), "--json", str(out), "--quiet"])
    assert result.exit_code == 1, result.stderr
    found = {f["check"]: f for f in json.loads(out.read_text())["findings"]}
    assert found["interval_identical_train_test"]["value"] == pytest.approx(0.378, abs=0.001)


def test_real_split_human_nontata_promoters_cli(runner, shared_data, tmp_path):
    folder = shared_data / "genomic_benchmarks" / "human_nontata_promoters"
    out = tmp_path / "folds.tsv"
    result = runner.invoke(main, ["split", str(folder / "train" / "positive.csv.gz"), "--by",
                                  "chromosome", "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    roles = pd.read_csv(out, sep="\t")
    frame = read_coordinates(folder / "train" / "positive.csv.gz")
    for column in [c for c in roles.columns if c.startswith("split_")]:
        test_chroms = set(frame["chrom"][(roles[column] == "test").to_numpy()])
        train_chroms = set(frame["chrom"][(roles[column] == "train").to_numpy()])
        assert not test_chroms & train_chroms
