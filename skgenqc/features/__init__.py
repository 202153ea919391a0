"""Vectorised sequence features and the fast primitives qc and splitters share."""

from skgenqc.features.composition import DINUCLEOTIDES, composition_table, positional_composition
from skgenqc.features.encoding import (
    PackedSequences,
    kmer_codes,
    kmer_names,
    pack_sequences,
    reverse_complement,
)
from skgenqc.features.kmers import kmer_count_matrix
from skgenqc.features.shards import summarize_file, summarize_files
from skgenqc.features.summary import SequenceSummary
from skgenqc.features.nearest import kmer_containment, nearest_neighbours
from skgenqc.features.similarity import (
    best_identity,
    find_similar_pairs,
    seed_plan,
    sequence_identity,
)

__all__ = [
    "CompositionFeatures",
    "KmerVectorizer",
    "SequenceOneHot",
    "DINUCLEOTIDES",
    "PackedSequences",
    "SequenceSummary",
    "best_identity",
    "composition_table",
    "find_similar_pairs",
    "kmer_codes",
    "kmer_containment",
    "kmer_count_matrix",
    "kmer_names",
    "nearest_neighbours",
    "pack_sequences",
    "positional_composition",
    "reverse_complement",
    "seed_plan",
    "sequence_identity",
    "summarize_file",
    "summarize_files",
]


def __getattr__(name):
    # The transformers import scikit-learn, which costs about a second: load them
    # only when asked for, so the QC command line starts fast.
    if name in ("CompositionFeatures", "KmerVectorizer", "SequenceOneHot"):
        from skgenqc.features import transformers

        return getattr(transformers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
