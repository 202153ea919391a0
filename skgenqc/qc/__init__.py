"""Dataset checks before training: a registry of checks, each taking one context.

Every check is a function ``check(ctx) -> list[Finding]`` registered with
:func:`register_check`; :class:`DatasetQC`, the command line's ``--checks`` and the
documentation's check table are generated from the registry
(:func:`registered_checks`, :func:`check_names`, :func:`check_table`). The
underlying functions (:func:`check_alphabet`, :func:`check_duplicates`, ...) take
plain data and return findings, for use in your own pipeline.
"""

from skgenqc.qc._context import QCContext, with_pair_columns
from skgenqc.qc._registry import (
    CheckSpec,
    check_names,
    check_table,
    finding_names,
    register_check,
    registered_checks,
    resolve_checks,
    unregister_check,
)
from skgenqc.qc.alphabet import check_alphabet
from skgenqc.qc.contamination import check_contamination
from skgenqc.qc.class_features import check_class_features, check_positional
from skgenqc.qc.constructed import (
    check_constructed_negatives,
    check_library_constants,
    composition_twin_pairs,
    dinucleotide_signatures,
    positional_twin_pairs,
)
from skgenqc.qc.dataset import ALL_CHECKS, DatasetQC
from skgenqc.qc.duplicates import check_duplicates, check_near_duplicates
from skgenqc.qc.items import item_table
from skgenqc.qc.intervals import check_interval_duplicates, check_interval_leakage, overlapping_pairs
from skgenqc.qc.kmers import check_kmer_enrichment, check_shortcut_score
from skgenqc.qc.labels import check_class_sizes, check_train_test_labels
from skgenqc.qc.leakage import check_train_test_leakage, check_train_test_shift
from skgenqc.qc.lookup import check_lookup_baseline, lookup_scores
from skgenqc.qc.pairs import (
    as_partner_finding,
    check_pair_classes_train_test,
    check_pair_duplicates,
    check_pair_near_duplicates,
    check_pair_near_duplicates_train_test,
    check_pairs,
    check_partner_reuse,
    partner_families,
)
from skgenqc.qc.position_rules import positional_kmer_rule
from skgenqc.qc.separability import (
    binary_separability,
    pure_band_rule,
    pure_tail_rule,
    separability_table,
)

__all__ = [
    "DatasetQC",
    "ALL_CHECKS",
    "QCContext",
    "CheckSpec",
    "register_check",
    "unregister_check",
    "registered_checks",
    "check_names",
    "finding_names",
    "resolve_checks",
    "check_table",
    "check_alphabet",
    "check_class_sizes",
    "check_class_features",
    "check_positional",
    "check_constructed_negatives",
    "check_library_constants",
    "composition_twin_pairs",
    "dinucleotide_signatures",
    "positional_twin_pairs",
    "check_duplicates",
    "check_near_duplicates",
    "check_interval_duplicates",
    "check_interval_leakage",
    "overlapping_pairs",
    "check_kmer_enrichment",
    "check_shortcut_score",
    "check_train_test_labels",
    "check_train_test_leakage",
    "check_train_test_shift",
    "check_lookup_baseline",
    "item_table",
    "lookup_scores",


    "check_contamination",
    "binary_separability",
    "separability_table",
    "positional_kmer_rule",
    "pure_band_rule",
    "pure_tail_rule",
    "check_pairs",
    "check_pair_duplicates",
    "check_partner_reuse",
    "check_pair_classes_train_test",
    "check_pair_near_duplicates",
    "check_pair_near_duplicates_train_test",
    "partner_families",
    "with_pair_columns",
    "as_partner_finding",
]
