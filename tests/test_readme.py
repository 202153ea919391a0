"""The README's Quick start is what CI runs: the test command appears in .ci/run verbatim."""

import re
from pathlib import Path

import pytest

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


def _lower_bounds(requirements):
    bounds = {}
    for req in requirements:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9][0-9.]*)", req.strip())
        assert m, f"{req!r} should be 'name>=version' so its minimum can be tested"
        bounds[m[1].lower()] = m[2]
    return bounds


def test_ci_min_versions_are_the_declared_lower_bounds():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = _lower_bounds(project["dependencies"] + project["optional-dependencies"]["test"])
    pinned = {}
    for line in (ROOT / ".ci" / "min-versions.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pinned[name.lower()] = version
    assert sorted(pinned) == sorted(declared)
    for name, low in declared.items():
        # The pin is the lowest release of the declared series (1.2 -> 1.2.0, 0.8 -> 0.8.1.1).
        assert pinned[name].split(".")[: len(low.split("."))] == low.split("."), (name, low, pinned[name])


def _python_blocks():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks():
    # Guards the extraction below: a changed fence must not make the README test run nothing.
    assert len(_python_blocks()) >= 4


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_python_block_runs_on_bundled_data(index, tmp_path, monkeypatch):
    """Each block as written, alone (a fresh namespace) in an empty folder: no undefined names,
    no files the reader does not have; what a block writes lands in the folder."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    source = _python_blocks()[index]
    namespace = {"__name__": "__readme__"}
    exec(compile(source, f"README.md python block {index + 1}", "exec"), namespace)
    code = "\n".join(line.split("#", 1)[0] for line in source.splitlines())
    for name in re.findall(r"""to_html\(["']([^"']+)["']\)""", code):
        assert (tmp_path / name).read_text().lstrip().lower().startswith("<!doctype html")


@pytest.mark.parametrize("example", sorted(p.name for p in (ROOT / "examples").glob("*.py")))
def test_every_gallery_example_draws_a_figure(example):
    """sphinx-gallery gives an example that makes no matplotlib figure a placeholder thumbnail.

    Running the examples is the docs build's job (they take a minute together); this keeps
    each one drawing and showing its figure.
    """
    source = (ROOT / "examples" / example).read_text(encoding="utf-8")
    assert "import matplotlib.pyplot as plt" in source, example
    assert re.search(r"plt\.(subplots|figure)\(", source), example
    assert "plt.show()" in source, example
