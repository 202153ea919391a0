"""The audit command on bad --features: a click error naming the option and the column."""

import numpy as np
import pandas as pd
from click.testing import CliRunner

from skgenqc.cli import main


def _table(path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=40), "sequence": ["ACGTTGCA" * 3] * 40,
                          "label": np.arange(40) % 2})
    frame.to_csv(path, index=False)


def test_features_naming_a_text_column_is_one_error_line(tmp_path):
    table = tmp_path / "t.csv"
    _table(table)
    out = tmp_path / "audit.json"
    result = CliRunner().invoke(main, ["audit", str(table), "--target", "label", "--features",
                                       "a,sequence", "--n-permutations", "1", "--json", str(out)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "--features names 'sequence', which holds text" in result.output
    assert "ACGTTGCA" in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output and not out.exists()


def test_features_missing_column(tmp_path):
    table = tmp_path / "t.csv"
    _table(table)
    result = CliRunner().invoke(main, ["audit", str(table), "--target", "label", "--features",
                                       "a,nope"])
    assert result.exit_code == 2 and "--features names 'nope', which is not a column" in result.output


def _frozen_model_files(tmp_path, n=40, seed=0):
    """Training FASTA, a test table half copied from training, and a memorising model's scores."""
    rng = np.random.default_rng(seed)
    dna = lambda k: ["".join(rng.choice(list("ACGT"), 100)) for _ in range(k)]  # noqa: E731
    train = dna(n)
    (tmp_path / "train.fa").write_text("".join(f">t{i}\n{s}\n" for i, s in enumerate(train)))
    half = n // 2
    test = pd.DataFrame({"id": [f"q{i}" for i in range(n)], "sequence": train[:half] + dna(half),
                         "label": rng.integers(0, 2, n),
                         "chrom": ["chr1"] * half + ["chr2"] * half})
    test.to_csv(tmp_path / "test.csv", index=False)
    copied = np.arange(n) < half
    score = np.where(copied, test["label"] + 0.1 * rng.normal(size=n), rng.normal(size=n))
    pred = pd.DataFrame({"id": test["id"], "score": score}).sample(frac=1, random_state=0)
    pred.to_csv(tmp_path / "preds.csv", index=False)  # another order: matched by id
    return test, pred


def test_audit_predictions_command_scores_by_similarity(tmp_path):
    _frozen_model_files(tmp_path)
    out = tmp_path / "frozen.json"
    result = CliRunner().invoke(main, ["audit-predictions", "--train", str(tmp_path / "train.fa"),
                                       "--test", str(tmp_path / "test.csv"),
                                       "--pred", str(tmp_path / "preds.csv"),
                                       "--chrom-column", "chrom", "--json", str(out)])
    assert result.exit_code == 1, result.output  # a memorising model fails the gate
    assert "score_by_similarity" in result.output and "score_by_chromosome" in result.output
    from skgenqc import Report

    report = Report.from_json(out.read_text())
    finding = report["score_by_similarity"]
    assert finding.severity == "fail" and finding.evidence["n_at_or_above_90"] == 20
    by_bin = finding.table.set_index("stratum")["score"]
    assert by_bin[">=95%"] == 1.0  # the copied half is ranked perfectly, matched by id
    result = CliRunner().invoke(main, ["audit-predictions", "--train", str(tmp_path / "train.fa"),
                                       "--test", str(tmp_path / "test.csv"),
                                       "--pred", str(tmp_path / "preds.csv"),
                                       "--fail-on", "never"])
    assert result.exit_code == 0


def test_audit_predictions_command_names_mismatched_ids(tmp_path):
    _, pred = _frozen_model_files(tmp_path)
    pred.assign(id=pred["id"].replace({"q1": "x1"})).to_csv(tmp_path / "bad.csv", index=False)
    result = CliRunner().invoke(main, ["audit-predictions", "--train", str(tmp_path / "train.fa"),
                                       "--test", str(tmp_path / "test.csv"),
                                       "--pred", str(tmp_path / "bad.csv")])
    assert result.exit_code == 2
    assert "the ids of --pred do not match those of --test" in result.output
    assert "1 test id(s) have no prediction (first: 'q1')" in result.output
    assert "(first: 'x1')" in result.output and "Traceback" not in result.output
    pred[["score"]].head(5).to_csv(tmp_path / "short.csv", index=False)
    result = CliRunner().invoke(main, ["audit-predictions", "--train", str(tmp_path / "train.fa"),
                                       "--test", str(tmp_path / "test.csv"),
                                       "--pred", str(tmp_path / "short.csv")])
    assert result.exit_code == 2 and "--pred has 5 rows but --test has 40" in result.output
