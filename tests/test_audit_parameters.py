"""Every constructor parameter of the auditor, the featurizers and the in-fold transformers
is declared in ``_parameter_constraints`` and a wrong value fails with one error form:
``InvalidParameterError: The '<param>' parameter of <Class> must be ... Got <value> instead.``
"""

import inspect

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.utils._param_validation import InvalidParameterError

from skgenqc.audit import LeakageAuditor
from skgenqc.features import CompositionFeatures, KmerVectorizer, SequenceOneHot
from skgenqc.preprocessing import ConfounderRegressor, EffectSizeSelector, UnivariateTopK

RNG = np.random.default_rng(0)
X_NUM, Y = RNG.normal(size=(30, 3)), np.arange(30) % 2
SEQS = ["ACGTACGT", "GGCCA", "TTTAC"]


def _run_auditor(est):
    est.audit(X_NUM, Y)


def _fit_sequences(est):
    est.fit(SEQS)


def _fit_numeric(est):
    est.fit(X_NUM, Y)


# class -> (a valid instance factory taking overrides, how to run it, {param: [bad values]})
CASES = {
    LeakageAuditor: (lambda **kw: LeakageAuditor(**{"estimator": LogisticRegression(),
                                                     "cv": KFold(3), "n_permutations": 1,
                                                     "n_repeats": 1, **kw}),
                     _run_auditor, {
                         "estimator": [42, "LogisticRegression", LogisticRegression],
                         "cv": [3.5, "kfold"],
                         "baseline_cv": ["random", 5.0],
                         "scoring": ["auroc", 3],
                         "n_permutations": [-1, 2.5, True, "20"],
                         "n_repeats": [0, 1.5, True],
                         "gap_warn": ["x", -0.1, None],
                         "gap_fail": ["x", -1],
                         "n_jobs": [1.5, "all"],
                         "random_state": ["seed", 1.5],
                         "progress": ["yes", 2],
                     }),
    KmerVectorizer: (lambda **kw: KmerVectorizer(**kw), _fit_sequences, {
        "k": [0, 13, 40, "6", 6.0, True, None],
        "canonical": ["yes", 1],
        "normalize": ["l1", 1],
        "sparse": ["yes", 1],
        "alphabet_policy": ["strict", None],
    }),
    CompositionFeatures: (lambda **kw: CompositionFeatures(**kw), _fit_sequences, {
        "features": ["gc_content", ("gc",), (), ("CG", "dinucleotides"), None, (1,)],
        "alphabet_policy": ["strict"],
    }),
    SequenceOneHot: (lambda **kw: SequenceOneHot(**kw), _fit_sequences, {
        "length": [0, 2.5, True, "10"],
        "padding": ["both", None],
        "truncate": ["middle"],
        "flatten": ["yes"],
        "n_value": [2, -0.1, "quarter", True],
        "alphabet_policy": ["strict"],
        "dtype": ["banana", object],
    }),
    ConfounderRegressor: (lambda **kw: ConfounderRegressor(**{"confounders": [0], **kw}),
                          _fit_numeric, {
                              "confounders": [0.5, None, {"gc": 1}],
                              "model": ["linear", LogisticRegression],
                              "keep_confounders": ["yes", 1],
                          }),
    EffectSizeSelector: (lambda **kw: EffectSizeSelector(**kw), _fit_numeric, {
        "threshold": [-0.1, "big"],
        "effect": ["hedges_g"],
        "max_features": [0, 1.5, True],
    }),
    UnivariateTopK: (lambda **kw: UnivariateTopK(**kw), _fit_numeric, {
        "k": [-1, 2.5, "some", True],
        "score_func": ["anova", 3],
        "random_state": ["seed"],
    }),
}

PARAMS = [(cls, name, value) for cls, (_, _, table) in CASES.items()
          for name, values in table.items() for value in values]


@pytest.mark.parametrize("cls, name, value", PARAMS,
                         ids=[f"{c.__name__}-{n}-{v!r}" for c, n, v in PARAMS])
def test_bad_value_raises_invalid_parameter_error(cls, name, value):
    make, run, _ = CASES[cls]
    estimator = make(**{name: value})
    pattern = rf"The '{name}' parameter of {cls.__name__} must be .*Got .* instead\."
    with pytest.raises(InvalidParameterError, match=pattern):
        run(estimator)


@pytest.mark.parametrize("cls", list(CASES), ids=lambda c: c.__name__)
def test_every_parameter_is_declared_and_tested(cls):
    params = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    assert set(params) == set(cls._parameter_constraints), cls.__name__
    assert set(params) == set(CASES[cls][2]), f"add a bad value for each parameter of {cls}"


@pytest.mark.parametrize("cls", list(CASES), ids=lambda c: c.__name__)
def test_defaults_are_valid(cls):
    make, run, _ = CASES[cls]
    run(make())  # no error with the defaults


def test_gap_warn_above_gap_fail():
    with pytest.raises(InvalidParameterError, match="'gap_warn' parameter of LeakageAuditor must "
                                                    "be at most gap_fail"):
        LeakageAuditor(LogisticRegression(), cv=KFold(3), gap_warn=0.2, gap_fail=0.1).audit(X_NUM, Y)


def test_cv_none_needs_a_workflow():
    with pytest.raises(InvalidParameterError, match="'cv' parameter of LeakageAuditor"):
        LeakageAuditor(LogisticRegression(), cv=None).audit(X_NUM, Y)
