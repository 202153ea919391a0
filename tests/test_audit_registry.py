"""The probe registry: probes declare the schemes they need; each scheme is fitted once."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from skgenqc._core.findings import Finding
from skgenqc.audit import LeakageAuditor, register_probe, registered_probes
from skgenqc.audit._registry import PROBES, unregister_probe


def _data(seed=0):
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(12), 10)
    return rng.normal(size=(120, 3)), rng.integers(0, 2, 120), groups


def test_registered_probe_runs_and_schemes_are_fitted_once():
    calls = []

    @register_probe("blocked_spread", pitfall="dependent examples", needs_schemes=["blocked"],
                    requires=["estimator", "groups"], summary="spread of the blocked fold scores")
    def blocked_spread(ctx):
        calls.append(ctx)
        spread = float(np.nanstd(ctx.scores("blocked")))
        return Finding("blocked_spread", "Spread of the blocked scores", "info",
                       pitfall="dependent examples", value=spread)

    try:
        X, y, groups = _data()
        report = LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=2,
                                n_repeats=1, random_state=0).audit(X, y, groups)
        assert len(calls) == 1
        assert report["blocked_spread"].value >= 0
        # "blocked" is needed by four probes and fitted once: one row per fold.
        assert (report.scores["scheme"] == "blocked").sum() == 4
    finally:
        unregister_probe("blocked_spread")
    assert "blocked_spread" not in PROBES


def test_only_needed_schemes_are_fitted():
    X, y, groups = _data(1)
    report = LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=2,
                            n_repeats=1, random_state=0).audit(X, y, groups)
    assert set(report.scores["scheme"]) == {"blocked", "random", "permuted"}
    assert (report.scores["scheme"] == "permuted").sum() == 2 * 4


def test_registry_rejects_bad_declarations():
    with pytest.raises(ValueError, match="unregistered schemes"):
        register_probe("x", pitfall=None, needs_schemes=["nope"], summary="")
    with pytest.raises(ValueError, match="pitfall="):
        register_probe("x", pitfall="leakage", summary="")
    with pytest.raises(ValueError, match="unknown inputs"):
        register_probe("x", pitfall=None, requires=["labels"], summary="")
    with pytest.raises(ValueError, match="already registered"):
        register_probe("dependence_gap", pitfall=None, summary="")(lambda ctx: None)


def test_registered_probes_table_lists_every_check():
    table = registered_probes()
    checks = {c for row in table["produces"] for c in row}
    assert {"dependence_gap", "permutation_null", "confounder_only_baseline", "shift_classifier",
            "failed_fits"} <= checks
    assert table.set_index("probe").loc["confounder_only_baseline", "needs_schemes"] == [
        "blocked", "confounder_only"]
