"""The README's Quick start is what CI runs: the test command appears in .ci/run verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_lines():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S)
    return [line.strip() for line in block[1].splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command_verbatim():
    lines = _quick_start_lines()
    assert len(lines) == 2, lines
    install, test = lines
    assert install.startswith("pip install . ") and "skgenqc demo" in install
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in ci, f"{test!r} is not a line of .ci/run"
