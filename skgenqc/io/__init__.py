"""Readers that turn files into ordinary DataFrames (sklearn's X, y, groups)."""

from skgenqc.io.alphabet import check_not_protein, protein_letters, protein_like
from skgenqc.io.coordinates import input_kind, read_coordinates
from skgenqc.io.intervals import (
    fetch_sequences,
    parse_coordinates,
    read_genomic_benchmark,
    read_intervals,
    reference_names,
)
from skgenqc.io.stream import SequenceChunk, iter_sequence_chunks
from skgenqc.io.sequences import (
    file_kind,
    read_columns,
    read_fasta,
    read_sequences,
    read_table,
)

__all__ = [
    "read_fasta",
    "read_table",
    "read_columns",
    "read_sequences",
    "iter_sequence_chunks",
    "SequenceChunk",
    "read_intervals",
    "read_genomic_benchmark",
    "parse_coordinates",
    "fetch_sequences",
    "reference_names",
    "input_kind",
    "read_coordinates",
    "file_kind",
    "check_not_protein",
    "protein_letters",
    "protein_like",
]
