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
from skgenqc.features.similarity import best_identity, find_similar_pairs

__all__ = [
    "DINUCLEOTIDES",
    "PackedSequences",
    "best_identity",
    "composition_table",
    "find_similar_pairs",
    "kmer_codes",
    "kmer_count_matrix",
    "kmer_names",
    "pack_sequences",
    "positional_composition",
    "reverse_complement",
]
