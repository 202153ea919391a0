"""The ``skgenqc`` command line: exit codes (0 clean, 1 gate, 2 bad input) and outputs."""

import json
import subprocess
import sys

import pytest

from skgenqc.cli import main
from skgenqc.datasets import data_path

G4 = [data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")]
ENHANCERS_TRAIN = data_path("enhancers_train.csv.gz")
ENHANCERS_TEST = data_path("enhancers_test.csv.gz")


def folder_listing(folder):
    """Every entry, hidden ones too, so leftover temporary files are seen."""
    return sorted(p.name for p in folder.iterdir())


def test_help_lists_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "qc" in result.output and "demo" in result.output


def test_qc_help_shows_options(runner):
    result = runner.invoke(main, ["qc", "--help"])
    assert result.exit_code == 0
    for option in ("--test", "--html", "--json", "--fail-on"):
        assert option in result.output


def test_qc_g4_fails_the_default_gate(runner):
    result = runner.invoke(main, ["qc", *G4])
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output
    assert "worst verdict: fail" in result.output


def test_qc_g4_passes_with_fail_on_never(runner):
    result = runner.invoke(main, ["qc", *G4, "--fail-on", "never", "--quiet"])
    assert result.exit_code == 0, result.output
    assert "worst verdict" not in result.output  # --quiet


def test_qc_enhancers_with_test_set_writes_html_and_json(runner, tmp_path):
    html, out = tmp_path / "report.html", tmp_path / "report.json"
    result = runner.invoke(main, ["qc", ENHANCERS_TRAIN, "--test", ENHANCERS_TEST,
                                  "--html", str(html), "--json", str(out)])
    # Enhancers' worst verdict is warn, so the default --fail-on fail gate passes.
    assert result.exit_code == 0, result.output + result.stderr
    assert f"wrote {html.resolve()}" in result.output
    assert f"wrote {out.resolve()}" in result.output
    assert html.read_text().lstrip().lower().startswith("<!doctype html")
    report = json.loads(out.read_text())
    leaks = [f for f in report["findings"] if f["check"] == "train_test_near_duplicates"]
    assert len(leaks) == 1
    assert leaks[0]["evidence"]["n_test_leaked"] == 2
    assert report["metadata"]["n_train"] == 303 and report["metadata"]["n_test"] == 102
    assert folder_listing(tmp_path) == ["report.html", "report.json"]  # no temp files left


def test_qc_fail_on_warn_gates_enhancers(runner, tmp_path):
    result = runner.invoke(main, ["qc", ENHANCERS_TRAIN, "--checks", "duplicates,near_duplicates",
                                  "--fail-on", "warn", "--quiet"])
    assert result.exit_code == 1, result.output + result.stderr


def test_missing_input_exits_2_and_writes_nothing(runner, tmp_path):
    html = tmp_path / "report.html"
    result = runner.invoke(main, ["qc", str(tmp_path / "missing.fa"), "--html", str(html),
                                  "--json", str(tmp_path / "report.json")])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "missing.fa" in result.stderr
    assert "does not exist" in result.stderr
    assert folder_listing(tmp_path) == []


def test_missing_test_input_exits_2_and_writes_nothing(runner, tmp_path):
    result = runner.invoke(main, ["qc", *G4, "--test", str(tmp_path / "gone.csv"),
                                  "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "gone.csv" in result.stderr
    assert folder_listing(tmp_path) == []


def test_html_into_missing_folder_exits_2_and_leaves_nothing(runner, tmp_path):
    target = tmp_path / "no" / "such" / "report.html"
    result = runner.invoke(main, ["qc", *G4, "--html", str(target)])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "--html" in result.stderr
    assert "does not exist" in result.stderr
    assert folder_listing(tmp_path) == []


def test_json_into_missing_folder_writes_no_html_either(runner, tmp_path):
    result = runner.invoke(main, ["qc", *G4, "--html", str(tmp_path / "r.html"),
                                  "--json", str(tmp_path / "nodir" / "r.json")])
    assert result.exit_code == 2
    assert "--json" in result.stderr
    assert folder_listing(tmp_path) == []


def test_html_is_a_folder_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["qc", *G4, "--html", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a folder" in result.stderr
    assert folder_listing(tmp_path) == []


def test_html_and_json_same_file_exits_2(runner, tmp_path):
    same = str(tmp_path / "r.out")
    result = runner.invoke(main, ["qc", *G4, "--html", same, "--json", same])
    assert result.exit_code == 2
    assert "same file" in result.stderr
    assert folder_listing(tmp_path) == []


def test_failed_second_write_removes_the_first(runner, tmp_path, monkeypatch):
    """A write error after the HTML is written must not leave a lone HTML report."""
    from skgenqc._core import files as _files

    real_write = _files._write_handle

    def write_then_fail(handle, data, path):
        if path.name == "r.json":
            raise OSError(28, "No space left on device")
        real_write(handle, data, path)

    monkeypatch.setattr(_files, "_write_handle", write_then_fail)
    result = runner.invoke(main, ["qc", *G4, "--checks", "alphabet",
                                  "--html", str(tmp_path / "r.html"),
                                  "--json", str(tmp_path / "r.json")])
    assert result.exit_code == 2
    assert "r.json" in result.stderr and "No space left" in result.stderr
    assert folder_listing(tmp_path) == []


def test_malformed_input_exits_2_with_file_and_line(runner, tmp_path):
    bad = tmp_path / "bad.fa"
    bad.write_text("ACGT\n")
    result = runner.invoke(main, ["qc", str(bad), "--html", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "error:" in result.stderr and "bad.fa" in result.stderr and "line 1" in result.stderr
    assert folder_listing(tmp_path) == ["bad.fa"]
    assert "Traceback" not in result.output + result.stderr


def test_table_missing_column_exits_2(runner, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("seq,label\nACGT,1\n")
    result = runner.invoke(main, ["qc", str(table)])
    assert result.exit_code == 2
    assert "no column 'sequence'" in result.stderr


@pytest.mark.parametrize("args, words", [
    (["--identity", "0.3"], "--identity must be a number in the range [0.5, 1.0]; got 0.3"),
    (["--checks", "dupes"], "checks contains 'dupes'"),
    (["--label-from-header", "(("], "not a valid regular expression"),
])
def test_bad_options_exit_2(runner, args, words):
    result = runner.invoke(main, ["qc", *G4, *args])
    assert result.exit_code == 2
    assert words in result.stderr


def test_unknown_fail_on_is_a_usage_error(runner):
    result = runner.invoke(main, ["qc", *G4, "--fail-on", "sometimes"])
    assert result.exit_code == 2
    assert "sometimes" in result.stderr


def test_demo_writes_report_and_prints_path(runner, tmp_path):
    out = tmp_path / "x.html"
    result = runner.invoke(main, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert out.is_file() and out.stat().st_size > 0
    assert f"wrote {out.resolve()}" in result.output
    assert folder_listing(tmp_path) == ["x.html"]


def test_demo_into_missing_folder_exits_2(runner, tmp_path):
    result = runner.invoke(main, ["demo", "--out", str(tmp_path / "nodir" / "x.html")])
    assert result.exit_code == 2
    assert "--out" in result.stderr and "does not exist" in result.stderr
    assert folder_listing(tmp_path) == []


def test_module_entry_point_runs_in_a_subprocess(tmp_path):
    """The real process: ``python -m skgenqc.cli`` exit codes and files."""
    out = tmp_path / "g4.json"
    done = subprocess.run(
        [sys.executable, "-m", "skgenqc.cli", "qc", *G4, "--json", str(out), "--quiet"],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert f"wrote {out.resolve()}" in done.stdout
    assert json.loads(out.read_text())["worst_severity"] == "fail"

    missing = subprocess.run(
        [sys.executable, "-m", "skgenqc.cli", "qc", str(tmp_path / "nope.fa")],
        capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2
    assert missing.stderr.startswith("error:") and "nope.fa" in missing.stderr
    assert "Traceback" not in missing.stderr
