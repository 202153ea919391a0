"""Regenerate ``docs/_static/report.png``: the top of the ``skgenqc demo`` report in Chromium.

Usage (needs Debian's ``chromium``, e.g. ``apt-get install -y chromium``)::

    python docs/make_report_screenshot.py [--chromium /usr/bin/chromium]

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

OUT = Path(__file__).resolve().parent / "_static" / "report.png"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    parser.add_argument("--size", default="1280,900", help="window width,height in pixels")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "demo.html"
        subprocess.run([sys.executable, "-m", "skgenqc.cli", "demo", "--out", str(page)],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([args.chromium, *FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                        f"--window-size={args.size}", f"--screenshot={args.out}", page.as_uri()],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
