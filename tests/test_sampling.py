"""Samplers: known answers, in-fold use in an imblearn Pipeline, API checks, bad inputs.

imbalanced-learn's ``parametrize_with_checks`` runs on both samplers.  What
cannot pass, and why (marked xfail through ``expected_failed_checks``):

CovariateMatchedUnderSampler(covariates=[0, 1]) (column covariates):

- ``check_samplers_fit_resample``: the check's data (``make_classification``)
  has class-dependent columns 0 and 1, so some covariate cells of the minority
  class hold no majority examples; by design those are not filled with
  unmatched examples, the classes end smaller than the minority (with a
  warning), not exactly equal.
- ``check_samplers_string`` / ``check_samplers_nan``: X is a single column of
  strings or of numbers with NaN; covariate column 1 does not exist and a
  covariate must be numeric and complete.  (Strings and NaN in *non-covariate*
  columns pass through; see the callable-covariate instance.)

A second instance matches on a covariate computed by a callable
(row position modulo 4, independent of X's content): every check passes.

GroupBalancedUnderSampler: the checks call ``fit_resample(X, y)`` with
continuous features only and no groups, and this sampler refuses to run
without groups (balancing globally by accident is the bug it exists to avoid).
The checks therefore run on a test subclass that passes one group for all rows
(then group balance is global balance); with it every check passes except

- ``check_samplers_sampling_strategy_fit_resample``: it sets
  ``sampling_strategy``, which is deliberately not a parameter (the target
  counts are defined per group).

scikit-learn's own ``parametrize_with_checks`` is not run on the samplers (they
have no ``fit``/``transform`` contract); see tests/test_preprocessing.py for
the transformers.
"""

import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
import sklearn
from imblearn.pipeline import Pipeline
from imblearn.under_sampling import RandomUnderSampler
from imblearn.utils.estimator_checks import parametrize_with_checks
from scipy import sparse
from scipy.stats import ks_2samp
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_score, cross_validate

from skgenqc.features import composition_table
from skgenqc.sampling import (
    CovariateMatchedUnderSampler,
    GroupBalancedUnderSampler,
    covariate_matrix,
    match_covariates,
)


def _sequences(rng, gc, lengths):
    """One random sequence per GC probability in ``gc`` and length in ``lengths``."""
    gc = np.asarray(gc, dtype=float)[:, None]
    width = int(np.max(lengths))
    u = rng.random((len(gc), width))
    codes = np.where(u < gc / 2, 2, np.where(u < gc, 1, np.where(u < (1 + gc) / 2, 0, 3)))
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)[codes]
    return np.array([row[:n].tobytes().decode() for row, n in zip(letters, lengths)],
                    dtype=object)


def _gc_planted(seed=0, n_pos=400, n_neg=4000, vary_length=False):
    """Positives GC-rich, negatives drawn from a wide GC background."""
    rng = np.random.default_rng(seed)
    gc = np.r_[rng.normal(0.62, 0.03, n_pos), rng.uniform(0.3, 0.7, n_neg)]
    lengths = rng.integers(80, 121, n_pos + n_neg) if vary_length else np.full(n_pos + n_neg, 100)
    y = np.r_[np.ones(n_pos, int), np.zeros(n_neg, int)]
    return _sequences(rng, gc, lengths), y


def _gc(seqs):
    return composition_table(list(seqs), dinucleotides=False)["gc_content"].to_numpy()


def _row_position(X):
    """A covariate independent of X's content (for the API checks)."""
    n = X.shape[0] if hasattr(X, "shape") else len(X)
    return np.arange(n) % 4


class _OneGroupSampler(GroupBalancedUnderSampler):
    """All rows in one group: lets the generic sampler checks call fit_resample(X, y)."""

    def fit_resample(self, X, y):
        n = X.shape[0] if hasattr(X, "shape") else len(X)
        return super().fit_resample(X, y, groups=np.zeros(n, dtype=int))


