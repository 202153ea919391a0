"""The HTML report in a real browser: Debian's Chromium, headless, driven from pytest.

Each page is loaded by ``chromium --headless --dump-dom`` with a fresh profile,
no network (every host name resolves to nothing) and console logging on
stderr. The tests check what a person would see and what must never happen:

- the page renders: the overall verdict, one line per pitfall with its verdict,
  the findings, embedded figures;
- the browser logs no console message and no uncaught error (the report has no
  script at all, so any console output is a defect);
- a sequence id or FASTA header such as ``<script>alert(1)</script>`` or
  ``<img src=x onerror=alert(2)>`` shows as text and never becomes an element:
  the dumped DOM (after scripts would have run) has no such script or image,
  the text is there, and canary payloads that would mark the page if they ran
  leave no mark;
- ``--screenshot`` produces a PNG of the requested size with content.

A positive control first proves that the harness catches console errors,
uncaught exceptions and executed payloads, so a green run means something.

Chromium is found as ``$SKGENQC_CHROMIUM``, ``chromium``, ``chromium-browser`` or
``/usr/bin/chromium``; ``.ci/run`` installs Debian's package when it is missing.
Where no Chromium can be found the tests skip with that reason (``-ra`` shows it);
a Chromium that is present but fails is a failure, never a skip.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skgenqc import DatasetQC
from skgenqc.io import read_fasta
from skgenqc.report import Report

SCRIPT_ID = "<script>alert(1)</script>"
IMG_ID = "<img src=x onerror=alert(2)>"
# Payloads that would leave a mark in the dumped DOM if they ever ran.
CANARY_IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
CANARY_SCRIPT = "<script>document.documentElement.setAttribute('data-pwned','script')</script>"
EVIL_TITLE = "QC of <script>alert(3)</script> & <b>friends</b>"
# Non-ASCII text must survive the trip (the page declares UTF-8). FASTA headers are ASCII
# (dnaio), so this one arrives as a table id.
UNICODE_ID = "enh_\u03b2-globin \u2013 \u201c5\u2032 UTR\u201d \u2713"

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    # No network at all: the report must need none, and the test must send none.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
]
# Chromium writes page console output to its log as "...:INFO:CONSOLE:12] "msg", source: ..."
# (older builds: "CONSOLE(12)").
CONSOLE_RE = re.compile(r":CONSOLE[:(]|Uncaught")
TIMEOUT = 60  # seconds per page; a render takes about 2 s


def _find_chromium():
    candidates = [os.environ.get("SKGENQC_CHROMIUM"), shutil.which("chromium"),
                  shutil.which("chromium-browser"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="module")
def chromium():
    path = _find_chromium()
    if path is None:
        pytest.skip("Chromium not found ($SKGENQC_CHROMIUM, chromium, chromium-browser, "
                    "/usr/bin/chromium); install it with `apt-get install -y chromium` "
                    "(.ci/run does so when run as root)")
    return path


def _run_chromium(chromium, page, profile, *args, timeout=None):
    """Run Chromium on a local file with a fresh profile; return (stdout, console lines)."""
    timeout = TIMEOUT if timeout is None else timeout
    cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", *args, Path(page).as_uri()]
    # A session of its own, so that a hung browser is ended with all its child processes.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True,
                            env={**os.environ, "LANG": "C.UTF-8"})
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"Chromium did not finish within {timeout} s. Headless Chromium hangs like "
                    "this when a page opens a JavaScript dialog, i.e. when an injected "
                    "alert() payload executed.\ncommand: " + " ".join(cmd)
                    + "\nconsole:\n"
                    + "\n".join(line for line in err.splitlines() if CONSOLE_RE.search(line)))
    assert proc.returncode == 0, (
        f"Chromium exited with {proc.returncode}: {' '.join(cmd)}\nstderr tail:\n{err[-3000:]}")
    console = [line for line in err.splitlines() if CONSOLE_RE.search(line)]
    return out, console


def dump_dom(chromium, page, tmp_path):
    """The DOM after load (scripts would have run), and the console lines logged."""
    return _run_chromium(chromium, page, tmp_path / "profile-dom", "--dump-dom")


class _Dom(HTMLParser):
    """Elements (tag, attributes, text inside) and the text of a serialised DOM."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []  # [tag, attrs dict, text]
        self._open = []
        self.root_attrs = {}
        self.text_parts = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.root_attrs = attrs
        element = [tag, attrs, ""]
        self.elements.append(element)
        if tag not in {"img", "br", "meta", "link", "input", "hr", "source", "col", "wbr"}:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        self.text_parts.append(data)
        for element in self._open:
            element[2] += data

    @property
    def text(self):
        return " ".join(" ".join(self.text_parts).split())

    def find(self, tag):
        return [e for e in self.elements if e[0] == tag]


