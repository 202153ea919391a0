"""The registry of dataset checks: one protocol, one list that everything is generated from.

A check is a function ``check(ctx) -> list[Finding]`` taking a
:class:`~skgenqc.qc.QCContext` and registered with :func:`register_check`, which
records its name, the pitfall it tests, what it needs (sequences, labels, two
classes, a test set, intervals, two partner columns) and the finding names it produces. :class:`DatasetQC`
runs the registered checks in order, the command line's ``--checks`` takes its
choices from here and the documentation's check table is generated from
:func:`check_table`, so adding a check is one decorated function.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from skgenqc._core.findings import PITFALLS

# What a check can need; each is a question QCContext.satisfies answers.
NEEDS = {
    "sequences": "sequences (with coordinates only, fetched from a reference genome)",
    "labels": "a label per training sequence",
    "two_classes": "at least two training classes",
    "test": "a test set",
    "test_labels": "labels on the test set",
    "intervals": "chrom, start and end columns",
    "pairs": "two partner sequence columns (sequence_columns=[a, b], --sequence-column twice)",
}
# Per-split findings get the split as a suffix when a test set is given.
SCOPES = ("dataset", "per_split", "train_test")
_SPLIT_SUFFIXES = ("_train", "_test")

_REGISTRY: dict[str, "CheckSpec"] = {}


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: the function and what the registry knows about it.

    Attributes
    ----------
    name : str
        The ``checks=`` name.
    func : callable
        ``func(ctx) -> list[Finding]``.
    pitfall : str or tuple of str
        Pitfall(s) of Whalen et al. (2022) its findings bear on.
    needs : tuple of str
        Keys of ``NEEDS``; the check is skipped when one is missing.
    produces : tuple of str
        Finding names (``Finding.check``) it can return.
    summary : str
        What it measures, in one line (the docs' table).
    scope : {"dataset", "per_split", "train_test"}
        ``per_split`` findings are suffixed ``_train``/``_test`` when a test set is given.
    order : int
        Run (and report) order.
    """

    name: str
    func: object
    pitfall: tuple
    needs: tuple
    produces: tuple
    summary: str
    scope: str = "dataset"
    order: int = 100

    def __call__(self, ctx):
        return self.func(ctx)


def register_check(name, *, pitfall, needs=(), produces, summary, scope="dataset", order=100):
    """Register ``func(ctx) -> list[Finding]`` as a dataset check.

    Parameters
    ----------
    name : str
        The name users pass in ``checks=`` and ``--checks``.
    pitfall : str or sequence of str
        One of :data:`skgenqc.report.PITFALLS` (or several).
    needs : sequence of str, default=()
        Any of ``sequences``, ``labels``, ``two_classes``, ``test``, ``test_labels``,
        ``intervals``, ``pairs`` (two partner sequence columns, ``QCContext.pair_columns``).
    produces : sequence of str
        The finding names (``Finding.check``) the check returns; ``--checks``
        accepts them too.
    summary : str
        One line for the documentation's check table.
    scope : {"dataset", "per_split", "train_test"}, default="dataset"
    order : int, default=100
        Position in the run; ties keep registration order.

    Returns
    -------
    callable
        A decorator returning the function unchanged.

    Examples
    --------
    >>> from skgenqc import Finding
    >>> @register_check("demo_count", pitfall="data validity", produces=("demo_count",),
    ...                 summary="counts the sequences", order=999)
    ... def demo_count(ctx):
    ...     return [Finding("demo_count", "Sequences", "info", value=len(ctx.data))]
    >>> "demo_count" in check_names()
    True
    >>> unregister_check("demo_count")
    """
    pitfalls = (pitfall,) if isinstance(pitfall, str) else tuple(pitfall)
    for p in pitfalls:
        if p not in PITFALLS:
            raise ValueError(f"register_check({name!r}): pitfall={p!r} is not one of "
                             f"{', '.join(PITFALLS)}.")
    needs = tuple(needs)
    for n in needs:
        if n not in NEEDS:
            raise ValueError(f"register_check({name!r}): needs={n!r} is not one of "
                             f"{', '.join(NEEDS)}.")
    if scope not in SCOPES:
        raise ValueError(f"register_check({name!r}): scope={scope!r} is not one of "
                         f"{', '.join(SCOPES)}.")
    produces = (produces,) if isinstance(produces, str) else tuple(produces)
    if not produces:
        raise ValueError(f"register_check({name!r}): produces must name at least one finding.")

    def decorator(func):
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise ValueError(f"a check named {name!r} is already registered "
                             f"({_REGISTRY[name].func.__module__}); choose another name.")
        taken = {f: spec.name for spec in _REGISTRY.values() for f in spec.produces
                 if spec.name != name}
        for finding in produces:
            if finding in taken:
                raise ValueError(f"register_check({name!r}): finding {finding!r} is already "
                                 f"produced by check {taken[finding]!r}.")
        _REGISTRY[name] = CheckSpec(name, func, pitfalls, needs, produces, summary, scope,
                                    int(order))
        return func

    return decorator