_EXPECTED_FAILURES = {
    "check_samplers_fit_resample": "class-dependent covariates leave cells without "
                                   "majority examples; those are not filled (by design)",
    "check_samplers_string": "covariate column 1 does not exist; covariates must be numeric",
    "check_samplers_nan": "covariate column 1 does not exist; covariates must be complete",
    "check_samplers_sampling_strategy_fit_resample": "sampling_strategy is not a parameter",
}


def _expected_failures(estimator):
    if isinstance(estimator, CovariateMatchedUnderSampler) and not callable(estimator.covariates):
        return {k: v for k, v in _EXPECTED_FAILURES.items()
                if k != "check_samplers_sampling_strategy_fit_resample"}
    if isinstance(estimator, GroupBalancedUnderSampler):
        return {"check_samplers_sampling_strategy_fit_resample":
                _EXPECTED_FAILURES["check_samplers_sampling_strategy_fit_resample"]}
    return {}


@parametrize_with_checks(
    [CovariateMatchedUnderSampler([0, 1], n_bins=2, random_state=0),
     CovariateMatchedUnderSampler(_row_position, random_state=0),
     _OneGroupSampler(random_state=0)],
    expected_failed_checks=_expected_failures)
def test_imblearn_sampler_checks(estimator, check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        check(estimator)


# --- covariate matching: known answers ----------------------------------------------------------

def test_matching_removes_planted_gc_difference():
    X, y = _gc_planted()
    gc = _gc(X)
    before = ks_2samp(gc[y == 1], gc[y == 0]).statistic
    sampler = CovariateMatchedUnderSampler(["gc_content"], n_bins=25, random_state=0)
    X_res, y_res = sampler.fit_resample(X, y)
    gc_res = _gc(X_res)
    after = ks_2samp(gc_res[y_res == 1], gc_res[y_res == 0]).statistic
    assert before > 0.5
    assert after < 0.05
    assert Counter(y_res.tolist()) == {0: 400, 1: 400}
    assert sampler.n_short_ == {0: 0}
    # plain under-sampling keeps the shortcut
    X_rus, y_rus = RandomUnderSampler(random_state=0).fit_resample(X.reshape(-1, 1), y)
    gc_rus = _gc(X_rus.ravel())
    assert ks_2samp(gc_rus[y_rus == 1], gc_rus[y_rus == 0]).statistic > 0.5


def test_default_covariates_are_gc_and_length_and_skip_a_constant_length():
    X, y = _gc_planted(vary_length=True, n_neg=6000)
    sampler = CovariateMatchedUnderSampler(n_bins=5, random_state=0).fit(X, y)
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.covariate_names_ == ["gc_content", "length"]
    assert set(sampler.bin_edges_) == {"gc_content", "length"}
    lengths = np.array([len(s) for s in X_res])
    assert ks_2samp(lengths[y_res == 1], lengths[y_res == 0]).statistic < 0.1
    X_fixed, y_fixed = _gc_planted()
    fixed = CovariateMatchedUnderSampler(random_state=0)
    fixed.fit_resample(X_fixed, y_fixed)
    assert fixed.covariate_names_ == ["gc_content"]


def test_sample_indices_and_matched_examples_come_from_the_input():
    X, y = _gc_planted(n_neg=2000)
    sampler = CovariateMatchedUnderSampler(random_state=1, n_bins=5)
    X_res, y_res = sampler.fit_resample(X, y)
    idx = sampler.sample_indices_
    assert np.all(np.diff(idx) > 0)
    assert np.array_equal(X[idx], X_res) and np.array_equal(y[idx], y_res)
    assert np.all(y_res[y_res == 1] == 1) and (y_res == 1).sum() == 400


def test_match_covariates_function_agrees_with_the_sampler():
    rng = np.random.default_rng(3)
    cov = np.c_[rng.normal(size=3000), rng.uniform(size=3000)]
    y = (rng.random(3000) < 0.1).astype(int)
    cov[y == 1, 0] += 1.0
    kept = match_covariates(cov, y, n_bins=4, random_state=7)
    sampler = CovariateMatchedUnderSampler([0, 1], n_bins=4, random_state=7)
    sampler.fit_resample(cov, y)
    assert np.array_equal(kept, sampler.sample_indices_)
    before = cov[y == 1, 0].mean() - cov[y == 0, 0].mean()
    after = cov[y == 1, 0].mean() - cov[kept][y[kept] == 0, 0].mean()
    assert abs(after) < 0.15 * before  # coarse bins: most, not all, of the shift is gone


def test_ratio_and_multiclass():
    rng = np.random.default_rng(4)
    y = np.repeat([0, 1, 2], [300, 2000, 5000])
    cov = rng.normal(size=len(y)) + 0.3 * y
    kept = match_covariates(cov, y, ratio=3, n_bins=5, random_state=0)
    assert Counter(y[kept].tolist()) == {0: 300, 1: 900, 2: 900}
    X = cov.reshape(-1, 1)
    sampler = CovariateMatchedUnderSampler([0], n_bins=5, random_state=0)
    _, y_res = sampler.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 300, 1: 300, 2: 300}
    assert sampler.reference_class_ == 0
    dict_strategy = CovariateMatchedUnderSampler([0], sampling_strategy={2: 600}, n_bins=5,
                                                 random_state=0)
    _, y_res = dict_strategy.fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 300, 1: 2000, 2: 600}


