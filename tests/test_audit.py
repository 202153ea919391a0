"""LeakageAuditor: reproductions of Whalen et al. 2022 notebooks, probes, bad input, Dask."""

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_selection import SelectKBest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from skgenqc.audit import LeakageAuditor
from skgenqc.audit.predictions import audit_predictions


@pytest.fixture(scope="module")
def notebook_c():
    """Notebook C: 500 x 10,000 pure noise, np.random.seed(0)."""
    np.random.seed(0)
    X = np.random.randn(500, 10000)
    y = np.random.randint(0, 2, 500)
    return X, y


def leaky_workflow(X, y, groups):
    """Selection on all rows, then 20-fold CV: the leak of notebook C."""
    selected = SelectKBest(k=200).fit_transform(X, y)
    return cross_val_score(LogisticRegression(), selected, y, cv=20).mean()


def test_notebook_c_inside_cv_with_our_selector(notebook_c):
    """Notebook C's honest number, with skgenqc's in-fold selector in the Pipeline."""
    from skgenqc.preprocessing import UnivariateTopK

    X, y = notebook_c
    inside = cross_val_score(make_pipeline(UnivariateTopK(k=200), LogisticRegression()), X, y,
                             cv=20).mean()
    assert inside == pytest.approx(0.556, abs=0.005)


def test_auditor_flags_leaky_workflow(notebook_c):
    X, y = notebook_c
    report = LeakageAuditor(leaky_workflow, cv=None, scoring="accuracy", n_permutations=4,
                            random_state=0).audit(X, y)
    finding = report["workflow_permutation_null"]
    assert finding.evidence["observed"] == pytest.approx(0.910, abs=0.005)  # notebook C's leak
    assert finding.severity == "fail"
    assert finding.evidence["null_mean"] > 0.8  # the null sits far above chance
    assert report.worst_severity == "fail"


def test_auditor_passes_clean_pipeline(notebook_c):
    X, y = notebook_c
    pipe = make_pipeline(SelectKBest(k=200), LogisticRegression())
    report = LeakageAuditor(pipe, cv=StratifiedKFold(10), scoring="accuracy", n_permutations=4,
                            n_repeats=1, random_state=0).audit(X, y)
    null = report["permutation_null"]
    assert null.value < 0.05  # the null sits at chance: no label leak
    # Pure noise: the honest model is at chance, which is a WARN, never a pass.
    assert null.severity == "warn" and null.evidence["not_better_than_chance"]
    assert report["dependence_gap"].severity == "pass"
    leak = report["pipeline_leak_prevented"]
    assert leak.value > 0.25  # what selecting on all rows would have added
    assert [f.check for f in report if f.severity in ("warn", "fail")] == ["permutation_null"]


