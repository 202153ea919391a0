"""The split and audit commands: outputs, exit codes, errors."""

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from skgenqc.cli import main
from skgenqc.datasets import load_enhancers


def _grouped_table(path):
    rng = np.random.default_rng(0)
    g = np.repeat(np.arange(30), 10)
    y = rng.integers(0, 2, 30)[g]
    X = rng.normal(size=(30, 3))[g] + 0.1 * rng.normal(size=(300, 3))
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["label"] = y
    frame["chrom"] = [f"chr{i % 15 + 1}" for i in g]
    frame["start"] = g * 1000
    frame["end"] = g * 1000 + 500
    frame["gc"] = rng.random(300)
    frame.to_csv(path, index=False)
    return frame


def test_split_by_chromosome_writes_folds_and_html(tmp_path):
    table = tmp_path / "data.csv"
    frame = _grouped_table(table)
    out, html = tmp_path / "folds.tsv", tmp_path / "split.html"
    result = CliRunner().invoke(main, ["split", str(table), "--by", "chromosome", "--out", str(out),
                                       "--html", str(html)])
    assert result.exit_code == 0, result.output
    folds = pd.read_csv(out, sep="\t")
    assert len(folds) == len(frame) and set(folds["fold"]) == set(range(5))
    # No chromosome in two folds.
    assert (pd.DataFrame({"c": frame["chrom"], "f": folds["fold"]}).groupby("c")["f"].nunique() == 1).all()
    assert html.exists() and "chromosomes_across_split" in html.read_text()