def test_shortfall_is_reported_and_replacement_fills_it():
    rng = np.random.default_rng(5)
    cov = np.r_[rng.uniform(0, 1, 200), rng.uniform(0, 0.5, 2000)]  # no negatives above 0.5
    y = np.r_[np.ones(200, int), np.zeros(2000, int)]
    sampler = CovariateMatchedUnderSampler([0], n_bins=10, random_state=0)
    with pytest.warns(UserWarning, match="fell short"):
        _, y_res = sampler.fit_resample(cov.reshape(-1, 1), y)
    assert sampler.n_short_[0] == 200 - (y_res == 0).sum() > 50
    # trimming keeps the classes matched: minority examples without matches go too
    trim = CovariateMatchedUnderSampler([0], n_bins=10, shortfall="trim", random_state=0)
    with pytest.warns(UserWarning, match="trimmed"):
        X_trim, y_trim = trim.fit_resample(cov.reshape(-1, 1), y)
    assert (y_trim == 0).sum() == (y_trim == 1).sum() < 130
    assert ks_2samp(X_trim[y_trim == 1, 0], X_trim[y_trim == 0, 0]).statistic < 0.15
    assert trim.n_short_[1] == 200 - (y_trim == 1).sum()
    # a thin cell (one negative) is filled with repeats; empty cells stay short
    cov2 = np.r_[rng.uniform(0, 1, 200), rng.uniform(0, 1, 20)]
    y2 = np.r_[np.zeros(200, int), np.ones(20, int)]
    with pytest.warns(UserWarning, match="fell short"):
        match_covariates(cov2, y2, ratio=5, n_bins=10, random_state=0)
    kept = match_covariates(cov2, y2, ratio=5, n_bins=2, random_state=0, replacement=True)
    assert (y2[kept] == 0).sum() == 100


def test_examples_outside_the_minority_range_are_never_kept():
    cov = np.r_[np.linspace(0.4, 0.6, 50), np.linspace(0, 1, 1000)]
    y = np.r_[np.ones(50, int), np.zeros(1000, int)]
    kept = match_covariates(cov, y, n_bins=5, random_state=0)
    assert cov[kept].min() >= 0.4 and cov[kept].max() <= 0.6


def test_deterministic_clonable_and_seed_sensitive():
    X, y = _gc_planted(n_neg=1500)
    a = CovariateMatchedUnderSampler(n_bins=4, random_state=11)
    a.fit_resample(X, y)
    b = clone(a)
    b.fit_resample(X, y)
    assert np.array_equal(a.sample_indices_, b.sample_indices_)
    c = clone(a).set_params(random_state=12)
    c.fit_resample(X, y)
    assert not np.array_equal(a.sample_indices_, c.sample_indices_)
    assert clone(a).get_params() == a.get_params()


