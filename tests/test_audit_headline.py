"""The audit's headline: reported vs honest score, inflation, chance and the pitfall behind it."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from skgenqc.audit import LeakageAuditor
from skgenqc.model_selection import BalancedGroupKFold
from skgenqc.report import Report


def _grouped(seed, n_groups=40, per_group=10, signal=True):
    """Near-copies within groups; the label is a group property, so random CV memorises it."""
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(n_groups), per_group)
    centres = rng.normal(size=(n_groups, 6))
    X = centres[groups] + 0.05 * rng.normal(size=(len(groups), 6))
    y = rng.integers(0, 2, n_groups)[groups] if signal else rng.integers(0, 2, len(groups))
    return X, y, groups


@pytest.fixture(scope="module")
def leaky_audit():
    X, y, groups = _grouped(0)
    return LeakageAuditor(KNeighborsClassifier(1), cv=BalancedGroupKFold(5), n_permutations=19,
                          n_repeats=2, random_state=0).audit(X, y, groups=groups)


def test_headline_states_reported_honest_and_inflation_from_the_probes(leaky_audit):
    head = leaky_audit.headline
    gap = leaky_audit["dependence_gap"]
    assert head["reported"] == pytest.approx(gap.evidence["random_mean"])
    assert head["honest"] == pytest.approx(gap.evidence["blocked_mean"])
    assert head["inflation"] == pytest.approx(head["reported"] - head["honest"])
    # memorised group labels: random CV near perfect, group CV near chance
    assert head["reported"] > 0.9 and head["honest"] < 0.7
    low, high = head["inflation_ci95"]
    assert low <= head["inflation"] <= high
    assert head["pitfall"] == "dependent examples" and head["severity"] == "fail"
    assert head["sentences"][0].startswith("Random cross-validation scores")
    assert "not distinguishable from chance" in " ".join(head["sentences"])


def test_headline_survives_the_json_round_trip_and_leads_the_page(leaky_audit, tmp_path):
    path = tmp_path / "audit.json"
    leaky_audit.to_json(path)
    rebuilt = Report.from_json(path)
    page = rebuilt.to_html()
    for sentence in leaky_audit.headline["sentences"]:
        assert sentence in page
    assert page.index(leaky_audit.headline["sentences"][0]) < page.index("Pitfalls")


def test_clean_model_headline_says_it_beats_chance_and_names_no_pitfall_when_none_flags():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(300, 4))
    y = (X[:, 0] + 0.3 * rng.normal(size=300) > 0).astype(int)
    groups = np.arange(300) % 30
    report = LeakageAuditor(LogisticRegression(), cv=BalancedGroupKFold(5), n_permutations=19,
                            n_repeats=2, random_state=0).audit(X, y, groups=groups)
    head = report.headline
    assert head["honest"] > 0.9
    assert head["p_value"] <= 0.05
    assert any(s.startswith("It beats its label-permutation null") for s in head["sentences"])
    assert report.worst_severity == "pass"
    assert head["pitfall"] is None and head["sentences"][-1] == "No probe warns or fails."
    assert "includes 0: no inflation detected" in head["sentences"][0]


def test_model_at_chance_is_not_blamed_on_leaky_preprocessing():
    # Random labels, independent rows: the only flag is the permutation null (p > 0.05), and
    # the headline must not call that the leaky-preprocessing pitfall.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, 4))
    y = rng.integers(0, 2, 200)
    groups = np.arange(200) % 20
    report = LeakageAuditor(LogisticRegression(), cv=BalancedGroupKFold(5), n_permutations=19,
                            n_repeats=2, random_state=0).audit(X, y, groups=groups)
    head = report.headline
    assert head["p_value"] > 0.05 and report["permutation_null"].severity == "warn"
    last = head["sentences"][-1]
    assert head["check"] == "permutation_null"
    assert "does not beat chance" in last and "leaky preprocessing" not in last


def test_qc_reports_have_no_audit_headline():
    from skgenqc import DatasetQC

    page = DatasetQC(checks=["class_sizes"]).run(["ACGT", "GGCC"], [0, 1]).to_html()
    assert "audit-headline" not in page


def test_score_figure_compares_model_random_cv_and_confounders_in_words():
    from skgenqc.report.plots import draw

    rng = np.random.default_rng(4)
    gc = rng.uniform(0.3, 0.7, 300)
    y = (gc + 0.05 * rng.normal(size=300) > 0.5).astype(int)
    X = np.column_stack([gc + 0.01 * rng.normal(size=300), rng.normal(size=300)])
    import pandas as pd

    report = LeakageAuditor(LogisticRegression(), cv=BalancedGroupKFold(5), n_permutations=0,
                            n_repeats=1, random_state=0).audit(
        X, y, groups=np.arange(300) % 30, confounders=pd.DataFrame({"gc": gc}))
    request = report.figures["audit_scores"]
    assert list(request.args[0]) == ["your CV (leakage-aware)", "random CV", "confounders only"]
    fig = draw(request)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == list(request.args[0])


def test_frozen_model_audit_draws_score_by_similarity():
    from skgenqc.audit import audit_predictions
    from skgenqc.report.plots import draw

    rng = np.random.default_rng(0)
    train = ["".join(rng.choice(list("ACGT"), 60)) for _ in range(30)]
    test = train[:10] + ["".join(rng.choice(list("ACGT"), 60)) for _ in range(10)]
    y = np.array([0, 1] * 10)
    score = np.where(np.arange(20) < 10, y * 0.9 + 0.05, rng.uniform(size=20))
    report = audit_predictions(y, score, train_sequences=train, test_sequences=test)
    finding = report["score_by_similarity"]
    assert finding.figures == ["score_by_similarity"]
    fig = draw(report.figures["score_by_similarity"])
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == finding.table["stratum"].tolist() and ">=95%" in labels
    assert report.to_html().count("<img") >= 1
