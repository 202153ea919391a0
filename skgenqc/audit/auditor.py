"""``LeakageAuditor``: how much is a cross-validated score inflated, and by which pitfall?

Probes (each one finding, mapped to a pitfall of Whalen et al. 2022):

- *dependence*: the given (blocked) CV against a random baseline CV; the gap
  with a bootstrap interval over folds;
- *leaky preprocessing*: label-permutation nulls.  For an estimator the labels
  are shuffled before the whole estimator (Pipeline included) is fitted; for a
  workflow callable ``(X, y, groups) -> score`` they are shuffled before the
  user's whole analysis, so selection or balancing done outside CV shows up as
  a null far above chance.  For a Pipeline, the probe also measures what
  fitting its non-final steps on all rows would have bought;
- *confounding*: a model on the named confounders alone next to the full
  model, and adversarial validation (can the features predict the group?);
- *distributional differences*: train vs ``X_new`` (classifier two-sample test
  and per-feature KS with FDR, graded on effect sizes);
- *unbalanced classes*: test-fold prevalence vs the population, average
  precision relative to prevalence;
- *pairs*: scores by C1/C2/C3 test pairs and a node-degree-only baseline;
- *duplicates*: near-copies across the CV divide (the QC similarity search).
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import clone, is_classifier
from sklearn.metrics import get_scorer_names
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import (HasMethods, InvalidParameterError, Interval,
                                             StrOptions)
from tqdm.auto import tqdm

from skgenqc._core.findings import Finding, Report
from skgenqc._core.params import ParamsMixin, reject_bools
from skgenqc._core.stages import timed_stage
from skgenqc.audit._inputs import check_confounders, check_features, check_target
from skgenqc.audit._prevalence import single_class_folds
from skgenqc.audit._probes import add_figures
from skgenqc.audit._registry import PROBES, SCHEMES, AuditContext
from skgenqc.audit._runner import make_scorer_for, run_tasks
from skgenqc.audit._schemes import confounder_model  # noqa: F401  (public before the registry)


class AuditReport(Report):
    """The auditor's report: the shared findings model plus the raw score tables.

    Attributes
    ----------
    scores : pandas.DataFrame
        One row per fit: ``scheme``, ``repeat``, ``fold``, ``score``, ``error``.
    """

    def __init__(self, findings=None, *, scores=None, **kwargs):
        kwargs.setdefault("kind", "audit")
        kwargs.setdefault("title", "skgenqc leakage audit")
        super().__init__(findings, **kwargs)
        self.scores = scores if scores is not None else pd.DataFrame()

    @property
    def headline(self):
        """The answer first: reported vs honest score, inflation, chance and the pitfall.

        See :func:`skgenqc.audit.headline.audit_headline`; the HTML page leads with it.
        """
        from skgenqc.audit.headline import audit_headline

        return audit_headline(self)


class LeakageAuditor(ParamsMixin):
    """Measure how much a cross-validated score is inflated, and by which pitfall.

    Parameters
    ----------
    estimator : estimator, Pipeline or callable
        A scikit-learn estimator or (imbalanced-learn) Pipeline, or a workflow
        callable ``(X, y, groups) -> float`` running the whole analysis,
        preprocessing and its own CV included.
    cv : cross-validator
        The CV the score is reported with (ideally a leakage-aware splitter).
    baseline_cv : cross-validator, optional
        The naive CV to compare with; default a shuffled (stratified) 5-fold.
    scoring : str or callable, optional
        Default: AU-ROC for classification, R2 for regression.
    n_permutations : int, default=20
        Label permutations for the nulls.
    n_repeats : int, default=3
        Repeats of the baseline CV (different shuffles).
    gap_warn, gap_fail : float, default=0.03, 0.1
        Score gaps (random minus blocked, leaky minus clean) that warn / fail.
    n_jobs : int, optional
        joblib workers; every fit is one task.
    random_state : int or None
    progress : bool, default=False
        Progress bars over the fits and over the probes (naming the probe that runs).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GroupKFold
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(120, 3)), rng.integers(0, 2, 120)
    >>> groups = np.repeat(np.arange(12), 10)
    >>> auditor = LeakageAuditor(LogisticRegression(), cv=GroupKFold(4), n_permutations=3,
    ...                          n_repeats=1, random_state=0)
    >>> report = auditor.audit(X, y, groups)
    >>> sorted({f.pitfall for f in report})
    ['confounding', 'dependent examples', 'leaky preprocessing', 'unbalanced classes']
    """

    # Checked in ``audit`` (constructors store parameters untouched, so clone works).
    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit"]), callable],
        "cv": [HasMethods(["split", "get_n_splits"]), None],
        "baseline_cv": [HasMethods(["split", "get_n_splits"]), None],
        "scoring": [StrOptions(set(get_scorer_names())), callable, None],
        "n_permutations": [Interval(Integral, 0, None, closed="left")],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "gap_warn": [Interval(Real, 0, None, closed="left")],
        "gap_fail": [Interval(Real, 0, None, closed="left")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "progress": ["boolean"],
    }

    def _validate_params(self):
        super()._validate_params()
        reject_bools(self, ["n_permutations", "n_repeats"],
                     {"n_permutations": "an int in the range [0, inf)",
                      "n_repeats": "an int in the range [1, inf)"})
        if isinstance(self.estimator, type):  # a class has fit and is callable too
            raise InvalidParameterError(
                f"The 'estimator' parameter of LeakageAuditor must be an estimator instance or "
                f"a workflow callable (X, y, groups) -> score (e.g. {self.estimator.__name__}()). "
                f"Got {self.estimator!r} instead.")
        if self.gap_warn > self.gap_fail:
            raise InvalidParameterError(
                f"The 'gap_warn' parameter of LeakageAuditor must be at most gap_fail "
                f"({self.gap_fail!r}). Got {self.gap_warn!r} instead.")

    def __init__(self, estimator, *, cv, baseline_cv=None, scoring=None, n_permutations=20,
                 n_repeats=3, gap_warn=0.03, gap_fail=0.1, n_jobs=None, random_state=None,
                 progress=False):
        self.estimator = estimator
        self.cv = cv
        self.baseline_cv = baseline_cv
        self.scoring = scoring
        self.n_permutations = n_permutations
        self.n_repeats = n_repeats
        self.gap_warn = gap_warn
        self.gap_fail = gap_fail
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.progress = progress

    def _baseline(self, y, seed):
        if self.baseline_cv is not None:
            cv = clone(self.baseline_cv) if hasattr(self.baseline_cv, "get_params") else self.baseline_cv
            if hasattr(cv, "random_state") and getattr(cv, "shuffle", False):
                cv.random_state = seed
            return cv
        if is_classifier(self.estimator) or (len(np.unique(y)) <= 20):
            return StratifiedKFold(5, shuffle=True, random_state=seed)
        return KFold(5, shuffle=True, random_state=seed)

    def audit(self, X, y, groups=None, *, confounders=None, X_new=None, pairs=None,
              sequences=None, population_prevalence=None, identity_threshold=0.9,
              feature_info=None):
        """Run every applicable probe and return an :class:`AuditReport`.

        Parameters
        ----------
        X : array-like or DataFrame
        y : array-like
        groups : array-like, optional
            Passed to ``cv.split`` (chromosomes, groups, pair ids...) and used for
            adversarial validation.
        confounders : array-like or DataFrame, optional
            Confounders (GC, length, depth, batch...) for the confounder-only baseline.
        X_new : array-like, optional
            The data the model will be applied to, for the shift probe.
        pairs : array-like of shape (n_samples, 2), optional
            Partner ids, for the C1/C2/C3 breakdown and the degree baseline.
        sequences : array-like of str, optional
            For near-duplicates across the CV divide.
        population_prevalence : float, optional
            The positive rate where the model will be used (if the data were
            balanced or enriched).
        identity_threshold : float, default=0.9
        feature_info : dict, optional
            The ``info`` of :func:`~skgenqc.audit.table_features`; its
            ``features``, ``rule`` and ``excluded_id_like`` are recorded in the
            report's metadata as ``features``, ``feature_rule`` and
            ``excluded_id_like``.

        Returns
        -------
        AuditReport
            Its ``metadata["stages"]`` lists the time and memory of ``inputs``
            (input checks, the folds), ``fits`` (every fit of every scheme, in one
            joblib call; the CPU of process workers included, see
            :mod:`skgenqc._core.stages`) and one entry per probe that ran, named
            after it: ``wall_s``, ``cpu_s``, ``worker_cpu_s``, ``peak_rss_mb`` (the
            process-wide high-water mark), ``rss_growth_mb`` and ``rss_mb``.

        Raises
        ------
        ValueError
            Before any fit, for a constant target or one with NaN, a confounder
            column with NaN, or a feature column with NaN when the estimator
            cannot take it (no imputer in the Pipeline, scikit-learn's tags
            saying no); the message names the column.  A workflow callable gets
            ``X`` as it is.

        Warns
        -----
        UserWarning
            Before any fit, naming the folds (and their groups) whose test or
            training set holds a single class; they also get a
            ``single_class_folds`` finding.
        """
        y = np.asarray(y)
        n = len(y)
        n_x = X.shape[0] if getattr(X, "shape", None) else (len(X) if hasattr(X, "__len__")
                                                             else n)  # sparse X has no len()
        if n_x != n:
            raise ValueError(f"X has {n_x} samples but y has {n}.")
        for name, value in (("groups", groups), ("confounders", confounders), ("pairs", pairs),
                            ("sequences", sequences)):
            if value is not None and len(value) != n:
                raise ValueError(f"{name} has {len(value)} entries but y has {n}; they must match.")
        self._validate_params()
        recorded = _feature_metadata(feature_info)
        shape = getattr(X, "shape", None)
        if recorded and shape is not None and len(shape) == 2 \
                and shape[1] != recorded["n_features"]:
            raise ValueError(f"feature_info lists {recorded['n_features']} features but X has "
                             f"{shape[1]} columns; pass the info that came with this X.")
        n_perm, n_rep = int(self.n_permutations), int(self.n_repeats)
        workflow = not hasattr(self.estimator, "fit")
        # Refused before fitting: each would make every fit fail, one by one.
        stages = []
        with timed_stage("inputs", stages):  # input checks, the folds
            check_target(y)
            if confounders is not None:
                check_confounders(confounders)
            if not workflow:  # a workflow may impute; its own errors are recorded per call
                check_features(self.estimator, X)
            ctx = AuditContext(
                estimator=self.estimator, X=X, y=y, groups=groups, confounders=confounders,
                X_new=X_new, pairs=pairs, sequences=sequences,
                population_prevalence=population_prevalence, identity_threshold=identity_threshold,
                rng=check_random_state(self.random_state), n_permutations=n_perm, n_repeats=n_rep,
                gap_warn=self.gap_warn, gap_fail=self.gap_fail, random_state=self.random_state,
                baseline=self._baseline, workflow=workflow, scoring=self.scoring)
            if workflow:
                metadata = {"estimator": _name(self.estimator), "n_samples": n,
                            "n_permutations": n_perm}
            else:
                if self.cv is None:
                    raise InvalidParameterError(
                        "The 'cv' parameter of LeakageAuditor must be a cross-validator (an object "
                        "with split) when estimator is an estimator; None is only for a workflow "
                        "callable. Got None instead.")
                ctx.scoring, ctx.scorer = make_scorer_for(self.estimator, self.scoring, y)
                try:
                    ctx.folds = list(self.cv.split(X, y, groups))
                except Exception as err:
                    raise ValueError(f"cv={self.cv!r} could not split the data: {err}") from None
                one_class = single_class_folds(ctx.folds, y, groups)
                if len(one_class):
                    warnings.warn(
                        f"LeakageAuditor: {one_class['fold'].nunique()} of {len(ctx.folds)} folds "
                        "hold a single class, so their ranking score is undefined and they are left "
                        "out (finding 'single_class_folds'): "
                        + "; ".join(one_class["description"].head(10)) + ".",
                        UserWarning, stacklevel=2)
                metadata = {"estimator": _name(self.estimator), "cv": repr(self.cv),
                            "scoring": str(ctx.scoring), "n_samples": n, "n_permutations": n_perm,
                            "n_repeats": n_rep}
        probes = [p for p in PROBES.values() if p.applies(ctx)]
        needed = {s for p in probes for s in p.needs_schemes}
        tasks, keys = [], []
        for scheme in SCHEMES.values():  # registration order: repeatable draws
            if scheme.name in needed:
                for task, (repeat, fold) in scheme.build(ctx):
                    tasks.append(task)
                    keys.append((scheme.name, repeat, fold))
        desc = "skgenqc workflow audit: fits" if workflow else "skgenqc audit: fits"
        with timed_stage("fits", stages):
            results = run_tasks(tasks, n_jobs=self.n_jobs, progress=self.progress, desc=desc)
        ctx.table = pd.DataFrame(
            [{"scheme": s, "repeat": r, "fold": k,
              **{key: v for key, v in res.items() if key != "predictions"}}
             for (s, r, k), res in zip(keys, results)],
            columns=None if results else ["scheme", "repeat", "fold", "score", "error"])
        for scheme in SCHEMES.values():
            if scheme.keep_predictions and scheme.name in needed:
                ctx.predictions[scheme.name] = [res.get("predictions")
                                                for (s, _, _), res in zip(keys, results)
                                                if s == scheme.name]
        report = AuditReport(scores=ctx.table, metadata={**metadata, **recorded})
        bar = tqdm(probes, desc="skgenqc audit: probes", disable=not self.progress,
                   unit="probe")
        for probe in bar:
            bar.set_postfix_str(probe.name)
            with timed_stage(probe.name, stages):
                found = probe.func(ctx)
            for finding in ([] if found is None else [found] if isinstance(found, Finding)
                            else found):
                report.add(finding)
        add_figures(report, ctx.table, ctx.scoring or "score")
        report.metadata["stages"] = stages
        return report


def _feature_metadata(info):
    """The report's record of the features used, from :func:`table_features`' ``info``."""
    if info is None:
        return {}
    if not isinstance(info, dict) or not isinstance(info.get("features"), list):
        raise TypeError("feature_info must be the info dict of table_features (with a "
                        f"'features' list), got {type(info).__name__}.")
    return {"n_features": len(info["features"]), "features": [str(c) for c in info["features"]],
            "feature_rule": str(info.get("rule", "")),
            "excluded_id_like": [str(c) for c in info.get("excluded_id_like", [])]}


def _name(estimator):
    return getattr(estimator, "__name__", None) or repr(estimator)[:200]
