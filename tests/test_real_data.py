"""Checks on real third-party data (../shared/data), whose problems are documented."""

import numpy as np
import pandas as pd
import pytest

from skgenqc import DatasetQC
from skgenqc.datasets import load_mirna_pairs
from skgenqc.features.encoding import reverse_complement
from skgenqc.io import parse_coordinates, read_genomic_benchmark, read_sequences


def _split(data):
    train = data[data["split"] == "train"].reset_index(drop=True)
    test = data[data["split"] == "test"].reset_index(drop=True)
    return train, test


def test_human_enhancers_ensembl_identical_and_duplicate_intervals(shared_data):
    """Documented: test intervals identical to train ones, many duplicates inside train."""
    data = read_genomic_benchmark(shared_data / "genomic_benchmarks" / "human_enhancers_ensembl")
    train, test = _split(data)
    report = DatasetQC(checks=["intervals"]).run(
        train.assign(sequence=""), X_test=test.assign(sequence=""))
    identical = report["interval_identical_train_test"]
    assert identical.severity == "fail"
    assert identical.evidence["n_test_identical"] > 1000
    # Every listed pair really has the same coordinates.
    coords = identical.table.head(100)
    tr = train.set_index("id")
    te = test.set_index("id")
    for test_id, train_id in zip(coords["test_id"], coords["train_id"]):
        assert tuple(te.loc[test_id, ["chrom", "start", "end"]]) == tuple(
            tr.loc[train_id, ["chrom", "start", "end"]])
    assert report["interval_duplicates_train"].evidence["n_redundant"] > 1000


def test_human_nontata_promoters_overlap_but_never_identical(shared_data):
    data = read_genomic_benchmark(shared_data / "genomic_benchmarks" / "human_nontata_promoters")
    train, test = _split(data)
    report = DatasetQC(checks=["intervals"]).run(
        train.assign(sequence=""), X_test=test.assign(sequence=""))
    assert report["interval_identical_train_test"].evidence["n_test_identical"] == 0
    overlap = report["interval_overlap_train_test"]
    assert overlap.severity == "fail"
    # Brute-force check of the reported overlaps on one chromosome.
    table = overlap.table
    for row in table.head(200).itertuples():
        t = parse_coordinates([row.test_interval]).iloc[0]
        r = parse_coordinates([row.train_interval]).iloc[0]
        assert t.chrom == r.chrom and min(t.end, r.end) > max(t.start, r.start)
    chrom = test["chrom"].value_counts().index[0]
    te = test[test["chrom"] == chrom]
    tr = train[train["chrom"] == chrom]
    brute = ((te["start"].to_numpy()[:, None] < tr["end"].to_numpy()[None, :])
             & (te["end"].to_numpy()[:, None] > tr["start"].to_numpy()[None, :])).any(axis=1)
    reported = set(table["test_id"])
    assert brute.sum() == te["id"].isin(reported).sum()


def test_g4_fasta_files_real_n_runs(shared_data):
    folder = shared_data / "genbenchqc_examples"
    data = read_sequences([folder / "G4_positives.fasta", folder / "G4_negatives.fasta"])
    report = DatasetQC(checks=["alphabet", "composition"]).run(data)
    alphabet = report["alphabet"]
    assert alphabet.severity == "warn"  # N runs present, same alphabet in both classes
    assert alphabet.evidence["n_with_n_run"] > 0
    assert report["gc_content"].severity == "fail"


def test_mirna_short_sequence_leakage_is_found():
    """miRNA-sized (20-25 nt) copies between splits: exact and reverse complement."""
    pairs = load_mirna_pairs()
    mirnas = pairs["noncodingRNA"].drop_duplicates().reset_index(drop=True)
    train = pd.DataFrame({"sequence": mirnas.iloc[::2].tolist()})
    test = pd.DataFrame({"sequence": mirnas.iloc[1::2].tolist()})
    test.loc[0, "sequence"] = train.loc[3, "sequence"]
    test.loc[1, "sequence"] = reverse_complement(train.loc[4, "sequence"])
    report = DatasetQC(checks=["leakage"]).run(train, X_test=test)
    exact = report["train_test_exact"].table
    rc = report["train_test_reverse_complement"].table
    assert ("0", "3") in set(zip(exact["test_id"], exact["train_id"]))
    assert ("1", "4") in set(zip(rc["test_id"], rc["train_id"]))


def test_fantom5_coordinates_parse(shared_data):
    labels = pd.read_csv(shared_data / "ml_pitfalls" / "cage-k562-labels-hg38.csv", nrows=5000)
    column = "coord" if "coord" in labels.columns else labels.columns[0]
    coords = parse_coordinates(labels[column])
    assert len(coords) == 5000
    assert (coords["end"] > coords["start"]).all()
    assert coords["chrom"].str.startswith("chr").all()
