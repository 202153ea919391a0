"""The auditor on its headline use: raw sequences into a KmerVectorizer Pipeline.

Probes that fit their own models (adversarial groups, shift) go through the
user's featurizing steps, or say "not run" (info, never pass) with the reason.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from conftest import random_sequences
from skgenqc.audit import LeakageAuditor
from skgenqc.features import KmerVectorizer
from skgenqc.model_selection import ChromosomeKFold


def _sequences(seed=0, n=160, length=60):
    """Random sequences; positives carry a motif; the chromosome is random."""
    rng = np.random.default_rng(seed)
    seqs = random_sequences(rng, n, length)
    y = np.arange(n) % 2
    for i in np.flatnonzero(y):
        p = rng.integers(0, length - 8)
        seqs[i] = seqs[i][:p] + "TATAAAGG" + seqs[i][p + 8:]
    chroms = np.array([f"chr{c}" for c in rng.integers(1, 7, n)])
    return seqs, y, chroms


def _auditor(estimator, **kwargs):
    kwargs = {"cv": ChromosomeKFold(3), "n_permutations": 2, "n_repeats": 1, "random_state": 0,
              **kwargs}
    return LeakageAuditor(estimator, **kwargs)


@pytest.mark.parametrize("container", ["object_array", "list", "series"])
def test_headline_use_with_raw_sequences(container):
    seqs, y, chroms = _sequences()
    X = {"object_array": np.array(seqs, dtype=object), "list": seqs,
         "series": pd.Series(seqs, name="sequence")}[container]
    pipe = make_pipeline(KmerVectorizer(k=3), LogisticRegression(max_iter=1000))
    report = _auditor(pipe).audit(X, y, chroms)
    checks = {f.check: f for f in report}
    assert {"dependence_gap", "permutation_null", "adversarial_groups"} <= set(checks)
    adversarial = checks["adversarial_groups"]
    assert adversarial.severity in ("pass", "warn", "fail")  # it ran, through the Pipeline
    assert "KmerVectorizer" in adversarial.message
    # The motif is learnable: the blocked score is well above chance.
    assert checks["dependence_gap"].evidence["blocked_mean"] > 0.75


def test_text_column_dataframe_through_column_transformer_and_shift():
    seqs, y, chroms = _sequences(1)
    frame = pd.DataFrame({"sequence": seqs, "depth": np.random.default_rng(1).normal(size=len(y))})
    features = ColumnTransformer([("kmer", KmerVectorizer(k=2), ["sequence"]),
                                  ("num", "passthrough", ["depth"])])
    pipe = make_pipeline(features, LogisticRegression(max_iter=1000))
    new = pd.DataFrame({"sequence": random_sequences(np.random.default_rng(2), 80, 60, gc=0.7),
                        "depth": np.zeros(80)})
    report = _auditor(pipe).audit(frame, y, chroms, X_new=new)
    assert report["adversarial_groups"].severity != "info"
    # The new sequences are GC-rich: the shift probe sees it through the k-mer features.
    assert report["shift_classifier"].severity == "fail"
    assert report["shift_features"].severity == "fail"


class _TextModel(ClassifierMixin, BaseEstimator):
    """A classifier that featurizes text itself: no Pipeline steps to borrow."""

    def fit(self, X, y):
        self.vec_ = KmerVectorizer(k=2).fit(X)
        self.model_ = LogisticRegression(max_iter=1000).fit(self.vec_.transform(X), y)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(self.vec_.transform(X))

    def predict(self, X):
        return self.model_.predict(self.vec_.transform(X))


def test_text_without_featurizing_steps_is_not_run_with_reason():
    seqs, y, chroms = _sequences(3)
    X = np.array(seqs, dtype=object)
    report = _auditor(_TextModel()).audit(X, y, chroms, X_new=X[:40])
    for name in ("adversarial_groups", "shift_classifier", "shift_features"):
        finding = report[name]
        assert finding.severity == "info", name
        assert finding.message.startswith("Not run:") and "not numeric" in finding.message
        assert finding.evidence["not_run"] is True
    assert report["dependence_gap"].evidence["blocked_mean"] > 0.6  # the fits themselves ran
