"""Keys for exact and reverse-complement duplicates partition the records as the strings do."""

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from skgenqc._core.sequences import reverse_complement
from skgenqc.qc.duplicates import check_duplicates, sequence_keys

_letters = st.text(alphabet="ACGTacgtNnRYU", max_size=12)


def _same_partition(keys, text):
    """Two labelings partition the rows the same way."""
    pairs = pd.DataFrame({"k": keys, "t": text}).drop_duplicates()
    return pairs["k"].is_unique and pairs["t"].is_unique


@settings(max_examples=200, deadline=None)
@given(st.lists(_letters, min_size=1, max_size=30), st.data())
def test_keys_partition_like_the_strings_on_either_strand(seqs, data):
    # plant copies, lower-case copies and reverse complements of earlier items
    for _ in range(data.draw(st.integers(0, 10))):
        src = seqs[data.draw(st.integers(0, len(seqs) - 1))]
        kind = data.draw(st.sampled_from(["copy", "lower", "rc"]))
        seqs.append({"copy": src, "lower": src.lower(), "rc": reverse_complement(src)}[kind])
    upper = [s.upper() for s in seqs]
    assert _same_partition(sequence_keys(seqs), upper)
    # either strand is an equivalence: a sequence, its reverse complement and that one's
    # reverse complement share a key (U read as T, else GU ~ AC ~ GT would not close)
    dna = [u.replace("U", "T") for u in upper]
    assert _same_partition(sequence_keys(seqs, canonical=True),
                           [min(u, reverse_complement(u)) for u in dna])
    for s in seqs:
        keys = sequence_keys([s, reverse_complement(s), reverse_complement(reverse_complement(s))],
                             canonical=True)
        assert len(set(keys.tolist())) == 1, s


def test_duplicate_tables_list_every_group_with_ids_and_labels():
    seqs = ["ACGT", "AAAA", "acgt", "TTTT", "AAAA", "GGCC"]
    data = pd.DataFrame({"id": list("abcdef"), "label": [0, 0, 0, 1, 1, 0]})
    dup, conflicts, rc = check_duplicates(data, seqs)
    assert dup.evidence["n_redundant"] == 1
    assert dup.table[["n_copies", "ids", "labels"]].values.tolist() == [[2, "a, c", "0"]]
    assert conflicts.table[["n_copies", "ids", "labels"]].values.tolist() == [[2, "b, e", "0, 1"]]
    # AAAA (b, e) and TTTT (d) are one group on either strand; GGCC is its own reverse complement
    assert rc.table[["n_copies", "ids", "labels"]].values.tolist() == [[3, "b, d, e", "0, 1"]]
    assert rc.evidence["n_reverse_complement_groups"] == 1