def test_split_by_similarity_on_sequences(tmp_path):
    table = tmp_path / "enh.tsv"
    load_enhancers().to_csv(table, sep="\t", index=False)
    out = tmp_path / "folds.tsv"
    result = CliRunner().invoke(main, ["split", str(table), "--by", "similarity", "--label-column",
                                       "label", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "test_similarity_to_train" in result.output


def test_split_bad_column_exits_2(tmp_path):
    table = tmp_path / "data.csv"
    _grouped_table(table)
    result = CliRunner().invoke(main, ["split", str(table), "--by", "chromosome", "--chrom-column",
                                       "chromosome", "--out", str(tmp_path / "f.tsv")])
    assert result.exit_code == 2
    assert "--chrom-column 'chromosome' is not a column" in result.output
    assert not (tmp_path / "f.tsv").exists()


def test_audit_gates_on_dependence(tmp_path):
    table = tmp_path / "data.csv"
    _grouped_table(table)
    out = tmp_path / "audit.json"
    args = ["audit", str(table), "--target", "label", "--groups", "chrom", "--cv", "chromosome",
            "--confounders", "gc", "--features", "a,b,c", "--n-permutations", "3",
            "--model", "sklearn.ensemble:RandomForestClassifier",
            "--json", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # dependence gap fails
    data = json.loads(out.read_text())
    checks = {f["check"]: f["severity"] for f in data["findings"]}
    assert checks["dependence_gap"] == "fail"
    result = CliRunner().invoke(main, args + ["--fail-on", "never"])
    assert result.exit_code == 0


def test_audit_bad_model_spec(tmp_path):
    table = tmp_path / "data.csv"
    _grouped_table(table)
    result = CliRunner().invoke(main, ["audit", str(table), "--target", "label", "--model",
                                       "sklearn.linear_model.LogisticRegression"])
    assert result.exit_code == 2
    assert "module:factory" in result.output


def test_split_by_pairs_c3_on_mirna_pairs(tmp_path):
    from skgenqc.datasets import load_mirna_pairs
    from skgenqc.model_selection import PairKFold

    table = tmp_path / "pairs.tsv"
    pairs = load_mirna_pairs()
    pairs.to_csv(table, sep="\t", index=False)
    out = tmp_path / "folds.tsv"
    result = CliRunner().invoke(main, ["split", str(table), "--by", "pairs", "--pair-columns",
                                       "noncodingRNA,gene", "--mode", "C3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    folds = pd.read_csv(out, sep="\t")
    roles = [c for c in folds.columns if c.startswith("split_")]
    assert len(roles) == 5
    groups = pairs[["noncodingRNA", "gene"]].astype(str).to_numpy()
    expected = list(PairKFold(5, mode="C3", random_state=0).split(np.zeros((len(pairs), 1)),
                                                                    None, groups))
    for k, column in enumerate(roles):
        # Rebuilt from the file's role column, not from the lossy one-fold-per-row reading.
        train = np.flatnonzero(folds[column] == "train")
        test = np.flatnonzero(folds[column] == "test")
        np.testing.assert_array_equal(train, expected[k][0])
        np.testing.assert_array_equal(test, expected[k][1])
        assert not set(pairs["noncodingRNA"].iloc[test]) & set(pairs["noncodingRNA"].iloc[train])
        assert not set(pairs["gene"].iloc[test]) & set(pairs["gene"].iloc[train])


def _block_table(path):
    rng = np.random.default_rng(5)
    n = 300
    start = np.sort(rng.integers(0, 3_000_000, n))
    frame = pd.DataFrame({"id": [f"peak{i}" for i in range(n)],
                          "chrom": rng.choice(["chr1", "chr2"], n), "start": start,
                          "end": start + 400, "label": rng.integers(0, 2, n)})
    frame.to_csv(path, index=False)
    return frame


def test_split_by_block_writes_the_gap(tmp_path):
    from skgenqc.model_selection import GenomicBlockKFold

    table = tmp_path / "peaks.csv"
    frame = _block_table(table)
    outs = {}
    for gap in (0, 50_000):
        out = tmp_path / f"gap{gap}.tsv"
        result = CliRunner().invoke(main, ["split", str(table), "--by", "block", "--block-size",
                                           "200000", "--gap", str(gap), "--out", str(out)])
        assert result.exit_code == 0, result.output
        outs[gap] = pd.read_csv(out, sep="\t")
    assert list(outs[0].columns) == ["row", "id", "fold"] + [f"split_{k}" for k in range(5)]
    assert outs[0]["id"].tolist() == frame["id"].tolist()
    assert not outs[0].equals(outs[50_000])
    assert (outs[50_000].filter(like="split_") == "excluded").to_numpy().sum() > 0
    cv = GenomicBlockKFold(5, block_size=200_000, gap=50_000, random_state=0)
    coords = frame[["chrom", "start", "end"]]
    for k, (train, test) in enumerate(cv.split(np.zeros((len(frame), 1)), None, coords)):
        np.testing.assert_array_equal(np.flatnonzero(outs[50_000][f"split_{k}"] == "train"), train)
        np.testing.assert_array_equal(np.flatnonzero(outs[50_000][f"split_{k}"] == "test"), test)
        np.testing.assert_array_equal(np.flatnonzero(outs[50_000]["fold"] == k), test)


def test_split_json_html_and_fail_on(tmp_path):
    table = tmp_path / "data.csv"
    _grouped_table(table)
    out, js, html = tmp_path / "f.tsv", tmp_path / "s.json", tmp_path / "s.html"
    args = ["split", str(table), "--by", "group", "--group-column", "chrom", "--n-splits", "3",
            "--out", str(out), "--json", str(js), "--html", str(html)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output       # --fail-on defaults to never
    data = json.loads(js.read_text())
    checks = {f["check"]: f["severity"] for f in data["findings"]}
    assert checks["groups_across_split"] == "pass" and "fold_sizes" in checks
    assert "groups_across_split" in html.read_text()
    # Only chr1 and chr2 rows are positive: a whole-chromosome test fold cannot match its
    # training prevalence, so the label balance fails and --fail-on fail gates on it.
    frame = pd.read_csv(table)
    frame["label"] = frame["chrom"].isin(["chr1", "chr2"]).astype(int)
    frame.to_csv(table, index=False)
    gated = ["split", str(table), "--by", "chromosome", "--label-column", "label", "--out",
             str(out), "--json", str(js)]
    result = CliRunner().invoke(main, gated + ["--fail-on", "fail"])
    assert result.exit_code == 1, result.output
    checks = {f["check"]: f["severity"] for f in json.loads(js.read_text())["findings"]}
    assert checks["label_balance"] == "fail"
    assert CliRunner().invoke(main, gated).exit_code == 0


@pytest.mark.parametrize("option", ["--out", "--html", "--json"])
def test_split_checks_outputs_before_working(tmp_path, option):
    table = tmp_path / "data.csv"
    _grouped_table(table)
    outputs = {"--out": tmp_path / "f.tsv", "--html": tmp_path / "s.html",
               "--json": tmp_path / "s.json"}
    (tmp_path / "a_folder").mkdir()
    for bad, words in [(tmp_path / "a_folder", "is a folder"),
                       (tmp_path / "missing" / "x", "does not exist")]:
        chosen = dict(outputs, **{option: bad})
        args = ["split", str(table), "--by", "chromosome"]
        for opt, path in chosen.items():
            args += [opt, str(path)]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert option in result.output and words in result.output
        assert "Traceback" not in result.output
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a_folder", "data.csv"]


def test_split_same_file_for_out_and_json_exits_2(tmp_path):
    table = tmp_path / "data.csv"
    _grouped_table(table)
    same = tmp_path / "f.tsv"
    result = CliRunner().invoke(main, ["split", str(table), "--by", "chromosome", "--out",
                                       str(same), "--json", str(same)])
    assert result.exit_code == 2 and "--out and --json are the same file" in result.output
    assert not same.exists()


def test_split_failed_tsv_write_removes_the_reports(tmp_path, monkeypatch):
    import skgenqc._core.files as files

    table = tmp_path / "data.csv"
    _grouped_table(table)
    real = files._write_handle

    def fail_on_tsv(handle, data, path):
        if path.suffix == ".tsv":
            raise OSError("disk full")
        return real(handle, data, path)

    monkeypatch.setattr(files, "_write_handle", fail_on_tsv)
    result = CliRunner().invoke(main, ["split", str(table), "--by", "chromosome", "--out",
                                       str(tmp_path / "f.tsv"), "--json", str(tmp_path / "s.json"),
                                       "--html", str(tmp_path / "s.html")])
    assert result.exit_code == 2 and "disk full" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


def test_qc_with_two_sequence_columns(tmp_path):
    from skgenqc.datasets import load_mirna_pairs

    table = tmp_path / "pairs.tsv"
    load_mirna_pairs().to_csv(table, sep="\t", index=False)
    out = tmp_path / "qc.json"
    result = CliRunner().invoke(main, ["qc", str(table), "--sequence-column", "noncodingRNA",
                                       "--sequence-column", "gene", "--checks",
                                       "duplicates,composition", "--json", str(out),
                                       "--fail-on", "never"])
    assert result.exit_code == 0, result.output
    checks = {f["check"]: f for f in json.loads(out.read_text())["findings"]}
    assert "gc_content[noncodingRNA]" in checks and "gc_content[gene]" in checks
    # The same miRNA pairs with many genes: exact copies inside the miRNA column.
    assert checks["duplicates_within_class[noncodingRNA]"]["evidence"]["n_redundant"] > 0
