"""The floor plan holds: no module imports from a floor above its own.

Floors (ARCHITECTURE.md): 0 ``_core``; 1 ``io``, ``datasets``; 2 ``features``;
3 ``qc``, ``model_selection``, ``sampling``, ``preprocessing``; 4 ``audit``;
5 ``report``; 6 ``cli``. Every import statement counts, at module level or inside
a function, with one documented exception: the convenience methods of
:class:`~skgenqc.Report` (``to_html``, ``_repr_html_``) look up the
renderer in ``report/`` when called. Data never flows upward through them.
"""

import ast
from pathlib import Path

import pytest

import skgenqc

PACKAGE = Path(skgenqc.__file__).parent
FLOORS = {"_core": 0, "io": 1, "datasets": 1, "features": 2, "qc": 3, "model_selection": 3,
          "sampling": 3, "preprocessing": 3, "audit": 4, "report": 5, "cli": 6,
          "cli_words": 6}
# (module, imported module): the renderer lookups of Report's convenience methods.
ALLOWED_UPWARD = {("_core.findings", "report.html")}


def _floor(module):
    top = module.split(".")[0]
    return FLOORS.get(top)


def _imports(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level:
            yield None, node.lineno  # relative: same subpackage or below, checked below
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_upward_import(path):
    own = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    own_floor = _floor(own)
    assert own_floor is not None, f"{own} is on no floor: add it to FLOORS and ARCHITECTURE.md"
    for target, line in _imports(path):
        if target is None or not target.startswith("skgenqc."):
            continue
        imported = target[len("skgenqc."):]
        floor = _floor(imported)
        if floor is None:
            continue  # skgenqc's top-level package itself
        if (own, imported) in ALLOWED_UPWARD:
            continue
        assert floor <= own_floor, (f"{own} (floor {own_floor}) imports {imported} "
                                    f"(floor {floor}) at line {line}")


def test_bottom_floor_imports_nothing_else_from_skgenqc():
    for path in (PACKAGE / "_core").glob("*.py"):
        own = "_core." + path.stem
        for target, _ in _imports(path):
            if target and target.startswith("skgenqc."):
                imported = target[len("skgenqc."):]
                assert imported.startswith("_core") or (own, imported) in ALLOWED_UPWARD, \
                    f"{path.name} imports {target}"


def test_no_private_cross_imports():
    """A name another subpackage imports has no leading underscore (it lives in a _base.py or
    on a lower floor)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        own_pkg = path.relative_to(PACKAGE).parts[0]
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("skgenqc."):
                other_pkg = node.module.split(".")[1]
                if other_pkg == own_pkg:
                    continue
                for alias in node.names:
                    if alias.name.startswith("_"):
                        offenders.append(f"{path.relative_to(PACKAGE)} imports {alias.name} "
                                         f"from {node.module}")
    assert not offenders, offenders