def _dependent_data(n_groups=40, per_group=15, seed=0):
    """Groups share a random label and a random feature offset: pure dependence."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(n_groups), per_group)
    y = rng.integers(0, 2, n_groups)[groups]
    X = rng.normal(size=(n_groups, 5))[groups] + 0.1 * rng.normal(size=(len(groups), 5))
    return X, y, groups


def test_dependence_gap_flags_grouped_data():
    from sklearn.ensemble import RandomForestClassifier

    X, y, groups = _dependent_data()
    report = LeakageAuditor(RandomForestClassifier(n_estimators=30, random_state=0),
                            cv=GroupKFold(5), n_permutations=3, n_repeats=2,
                            random_state=0).audit(X, y, groups)
    gap = report["dependence_gap"]
    assert gap.severity == "fail"
    assert gap.evidence["random_mean"] > 0.9
    assert gap.evidence["blocked_mean"] < 0.7
    assert gap.evidence["gap_ci95"][0] > 0


def test_same_results_with_any_n_jobs():
    X, y, groups = _dependent_data(20, 10, seed=1)
    kwargs = dict(cv=GroupKFold(4), n_permutations=3, n_repeats=2, random_state=3)
    a = LeakageAuditor(LogisticRegression(), n_jobs=1, **kwargs).audit(X, y, groups)
    b = LeakageAuditor(LogisticRegression(), n_jobs=2, **kwargs).audit(X, y, groups)
    pd.testing.assert_frame_equal(a.scores.drop(columns=["fit_time", "score_time"]), b.scores.drop(columns=["fit_time", "score_time"]))


def test_runs_on_dask_cluster():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is a test extra")
    from joblib import parallel_config

    X, y, groups = _dependent_data(20, 10, seed=2)
    kwargs = dict(cv=GroupKFold(4), n_permutations=2, n_repeats=1, random_state=0)
    local = LeakageAuditor(LogisticRegression(), **kwargs).audit(X, y, groups)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        with parallel_config(backend="dask"):
            remote = LeakageAuditor(LogisticRegression(), n_jobs=-1, **kwargs).audit(X, y, groups)
    pd.testing.assert_frame_equal(local.scores.drop(columns=["fit_time", "score_time"]),
                                  remote.scores.drop(columns=["fit_time", "score_time"]))


def test_confounder_only_baseline_and_adversarial_groups():
    rng = np.random.default_rng(4)
    n = 400
    gc = rng.uniform(0.3, 0.7, n)
    y = (gc + 0.05 * rng.normal(size=n) > 0.5).astype(int)
    X = np.column_stack([gc + 0.01 * rng.normal(size=n), rng.normal(size=(n, 3))])
    batch = np.where(rng.random(n) < 0.5, "a", "b")
    X[batch == "b", 1] += 2.0
    report = LeakageAuditor(LogisticRegression(), cv=StratifiedKFold(5), n_permutations=2,
                            n_repeats=1, random_state=0).audit(
        X, y, batch, confounders=pd.DataFrame({"gc": gc}))
    assert report["confounder_only_baseline"].severity == "fail"
    assert report["adversarial_groups"].severity == "fail"


def test_shift_probe():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(300, 4))
    X_new = rng.normal(size=(200, 4))
    X_new[:, 2] += 1.0
    y = rng.integers(0, 2, 300)
    report = LeakageAuditor(LogisticRegression(), cv=StratifiedKFold(3), n_permutations=2,
                            n_repeats=1, random_state=0).audit(X, y, X_new=X_new)
    assert report["shift_classifier"].severity == "fail"
    assert report["shift_features"].table["feature"].iloc[0] == 2


def test_population_prevalence_warns_on_balanced_data():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(200, 3))
    y = np.array([0, 1] * 100)
    report = LeakageAuditor(LogisticRegression(), cv=StratifiedKFold(4), n_permutations=0,
                            n_repeats=1, scoring="average_precision", random_state=0).audit(
        X, y, population_prevalence=0.04)
    assert report["class_imbalance"].severity == "fail"


def test_failed_fit_is_reported_not_raised():
    class FailsOnSmall(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            if len(X) < 100:
                raise RuntimeError("too few rows")
            return super().fit(X, y)

    rng = np.random.default_rng(7)
    X, y = rng.normal(size=(120, 2)), rng.integers(0, 2, 120)
    report = LeakageAuditor(FailsOnSmall(), cv=KFold(2), n_permutations=1, n_repeats=1,
                            random_state=0).audit(X, y)
    failed = report["failed_fits"]
    assert failed.evidence["n_failed"] >= 1
    assert "too few rows" in failed.message


def test_bad_inputs():
    rng = np.random.default_rng(8)
    X, y = rng.normal(size=(60, 2)), rng.integers(0, 2, 60)
    from sklearn.base import BaseEstimator, ClassifierMixin

    class LabelsOnly(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            self.classes_ = np.unique(y)
            return self

        def predict(self, X):
            return np.full(len(X), self.classes_[0])

    with pytest.raises(TypeError, match="predict_proba or decision_function"):
        LeakageAuditor(LabelsOnly(), cv=KFold(3), scoring="roc_auc").audit(X, y)
    with pytest.raises(ValueError, match="groups has 10 entries but y has 60"):
        LeakageAuditor(LogisticRegression(), cv=GroupKFold(3)).audit(X, y, np.arange(10))
    # Bad parameters (InvalidParameterError): tests/test_audit_parameters.py.
    with pytest.raises(ValueError, match="could not split"):
        LeakageAuditor(LogisticRegression(), cv=GroupKFold(3)).audit(X, y)
    # One class in a test fold: reported per fold, the audit still completes.
    y_sorted = np.sort(y)
    report = LeakageAuditor(LinearSVC(), cv=KFold(2), n_permutations=0, n_repeats=1).audit(X, y_sorted)
    assert "one class" in report["failed_fits"].message

    def broken(X, y, groups):
        raise RuntimeError("workflow exploded")

    report = LeakageAuditor(broken, cv=None, n_permutations=2).audit(X, y)
    assert "workflow exploded" in report["failed_fits"].message


def test_audit_fixed_predictions_by_similarity_and_chromosome():
    from conftest import mutate, random_sequences

    rng = np.random.default_rng(9)
    train = random_sequences(rng, 300, 100)
    test = random_sequences(rng, 200, 100)
    y = rng.integers(0, 2, 200)
    score = rng.random(200)
    for i in range(100):  # copies of training: the model "remembers" them
        test[i] = mutate(rng, train[i], 0.97)
        score[i] = y[i] * 0.8 + 0.1
    chroms = np.where(np.arange(200) < 100, "chr1", "chr2")
    report = audit_predictions(y, score, train_sequences=train, test_sequences=test,
                               chromosomes=chroms, train_chromosomes=["chr1"])
    assert report["score_by_similarity"].severity == "fail"
    assert report["score_by_chromosome"].evidence["seen_chromosomes"] == 1.0
    with pytest.raises(ValueError, match="scoring="):
        audit_predictions(y, score, scoring="f1")


def test_notebook_a_auditor_flags_dependence_on_pairs():
    """Notebook A: random pair features; random CV inflates auPR, C3 does not, and it grows with edges."""
    import warnings

    from sklearn.ensemble import RandomForestClassifier
    from test_pair_splitters import _preferential_attachment_pairs

    from skgenqc.model_selection import PairKFold

    gaps = []
    for n_left in (60, 150):
        X, y, pairs = _preferential_attachment_pairs(seed=1, n_left=n_left)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # C3 drops pairs, and says so
            report = LeakageAuditor(
                RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1),
                cv=PairKFold(5, mode="C3", random_state=0), scoring="average_precision",
                n_permutations=2, n_repeats=1, random_state=0).audit(X, y, pairs, pairs=pairs)
        dependence = report["dependence_gap"]
        assert dependence.severity == "fail"
        assert dependence.evidence["random_mean"] >= y.mean() + 0.2
        assert abs(dependence.evidence["blocked_mean"] - y.mean()) <= 0.07
        # The label-permutation null sits at chance: it cannot see this leak; the C3 score
        # is at chance too, which the probe says (a WARN, not a pass).
        null = report["permutation_null"]
        assert abs(null.value) < 0.05 and null.severity == "warn"
        gaps.append(dependence.evidence["random_mean"])
    assert gaps[1] > gaps[0]  # random-CV auPR grows with the number of edges
