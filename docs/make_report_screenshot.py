"""Regenerate the report screenshots in ``docs/_static`` with headless Chromium.

``--page qc`` (default) draws ``report.png``, the top of the ``skgenqc demo``
report; ``--page audit`` draws ``audit.png``, the top of the README's audit of
the bundled miRNA-gene pairs (k-mer Pipeline, leave-chromosomes-out CV, GC and
length as confounders).

Usage (needs Debian's ``chromium``, e.g. ``apt-get install -y chromium``)::

    python docs/make_report_screenshot.py [--page qc|audit] [--chromium /usr/bin/chromium]

The page is rendered headless with a fresh profile and no network, exactly as
``tests/test_browser.py`` renders reports.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "_static"
OUT = {"qc": STATIC / "report.png", "audit": STATIC / "audit.png"}
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--size", default="1280,900", help="window width,height in pixels")
    parser.add_argument("--page", choices=sorted(OUT), default="qc")
    parser.add_argument("--out", default=None, help="PNG to write (default: by --page)")
    args = parser.parse_args(argv)
    args.out = args.out or str(OUT[args.page])
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / f"{args.page}.html"
        if args.page == "qc":
            subprocess.run([sys.executable, "-m", "skgenqc.cli", "demo", "--out", str(page)],
                           check=True, stdout=subprocess.DEVNULL)
        else:
            _audit_page(page)
        subprocess.run([args.chromium, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                        f"--window-size={args.size}", f"--screenshot={args.out}", page.as_uri()],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
    print(f"wrote {args.out}")


def _audit_page(path):
    """The README's audit of the bundled miRNA-gene pairs, written as HTML."""
    # Run from a checkout as the qc page is (``python -m`` finds the package in the working
    # folder); a script's own folder (docs/) is what Python puts on the path instead.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from skgenqc.audit import LeakageAuditor
    from skgenqc.datasets import load_mirna_pairs
    from skgenqc.features import KmerVectorizer, composition_table
    from skgenqc.model_selection import ChromosomeKFold

    data = load_mirna_pairs()
    X, y, chromosomes = data["gene"], data["label"], data["chr"]
    pipeline = make_pipeline(KmerVectorizer(k=3, normalize="frequency"),
                             LogisticRegression(max_iter=1000))
    covariates = composition_table(X)
    report = LeakageAuditor(pipeline, cv=ChromosomeKFold(5), n_permutations=10,
                            random_state=0).audit(
        X, y, groups=chromosomes, confounders=covariates[["gc_content", "length"]])
    report.to_html(str(path))


if __name__ == "__main__":
    main()