def _squash(text):
    return " ".join(text.split())


def assert_renders_report(report, dom, console):
    """The verdict lines a person reads are there; nothing was logged; nothing escaped."""
    assert not console, "the browser logged console output:\n" + "\n".join(console)
    page = _Dom(dom)
    text = page.text
    assert _squash(f"Overall verdict: {report.worst_severity}") in text
    pitfall_lines = [_squash(e[2]) for e in page.find("li")]
    for row in report.pitfall_summary().itertuples(index=False):
        line = f"{row.verdict} {row.pitfall}"
        assert any(item.startswith(line) for item in pitfall_lines), (
            f"pitfall line {line!r} not rendered; lines: {pitfall_lines}")
    for finding in report.findings:
        assert finding.check in text
    assert "data-pwned" not in page.root_attrs, "an injected payload ran in the browser"
    for tag, attrs, inner in page.elements:
        handlers = [name for name in attrs if name.startswith("on")]
        assert not handlers, f"event handler {handlers} on <{tag}>: {attrs}"
        if tag == "script":
            raise AssertionError(f"the report holds a <script> element: {inner[:200]!r}")
        if tag in ("img", "link", "a", "iframe", "source"):
            url = attrs.get("src") or attrs.get("href") or ""
            assert url.startswith(("data:image/png;base64,", "#")), (
                f"<{tag}> refers to {url[:80]!r}: the page must be self-contained")
    return page


# --- positive control: the harness sees what it must catch ------------------------------------

def test_harness_catches_console_errors_and_executed_payloads(chromium, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><p>control</p>"
        "<script>console.error('boom'); undefinedFunction();</script>"
        + CANARY_IMG + "</body></html>", encoding="utf-8")
    dom, console = dump_dom(chromium, page, tmp_path)
    assert any("boom" in line for line in console), "console.error was not captured"
    assert any("Uncaught" in line for line in console), "the uncaught error was not captured"
    parsed = _Dom(dom)
    assert parsed.root_attrs.get("data-pwned") == "img", "the executed canary left no mark"
    assert parsed.find("script"), "the control page's script was not seen in the DOM"


# --- data for the real reports ----------------------------------------------------------------

