"""Dataset checks before training: each check takes data and returns findings."""

from skgenqc.qc.alphabet import check_alphabet
from skgenqc.qc.class_features import check_class_features, check_positional
from skgenqc.qc.dataset import ALL_CHECKS, DatasetQC
from skgenqc.qc.duplicates import check_duplicates, check_near_duplicates
from skgenqc.qc.intervals import check_interval_duplicates, check_interval_leakage, overlapping_pairs
from skgenqc.qc.kmers import check_kmer_enrichment, check_shortcut_score
from skgenqc.qc.leakage import check_train_test_leakage, check_train_test_shift
from skgenqc.qc.separability import binary_separability, separability_table

__all__ = [
    "DatasetQC",
    "ALL_CHECKS",
    "check_alphabet",
    "check_class_features",
    "check_positional",
    "check_duplicates",
    "check_near_duplicates",
    "check_interval_duplicates",
    "check_interval_leakage",
    "overlapping_pairs",
    "check_kmer_enrichment",
    "check_shortcut_score",
    "check_train_test_leakage",
    "check_train_test_shift",
    "binary_separability",
    "separability_table",
]
