"""Ctrl-C: every command exits 130 with one line on stderr, no traceback, no partial output.

Exit code 1 means "a finding reached --fail-on" to a CI gate, so an interrupted
run must not look like one; 130 (128 + SIGINT) is what shells report for Ctrl-C.
"""

import json

import pytest

import skgenqc._core.files
from skgenqc.cli import main
from skgenqc.datasets import data_path
from skgenqc.io import read_sequences
from skgenqc.qc import DatasetQC

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


# -- every output of a command, all or nothing ----------------------------------------------

QC_OUTPUTS = ["r.html", "r.json", "items.tsv"]


def _qc_with_every_output(runner, folder):
    return runner.invoke(main, ["qc", *G4, "--checks", "class_sizes,duplicates",
                                "--html", str(folder / "r.html"), "--json", str(folder / "r.json"),
                                "--items", str(folder / "items.tsv"), "--fail-on", "never"])


@pytest.mark.parametrize("at", [1, 2, 3])
def test_ctrl_c_half_way_through_any_output_leaves_no_file(runner, interrupt_write, tmp_path,
                                                           at):
    state = interrupt_write(at)
    assert_interrupted(_qc_with_every_output(runner, tmp_path))
    assert state["calls"] == at
    assert list(tmp_path.iterdir()) == []  # no output, no temporary file


def test_ctrl_c_keeps_the_files_a_run_would_have_replaced(runner, interrupt_write, tmp_path):
    for name in QC_OUTPUTS:
        (tmp_path / name).write_text(f"old {name}")
    interrupt_write(3)
    assert_interrupted(_qc_with_every_output(runner, tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(QC_OUTPUTS)
    for name in QC_OUTPUTS:
        assert (tmp_path / name).read_text() == f"old {name}"


def test_ctrl_c_while_renaming_into_place_undoes_the_renames(runner, monkeypatch, tmp_path):
    (tmp_path / "r.json").write_text("old")
    real_replace = skgenqc._core.files.os.replace
    calls = []

    def replace_then_interrupt(src, dst):
        calls.append(dst)
        if len(calls) == 3:  # the items table: the HTML and the JSON are in place already
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(skgenqc._core.files.os, "replace", replace_then_interrupt)
    result = _qc_with_every_output(runner, tmp_path)
    monkeypatch.undo()
    assert_interrupted(result)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json"]
    assert (tmp_path / "r.json").read_text() == "old"  # put back, not left half-replaced


def test_a_completed_run_writes_exactly_what_it_rendered(runner, interrupt_write, tmp_path):
    import os

    state = interrupt_write(None)  # records what each write was given
    result = _qc_with_every_output(runner, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(QC_OUTPUTS)
    written = {name: (tmp_path / name).read_bytes() for name in QC_OUTPUTS}
    assert sorted(written.values()) == sorted(state["data"])  # whole, unchanged
    report = json.loads(written["r.json"])
    direct = DatasetQC(checks=["class_sizes", "duplicates"]).run(
        read_sequences(G4), title=report["title"])
    assert [(f["check"], f["severity"], f["value"]) for f in report["findings"]] == \
        [(f.check, f.severity, f.value) for f in direct.findings]
    assert "</html>" in written["r.html"].decode()
    umask = os.umask(0)
    os.umask(umask)
    for name in QC_OUTPUTS:  # the mode any new file gets, not the temporary file's 0600
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_rerun_over_its_own_files_gives_the_same_fold_table(runner, tmp_path):
    args = ["split", G4[0], "--by", "similarity", "--out", str(tmp_path / "folds.tsv"),
            "--json", str(tmp_path / "s.json")]
    assert runner.invoke(main, args).exit_code == 0
    first = (tmp_path / "folds.tsv").read_bytes()
    assert runner.invoke(main, args).exit_code == 0
    assert (tmp_path / "folds.tsv").read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folds.tsv", "s.json"]


@pytest.mark.parametrize("at", [1, 4, 6])
def test_ctrl_c_while_clean_writes_its_folder_leaves_no_folder(runner, interrupt_write,
                                                               tmp_path, at):
    from skgenqc.datasets import load_enhancers

    data = load_enhancers()
    data[data["split"] == "train"].to_csv(tmp_path / "train.csv", index=False)
    data[data["split"] == "test"].to_csv(tmp_path / "test.csv", index=False)
    state = interrupt_write(at)
    result = runner.invoke(main, ["clean", str(tmp_path / "train.csv"), "--test",
                                  str(tmp_path / "test.csv"), "--out", str(tmp_path / "o"),
                                  "--html", str(tmp_path / "clean.html")])
    assert_interrupted(result)
    assert state["calls"] == at
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test.csv", "train.csv"]


# -- AtomicFiles itself ---------------------------------------------------------------------


def test_atomic_files_make_and_remove_their_folders(tmp_path):
    from skgenqc._core.files import AtomicFiles

    with pytest.raises(KeyboardInterrupt):
        with AtomicFiles(make_folders=True) as files:
            files.add(tmp_path / "a" / "b" / "x.txt", "x")
            assert (tmp_path / "a" / "b").is_dir()
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with AtomicFiles(make_folders=True) as files:
        files.add(tmp_path / "a" / "b" / "x.txt", "x")
    assert (tmp_path / "a" / "b" / "x.txt").read_text() == "x"
    assert files.written == [tmp_path / "a" / "b" / "x.txt"]


def test_atomic_files_refuse_a_missing_folder_by_name(tmp_path):
    from skgenqc._core.files import AtomicFiles

    with pytest.raises(ValueError, match=r"cannot write .*x\.txt.*folder .*nope.* does not exist"):
        with AtomicFiles() as files:
            files.add(tmp_path / "nope" / "x.txt", "x")
    assert list(tmp_path.iterdir()) == []