def _random_sequences(rng, n, length, gc):
    p = [(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2]
    codes = rng.choice(4, size=(n, length), p=p)
    return ["".join("ACGT"[c] for c in row) for row in codes]


@pytest.fixture(scope="module")
def hostile_fasta(tmp_path_factory):
    """Two FASTA files (one per class) whose headers carry markup; two records are copies,
    so their headers appear in the duplicate findings."""
    rng = np.random.default_rng(0)
    folder = tmp_path_factory.mktemp("fasta")
    pos = _random_sequences(rng, 40, 120, gc=0.6)
    neg = _random_sequences(rng, 40, 120, gc=0.4)
    pos[1] = pos[0]  # an exact copy: both headers are listed as evidence
    neg[1] = neg[0]
    pos_headers = [SCRIPT_ID, IMG_ID] + [f"pos{i}" for i in range(2, 40)]
    neg_headers = [CANARY_IMG, CANARY_SCRIPT] + [f"neg{i}" for i in range(2, 40)]
    paths = []
    for name, headers, seqs in (("pos.fa", pos_headers, pos), ("neg.fa", neg_headers, neg)):
        path = folder / name
        path.write_text("".join(f">{h}\n{s}\n" for h, s in zip(headers, seqs)), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def qc_report(hostile_fasta):
    pos, neg = hostile_fasta
    data = pd.concat([read_fasta(pos, label=1), read_fasta(neg, label=0)], ignore_index=True)
    assert SCRIPT_ID in data["id"].tolist()  # the reader keeps the whole header
    # The test set holds a copy of a hostile training record, so train/test leakage
    # evidence names it too.
    test = data.iloc[[0, 3, 45, 50]].assign(id=[UNICODE_ID, "test1", "test2", "test3"])
    report = DatasetQC(checks=["alphabet", "class_sizes", "composition", "duplicates",
                               "leakage"]).run(data, X_test=test, title=EVIL_TITLE)
    assert report["duplicates_within_class_train"].severity == "fail"
    return report


def _write(report, tmp_path, name):
    path = tmp_path / name
    report.to_html(path)
    return path


# --- the reports --------------------------------------------------------------------------------

def test_qc_report_renders_and_escapes_hostile_headers(chromium, qc_report, tmp_path):
    dom, console = dump_dom(chromium, _write(qc_report, tmp_path, "qc.html"), tmp_path)
    page = assert_renders_report(qc_report, dom, console)
    text = page.text
    # The headers are shown, as text.
    for payload in (SCRIPT_ID, IMG_ID, CANARY_IMG, CANARY_SCRIPT, UNICODE_ID):
        assert payload in text, f"{payload!r} is not shown as text"
    assert "QC of <script>alert(3)</script> & <b>friends</b>" in text
    # ... and no element came from them.
    assert not [a for t, a, _ in page.elements if t == "img" and a.get("src") == "x"]
    assert not page.find("b"), "markup from the title became an element"
    title = [inner for tag, _, inner in page.elements if tag == "title"]
    assert title == [EVIL_TITLE]
    # The escaped text is in the serialised DOM the browser produced.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=alert(2)&gt;" in dom
    # Figures are embedded PNGs; findings come worst first (fail, warn, pass, info), warn/fail
    # expanded and the others collapsed.
    assert len(page.find("img")) >= 2
    details = [e for e in page.find("details") if "sk-finding" in e[1].get("class", "")]
    assert len(details) == len(qc_report.findings)
    order = {"fail": 0, "warn": 1, "pass": 2, "info": 3}
    shown = [attrs["class"].split("sk-border-")[1] for _, attrs, _ in details]
    assert shown == sorted(shown, key=order.__getitem__), shown
    assert sorted(shown) == sorted(f.severity for f in qc_report.findings)
    for (_, attrs, _), finding in zip(details, qc_report.by_severity()):
        assert ("open" in attrs) == (finding.severity in ("warn", "fail")), finding.check


def test_split_diagnostics_report_renders(chromium, tmp_path):
    from skgenqc.model_selection import split_diagnostics

    rng = np.random.default_rng(1)
    n = 60
    groups = np.array([SCRIPT_ID, IMG_ID, CANARY_IMG, "g3", "g4", "g5"])[np.arange(n) % 6]
    folds = (np.arange(n) // 6) % 3  # every group in every fold: all on both sides
    seqs = _random_sequences(rng, n, 80, gc=0.5)
    report = split_diagnostics(folds, y=rng.integers(0, 2, n), groups=groups, sequences=seqs,
                               title="split of <i>hostile</i> groups")
    assert report["groups_across_split"].severity == "fail"
    dom, console = dump_dom(chromium, _write(report, tmp_path, "split.html"), tmp_path)
    page = assert_renders_report(report, dom, console)
    assert SCRIPT_ID in page.text and IMG_ID in page.text
    assert not page.find("i")


def test_audit_and_combined_reports_render(chromium, qc_report, tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from skgenqc.audit import LeakageAuditor

    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(12), 10)
    X = rng.normal(size=(12, 3))[groups] + 0.1 * rng.normal(size=(120, 3))
    y = rng.integers(0, 2, 12)[groups]
    audit = LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=3,
                           n_repeats=1, random_state=0).audit(X, y, groups)
    dom, console = dump_dom(chromium, _write(audit, tmp_path, "audit.html"), tmp_path)
    page = assert_renders_report(audit, dom, console)
    assert len(page.find("img")) >= 1  # the score plots
    # The page answers its question first: the headline sentences come before the pitfalls.
    text = page.text
    sentences = [_squash(s) for s in audit.headline["sentences"]]
    assert sentences and all(s in text for s in sentences), (sentences, text[:600])
    assert text.index(sentences[0]) < text.index("Pitfalls")

    combined = Report(title="QC and audit", kind="combined").extend(qc_report).extend(audit)
    dom, console = dump_dom(chromium, _write(combined, tmp_path, "combined.html"), tmp_path)
    page = assert_renders_report(combined, dom, console)
    assert SCRIPT_ID in page.text


def test_notebook_summary_renders(chromium, qc_report, tmp_path):
    """``_repr_html_`` is a fragment; in a page it shows the same verdicts, escaped."""
    fragment = qc_report._repr_html_()
    page_path = tmp_path / "fragment.html"
    page_path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'><title>nb</title>"
                         f"</head><body>{fragment}</body></html>", encoding="utf-8")
    dom, console = dump_dom(chromium, page_path, tmp_path)
    assert not console, "\n".join(console)
    page = _Dom(dom)
    assert "data-pwned" not in page.root_attrs
    assert not page.find("script")
    assert _squash(f"Overall verdict: {qc_report.worst_severity}") in page.text
    items = [_squash(e[2]) for e in page.find("li")]
    for row in qc_report.pitfall_summary().itertuples(index=False):
        assert any(i.startswith(f"{row.verdict} {row.pitfall}") for i in items), items


def _png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot_is_a_png_with_content(chromium, qc_report, tmp_path):
    from matplotlib.image import imread

    page = _write(qc_report, tmp_path, "shot.html")
    shot = tmp_path / "report.png"
    _, console = _run_chromium(chromium, page, tmp_path / "profile-shot",
                               f"--screenshot={shot}", "--window-size=1200,1600")
    assert not console, "\n".join(console)
    assert shot.is_file(), "Chromium wrote no screenshot"
    data = shot.read_bytes()
    assert _png_size(data) == (1200, 1600)
    pixels = imread(shot)
    # Not a blank page: text, badges and table rules give many distinct pixel values.
    assert float(pixels[..., :3].std()) > 0.05
    assert len(np.unique(pixels[..., :3].reshape(-1, 3), axis=0)) > 20


# --- layout at 1280 px: what is wrong is above the fold, nothing is wider than its column -------

# Measures the laid-out page and leaves the numbers on the root element for --dump-dom. It runs in
# a copy of the page made by the test; the report itself never holds a script.
_LAYOUT_PROBE = """<script>
addEventListener('load', () => {
  const root = document.documentElement;
  const top = e => e ? Math.round(e.getBoundingClientRect().top + scrollY) : null;
  const wide = [];
  for (const t of document.querySelectorAll('table')) {
    const w = t.getBoundingClientRect().width, room = t.parentElement.clientWidth;
    if (w > room + 1) wide.push([t.className, Math.round(w), room]);
  }
  const rows = [...document.querySelectorAll('table.sk-summary tbody tr')];
  // Chromium lays out a closed <details> with content-visibility, so ask the element itself.
  const visible = rows.filter(r => !r.closest('details:not([open])'));
  root.setAttribute('data-layout', JSON.stringify({
    page_width: root.scrollWidth, viewport_width: root.clientWidth, wide_tables: wide,
    headline_top: top(document.getElementById('audit-headline')),
    first_row_top: top(visible[0]),
    visible_severities: visible.map(r => r.querySelector('.sk-badge').textContent.trim()),
    all_severities: rows.map(r => r.querySelector('.sk-badge').textContent.trim()),
  }));
});
</script>"""


def _layout(chromium, report, tmp_path, name, width=1280, height=900):
    import html
    import json

    page = tmp_path / name
    page.write_text(report.to_html().replace("</body>", _LAYOUT_PROBE + "</body>"),
                    encoding="utf-8")
    dom, console = _run_chromium(chromium, page, tmp_path / f"profile-{name}", "--dump-dom",
                                 f"--window-size={width},{height}")
    assert not console, "\n".join(console)
    found = re.search(r'data-layout="([^"]*)"', dom)
    assert found, "the layout probe left no measurement"
    return json.loads(html.unescape(found.group(1)))


def _assert_fits_and_leads(layout, report, fold=900):
    assert layout["page_width"] <= layout["viewport_width"], layout
    assert not layout["wide_tables"], f"tables wider than their column: {layout['wide_tables']}"
    order = {"fail": 0, "warn": 1, "pass": 2, "info": 3}
    shown = layout["all_severities"]
    assert shown == sorted(shown, key=order.__getitem__), f"summary rows not by severity: {shown}"
    assert sorted(shown) == sorted(f.severity for f in report.findings)
    problems = [s for s in shown if s in ("fail", "warn")]
    # Only what needs attention is unfolded; the passes wait behind one line.
    assert layout["visible_severities"] == problems, layout
    if problems:
        assert layout["first_row_top"] is not None and layout["first_row_top"] < fold, layout


def test_qc_report_leads_with_problems_and_fits_1280(chromium, tmp_path):
    from skgenqc.datasets import data_path
    from skgenqc.io import read_sequences

    train = read_sequences([data_path("enhancers_train.csv.gz")])
    test = read_sequences([data_path("enhancers_test.csv.gz")])
    report = DatasetQC().run(train, X_test=test)
    assert {"warn", "pass"} <= {f.severity for f in report.findings}
    _assert_fits_and_leads(_layout(chromium, report, tmp_path, "qc-layout.html"), report)


def test_audit_headline_is_above_the_fold_at_1280(chromium, tmp_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from skgenqc.audit import LeakageAuditor

    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(12), 10)
    X = rng.normal(size=(12, 3))[groups] + 0.1 * rng.normal(size=(120, 3))
    y = rng.integers(0, 2, 12)[groups]
    audit = LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=5,
                           n_repeats=1, random_state=0).audit(X, y, groups)
    layout = _layout(chromium, audit, tmp_path, "audit-layout.html")
    assert layout["headline_top"] is not None and layout["headline_top"] < 300, layout
    _assert_fits_and_leads(layout, audit)
