"""Composition and positional profiles against a plain-Python reference."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skgenqc.features.composition import DINUCLEOTIDES, composition_table, positional_composition

seqs = st.lists(st.text(alphabet="ACGTNacgtR", min_size=0, max_size=30), min_size=1, max_size=20)


def reference_row(seq):
    up = seq.upper()
    n = len(up)
    row = {"length": n}
    for b in "ACGT":
        row[b] = up.count(b) / n if n else np.nan
    row["N"] = sum(c not in "ACGT" for c in up) / n if n else np.nan
    row["gc_content"] = (up.count("G") + up.count("C")) / n if n else np.nan
    row["lowercase"] = sum(c.islower() for c in seq) / n if n else np.nan
    for d in DINUCLEOTIDES:
        hits = sum(up[i:i + 2] == d for i in range(n - 1))
        row[d] = hits / max(n - 1, 1)
    return row


@settings(max_examples=80, deadline=None)
@given(seqs)
def test_composition_matches_reference(sequences):
    table = composition_table(sequences)
    for i, seq in enumerate(sequences):
        for key, value in reference_row(seq).items():
            got = table.loc[i, key]
            if np.isnan(value):
                assert np.isnan(got)
            else:
                assert got == pytest.approx(value), (seq, key)


@settings(max_examples=60, deadline=None)
@given(seqs, st.booleans())
def test_positional_matches_reference(sequences, from_end):
    profile = positional_composition(sequences, max_positions=12, from_end=from_end)
    for pos in range(12):
        column = [s.upper()[::-1][pos] if from_end else s.upper()[pos]
                  for s in sequences if len(s) > pos]
        if not column:
            assert ("all", pos) not in profile.index
            continue
        row = profile.loc[("all", pos)]
        assert row["n"] == len(column)
        for b in "ACGT":
            assert row[b] == pytest.approx(column.count(b) / len(column))


def test_uneven_lengths_take_the_generic_path():
    sequences = ["A" * 5000] + ["CG"] * 10
    table = composition_table(sequences)
    assert table.loc[0, "A"] == 1.0 and table.loc[1, "CG"] == 1.0
