"""Each severity of each audit finding, on small generated data (planted signal / null) and on
score tables whose right verdict is known. Nothing measured is never a pass.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skgenqc.audit import LeakageAuditor
from skgenqc.audit import _probes as probes
from skgenqc.audit._registry import AuditContext

# ------------------------------------------------------------------ score tables, known answers


def _ctx(schemes, y=None, scoring="roc_auc", **kwargs):
    """A context whose score table holds the given scores ({scheme: [[repeat scores]...]})."""
    rows = []
    for scheme, repeats in schemes.items():
        for r, scores in enumerate(repeats):
            for k, score in enumerate(scores):
                error = "RuntimeError: boom" if np.isnan(score) else None
                rows.append({"scheme": scheme, "repeat": r, "fold": k, "score": score,
                             "error": error, "test_prevalence": 0.5})
    y = np.arange(100) % 2 if y is None else y
    kwargs = {"n_permutations": max(len(schemes.get("permuted", [])),
                                    len(schemes.get("workflow_permuted", [[]])[0])),
              "rng": np.random.RandomState(0), **kwargs}
    return AuditContext(estimator=None, X=None, y=y, scoring=scoring,
                        table=pd.DataFrame(rows), **kwargs)


NAN5 = [np.nan] * 5


@pytest.mark.parametrize("blocked, random, expected", [
    ([0.70, 0.71, 0.69, 0.70, 0.70], [0.71, 0.70, 0.70, 0.69, 0.70], "pass"),
    ([0.70, 0.71, 0.69, 0.70, 0.70], [0.76, 0.75, 0.75, 0.76, 0.75], "warn"),
    ([0.60, 0.61, 0.59, 0.60, 0.60], [0.90, 0.91, 0.90, 0.89, 0.90], "fail"),
    (NAN5, [0.9] * 5, "fail"),          # every blocked fit failed: nothing measured
    ([0.7, np.nan, np.nan, np.nan, np.nan], [0.7] * 5, "info"),  # one fold: no interval
])
def test_dependence_gap_severities(blocked, random, expected):
    finding = probes.dependence(_ctx({"blocked": [blocked], "random": [random]}))
    assert finding.severity == expected
    if expected == "fail" and np.isnan(blocked).all():
        assert finding.message.startswith("Nothing measured") and "boom" in finding.message
    if expected == "info":
        assert finding.message.startswith("Not run")


def test_dependence_gap_above_warn_with_interval_including_zero_says_why_it_passed():
    finding = probes.dependence(_ctx({"blocked": [[0.5, 0.9, 0.6, 0.8, 0.7]],
                                      "random": [[0.6, 1.0, 0.7, 0.9, 0.8]]}))
    assert finding.value >= 0.03 and finding.evidence["gap_ci95"][0] <= 0
    assert finding.severity == "pass" and finding.evidence["passed_because"]
    assert "interval includes 0" in finding.message


def _perm(means, n_folds=5):
    return [[m] * n_folds for m in means]


@pytest.mark.parametrize("observed, null, expected", [
    (0.80, [0.50, 0.49, 0.51, 0.50, 0.52, 0.48], "pass"),   # signal, null at chance
    (0.51, [0.50, 0.49, 0.51, 0.50, 0.52, 0.48], "warn"),   # model at chance
    (0.95, [0.58, 0.57, 0.59, 0.58, 0.57, 0.56], "warn"),   # null above chance by 0.07
    (0.95, [0.70, 0.71, 0.69, 0.70, 0.72, 0.70], "fail"),   # null far above chance
    (np.nan, [0.50, 0.49, 0.51], "fail"),                   # nothing measured
])
def test_permutation_null_severities(observed, null, expected):
    ctx = _ctx({"blocked": [[observed] * 5], "permuted": _perm(null)})
    finding = probes.permutation_null(ctx)
    assert finding.severity == expected
    assert finding.evidence.get("not_better_than_chance", False) == (
        expected == "warn" and observed < 0.6)


def test_permutation_null_all_permuted_fits_failed_and_no_permutations():
    ctx = _ctx({"blocked": [[0.8] * 5], "permuted": [NAN5, NAN5]})
    assert probes.permutation_null(ctx).severity == "fail"
    ctx = _ctx({"blocked": [[0.8] * 5]}, n_permutations=0)
    assert probes.permutation_null(ctx).severity == "info"


def test_permutation_p_above_005_is_at_least_warn_with_many_permutations():
    rng = np.random.default_rng(0)
    null = list(0.5 + 0.02 * rng.normal(size=30))
    ctx = _ctx({"blocked": [[0.51] * 5], "permuted": _perm(null)})
    finding = probes.permutation_null(ctx)
    assert finding.evidence["p_method"] == "empirical" and finding.evidence["p_value"] > 0.05
    assert finding.severity == "warn"
    ctx = _ctx({"blocked": [[0.7] * 5], "permuted": _perm(null)})
    assert probes.permutation_null(ctx).severity == "pass"


def _workflow_ctx(observed, null):
    return _ctx({"workflow": [[observed]], "workflow_permuted": [[v] for v in null]},
                scoring="accuracy", workflow=True, n_permutations=len(null))


@pytest.mark.parametrize("observed, null, expected", [
    (0.90, [0.52, 0.51, 0.50, 0.49], "pass"),
    (0.90, [0.57, 0.56, 0.58, 0.57], "warn"),
    (0.90, [0.85, 0.84, 0.86, 0.83], "fail"),
    (0.53, [0.52, 0.51, 0.50, 0.53], "warn"),   # the workflow is at chance
    (np.nan, [0.5, 0.5], "fail"),
    (0.9, [np.nan, np.nan], "fail"),
])
def test_workflow_null_severities(observed, null, expected):
    assert probes.workflow_null(_workflow_ctx(observed, null)).severity == expected


@pytest.mark.parametrize("confounder, full, expected, share", [
    (0.52, 0.90, "pass", 0.05),
    (0.75, 0.90, "warn", 0.625),
    (0.85, 0.90, "fail", 0.875),
    (0.635, 0.491, "fail", 1.0),    # confounders beat a model at chance: bounded, not 137 %
    (0.50, 0.50, "pass", 0.0),      # both at chance
])
def test_confounder_share_severities_and_bounds(confounder, full, expected, share):
    ctx = _ctx({"blocked": [[full] * 5], "confounder_only": [[confounder] * 5]},
               confounders=pd.DataFrame({"gc": [0.5]}), gap_warn=0.03)
    finding = probes.confounder_baseline(ctx)
    assert finding.severity == expected
    assert 0.0 <= finding.value <= 1.0
    assert finding.value == pytest.approx(share, abs=1e-9)


def test_confounder_nothing_measured_fails():
    ctx = _ctx({"blocked": [[0.9] * 5], "confounder_only": [NAN5]},
               confounders=pd.DataFrame({"gc": [0.5]}))
    assert probes.confounder_baseline(ctx).severity == "fail"


def test_pipeline_leak_severities():
    ctx = _ctx({"blocked": [[0.6] * 5], "pipeline_fitted_on_all": [[0.9]]})
    assert probes.pipeline_leak(ctx).severity == "pass"
    ctx = _ctx({"blocked": [[0.6] * 5], "pipeline_fitted_on_all": [[np.nan]]})
    assert probes.pipeline_leak(ctx).severity == "info"
    ctx = _ctx({"blocked": [NAN5], "pipeline_fitted_on_all": [[0.9]]})
    assert probes.pipeline_leak(ctx).severity == "fail"


def test_failed_fits_severities():
    ctx = _ctx({"blocked": [[0.7, np.nan, 0.7, 0.7, 0.7]], "random": [[0.7] * 5]})
    assert probes.fit_failures(ctx).severity == "warn"
    ctx = _ctx({"blocked": [NAN5], "random": [[0.7] * 5]})
    finding = probes.fit_failures(ctx)
    assert finding.severity == "fail" and finding.evidence["schemes_all_failed"] == ["blocked"]
    assert probes.fit_failures(_ctx({"blocked": [[0.7] * 5]})) is None


# ------------------------------------------------------------- end to end, small generated data


def _auditor(estimator=None, cv=None, **kwargs):
    kwargs = {"n_permutations": 3, "n_repeats": 1, "random_state": 0, **kwargs}
    return LeakageAuditor(estimator or LogisticRegression(), cv=cv or StratifiedKFold(4),
                          **kwargs)


def _planted(n=160, seed=0, strength=2.0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 4))
    X[:, 0] += strength * y
    return X, y


def test_planted_signal_passes_the_null_and_noise_warns():
    X, y = _planted()
    report = _auditor().audit(X, y)
    assert report["permutation_null"].severity == "pass"
    assert report["dependence_gap"].severity == "pass"
    X0 = np.random.default_rng(1).normal(size=(160, 4))
    report = _auditor().audit(X0, y)
    assert report["permutation_null"].severity == "warn"
    assert report["permutation_null"].evidence["not_better_than_chance"]


def test_dependent_data_fails_the_dependence_gap():
    from sklearn.neighbors import KNeighborsClassifier

    rng = np.random.default_rng(2)
    groups = np.repeat(np.arange(20), 8)
    y = rng.integers(0, 2, 20)[groups]
    X = rng.normal(size=(20, 3))[groups] + 0.05 * rng.normal(size=(160, 3))
    report = _auditor(KNeighborsClassifier(1), GroupKFold(4), n_repeats=2).audit(X, y, groups)
    assert report["dependence_gap"].severity == "fail"


class _Raises(ClassifierMixin, BaseEstimator):
    def fit(self, X, y):
        raise RuntimeError("estimator exploded")

    def predict_proba(self, X):  # never reached
        raise AssertionError


def test_every_fit_failing_is_never_a_pass():
    X, y = _planted(80)
    report = _auditor(_Raises()).audit(X, y, confounders=pd.DataFrame({"gc": X[:, 1]}))
    for check in ("dependence_gap", "permutation_null", "confounder_only_baseline", "failed_fits"):
        assert report[check].severity == "fail", check
    assert "estimator exploded" in report["dependence_gap"].message
    assert report.worst_severity == "fail"


def test_confounder_baseline_end_to_end():
    rng = np.random.default_rng(3)
    n = 200
    gc = rng.uniform(0.3, 0.7, n)
    y = (gc + 0.05 * rng.normal(size=n) > 0.5).astype(int)
    X = np.column_stack([gc + 0.01 * rng.normal(size=n), rng.normal(size=(n, 2))])
    report = _auditor().audit(X, y, confounders=pd.DataFrame({"gc": gc}))
    assert report["confounder_only_baseline"].severity == "fail"
    noise = pd.DataFrame({"depth": rng.normal(size=n)})
    report = _auditor().audit(X, y, confounders=noise)
    assert report["confounder_only_baseline"].severity == "pass"


@pytest.mark.parametrize("offset, expected", [(0.0, "pass"), (0.6, "warn"), (2.0, "fail")])
def test_adversarial_groups_severities(offset, expected):
    rng = np.random.default_rng(4)
    n = 600
    groups = np.where(np.arange(n) % 2 == 0, "a", "b")
    X = rng.normal(size=(n, 3))
    X[groups == "b", 0] += offset
    y = rng.integers(0, 2, n)
    finding = probes.adversarial_groups(AuditContext(estimator=LogisticRegression(), X=X, y=y,
                                                     groups=groups, random_state=0))
    assert finding.severity == expected


def test_adversarial_groups_not_run_with_few_groups():
    finding = probes.adversarial_groups(AuditContext(estimator=None, X=np.zeros((10, 2)),
                                                     y=np.arange(10) % 2, groups=["a"] * 10))
    assert finding.severity == "info" and finding.message.startswith("Not run")


@pytest.mark.parametrize("offset, expected", [(0.0, "pass"), (0.3, "warn"), (1.5, "fail")])
def test_shift_severities(offset, expected):
    rng = np.random.default_rng(5)
    X, X_new = rng.normal(size=(400, 2)), rng.normal(size=(400, 2))
    X_new[:, 0] += offset
    ctx = AuditContext(estimator=LogisticRegression(), X=X, y=np.arange(400) % 2, X_new=X_new,
                       n_permutations=3, random_state=0)
    classifier, features = probes.shift(ctx)
    assert features.severity == expected
    assert classifier.severity in ({"pass"} if offset == 0 else {"warn", "fail"})
    if expected == "fail":
        assert classifier.severity == "fail"


def test_class_imbalance_severities():
    X, y = _planted(160)
    report = _auditor().audit(X, y)
    assert report["class_imbalance"].severity == "pass"
    with pytest.warns(UserWarning, match="hold a single class"):
        report = _auditor(cv=KFold(4)).audit(X[np.argsort(y, kind="stable")][40:],
                                             np.sort(y)[40:])  # folds of one class each
    assert report["class_imbalance"].severity == "fail"
    assert report["class_imbalance"].evidence["folds_missing_a_class"] == 3
    report = _auditor().audit(X, y, population_prevalence=0.05)
    assert report["class_imbalance"].severity == "fail"
    y3 = np.arange(160) % 3  # three classes: graded per class, stratified folds pass
    report = _auditor(make_pipeline(StandardScaler(), LogisticRegression())).audit(X, y3)
    assert report["class_imbalance"].severity == "pass"
    from sklearn.linear_model import Ridge

    report = _auditor(Ridge(), cv=KFold(4)).audit(X, np.linspace(0, 1, 160) ** 2)
    assert report["class_imbalance"].severity == "info"  # a continuous target


def test_pair_breakdown_on_c3_folds_is_not_run_with_reason():
    import warnings

    from skgenqc.model_selection import PairKFold

    rng = np.random.default_rng(6)
    pairs = np.column_stack([rng.integers(0, 30, 300), rng.integers(30, 60, 300)])
    X, y = rng.normal(size=(300, 3)), rng.integers(0, 2, 300)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # C3 drops pairs, and says so
        report = _auditor(cv=PairKFold(3, mode="C3", random_state=0), n_permutations=0).audit(
            X, y, pairs, pairs=pairs)
    finding = report["pair_classes_scores"]
    assert finding.severity == "info" and finding.message.startswith("Not run")
