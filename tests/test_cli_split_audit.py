"""The split and audit commands: outputs, exit codes, errors."""

import json

import numpy as np
import pandas as pd
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

    table = tmp_path / "pairs.tsv"
    pairs = load_mirna_pairs()
    pairs.to_csv(table, sep="\t", index=False)
    out = tmp_path / "folds.tsv"
    result = CliRunner().invoke(main, ["split", str(table), "--by", "pairs", "--pair-columns",
                                       "noncodingRNA,gene", "--mode", "C3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    fold = pd.read_csv(out, sep="\t")["fold"].to_numpy()
    for k in set(fold) - {-1}:
        test, train = pairs[fold == k], pairs[(fold != k) & (fold != -1)]
        assert not set(test["noncodingRNA"]) & set(train["noncodingRNA"])
        assert not set(test["gene"]) & set(train["gene"])


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
