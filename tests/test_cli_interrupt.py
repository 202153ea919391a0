"""Ctrl-C: every command exits 130 with one line on stderr, no traceback, no partial output.

Exit code 1 means "a finding reached --fail-on" to a CI gate, so an interrupted
run must not look like one; 130 (128 + SIGINT) is what shells report for Ctrl-C.
"""

import pytest

import skgenqc._core.files
from skgenqc.cli import main
from skgenqc.datasets import data_path

G4 = [data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")]

# Arguments that get each command past click's parsing; a new command must be added here.
ARGS = {
    "qc": [G4[0]],
    "split": [G4[0], "--by", "similarity", "--out", "folds.tsv"],
    "clean": [G4[0], "--test", G4[1], "--out", "clean"],
    "audit": [G4[0], "--target", "label"],
    "audit-predictions": ["--train", G4[0], "--test", G4[0], "--pred", G4[0]],
    "demo": [],
}


def interrupt(*args, **kwargs):
    raise KeyboardInterrupt


def assert_interrupted(result):
    assert result.exit_code == 130, (result.exit_code, result.output,
                                                        result.stderr)
    assert result.stderr == "interrupted\n"
    assert "Traceback" not in result.output + result.stderr
    assert "Aborted" not in result.output + result.stderr


def test_every_command_is_covered():
    assert set(ARGS) == set(main.commands)


@pytest.mark.parametrize("name", sorted(ARGS))
def test_ctrl_c_in_any_command_exits_130(runner, monkeypatch, tmp_path, name):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(main.commands[name], "callback", interrupt)
    assert_interrupted(runner.invoke(main, [name, *ARGS[name]]))


def test_ctrl_c_during_qc_writes_nothing(runner, monkeypatch, tmp_path):
    from skgenqc.qc import DatasetQC

    monkeypatch.setattr(DatasetQC, "run", interrupt)
    result = runner.invoke(main, ["qc", *G4, "--html", str(tmp_path / "r.html"),
                                  "--json", str(tmp_path / "r.json")])
    assert_interrupted(result)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_between_two_reports_leaves_neither(runner, interrupt_write, tmp_path):
    state = interrupt_write(2)  # the JSON stops half-way, after the HTML was written
    result = runner.invoke(main, ["qc", *G4, "--checks", "class_sizes",
                                  "--html", str(tmp_path / "r.html"),
                                  "--json", str(tmp_path / "r.json")])
    assert_interrupted(result)
    assert state["calls"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_ctrl_c_inside_an_atomic_write_removes_its_temporary_file(monkeypatch, tmp_path):
    # The temporary file exists when the rename is interrupted.
    def replace(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(skgenqc._core.files.os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        skgenqc._core.files.write_atomically(tmp_path / "r.json", "{}")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_between_the_split_table_and_its_report_leaves_neither(runner, interrupt_write,
                                                                      tmp_path):
    state = interrupt_write(2)  # the HTML stops half-way, after the TSV was written
    result = runner.invoke(main, ["split", G4[0], "--by", "similarity",
                                  "--out", str(tmp_path / "folds.tsv"),
                                  "--html", str(tmp_path / "split.html")])
    assert_interrupted(result)
    assert state["calls"] == 2
    assert list(tmp_path.iterdir()) == []
