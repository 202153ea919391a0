"""Transformers that learn only from the training fold: confounder regression and selectors.

Each one is an ordinary scikit-learn transformer; the protection against
leaky preprocessing (Whalen et al. 2022, pitfall 4) comes from putting it in a
Pipeline, so that cross-validation refits it on every training fold.
"""

from skgenqc.preprocessing.confounders import ConfounderRegressor
from skgenqc.preprocessing.selection import EffectSizeSelector, UnivariateTopK

__all__ = ["ConfounderRegressor", "EffectSizeSelector", "UnivariateTopK"]