def test_input_types_dataframe_sequence_column_callable_sparse():
    X, y = _gc_planted(n_neg=1500)
    df = pd.DataFrame({"sequence": X, "gc": _gc(X), "other": np.arange(len(X))})
    y_s = pd.Series(y, name="label")
    out_df, out_y = CovariateMatchedUnderSampler(random_state=0, n_bins=4).fit_resample(df, y_s)
    assert isinstance(out_df, pd.DataFrame) and list(out_df.columns) == list(df.columns)
    assert isinstance(out_y, pd.Series) and out_y.name == "label"
    by_name = CovariateMatchedUnderSampler(["gc"], random_state=0, n_bins=4)
    by_name.fit_resample(df, y)
    by_call = CovariateMatchedUnderSampler(lambda d: d[["gc"]], random_state=0, n_bins=4)
    by_call.fit_resample(df, y)
    assert np.array_equal(by_name.sample_indices_, by_call.sample_indices_)
    assert by_call.covariate_names_ == ["gc"]
    composition_name = CovariateMatchedUnderSampler(["gc_content"], random_state=0, n_bins=4)
    composition_name.fit_resample(df.drop(columns="gc"), y)
    assert np.array_equal(by_name.sample_indices_, composition_name.sample_indices_)
    Xs = sparse.csr_matrix(df[["gc", "other"]].to_numpy())
    out, _ = CovariateMatchedUnderSampler([0], random_state=0, n_bins=4).fit_resample(Xs, y)
    assert sparse.issparse(out) and out.shape[0] == 800
    out_list, _ = CovariateMatchedUnderSampler(random_state=0, n_bins=4).fit_resample(
        X.tolist(), y)
    assert isinstance(out_list, list) and isinstance(out_list[0], str)


def test_covariate_matrix_helper():
    values, names = covariate_matrix(pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0]}), ["b", 0])
    assert names == ["b", "a"] and values.tolist() == [[3.0, 1.0], [4.0, 2.0]]


def test_million_examples_match_quickly():
    import time

    rng = np.random.default_rng(0)
    n = 1_000_000
    y = (rng.random(n) < 0.05).astype(np.int8)
    cov = np.c_[rng.normal(0.3 * y, 1), rng.normal(0, 1, n)]
    start = time.perf_counter()
    kept = match_covariates(cov, y, n_bins=10, random_state=0)
    assert time.perf_counter() - start < 5
    assert (y[kept] == 0).sum() == (y == 1).sum()


# --- in-fold use ------------------------------------------------------------------------------

def _prevalence_scorers():
    return {
        "train_prior": lambda est, X, y: float(est[-1].class_prior_[1]),
        "test_prevalence": lambda est, X, y: float(np.mean(y)),
        "n_predicted": lambda est, X, y: float(len(est.predict(X)) == len(y)),
    }


def test_matched_sampler_acts_only_on_training_folds():
    X, y = _gc_planted(n_neg=3000)
    df = pd.DataFrame({"gc": _gc(X), "noise": np.random.default_rng(0).normal(size=len(y))})
    pipe = Pipeline([("match", CovariateMatchedUnderSampler(["gc"], n_bins=5, random_state=0)),
                     ("clf", DummyClassifier(strategy="prior"))])
    res = cross_validate(pipe, df, y, cv=StratifiedKFold(5, shuffle=True, random_state=0),
                         scoring=_prevalence_scorers())
    assert np.allclose(res["test_train_prior"], 0.5, atol=0.02)
    assert np.allclose(res["test_test_prevalence"], 400 / 3400, atol=0.01)
    assert np.all(res["test_n_predicted"] == 1)
    scores = cross_val_score(
        Pipeline([("match", CovariateMatchedUnderSampler(["gc"], n_bins=5, random_state=0)),
                  ("clf", LogisticRegression())]), df, y, cv=3)
    assert scores.shape == (3,)


# --- group balancing ----------------------------------------------------------------------------

def _chromosome_data(seed=0):
    rng = np.random.default_rng(seed)
    chrom = np.repeat(["chr1", "chr2", "chr3", "chrX"], [1000, 600, 400, 200])
    p = np.select([chrom == "chr1", chrom == "chr2", chrom == "chr3"], [0.05, 0.2, 0.5], 0.0)
    y = (rng.random(len(chrom)) < p).astype(int)
    X = rng.normal(size=(len(chrom), 3))
    return X, y, chrom


