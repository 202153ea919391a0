"""The scored CV schemes probes can ask for; each one is fitted once per audit.

Registration order is build order: the random generator is drawn in this
order (baseline seeds, then permutations), so an audit is repeatable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import _safe_indexing

from skgenqc.audit._registry import register_scheme
from skgenqc.audit._runner import fit_and_score


def _fits(ctx, splits, labels, keep=False, estimator=None, X=None):
    estimator = ctx.estimator if estimator is None else estimator
    X = ctx.X if X is None else X
    return [((fit_and_score, (estimator, X, labels, train, test, ctx.scorer),
              {"keep_predictions": keep}), k)
            for k, (train, test) in enumerate(splits)]


@register_scheme("blocked", summary="the given CV", keep_predictions=True)
def blocked(ctx):
    return [((task, (0, k))) for task, k in _fits(ctx, ctx.folds, ctx.y, keep=True)]


@register_scheme("random", summary="shuffled (stratified) K-fold, n_repeats times")
def random(ctx):
    out = []
    for r in range(ctx.n_repeats):
        seed = ctx.rng.randint(np.iinfo(np.int32).max)
        splits = list(ctx.baseline(ctx.y, seed).split(ctx.X, ctx.y))
        out += [(task, (r, k)) for task, k in _fits(ctx, splits, ctx.y)]
    return out


@register_scheme("permuted", summary="the given CV with labels shuffled before fitting")
def permuted(ctx):
    out = []
    for p in range(ctx.n_permutations):
        labels = ctx.rng.permutation(ctx.y)
        out += [(task, (p, k)) for task, k in _fits(ctx, ctx.folds, labels)]
    return out


def leaky_cv(pipeline, X, y, folds, scorer):
    """Score the final step after fitting all earlier steps (samplers too) on every row."""
    try:
        steps = pipeline.steps
        Xt, yt = X, np.asarray(y)
        resampled = False
        for _, step in steps[:-1]:
            if step is None or step == "passthrough":
                continue
            step = clone(step)
            if hasattr(step, "fit_resample"):
                Xt, yt = step.fit_resample(Xt, yt)
                resampled = True
            else:
                Xt = step.fit(Xt, yt).transform(Xt)
        if resampled:  # rows changed: the original folds no longer apply
            folds = list(StratifiedKFold(len(folds), shuffle=True, random_state=0).split(Xt, yt))
        scores = []
        for train, test in folds:
            model = clone(steps[-1][1]).fit(_safe_indexing(Xt, train), yt[train])
            scores.append(float(scorer(model, _safe_indexing(Xt, test), yt[test])))
        return {"score": float(np.mean(scores)), "error": None}
    except Exception as err:  # noqa: BLE001
        return {"score": np.nan, "error": f"{type(err).__name__}: {err}"[:300]}


@register_scheme("pipeline_fitted_on_all",
                 summary="the Pipeline's non-final steps fitted on all rows, then the given CV")
def pipeline_fitted_on_all(ctx):
    return [((leaky_cv, (ctx.estimator, ctx.X, ctx.y, ctx.folds, ctx.scorer), {}), (0, 0))]


def confounder_model():
    """The model used on confounders alone: a standardised logistic regression."""
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


def confounder_frame(confounders):
    """Confounders as a float DataFrame (categorical columns one-hot encoded)."""
    frame = pd.DataFrame(confounders).reset_index(drop=True)
    return pd.get_dummies(frame, drop_first=False).astype(float)


@register_scheme("confounder_only", summary="a model on the confounders alone, the given CV")
def confounder_only(ctx):
    frame = confounder_frame(ctx.confounders)
    return [(task, (0, k)) for task, k in _fits(ctx, ctx.folds, ctx.y,
                                                estimator=confounder_model(), X=frame)]


def call_workflow(workflow, X, y, groups):
    """Run a user workflow; a failure becomes a record."""
    try:
        return {"score": float(workflow(X, y, groups)), "error": None}
    except Exception as err:  # noqa: BLE001 - user code
        return {"score": np.nan, "error": f"{type(err).__name__}: {err}"[:300]}


@register_scheme("workflow", summary="the workflow callable with the true labels")
def workflow(ctx):
    return [((call_workflow, (ctx.estimator, ctx.X, ctx.y, ctx.groups), {}), (0, 0))]


@register_scheme("workflow_permuted",
                 summary="the workflow callable with labels shuffled before every step")
def workflow_permuted(ctx):
    return [((call_workflow, (ctx.estimator, ctx.X, ctx.rng.permutation(ctx.y), ctx.groups), {}),
             (p, 0)) for p in range(ctx.n_permutations)]
