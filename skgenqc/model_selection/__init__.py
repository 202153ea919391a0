"""Leakage-aware splitters (scikit-learn cross-validators) and split diagnostics."""

from skgenqc.model_selection._base import BaseGenomicSplitter, BaseRepeatedSplitter
from skgenqc.model_selection.blocks import GenomicBlockKFold
from skgenqc.model_selection.chromosome import (
    HOLDOUT_PRESETS,
    ChromosomeHoldout,
    ChromosomeKFold,
    LeaveOneChromosomeOut,
    chromosome_family,
    normalize_chromosome,
)
from skgenqc.model_selection.clean import CleanSplit, clean_split
from skgenqc.model_selection.diagnostics import as_splits, split_diagnostics
from skgenqc.model_selection.groups import BalancedGroupKFold, RepeatedBalancedGroupKFold
from skgenqc.model_selection.pairs import PairKFold, pair_classes, pairs_from_graph, shared_ids
from skgenqc.model_selection.similarity import SimilarityGroupKFold, similarity_groups

__all__ = [
    "BalancedGroupKFold",
    "BaseGenomicSplitter",
    "BaseRepeatedSplitter",
    "ChromosomeHoldout",
    "ChromosomeKFold",
    "CleanSplit",
    "GenomicBlockKFold",
    "HOLDOUT_PRESETS",
    "LeaveOneChromosomeOut",
    "PairKFold",
    "RepeatedBalancedGroupKFold",
    "SimilarityGroupKFold",
    "as_splits",
    "chromosome_family",
    "clean_split",
    "normalize_chromosome",
    "pair_classes",
    "pairs_from_graph",
    "shared_ids",
    "similarity_groups",
    "split_diagnostics",
]