def test_group_sampler_keeps_every_group_and_balances_each():
    X, y, chrom = _chromosome_data()
    sampler = GroupBalancedUnderSampler(random_state=0)
    with pytest.warns(UserWarning, match=r"\['chrX'\] lack class"):
        X_res, y_res = sampler.fit_resample(X, y, groups=chrom)
    kept_chrom = chrom[sampler.sample_indices_]
    assert set(kept_chrom) == set(chrom)
    for c in ["chr1", "chr2", "chr3"]:
        counts = np.bincount(y_res[kept_chrom == c], minlength=2)
        assert counts[0] == counts[1] == min(np.bincount(y[chrom == c]))
    assert (kept_chrom == "chrX").sum() == 1
    assert sampler.unbalanced_groups_ == ["chrX"]
    after = sampler.group_counts_["after"]
    assert after.loc["chr2", 0] == after.loc["chr2", 1]
    assert np.array_equal(X[sampler.sample_indices_], X_res)


def test_group_sampler_min_per_group_and_too_many_requested():
    X, y, chrom = _chromosome_data()
    sampler = GroupBalancedUnderSampler(min_per_group=5, random_state=0)
    with pytest.warns(UserWarning, match="chrX"):
        sampler.fit_resample(X, y, groups=chrom)
    assert (chrom[sampler.sample_indices_] == "chrX").sum() == 5
    with pytest.raises(ValueError, match=r"min_per_group=500 asks for more .*'chrX': 200"):
        GroupBalancedUnderSampler(min_per_group=500).fit_resample(X, y, groups=chrom)
    dropped = GroupBalancedUnderSampler(min_per_group=0, random_state=0)
    with pytest.warns(UserWarning):
        dropped.fit_resample(X, y, groups=chrom)
    assert "chrX" not in set(chrom[dropped.sample_indices_])


def test_group_sampler_bad_inputs():
    X, y, chrom = _chromosome_data()
    with pytest.raises(ValueError, match="needs groups"):
        GroupBalancedUnderSampler().fit_resample(X, y)
    with pytest.raises(ValueError, match="one way only"):
        GroupBalancedUnderSampler(group_column=0).fit_resample(X, y, groups=chrom)
    with pytest.raises(ValueError, match=rf"X has {len(y)} rows, y has {len(y)} labels and "
                                         r"groups has 10 entries"):
        GroupBalancedUnderSampler().fit_resample(X, y, groups=chrom[:10])
    with pytest.raises(ValueError, match=r"groups has shape \(\d+, 2\)"):
        GroupBalancedUnderSampler().fit_resample(X, y, groups=np.column_stack([chrom, chrom]))
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(chrom=chrom)
    with pytest.raises(ValueError, match=r"group_column='chromosome' is not a column of X.*chrom"):
        GroupBalancedUnderSampler(group_column="chromosome").fit_resample(df, y)
    with pytest.raises(ValueError, match="is a name, but X is an array"):
        GroupBalancedUnderSampler(group_column="chrom").fit_resample(X, y)
    with pytest.raises(ValueError, match="no group holds every class"):
        GroupBalancedUnderSampler().fit_resample(X, y, groups=np.arange(len(y)))
    with pytest.raises(ValueError, match="min_per_group"):
        GroupBalancedUnderSampler(min_per_group=-1).fit_resample(X, y, groups=chrom)


def test_group_column_works_without_metadata_routing():
    X, y, chrom = _chromosome_data()
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(chrom=chrom)
    sampler = GroupBalancedUnderSampler(group_column="chrom", random_state=0)
    with pytest.warns(UserWarning):
        out, _ = sampler.fit_resample(df, y)
    reference = GroupBalancedUnderSampler(random_state=0)
    with pytest.warns(UserWarning):
        reference.fit_resample(X, y, groups=chrom)
    assert np.array_equal(sampler.sample_indices_, reference.sample_indices_)
    assert list(out.columns) == ["a", "b", "c", "chrom"]
    pipe = Pipeline([
        ("balance", sampler),
        ("drop_chrom", ColumnTransformer([("drop", "drop", ["chrom"])],
                                         remainder="passthrough")),
        ("clf", DummyClassifier(strategy="prior")),
    ])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        res = cross_validate(pipe, df, y, cv=StratifiedKFold(3), scoring=_prevalence_scorers())
    assert np.all(res["test_train_prior"] > 0.4)
    assert np.allclose(res["test_test_prevalence"], y.mean(), atol=0.01)


