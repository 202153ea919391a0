"""Sphinx configuration for the skgenqc documentation.

Build with (warnings are errors, as in CI)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Two pages are written here at configuration time, so that they can never go
stale while the package changes under them:

- ``api.rst``: one autosummary section per subpackage, listing exactly the
  names in that subpackage's ``__all__`` (a subpackage that does not exist yet
  is simply left out);
- ``_generated/cli_*.txt``: the command line's ``--help`` texts.

Both are ignored by git (``docs/.gitignore``).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

# The gallery runs examples one after another; OpenMP pools (HistGradientBoosting) that spin on
# a busy 2-core machine can turn a 3 s example into 30 s. One thread each keeps the build steady.
# (Set before numpy/scikit-learn load their thread pools.)
os.environ.setdefault("OMP_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("agg")  # the gallery runs headless

import skgenqc  # noqa: E402  (installed, e.g. pip install -e ".[docs]")

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE / "sphinxext"))

# -- Project -----------------------------------------------------------------

project = "skgenqc"
author = "skgenqc developers"
copyright = "skgenqc developers, BSD-3-Clause"
version = release = skgenqc.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_generated", "_gallery_src", "gallery_header.rst",
                    "**.ipynb_checkpoints", "auto_examples/*.ipynb",
                    "auto_examples/*.py", "auto_examples/*.zip"]
root_doc = "index"
default_role = "code"  # `x` is inline code, never an unresolved reference

# -- API reference -----------------------------------------------------------

autosummary_generate = True
autosummary_imported_members = True
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc sections already state the types
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True


def _skip_member(app, what, name, obj, skip, options):
    """Leave out scikit-learn's generated metadata-routing setters (set_*_request).

    They are documented by scikit-learn, and their docstrings cite its glossary,
    which this site cannot resolve.
    """
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


EXAMPLE_TIME_LIMIT = float(os.environ.get("SKGENQC_DOCS_EXAMPLE_LIMIT", "30"))


def _check_example_times(app, exception):
    """Report gallery examples that ran longer than their budget; never fail the build.

    The machine that builds the docs is shared and its load varies, so a run time is a
    measurement, not a property of the docs: an example over budget is listed on stderr
    (and in ``example_times.txt`` beside the built site) for a person to look at, but a
    slow machine cannot turn ``-W`` into a failed build.
    """
    import re

    if exception is not None:
        return
    pattern = re.compile(
        r"Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)")
    rows, over = [], []
    for page in sorted((Path(app.srcdir) / "auto_examples").glob("*.rst")):
        match = pattern.search(page.read_text(encoding="utf-8"))
        if match:
            seconds = 60 * int(match[1]) + float(match[2])
            rows.append(f"{page.stem}.py\t{seconds:.1f}")
            if seconds > EXAMPLE_TIME_LIMIT:
                over.append(f"{page.stem}.py ran {seconds:.1f} s")
    Path(app.outdir).mkdir(parents=True, exist_ok=True)
    (Path(app.outdir) / "example_times.txt").write_text(
        "example\tseconds\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if over:
        print(f"[skgenqc docs] over the {EXAMPLE_TIME_LIMIT:.0f} s budget of an example "
              f"(reported, not an error): {'; '.join(over)}", file=sys.stderr)


# (module, title) in the order data flows through the package (ARCHITECTURE.md).
API_SECTIONS = [
    ("skgenqc.io", "Reading data"),
    ("skgenqc.datasets", "Bundled datasets"),
    ("skgenqc.features", "Sequence features and primitives"),
    ("skgenqc.qc", "Dataset QC"),
    ("skgenqc.model_selection", "Splitters and split diagnostics"),
    ("skgenqc.sampling", "In-fold samplers"),
    ("skgenqc.preprocessing", "In-fold preprocessing"),
    ("skgenqc.audit", "Leakage auditor"),
    ("skgenqc.report", "Findings and reports"),
]


def _top_level_links():
    """Links to the subpackage entries of the names skgenqc re-exports at the top level."""
    links = []
    for name in (n for n in skgenqc.__all__ if not n.startswith("_")):
        obj = getattr(skgenqc, name)
        for module_name, _ in API_SECTIONS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            if name in getattr(module, "__all__", []) and getattr(module, name) is obj:
                links.append(f":class:`skgenqc.{name} <{module_name}.{name}>`")
                break
        else:
            links.append(f"``skgenqc.{name}``")
    return links


def _api_page():
    """The text of api.rst: one autosummary per existing subpackage's ``__all__``."""
    lines = [
        ".. This file is generated by docs/conf.py from each subpackage's __all__; do not edit.",
        "",
        ".. _api:",
        "",
        "API reference",
        "=============",
        "",
        "Every public name, grouped by subpackage, in the order data flows through",
        "skgenqc: read, featurise, check, split, resample, audit, report. The top-level",
        "package re-exports " + ", ".join(_top_level_links()) + " for convenience.",
        "",
    ]
    missing = []
    for module_name, title in API_SECTIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            missing.append(module_name)
            continue
        names = [n for n in getattr(module, "__all__", []) if not n.startswith("_")]
        if not names:
            continue
        lines += [
            f"{title}: ``{module_name}``",
            "-" * (len(title) + len(module_name) + 6),
            "",
            f".. automodule:: {module_name}",
            "   :no-members:",
            "   :no-index:",
            "",
            f".. currentmodule:: {module_name}",
            "",
            ".. autosummary::",
            "   :toctree: generated/",
            "   :nosignatures:",
            "",
            # capitalised names (classes, constants) first, then functions
            *[f"   {n}" for n in sorted(names, key=lambda n: (not n[0].isupper(), n.lower()))],
            "",
        ]
    if missing:
        print(f"[skgenqc docs] API reference leaves out missing subpackages: {', '.join(missing)}",
              file=sys.stderr)
    return "\n".join(lines) + "\n"


