"""Time and memory per stage (metadata["stages"]): the helper, DatasetQC, the auditor, the CLI.

No assertion on how long anything took: the records are checked for their presence,
names, order, types and signs, and the memory fields on a planted allocation made in
a fresh process (whose high-water mark no earlier test raised).
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from skgenqc import DatasetQC, Report
from skgenqc._core.stages import STAGE_KEYS, add_stages, timed_stage
from skgenqc.audit import LeakageAuditor
from skgenqc.audit._registry import PROBES
from skgenqc.cli import main
from skgenqc.datasets import data_path, load_enhancers

G4 = [data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")]
NUMBERS = [k for k in STAGE_KEYS if k != "stage"]


def assert_records(stages):
    """Every record has every key, a name, and non-negative numbers (None only for rss_mb)."""
    assert isinstance(stages, list) and stages
    for record in stages:
        assert list(record)[:len(STAGE_KEYS)] == list(STAGE_KEYS), record
        assert isinstance(record["stage"], str) and record["stage"]
        for key in NUMBERS:
            value = record[key]
            if key == "rss_mb" and value is None:
                continue
            assert isinstance(value, float) and value >= 0, (key, record)
        assert record["worker_cpu_s"] <= record["cpu_s"]
        assert record["rss_growth_mb"] <= record["peak_rss_mb"]
    peaks = [r["peak_rss_mb"] for r in stages]
    assert peaks == sorted(peaks)  # a high-water mark never goes down


# -- the helper ---------------------------------------------------------------------------


def test_a_stage_records_every_field():
    stages = []
    with timed_stage("work", stages) as record:
        record["n_items"] = 3
        sum(i * i for i in range(100_000))
    assert_records(stages)
    assert stages[0]["stage"] == "work" and stages[0]["n_items"] == 3


def test_a_stage_that_raises_records_nothing():
    stages = []
    with pytest.raises(ZeroDivisionError):
        with timed_stage("broken", stages):
            1 / 0
    assert stages == []


def test_stages_must_be_a_list():
    with pytest.raises(TypeError, match="stages must be a list.*got dict"):
        with timed_stage("x", {}):
            pass


def test_add_stages_keeps_the_order_of_the_run():
    meta = {"stages": [{"stage": "check"}]}
    add_stages(meta, [{"stage": "load"}], [{"stage": "items"}])
    assert [s["stage"] for s in meta["stages"]] == ["load", "check", "items"]
    assert [s["stage"] for s in add_stages({}, after=[{"stage": "only"}])] == ["only"]


def test_child_process_cpu_is_counted():
    # A reaped child (what an ended worker is): getrusage(RUSAGE_CHILDREN) has its CPU.
    stages = []
    with timed_stage("child", stages):
        subprocess.run([sys.executable, "-c", "sum(i * i for i in range(3_000_000))"],
                       check=True)
    assert stages[0]["worker_cpu_s"] > 0
    assert stages[0]["cpu_s"] >= stages[0]["worker_cpu_s"]


def test_the_stage_that_allocates_raises_the_high_water_mark():
    # A fresh process, so no earlier test's peak hides the planted 300 MiB. Linux carries
    # ru_maxrss over exec from the forking process, so the measuring process is started by
    # a small Python in between, not by this (large) pytest process.
    code = textwrap.dedent("""
        import json
        import numpy as np
        from skgenqc._core.stages import timed_stage
        stages = []
        with timed_stage("small", stages):
            a = np.ones(1000)
        with timed_stage("big", stages):
            b = np.ones(300 * 2**20 // 8)  # 300 MiB, written so the pages are resident
        with timed_stage("after", stages):
            del b
        print(json.dumps(stages))
    """)
    launcher = ("import subprocess, sys; "
                "sys.exit(subprocess.run([sys.executable, '-c', sys.argv[1]]).returncode)")
    out = subprocess.run([sys.executable, "-c", launcher, code], check=True,
                         capture_output=True, text=True).stdout
    small, big, after = json.loads(out)
    assert_records([small, big, after])
    # The import's transient peak may hide part of it, never 150 MiB.
    assert big["rss_growth_mb"] >= 150 and small["rss_growth_mb"] < 50
    assert big["peak_rss_mb"] >= 300
    assert after["rss_growth_mb"] == 0 and after["peak_rss_mb"] == big["peak_rss_mb"]
    assert after["rss_mb"] is None or after["rss_mb"] < big["rss_mb"] - 150  # freed


# -- DatasetQC ------------------------------------------------------------------------------


def test_qc_records_one_stage_per_check_that_ran_and_none_for_skipped_ones():
    report = DatasetQC().run(load_enhancers())
    stages = report.metadata["stages"]
    assert_records(stages)
    names = [s["stage"] for s in stages]
    assert names[0] == "inputs"
    assert len(set(names)) == len(names)
    assert sorted(names[1:]) == report.metadata["checks"]  # the checks that ran, each once
    skipped = set(report.metadata["skipped_checks"])
    assert "intervals" in skipped and not skipped & set(names)


def test_qc_with_selected_checks_times_only_those():
    report = DatasetQC(checks=["class_sizes", "leakage"]).run(load_enhancers())
    assert [s["stage"] for s in report.metadata["stages"]] == ["inputs", "class_sizes",
                                                                "leakage"]


def test_coordinates_only_time_the_interval_checks():
    frame = pd.DataFrame({"chrom": ["chr1", "chr1", "chr2", "chr2"] * 5,
                          "start": np.arange(20) * 1000, "end": np.arange(20) * 1000 + 100,
                          "label": [0, 1] * 10})
    report = DatasetQC().run(frame)
    names = [s["stage"] for s in report.metadata["stages"]]
    assert "intervals" in names and "composition" not in names
    assert set(names[1:]) == set(report.metadata["checks"])


def test_stages_survive_json_and_show_in_inputs_and_settings():
    report = DatasetQC(checks=["class_sizes", "duplicates"]).run(load_enhancers())
    back = Report.from_json(report.to_json())
    assert back.metadata["stages"] == report.metadata["stages"]
    page = report.to_html()
    settings, table = page.index("Inputs and settings"), page.index("Time and memory per stage")
    assert settings < table
    assert page.index("Class sizes") < settings  # below what is wrong, not above it
    assert "<th scope=\"row\">stages</th>" not in page  # a table of its own, not a setting
    for name in ("class_sizes", "duplicates", "peak RSS MiB", "total"):
        assert name in page[table:]


def test_the_progress_bar_names_the_check(capsys):
    DatasetQC(checks=["class_sizes", "composition"], progress=True).run(load_enhancers())
    err = capsys.readouterr().err
    assert "skgenqc qc" in err and "composition" in err


# -- LeakageAuditor -------------------------------------------------------------------------


class _BusyClassifier(ClassifierMixin, BaseEstimator):
    """A classifier that spends some CPU in fit, so process workers have work to count."""

    def fit(self, X, y):
        rng = np.random.default_rng(0)
        np.linalg.svd(rng.normal(size=(200, 200)))
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def _audit_data():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(160, 3)), rng.integers(0, 2, 160)
    return X, y, np.arange(160) % 8


def _expected_probes(**given):
    inputs = {"estimator", *given}
    return [name for name, probe in PROBES.items() if set(probe.requires) <= inputs]


def test_audit_records_inputs_fits_and_one_stage_per_probe_that_ran():
    X, y, groups = _audit_data()
    auditor = LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=2,
                             n_repeats=1, random_state=0)
    plain = auditor.audit(X, y, groups).metadata["stages"]
    assert_records(plain)
    names = [s["stage"] for s in plain]
    assert names[:2] == ["inputs", "fits"]
    assert names[2:] == _expected_probes(groups=True)
    assert "confounder_only_baseline" not in names and "shift" not in names
    more = auditor.audit(X, y, groups, confounders=X[:, :1], X_new=X + 1).metadata["stages"]
    names = [s["stage"] for s in more]
    assert names[2:] == _expected_probes(groups=True, confounders=True, X_new=True)
    assert {"confounder_only_baseline", "shift"} <= set(names)


def test_audit_counts_the_cpu_of_process_workers():
    pytest.importorskip("psutil", reason="live loky workers are read through psutil")
    X, y, groups = _audit_data()
    report = LeakageAuditor(_BusyClassifier(), cv=GroupKFold(4), n_permutations=4,
                            n_repeats=1, random_state=0, n_jobs=2).audit(X, y, groups)
    fits = {s["stage"]: s for s in report.metadata["stages"]}["fits"]
    assert fits["worker_cpu_s"] > 0 and fits["cpu_s"] >= fits["worker_cpu_s"]


# -- the command line ---------------------------------------------------------------------


def _stage_names(path):
    stages = json.loads(path.read_text())["metadata"]["stages"]
    assert_records(stages)
    return [s["stage"] for s in stages]


def test_qc_command_adds_loading_and_items(runner, tmp_path):
    out = tmp_path / "qc.json"
    result = runner.invoke(main, ["qc", G4[0], "--test", G4[1], "--checks",
                                  "class_sizes,duplicates", "--items", str(tmp_path / "i.tsv"),
                                  "--json", str(out), "--fail-on", "never", "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert _stage_names(out) == ["load INPUTS", "load --test", "inputs", "class_sizes",
                                 "duplicates", "--items"]


def test_split_command_records_its_steps(runner, tmp_path):
    out = tmp_path / "split.json"
    result = runner.invoke(main, ["split", G4[0], "--by", "similarity", "--out",
                                  str(tmp_path / "folds.tsv"), "--json", str(out), "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert _stage_names(out) == ["load INPUT", "folds (--by similarity)", "diagnostics"]


def test_clean_command_records_its_steps_before_the_qc(runner, tmp_path):
    data = load_enhancers()
    data[data["split"] == "train"].to_csv(tmp_path / "train.csv", index=False)
    data[data["split"] == "test"].to_csv(tmp_path / "test.csv", index=False)
    result = runner.invoke(main, ["clean", str(tmp_path / "train.csv"), "--test",
                                  str(tmp_path / "test.csv"), "--out", str(tmp_path / "o"),
                                  "--fail-on", "never", "--quiet"])
    assert result.exit_code == 0, result.stderr
    names = _stage_names(tmp_path / "o" / "qc.json")
    assert names[:3] == ["load inputs", "clean split (--mode filter)", "inputs"]


def test_audit_command_records_loading_and_features(runner, tmp_path):
    X, y, groups = _audit_data()
    table = pd.DataFrame(X, columns=["a", "b", "c"]).assign(label=y, group=groups)
    table.to_csv(tmp_path / "t.csv", index=False)
    out = tmp_path / "audit.json"
    result = runner.invoke(main, ["audit", str(tmp_path / "t.csv"), "--target", "label",
                                  "--groups", "group", "--n-permutations", "2", "--json",
                                  str(out), "--fail-on", "never", "--quiet"])
    assert result.exit_code == 0, result.stderr
    assert _stage_names(out)[:4] == ["load TABLE", "features", "inputs", "fits"]


@pytest.mark.parametrize("quiet", [False, True])
def test_quiet_keeps_the_bars_off(runner, monkeypatch, tmp_path, quiet):
    import skgenqc.cli._common

    monkeypatch.setattr(skgenqc.cli._common, "_stderr_is_terminal", lambda: True)
    result = runner.invoke(main, ["qc", *G4, "--checks", "class_sizes,composition",
                                  "--fail-on", "never", *(["--quiet"] if quiet else [])])
    assert result.exit_code == 0, result.stderr
    assert ("skgenqc qc" in result.stderr) is not quiet
    if not quiet:
        assert "composition" in result.stderr  # the bar names the check


def test_a_combined_report_keeps_every_run_s_stages():
    qc = DatasetQC(checks=["class_sizes"]).run(load_enhancers())
    other = DatasetQC(checks=["duplicates"]).run(load_enhancers())
    combined = Report(title="both", kind="combined").extend(qc).extend(other)
    assert [s["stage"] for s in combined.metadata["stages"]] == [
        "inputs", "class_sizes", "inputs", "duplicates"]
    assert [s["stage"] for s in qc.metadata["stages"]] == ["inputs", "class_sizes"]  # unchanged
