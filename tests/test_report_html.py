"""Tests of the HTML report: escaping, embedding, truncation and file writing."""

import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from skgenqc.report import Finding, Report
from skgenqc.report.html import render_html, render_summary_html
from skgenqc.report.plots import (
    figure_to_png,
    plot_bar,
    plot_class_distributions,
    plot_position_composition,
    plot_similarity_histogram,
)

EVIL_ID = "<script>alert(1)</script>"


def _figure():
    fig = Figure(figsize=(3, 2))
    fig.subplots().plot([0, 1, 2], [2, 0, 1])
    return fig


@pytest.fixture
def report():
    table = pd.DataFrame({"record": [f"seq{i}" for i in range(500)],
                          "identity": np.linspace(0.5, 1.0, 500)})
    findings = [
        Finding("near_duplicates", "Near-duplicate records across the split", "fail",
                pitfall="dependent examples", value=0.12, threshold={"warn": 0.01, "fail": 0.05},
                message="60 of 500 test records are near-duplicates of training records.",
                recommendation="Split by sequence clusters.", table=table),
        Finding("gc_content", "GC content separates the classes", "warn", pitfall="confounding",
                value=0.68, threshold={"warn": 0.6, "fail": 0.75},
                message="GC content alone gives AU-ROC 0.68.", figures=["gc_hist"]),
        Finding("exact_duplicates", "Exact duplicate sequences", "warn",
                pitfall="data validity", value=2,
                message="Record <b>bold</b> is duplicated.",
                evidence={"n_duplicates": 2, "ids": [EVIL_ID, "<b>bold</b>"]
                          + [f"dup{i}" for i in range(30)]}),
        Finding("class_balance", "Class balance", "pass", pitfall="unbalanced classes",
                value=0.5),
    ]
    figures = {"gc_hist": _figure(), "orphan": figure_to_png(_figure())}
    return Report(findings, title="QC of <test> data",
                  metadata={"positives": "pos.fasta", "n_records": 1000, "k": 6},
                  figures=figures)


def test_user_text_is_escaped(report):
    html = report.to_html()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "QC of &lt;test&gt; data" in html


def test_figures_are_embedded_and_page_is_offline(report):
    html = report.to_html()
    assert "data:image/png;base64," in html
    # the cited figure and the unreferenced one (shown under "Figures") are both embedded
    assert html.count('<img src="data:image/png;base64,') == 2
    assert "<h2>Figures</h2>" in html
    assert "http://" not in html
    assert "https://" not in html


def test_table_and_evidence_are_truncated(report):
    html = report.to_html(max_rows=20)
    assert "showing 20 of 500 rows" in html
    assert "seq19" in html and "seq20<" not in html
    assert "... and 22 more" in html  # 32 ids, 10 shown
    assert "of 500" in report.to_html()


def test_warn_and_fail_sections_open_by_default(report):
    html = report.to_html()
    assert 'id="finding-0" open>' in html
    assert 'id="finding-3">' in html  # the pass finding starts collapsed


def test_summary_is_compact_and_escaped(report):
    full = report.to_html()
    summary = report._repr_html_()
    assert summary == render_summary_html(report)
    assert len(summary) < len(full)
    assert "data:image/png" not in summary
    assert "<script>alert" not in summary
    assert "dependent examples" in summary and "fail" in summary


def test_to_html_writes_file(report, tmp_path):
    path = tmp_path / "report.html"
    html = report.to_html(path)
    assert path.read_text(encoding="utf-8") == html
    assert html.startswith("<!DOCTYPE html>")


def test_to_html_missing_folder_raises_without_creating(report, tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ValueError):
        report.to_html(missing / "report.html")
    assert not missing.exists()
    assert list(tmp_path.iterdir()) == []


def test_render_twice_and_bad_max_rows(report):
    # figures must survive rendering (not be cleared) so a report renders again
    assert render_html(report) == render_html(report)
    with pytest.raises(ValueError):
        render_html(report, max_rows=-1)


def test_empty_report_renders():
    html = render_html(Report())
    assert "no findings" in html
    assert "no findings" in render_summary_html(Report())


def test_plot_helpers_do_not_touch_pyplot():
    was_loaded = "matplotlib.pyplot" in sys.modules
    rng = np.random.default_rng(0)
    freqs = pd.DataFrame(rng.dirichlet(np.ones(4), size=10), columns=list("ACGT"))
    figures = [
        plot_class_distributions({"pos": rng.normal(size=100_000), "neg": rng.normal(1, 1, 10)},
                                 "GC", "GC by class"),
        plot_position_composition({"pos": freqs, "neg": freqs}, from_end="3'"),
        plot_similarity_histogram(rng.uniform(size=200), 0.9, "identity"),
        plot_bar(pd.Series(rng.uniform(size=50), index=[f"f{i}" for i in range(50)]),
                 "AU-ROC", "AU-ROC", threshold=0.6),
        plot_class_distributions({"a": np.array([1.0, 1.0]), "b": np.array([])}, "x", "const"),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        assert figure_to_png(fig)[:4] == b"\x89PNG"
    assert ("matplotlib.pyplot" in sys.modules) == was_loaded