def _cli_help():
    """``--help`` of the command line and of each command, as text files."""
    from click.testing import CliRunner

    from skgenqc.cli import main

    runner = CliRunner()
    out = {"main": runner.invoke(main, ["--help"], prog_name="skgenqc").output}
    for name in sorted(main.commands):
        out[name] = runner.invoke(main, [name, "--help"], prog_name="skgenqc").output
    return out


def _write_if_changed(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


_write_if_changed(HERE / "api.rst", _api_page())
for _name, _text in _cli_help().items():
    _write_if_changed(HERE / "_generated" / f"cli_{_name}.txt", _text)

# -- Gallery -----------------------------------------------------------------
#
# sphinx-gallery runs a staged copy of examples/ (docs/_gallery_src, ignored by git) so that
# examples written as plain scripts work unchanged: an example whose docstring does not start
# with an underlined reST title gets its first sentence as the title in the copy. The files in
# examples/ are never modified; the staged copy is what the gallery offers for download.

GALLERY_SRC = HERE / "_gallery_src"


def _has_rst_title(doc):
    lines = [line.rstrip() for line in doc.strip("\n").splitlines()]
    if len(lines) < 2 or not lines[0].strip():
        return False
    underline = lines[1].strip()
    if underline and len(set(underline)) == 1 and underline[0] in "=-~^*#+" \
            and len(underline) >= len(lines[0].strip()):
        return True
    # overlined title: ===, title, ===
    return len(lines) >= 3 and set(lines[0].strip()) <= set("=-~^*#+") \
        and lines[0].strip() == lines[2].strip()


def _with_title(source):
    """The source with an underlined reST title in its docstring (None if it cannot be done)."""
    import ast

    try:
        module = ast.parse(source)
    except SyntaxError:
        return None  # sphinx-gallery reports the error itself
    body = module.body
    if not body or not isinstance(body[0], ast.Expr) or not isinstance(
            getattr(body[0], "value", None), ast.Constant) or not isinstance(
            body[0].value.value, str):
        return None
    doc = body[0].value.value
    if _has_rst_title(doc):
        return source
    paragraphs = doc.strip().split("\n\n", 1)
    title = " ".join(paragraphs[0].split()).rstrip(".:")
    rest = paragraphs[1] if len(paragraphs) > 1 else ""
    new_doc = f"{title}\n{'=' * len(title)}\n\n{rest}".rstrip() + "\n"
    if '"""' in new_doc or new_doc.endswith("\\"):
        return None
    lines = source.splitlines(keepends=True)
    before = "".join(lines[: body[0].lineno - 1])
    after = "".join(lines[body[0].end_lineno:])
    return f'{before}r"""\n{new_doc}"""\n{after}'


def _stage_examples():
    GALLERY_SRC.mkdir(exist_ok=True)
    _write_if_changed(GALLERY_SRC / "GALLERY_HEADER.rst",
                      (HERE / "gallery_header.rst").read_text(encoding="utf-8"))
    sources = {p.name: p for p in sorted((REPO / "examples").glob("*.py"))}
    for stale in GALLERY_SRC.glob("*.py"):
        if stale.name not in sources:
            stale.unlink()
    for name, path in sources.items():
        source = path.read_text(encoding="utf-8")
        staged = _with_title(source)
        if staged is None:
            print(f"[skgenqc docs] {name}: could not add a gallery title; staged unchanged",
                  file=sys.stderr)
            staged = source
        _write_if_changed(GALLERY_SRC / name, staged)


_stage_examples()

sphinx_gallery_conf = {
    "examples_dirs": str(GALLERY_SRC),
    "gallery_dirs": "auto_examples",
    # Execute every example, not only plot_*.py: the gallery is a test that they run.
    "filename_pattern": r"\.py$",
    "ignore_pattern": r"(__init__|conftest|_helpers?)\.py$",
    "within_subsection_order": "gallery_order.ExampleOrder",
    "download_all_examples": False,
    "remove_config_comments": True,
    "doc_module": ("skgenqc",),
    "backreferences_dir": "gen_modules/backreferences",
    "image_scrapers": ("matplotlib",),
    "capture_repr": ("_repr_html_", "__repr__"),
    "min_reported_time": 1,
    "show_memory": False,
    "write_computation_times": False,  # its page loads jQuery from CDNs; times are in the log
    "show_signature": False,
    "plot_gallery": os.environ.get("SKGENQC_DOCS_PLOT_GALLERY", "True"),
}

# -- HTML --------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"skgenqc {release}"
html_static_path = ["_static"]
html_css_files = ["skgenqc.css"]
html_show_sourcelink = False
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    # Gallery pages need the width for code and printed tables more than an on-page index.
    "secondary_sidebar_items": {
        "index": [],
        "getting_started": ["page-toc"],
        "user_guide/*": ["page-toc"],
        "api": ["page-toc"],
        "generated/*": ["page-toc"],
        "auto_examples/*": [],
    },
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "getting_started": []}


def setup(app):
    app.connect("autodoc-skip-member", _skip_member)
    app.connect("build-finished", _check_example_times)