def unregister_check(name):
    """Remove a registered check (for tests and interactive experiments)."""
    if name not in _REGISTRY:
        raise KeyError(f"no check named {name!r}; registered: {', '.join(check_names())}.")
    del _REGISTRY[name]


def registered_checks():
    """Every registered :class:`CheckSpec`, in run order.

    Examples
    --------
    >>> [spec.name for spec in registered_checks()][:3]
    ['alphabet', 'class_sizes', 'composition']
    """
    return sorted(_REGISTRY.values(), key=lambda spec: spec.order)


def check_names():
    """The names ``checks=`` accepts, in run order.

    Examples
    --------
    >>> "duplicates" in check_names(), "gc_content" in check_names()
    (True, False)
    """
    return [spec.name for spec in registered_checks()]


def finding_names():
    """Every finding name a registered check can produce (without split suffixes).

    Examples
    --------
    >>> "gc_content" in finding_names(), "train_test_exact" in finding_names()
    (True, True)
    """
    return [finding for spec in registered_checks() for finding in spec.produces]


def _producer(name):
    """The check producing finding ``name`` (as the report shows it), or None."""
    base = name.split("[", 1)[0]  # a sequence-column suffix: train_test_exact[gene]
    for spec in registered_checks():
        if base in spec.produces:
            return spec.name
        if spec.scope == "per_split":
            for suffix in _SPLIT_SUFFIXES:
                if base.endswith(suffix) and base[:-len(suffix)] in spec.produces:
                    return spec.name
    return None


def resolve_checks(names):
    """The check names to run for ``names``: check names or the finding names a report shows.

    Parameters
    ----------
    names : "all", str or iterable of str
        ``"all"``, a check name (``"duplicates"``) or a finding name
        (``"gc_content"``, ``"duplicates_within_class_train"``), or a list of them.

    Returns
    -------
    list of str
        Check names, in run order, each once.

    Raises
    ------
    ValueError
        For a name that is neither, listing the valid names.

    Examples
    --------
    >>> resolve_checks(["gc_content", "leakage", "length"])
    ['composition', 'leakage']
    >>> resolve_checks("nope")
    Traceback (most recent call last):
    ...
    ValueError: checks contains 'nope', which is neither a check nor a finding name; checks are ...
    """
    if isinstance(names, str):
        names = list(check_names()) if names == "all" else [names]
    wanted = set()
    for name in names:
        if not isinstance(name, str):
            raise ValueError(f"checks contains {name!r} ({type(name).__name__}); expected check "
                             f"names (str): {', '.join(check_names())}.")
        key = name.strip()
        if key == "all":
            wanted.update(check_names())
        elif key in _REGISTRY:
            wanted.add(key)
        elif _producer(key) is not None:
            wanted.add(_producer(key))
        else:
            raise ValueError(
                f"checks contains {name!r}, which is neither a check nor a finding name; checks "
                f"are {', '.join(check_names())}; findings are {', '.join(finding_names())}")
    return [name for name in check_names() if name in wanted]


def check_table():
    """One row per registered check: name, findings, pitfalls, needs, summary (for the docs).

    Returns
    -------
    pandas.DataFrame
        Columns ``check``, ``findings``, ``pitfall``, ``needs``, ``scope``, ``summary``.

    Examples
    --------
    >>> table = check_table()
    >>> table.set_index("check").loc["leakage", "needs"]
    'sequences, test'
    """
    rows = [{
        "check": spec.name,
        "findings": ", ".join(spec.produces),
        "pitfall": ", ".join(spec.pitfall),
        "needs": ", ".join(spec.needs),
        "scope": spec.scope,
        "summary": spec.summary,
    } for spec in registered_checks()]
    return pd.DataFrame(rows, columns=["check", "findings", "pitfall", "needs", "scope", "summary"])
