"""The audit probe registry: probes declare the CV schemes they need; the auditor fits each once.

A **scheme** is a set of fits whose scores a probe reads (``"blocked"``: the
user's CV; ``"random"``: shuffled folds; ``"permuted"``: the user's folds with
shuffled labels; ...).  A scheme builder turns the audit's context into fit
tasks; the auditor collects the schemes every applicable probe needs, builds
each one once, runs all their fits in one joblib call and hands the score table
to the probes.

A **probe** turns the score table (and the context) into findings.  It is a
function ``probe(ctx) -> Finding | list of Finding | None`` registered with
:func:`register_probe`, which records its pitfall, the schemes it needs, the
inputs it requires (``groups``, ``confounders``, ``X_new``...) and the checks it
produces.  ``LeakageAuditor.audit`` runs every registered probe whose inputs are
given, in registration order.

Examples
--------
>>> from skgenqc.audit import register_probe, registered_probes
>>> "dependence_gap" in registered_probes()["produces"].sum()
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from skgenqc._core.findings import PITFALLS


@dataclass
class AuditContext:
    """What a probe sees: the inputs, the folds, the settings and (after fitting) the scores.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per fit: ``scheme``, ``repeat``, ``fold``, ``score``, ``error``...
    predictions : dict of str to list
        Per kept scheme, the test-fold predictions of each fold (None where it failed).
    """

    estimator: object
    X: object
    y: np.ndarray
    groups: object = None
    confounders: object = None
    X_new: object = None
    pairs: object = None
    sequences: object = None
    population_prevalence: float | None = None
    identity_threshold: float = 0.9
    folds: list = field(default_factory=list)
    scorer: object = None
    scoring: object = None
    rng: object = None
    n_permutations: int = 0
    n_repeats: int = 1
    gap_warn: float = 0.03
    gap_fail: float = 0.1
    random_state: object = None
    baseline: object = None  # callable (y, seed) -> cross-validator
    workflow: bool = False
    table: pd.DataFrame | None = None
    predictions: dict = field(default_factory=dict)

    def scores(self, scheme):
        """Scores of every fit of ``scheme`` (NaN where a fit failed)."""
        if self.table is None or not len(self.table):
            return np.zeros(0)
        return self.table.loc[self.table["scheme"] == scheme, "score"].to_numpy(dtype=float)

    def errors(self, scheme):
        """Error messages of the failed fits of ``scheme``."""
        rows = self.table.loc[(self.table["scheme"] == scheme) & self.table["error"].notna()]
        return rows["error"].astype(str).tolist()


# What a probe can require of the inputs, by name.
REQUIREMENTS = {
    "estimator": lambda ctx: not ctx.workflow,
    "workflow": lambda ctx: ctx.workflow,
    "pipeline": lambda ctx: (not ctx.workflow and hasattr(ctx.estimator, "steps")
                             and len(ctx.estimator.steps) >= 2),
    "groups": lambda ctx: ctx.groups is not None and np.ndim(ctx.groups) == 1,
    "confounders": lambda ctx: ctx.confounders is not None,
    "X_new": lambda ctx: ctx.X_new is not None,
    "pairs": lambda ctx: ctx.pairs is not None,
    "sequences": lambda ctx: ctx.sequences is not None,
}


@dataclass(frozen=True)
class Scheme:
    """A named set of fits: ``build(ctx)`` returns ``[(task, (repeat, fold)), ...]``.

    A task is ``(function, args, kwargs)``; the function returns a dict with at
    least ``score`` and ``error``.
    """

    name: str
    build: object
    summary: str = ""
    keep_predictions: bool = False


@dataclass(frozen=True)
class Probe:
    """A registered probe (see :func:`register_probe`)."""

    name: str
    func: object
    pitfall: str | None
    needs_schemes: tuple
    produces: tuple
    requires: tuple
    summary: str

    def applies(self, ctx):
        """Whether every input the probe requires is given."""
        return all(REQUIREMENTS[r](ctx) for r in self.requires)


SCHEMES: dict = {}
PROBES: dict = {}


def register_scheme(name, *, summary="", keep_predictions=False):
    """Register a scheme builder ``build(ctx) -> [(task, (repeat, fold)), ...]`` (a decorator).

    Schemes are built in registration order (which fixes how the random
    generator is drawn, so results are repeatable).
    """
    def decorator(build):
        if name in SCHEMES:
            raise ValueError(f"a scheme named {name!r} is already registered.")
        SCHEMES[name] = Scheme(name, build, summary, keep_predictions)
        return build

    return decorator


def register_probe(name, *, pitfall, needs_schemes=(), produces=None, requires=(), summary):
    """Register an audit probe (a decorator).

    Parameters
    ----------
    name : str
        The probe's name (unique).
    pitfall : str or None
        The pitfall of Whalen et al. (2022) it tests (one of ``PITFALLS``).
    needs_schemes : sequence of str
        Registered schemes whose scores it reads; the auditor fits each
        needed scheme once, whatever the number of probes reading it.
    produces : sequence of str, optional
        The ``check`` names of its findings (default: ``[name]``).
    requires : sequence of str
        Inputs it needs (keys of ``REQUIREMENTS``: ``"estimator"``,
        ``"workflow"``, ``"pipeline"``, ``"groups"``, ``"confounders"``,
        ``"X_new"``, ``"pairs"``, ``"sequences"``); it runs only when all are given.
    summary : str
        One line: what is compared.

    Returns
    -------
    callable
        The decorator; it returns the function unchanged.
    """
    if pitfall is not None and pitfall not in PITFALLS:
        raise ValueError(f"pitfall={pitfall!r} is not one of {', '.join(PITFALLS)}.")
    unknown = [s for s in needs_schemes if s not in SCHEMES]
    if unknown:
        raise ValueError(f"needs_schemes names unregistered schemes {unknown}; registered: "
                         f"{sorted(SCHEMES)}.")
    bad = [r for r in requires if r not in REQUIREMENTS]
    if bad:
        raise ValueError(f"requires names unknown inputs {bad}; known: {sorted(REQUIREMENTS)}.")

    def decorator(func):
        if name in PROBES:
            raise ValueError(f"a probe named {name!r} is already registered.")
        PROBES[name] = Probe(name, func, pitfall, tuple(needs_schemes),
                             tuple(produces or (name,)), tuple(requires), summary)
        return func

    return decorator


def unregister_probe(name):
    """Remove a probe (for tests and experiments); returns it."""
    return PROBES.pop(name)


def registered_probes():
    """One row per registered probe: name, pitfall, schemes, requirements, checks, summary.

    Returns
    -------
    pandas.DataFrame
    """
    return pd.DataFrame([{"probe": p.name, "pitfall": p.pitfall,
                          "needs_schemes": list(p.needs_schemes), "requires": list(p.requires),
                          "produces": list(p.produces), "summary": p.summary}
                         for p in PROBES.values()],
                        columns=["probe", "pitfall", "needs_schemes", "requires", "produces",
                                 "summary"])
