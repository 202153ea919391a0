"""Samplers with imbalanced-learn's ``fit_resample`` contract, applied inside the training fold.

Put them in an :class:`imblearn.pipeline.Pipeline`: samplers act only when the
pipeline is fitted, so cross-validation balances or matches the training folds
and scores the untouched test folds (Whalen et al. 2022, pitfalls 3 and 5).
"""

from skgenqc.sampling.group_balanced import GroupBalancedUnderSampler
from skgenqc.sampling.matched import (
    CovariateMatchedUnderSampler,
    covariate_matrix,
    match_covariates,
)

__all__ = [
    "CovariateMatchedUnderSampler",
    "GroupBalancedUnderSampler",
    "covariate_matrix",
    "match_covariates",
]
