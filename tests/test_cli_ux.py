"""The command line speaks command line: options, quiet failures, examples that run.

- every command has ``--json``, ``--html``, ``--quiet`` and ``--fail-on``;
- ``--quiet`` drops the findings table but still prints the failures on stderr;
- error and warning messages name ``--options``, never the API's argument names;
- each ``--help`` ends with two examples, and each example runs as written on
  small files this module writes under the names the examples use.
"""

import gzip
import json
import re
import shlex
import shutil

import numpy as np
import pandas as pd
import pytest

from skgenqc.cli import main
from skgenqc.datasets import data_path, load_mirna_pairs

COMMANDS = ["qc", "split", "clean", "audit", "audit-predictions", "demo"]
# Python argument names of the API behind the commands; none may reach a user of the CLI.
PYTHON_NAMES = re.compile(
    r"(?<![-\w])(n_splits|identity_threshold|threshold=|label_column|sequence_column|"
    r"label_from_header|random_state|n_permutations|n_jobs|block_size|scoring=|mode=|gap=|groups=|groups holds|"
    r"in groups\b|cv=|parameter of|UserWarning|\.py:\d+)")


def _write_inputs(folder):
    """The files the ``--help`` examples name, from the bundled data (small and real)."""
    shutil.copy(data_path("G4_positives.fasta"), folder / "positives.fa")
    shutil.copy(data_path("G4_negatives.fasta"), folder / "negatives.fa")
    for name in ("train", "test"):
        with gzip.open(data_path(f"enhancers_{name}.csv.gz"), "rt") as handle:
            (folder / f"{name}.csv").write_text(handle.read())
    shutil.copy(data_path("miRNA_mRNA_pairs_dataset.tsv"), folder / "pairs.tsv")
    pairs = load_mirna_pairs()
    pairs[["chr", "start", "end"]].to_csv(folder / "peaks.bed", sep="\t", header=False,
                                          index=False)
    # A feature table for audit: a weak signal (f1) and a strong GC confounder, six chromosomes.
    rng = np.random.default_rng(0)
    n = 120
    y = rng.permutation(np.arange(n) % 2)
    table = pd.DataFrame({"chrom": np.repeat([f"chr{i}" for i in range(1, 7)], n // 6),
                          "batch": np.tile(["a", "b", "c", "d"], n // 4),
                          "gc": 0.4 + 0.1 * y + rng.normal(0, 0.05, n),
                          "length": rng.integers(200, 600, n),
                          "f1": 0.5 * y + rng.normal(0, 1, n), "f2": rng.normal(0, 1, n),
                          "label": y})
    table.to_csv(folder / "data.csv", index=False)
    table.drop(columns=["chrom", "gc", "length"]).to_csv(folder / "features.csv", index=False)
    # A frozen model's predictions on the bundled test set, one score per test row in order.
    test = pd.read_csv(folder / "test.csv")
    score = np.clip(test["label"] * 0.3 + rng.uniform(0, 0.7, len(test)), 0, 1)
    pd.DataFrame({"score": score}).to_csv(folder / "preds.csv", index=False)


def _help(runner, command):
    result = runner.invoke(main, [command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.stdout


def _examples(help_text):
    lines = [line.strip() for line in help_text.splitlines() if line.strip()]
    assert "Examples:" in lines, help_text
    return lines[lines.index("Examples:") + 1:]


def _options(command):
    return {opt for param in main.commands[command].params for opt in param.opts}


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_the_output_and_gate_options(command):
    assert {"--json", "--html", "--quiet", "--fail-on"} <= _options(command)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_ends_with_two_examples_of_the_command_using_its_options(runner, command):
    examples = _examples(_help(runner, command))
    assert len(examples) == 2, examples
    for example in examples:
        words = shlex.split(example)
        assert words[:2] == ["skgenqc", command], example
        used = {w.split("=", 1)[0] for w in words if w.startswith("--")}
        assert used <= _options(command), (example, used - _options(command))


def _outputs(words, command):
    """The files an example says it writes."""
    named = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("--html", "--json", "--out")]
    if command == "demo" and "--html" not in words and "--out" not in words:
        named.append("skgenqc-demo-report.html")
    return named


@pytest.mark.parametrize("command", COMMANDS)
def test_help_examples_run_as_written(runner, command, tmp_path, monkeypatch):
    _write_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    for example in _examples(_help(runner, command)):
        words = shlex.split(example)
        result = runner.invoke(main, words[1:])
        # 0 (clean) or 1 (the gate found something): both are runs; 2 would be a usage error.
        assert result.exit_code in (0, 1), (example, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), example
        assert "error:" not in result.stderr, (example, result.stderr)
        for name in _outputs(words, command):
            assert (tmp_path / name).stat().st_size > 0, (example, name)
            assert f"wrote {(tmp_path / name).resolve()}" in result.stdout, (example, name)
            if name.endswith(".json"):
                assert json.loads((tmp_path / name).read_text())["findings"]


def _printed_checks(text):
    """Check names of the finding lines (``SEVERITY  check  value  message``)."""
    return {line.split()[1] for line in text.splitlines()
            if line.split() and line.split()[0] in ("PASS", "INFO", "WARN", "FAIL")}


def _failing(report_json, fail_on):
    levels = {"warn": {"warn", "fail"}}.get(fail_on, {"fail"})
    findings = json.loads(report_json.read_text())["findings"]
    return {f["check"] for f in findings if f["severity"] in levels}


@pytest.mark.parametrize("command, args, fail_on", [
    ("qc", ["positives.fa", "negatives.fa"], "fail"),
    ("qc", ["positives.fa", "negatives.fa"], "never"),     # FAIL findings still printed
    ("qc", ["train.csv", "--checks", "duplicates,near_duplicates,composition"], "warn"),
    ("split", ["pairs.tsv", "--by", "pairs", "--pair-columns", "noncodingRNA,gene",
               "--mode", "C1", "--out", "folds.tsv"], "warn"),
    ("audit", ["data.csv", "--target", "label", "--groups", "chrom", "--cv", "chromosome",
               "--confounders", "gc,length", "--n-permutations", "5"], "fail"),
    ("demo", [], "warn"),
])
def test_quiet_prints_the_failures_on_stderr_only(runner, tmp_path, monkeypatch, command, args,
                                                 fail_on):
    _write_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    loud = runner.invoke(main, [command, *args, "--fail-on", fail_on, "--json", "loud.json"])
    quiet = runner.invoke(main, [command, *args, "--fail-on", fail_on, "--json", "quiet.json",
                                 "--quiet"])
    assert loud.exit_code == quiet.exit_code, (loud.output, quiet.output)
    assert quiet.exit_code in (0, 1), quiet.output
    expected = _failing(tmp_path / "quiet.json", fail_on)
    assert expected, "each case is chosen to have a failure to show"
    assert _printed_checks(quiet.stderr) == expected, quiet.stderr
    assert _printed_checks(quiet.stdout) == set() and "worst verdict" not in quiet.stdout
    assert "wrote" in quiet.stdout                      # the paths still print
    assert _printed_checks(loud.stdout) >= expected     # the full table without --quiet
    assert quiet.exit_code == (1 if fail_on != "never" and expected else 0)


def test_quiet_clean_run_prints_nothing_on_stderr(runner, tmp_path, monkeypatch):
    _write_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["qc", "positives.fa", "negatives.fa", "--checks",
                                  "class_sizes", "--json", "r.json", "--quiet"])
    assert result.exit_code == 0, result.output
    assert _failing(tmp_path / "r.json", "fail") == set()
    assert result.stderr == ""


def test_quiet_still_prints_errors(runner, tmp_path):
    result = runner.invoke(main, ["qc", str(tmp_path / "missing.fa"), "--quiet"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "missing.fa" in result.stderr


@pytest.mark.parametrize("args, words", [
    (["qc", "positives.fa", "negatives.fa", "--identity", "1.5"],
     "--identity must be a number in the range [0.5, 1.0]; got 1.5."),
    (["qc", "train.csv", "--label-column", "y"], "(--sequence-column, --label-column)"),
    (["qc", "positives.fa", "negatives.fa", "--label-from-header", "(a)(b)"],
     "--label-from-header '(a)(b)' has 2 capture groups"),
    (["split", "pairs.tsv", "--by", "similarity", "--sequence-column", "gene",
      "--identity", "1.5", "--out", "f.tsv"], "--identity must be a number in the range"),
    (["split", "pairs.tsv", "--by", "block", "--chrom-column", "chr", "--gap", "-5",
      "--out", "f.tsv"], "--gap must be an integer in the range [0, inf); got -5."),
    (["split", "pairs.tsv", "--by", "block", "--chrom-column", "chr", "--block-size", "0",
      "--out", "f.tsv"], "--block-size must be an integer"),
    (["split", "pairs.tsv", "--by", "group", "--group-column", "chr", "--n-splits", "500",
      "--out", "f.tsv"], "--n-splits 500 is more than the 21 distinct groups in --group-column"),
    (["split", "pairs.tsv", "--by", "chromosome", "--chrom-column", "chr", "--n-splits", "50",
      "--out", "f.tsv"], "use --n-splits <= 21 or --by block"),
    (["split", "pairs.tsv", "--by", "pairs", "--pair-columns", "noncodingRNA,gene",
      "--n-splits", "40", "--out", "f.tsv"], "Use a smaller --n-splits, or --mode C2."),
    (["split", "pairs.tsv", "--by", "pairs", "--pair-columns", "gene", "--out", "f.tsv"],
     "--pair-columns 'gene' must name two columns"),
    (["split", "pairs.tsv", "--by", "pairs", "--pair-columns", "noncodingRNA,gene",
      "--n-splits", "1", "--out", "f.tsv"], "--n-splits must be an integer in the range [2, inf)"),
    (["audit", "data.csv", "--target", "label", "--n-permutations", "-1"],
     "--n-permutations must be an integer"),
    (["audit", "data.csv", "--target", "label", "--scoring", "nope"],
     "--scoring must be one of accuracy, "),
    (["audit", "data.csv", "--target", "label", "--n-jobs", "0"], "--n-jobs 0 has no meaning"),
    (["audit", "data.csv", "--target", "label", "--n-splits", "1"], "--n-splits 2 or more"),
    (["audit", "data.csv", "--target", "label", "--groups", "chrom", "--cv", "chromosome",
      "--n-splits", "9"], "--cv chromosome --n-splits 9 could not split the data: --n-splits 9 "
                          "but --groups holds only 6"),
    (["audit", "data.csv", "--target", "label", "--groups", "batch", "--n-splits", "9"],
     "--cv group --n-splits 9 could not split the data"),
    (["audit", "data.csv", "--target", "label", "--features", "f1",
      "--model", "sklearn.linear_model:LinearRegression"], "pass --scoring accuracy"),
    (["audit", "pairs.tsv", "--target", "label", "--sequence-column", "gene", "--kmer-k", "0"],
     "--kmer-k 0 must be an integer from 1 to 8."),
    (["audit", "data.csv", "--target", "label", "--kmer-k", "3"],
     "--kmer-k or --composition featurize a sequence column: give --sequence-column too."),
    (["audit", "pairs.tsv", "--target", "label", "--sequence-column", "start", "--composition"],
     "--sequence-column start holds values that are not str"),
    (["audit", "pairs.tsv", "--target", "label", "--features", "gene"],
     "--features names 'gene', which holds text"),
    (["audit", "pairs.tsv", "--target", "label", "--groups", "chr"],
     "no feature columns: give --features or --sequence-column"),
])
def test_errors_name_options_not_python_arguments(runner, tmp_path, monkeypatch, args, words):
    _write_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert words in errors[0], result.stderr
    assert not PYTHON_NAMES.search(result.stderr), result.stderr


def test_warnings_are_one_line_in_the_commands_words(runner, tmp_path, monkeypatch):
    _write_inputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["split", "pairs.tsv", "--by", "pairs", "--pair-columns",
                                  "noncodingRNA,gene", "--mode", "C2", "--n-splits", "8",
                                  "--out", "f.tsv", "--quiet"])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("warning: ") for line in lines), result.stderr
    assert "--n-splits" in result.stderr
    assert not PYTHON_NAMES.search(result.stderr), result.stderr


def test_demo_keeps_out_as_the_former_name_of_html(runner, tmp_path):
    result = runner.invoke(main, ["demo", "--out", str(tmp_path / "d.html"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d.html").is_file() and "--out" not in _help(runner, "demo")
