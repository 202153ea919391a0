"""Leakage-aware splitters (scikit-learn cross-validators) and split diagnostics."""

from skgenqc.model_selection.diagnostics import as_splits, split_diagnostics
from skgenqc.model_selection.groups import BalancedGroupKFold, RepeatedBalancedGroupKFold
from skgenqc.model_selection.similarity import SimilarityGroupKFold, similarity_groups

__all__ = [
    "BalancedGroupKFold",
    "RepeatedBalancedGroupKFold",
    "SimilarityGroupKFold",
    "similarity_groups",
    "split_diagnostics",
    "as_splits",
]