def test_groups_routed_through_pipeline_and_cross_validate():
    X, y, chrom = _chromosome_data()
    seen = []

    class Recording(GroupBalancedUnderSampler):
        def _fit_resample(self, X, y, groups=None):
            seen.append(np.unique(groups).tolist())
            return super()._fit_resample(X, y, groups=groups)

    with sklearn.config_context(enable_metadata_routing=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        pipe = Pipeline([
            ("balance", Recording(random_state=0).set_fit_resample_request(groups=True)),
            ("clf", DummyClassifier(strategy="prior")),
        ])
        res = cross_validate(pipe, X, y, cv=GroupKFold(n_splits=4), params={"groups": chrom},
                             scoring=_prevalence_scorers())
    assert sorted(map(len, seen)) == [3, 3, 3, 3]  # each training fold: its three chromosomes
    assert np.all(res["test_n_predicted"] == 1)


def test_group_sampler_deterministic_and_clonable():
    X, y, chrom = _chromosome_data()
    a = GroupBalancedUnderSampler(random_state=3)
    b = clone(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        a.fit_resample(X, y, groups=chrom)
        b.fit_resample(X, y, groups=chrom)
    assert np.array_equal(a.sample_indices_, b.sample_indices_)


# --- matched sampler: bad inputs ----------------------------------------------------------------

def test_matched_sampler_bad_inputs():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = (rng.random(300) < 0.2).astype(int)
    with pytest.raises(ValueError, match="covariates=None only works when X holds sequences"):
        CovariateMatchedUnderSampler().fit_resample(X, y)
    X_const = X.copy()
    X_const[:, 1] = 7.0
    with pytest.raises(ValueError, match=r"\['x1'\] are constant"):
        CovariateMatchedUnderSampler([0, 1]).fit_resample(X_const, y)
    df = pd.DataFrame(X, columns=["gc", "length", "cpg"])
    with pytest.raises(ValueError, match=r"\['GC'\] are not in X; available columns: "
                                         r"\['gc', 'length', 'cpg'\]"):
        CovariateMatchedUnderSampler(["GC"]).fit_resample(df, y)
    with pytest.raises(ValueError, match="look like column names, but X is an array"):
        CovariateMatchedUnderSampler(["gc"]).fit_resample(X, y)
    with pytest.raises(ValueError, match="column index 5 is out of range"):
        CovariateMatchedUnderSampler([5]).fit_resample(X, y)
    with pytest.raises(ValueError, match=r"ratio=20 asks for \d+ examples of class 0 but only"):
        CovariateMatchedUnderSampler([0], ratio=20).fit_resample(X, y)
    X_nan = X.copy()
    X_nan[3, 0] = np.nan
    with pytest.raises(ValueError, match=r"\['x0'\] contain NaN"):
        CovariateMatchedUnderSampler([0]).fit_resample(X_nan, y)
    with pytest.raises(ValueError, match=r"callable returned shape \(5,\)"):
        CovariateMatchedUnderSampler(lambda X: np.zeros(5)).fit_resample(X, y)
    with pytest.raises(TypeError, match="'chrom' is not numeric"):
        CovariateMatchedUnderSampler(["chrom"]).fit_resample(df.assign(chrom="chr1"), y)
    with pytest.raises(ValueError, match="n_bins"):
        CovariateMatchedUnderSampler([0], n_bins=0).fit_resample(X, y)
    with pytest.raises(ValueError, match="shortfall"):
        CovariateMatchedUnderSampler([0], shortfall="drop").fit_resample(X, y)
    with pytest.raises(ValueError, match="shortfall='drop' is not accepted"):
        match_covariates(X[:, 0], y, shortfall="drop")
    seqs = _gc_planted(n_neg=100)[0][:300]
    with pytest.raises(ValueError, match=r"\['gc'\] are not sequence statistics"):
        CovariateMatchedUnderSampler(["gc"]).fit_resample(seqs, y)
    with pytest.raises(ValueError, match="needs to have more than 1 class"):
        CovariateMatchedUnderSampler([0]).fit_resample(X, np.zeros(300))
    with pytest.raises(ValueError, match="reference=5 is not a class"):
        match_covariates(X[:, 0], y, reference=5)


# --------------------------------------------------------------- lengths and group ids

@pytest.mark.parametrize("n_X,n_y,n_groups", [(40, 30, 40), (30, 40, 40), (40, 40, 30)])
def test_group_sampler_names_the_lengths_that_disagree(n_X, n_y, n_groups):
    X, y, chrom = _chromosome_data()
    pattern = (rf"X has {n_X} rows, y has {n_y} labels and groups has {n_groups} entries; "
               "give one label and one group per row of X")
    with pytest.raises(ValueError, match=pattern):
        GroupBalancedUnderSampler().fit_resample(X[:n_X], y[:n_y], groups=chrom[:n_groups])


def test_group_sampler_with_group_column_names_x_and_y_lengths():
    X, y, chrom = _chromosome_data()
    df = pd.DataFrame(X, columns=["a", "b", "c"]).assign(chrom=chrom)
    with pytest.raises(ValueError, match=r"X has 40 rows and y has 39 labels; give one label"):
        GroupBalancedUnderSampler(group_column="chrom").fit_resample(df.iloc[:40], y[:39])


@pytest.mark.parametrize("X", [np.zeros((12, 2)), [f"ACGT{i % 3}" for i in range(12)]],
                         ids=["matrix", "sequences"])
def test_matched_sampler_names_the_lengths_that_disagree(X):
    y = np.r_[np.zeros(10, int), np.ones(5, int)]
    with pytest.raises(ValueError, match=r"X has 12 rows and y has 15 labels; give one label "
                                         r"per row of X"):
        CovariateMatchedUnderSampler([0] if isinstance(X, np.ndarray) else None
                                     ).fit_resample(X, y)


MIXED = [1, "1", 2.0]


@pytest.mark.parametrize("container", [list, lambda v: np.array(v, dtype=object), pd.Series],
                         ids=["list", "object array", "Series"])
def test_mixed_string_and_number_group_ids_are_refused(container):
    # numpy would read [1, "1", 2.0] as ["1", "1", "2.0"], merging the number 1 and the string
    # "1" into one group without a word.
    X = np.arange(12).reshape(-1, 1)
    y = np.array([0, 1] * 6)
    groups = container(MIXED * 4)
    with pytest.raises(ValueError, match=r"groups holds both strings and numbers as group ids "
                                         r"\(e\.g\. 1 \(int\) and '1' \(str\)\).*one type"):
        GroupBalancedUnderSampler().fit_resample(X, y, groups=groups)


def test_mixed_group_column_is_refused_naming_the_column():
    df = pd.DataFrame({"x": range(12), "batch": MIXED * 4})
    with pytest.raises(ValueError, match=r"group_column='batch' holds both strings and numbers"):
        GroupBalancedUnderSampler(group_column="batch").fit_resample(df, [0, 1] * 6)


def test_numeric_group_ids_compare_by_value():
    # 1, 1.0 and np.int64(1) are one group, as Python compares them.
    X = np.arange(12).reshape(-1, 1)
    y = np.array([0, 1, 1, 1] * 3)
    groups = [1, 1.0, np.int64(1), 1, 2, 2.0, 2, 2, 3, 3, 3.0, 3]
    sampler = GroupBalancedUnderSampler(random_state=0)
    _, y_res = sampler.fit_resample(X, y, groups=groups)
    assert len(sampler.group_counts_) == 3
    assert np.bincount(y_res).tolist() == [3, 3]
    same_as_floats = GroupBalancedUnderSampler(random_state=0)
    same_as_floats.fit_resample(X, y, groups=np.asarray(groups, dtype=float))
    np.testing.assert_array_equal(sampler.sample_indices_, same_as_floats.sample_indices_)
