"""Coordinate-only inputs: input_kind, read_coordinates, reference genomes, DatasetQC without
sequences and input windows (context) overlapping across train and test."""

import gzip

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skgenqc import DatasetQC
from skgenqc._core.genome import interval_keys
from skgenqc.io import input_kind, read_coordinates, reference_names
from skgenqc.io.coordinates import read_coordinates as read_coordinates_module
from skgenqc.qc import registered_checks
from skgenqc.qc.dataset import NO_SEQUENCES
from skgenqc.qc.intervals import check_interval_leakage

# Every check that reads sequences says so; these at least.
SEQUENCE_CHECKS = {spec.name for spec in registered_checks() if "sequences" in spec.needs}
assert SEQUENCE_CHECKS >= {"alphabet", "composition", "positional", "kmers", "shortcut",
                           "duplicates", "near_duplicates", "leakage", "shift"}


def _write(path, text):
    path.write_text(text)
    return path


def _benchmark(folder, train, test):
    """A Genomic Benchmarks folder: {split}/{class}.csv.gz with id,region,start,end,strand."""
    for split, frames in (("train", train), ("test", test)):
        (folder / split).mkdir(parents=True)
        for label, frame in frames.items():
            with gzip.open(folder / split / f"{label}.csv.gz", "wt") as handle:
                frame.to_csv(handle, index=False)
    return folder


def _gb_frame(chrom, starts, length=100):
    starts = np.asarray(starts)
    return pd.DataFrame({"id": np.arange(len(starts)), "region": chrom, "start": starts,
                         "end": starts + length, "strand": "+"})


def _genome(path, chroms):
    """A FASTA genome with a known sequence per chromosome (a 4-letter cycle, shifted)."""
    rng = np.random.default_rng(3)
    seqs = {name: "".join(rng.choice(list("ACGT"), size=length)) for name, length in chroms.items()}
    path.write_text("".join(f">{name}\n{seq}\n" for name, seq in seqs.items()))
    return path, seqs


# input_kind ------------------------------------------------------------------------------

def test_input_kind_tells_sequences_coordinates_and_benchmark_folders(tmp_path):
    files = {
        "a.fa": ">x\nACGT\n", "b.bed": "chr1\t1\t5\n", "c.txt": "chr1\t1\t5\tpeak\n",
        "d.csv": "sequence,label\nACGT,1\n", "e.csv": "region,start,end\nchr1,1,5\n",
        "f.tsv": "chrom\tstart\tend\tlabel\n1\t1\t5\t0\n", "g.csv": "coord,k562\nchr1:1-5,0\n",
        "h.csv": "chr,start,end,sequence\nchr1,1,5,ACGT\n",  # sequences win: they are there
    }
    for name, text in files.items():
        _write(tmp_path / name, text)
    kinds = {name: input_kind(tmp_path / name) for name in files}
    assert kinds == {"a.fa": "sequences", "b.bed": "coordinates", "c.txt": "coordinates",
                     "d.csv": "sequences", "e.csv": "coordinates", "f.tsv": "coordinates",
                     "g.csv": "coordinates", "h.csv": "sequences"}
    folder = _benchmark(tmp_path / "ds", {"pos": _gb_frame("chr1", [0])}, {})
    assert input_kind(folder) == "benchmark"


def test_input_kind_bad_inputs(tmp_path):
    (tmp_path / "empty_folder").mkdir()
    with pytest.raises(ValueError, match="not a Genomic Benchmarks dataset"):
        input_kind(tmp_path / "empty_folder")
    with pytest.raises(ValueError, match="does not exist"):
        input_kind(tmp_path / "missing.xyz")
    _write(tmp_path / "notes.xyz", "just some words\n")
    with pytest.raises(ValueError, match="cannot tell the format.*Genomic Benchmarks folder"):
        input_kind(tmp_path / "notes.xyz")
    with pytest.raises(TypeError, match="path must be"):
        input_kind(3)


# read_coordinates ------------------------------------------------------------------------

def test_read_coordinates_forms_agree(tmp_path):
    """One set of intervals written as BED, a region table and a coord table reads the same."""
    bed = _write(tmp_path / "x.bed", "chr1\t10\t20\tp1\t0\t-\nchr2\t5\t9\tp2\t0\t+\n")
    region = _write(tmp_path / "x.csv", "id,region,start,end,strand\np1,chr1,10,20,-\n"
                                        "p2,chr2,5,9,+\n")
    coord = _write(tmp_path / "y.csv", "coord,label\nchr1:10-20(-),1\nchr2:5-9(+),0\n")
    frames = [read_coordinates(p) for p in (bed, region, coord)]
    for frame in frames:
        assert frame[["chrom", "start", "end", "strand"]].values.tolist() == [
            ["chr1", 10, 20, "-"], ["chr2", 5, 9, "+"]]
    assert frames[2]["label"].tolist() == [1, 0]
    assert frames[2]["id"].tolist() == ["chr1:10-20(-)", "chr2:5-9(+)"]


def test_read_coordinates_id_column_of_coordinates_and_labels_per_file(tmp_path):
    ids = _write(tmp_path / "pos.tsv", "id\tscore\nchr3:100-200\t1.5\n4:7-9\t2\n")
    neg = _write(tmp_path / "neg.bed", "chr3\t500\t600\n")
    frame = read_coordinates([ids, neg])
    assert frame[["chrom", "start", "end", "label"]].values.tolist() == [
        ["chr3", 100, 200, "pos"], ["4", 7, 9, "pos"], ["chr3", 500, 600, "neg"]]
    assert frame["source"].tolist() == ["pos.tsv", "pos.tsv", "neg.bed"]
    assert read_coordinates([ids, neg], labels=[1, 0])["label"].tolist() == [1, 1, 0]


def test_read_coordinates_benchmark_folder(tmp_path):
    folder = _benchmark(tmp_path / "ds", {"positive": _gb_frame("chr1", [0, 500]),
                                          "negative": _gb_frame("chr2", [0])},
                        {"positive": _gb_frame("chr1", [0])})
    frame = read_coordinates(folder)
    assert sorted(zip(frame["split"], frame["label"])) == [
        ("test", "positive"), ("train", "negative"), ("train", "positive"), ("train", "positive")]
    assert set(frame["chrom"]) == {"chr1", "chr2"}
    assert read_coordinates_module is read_coordinates


@pytest.mark.parametrize("name, text, match", [
    ("bad.csv", "coord,label\nchr1:10-20,1\nchr1:10-x,0\n", r"\[1\] = 'chr1:10-x'.*chrom:start-end"),
    ("bad2.csv", "coord,label\nchr1:30-20,1\n", "end < start"),
    ("bad.bed", "chr1\t10\t20\nchr1\t1.5\t9\n", "line 2: column 'start' is 1.5"),
    ("bad3.csv", "region,start,end\nchr1,-5,9\n", "start is negative"),
    ("bad4.csv", "name,label\nfoo,1\n", "neither chrom,start,end columns nor a column"),
])
def test_read_coordinates_malformed(tmp_path, name, text, match):
    with pytest.raises(ValueError, match=match):
        read_coordinates(_write(tmp_path / name, text))


def test_read_coordinates_refuses_sequences_and_bad_arguments(tmp_path):
    fasta = _write(tmp_path / "a.fa", ">x\nACGT\n")
    with pytest.raises(ValueError, match="holds sequences, not coordinates"):
        read_coordinates(fasta)
    with pytest.raises(ValueError, match="paths is empty"):
        read_coordinates([])
    with pytest.raises(TypeError, match="paths must be"):
        read_coordinates(5)
    bed = _write(tmp_path / "x.bed", "chr1\t1\t5\n")
    with pytest.raises(ValueError, match="labels has 2 entries but 1 paths"):
        read_coordinates([bed], labels=[0, 1])


# reference genomes -----------------------------------------------------------------------

def test_reference_fetches_sequences_matching_chromosome_names(tmp_path):
    fasta, seqs = _genome(tmp_path / "g.fa", {"chr1": 300, "chrX": 200, "chrM": 50})
    bed = _write(tmp_path / "x.bed", "1\t10\t30\ta\t0\t+\nX\t0\t5\tb\t0\t-\nMT\t3\t8\tc\t0\t.\n")
    frame = read_coordinates(bed, reference=fasta)
    complement = str.maketrans("ACGT", "TGCA")
    assert frame["sequence"].tolist() == [seqs["chr1"][10:30],
                                          seqs["chrX"][0:5].translate(complement)[::-1],
                                          seqs["chrM"][3:8]]


def test_reference_missing_chromosomes_are_all_listed_with_a_prefix_hint(tmp_path):
    fasta, _ = _genome(tmp_path / "g.fa", {"1": 100, "2": 100})
    bed = _write(tmp_path / "x.bed", "chr1\t1\t5\nchr7\t1\t5\nchrUn_KI270302v1\t1\t5\n"
                                     "chr9\t1\t5\n")
    with pytest.raises(ValueError) as err:
        read_coordinates(bed, reference=fasta)
    message = str(err.value)
    assert "lacks 3 chromosomes the intervals name: chr7, chr9, chrUn_KI270302v1" in message
    assert "it holds 1, 2" in message
    assert "'chr' prefix (1 = chr1" in message and "rename one side" in message


def test_reference_interval_past_the_end_and_unreadable_reference(tmp_path):
    fasta, _ = _genome(tmp_path / "g.fa", {"chr1": 100})
    bed = _write(tmp_path / "x.bed", "chr1\t90\t120\n")
    with pytest.raises(ValueError, match="ends past the end of 'chr1' \\(100 bp\\)"):
        read_coordinates(bed, reference=fasta)
    with pytest.raises(ValueError, match="reference FASTA .* does not exist"):
        read_coordinates(bed, reference=tmp_path / "missing.fa")


def test_reference_names_maps_conventions():
    assert reference_names(["1", "chrMT", "chrX"], ["chr1", "chrM", "X"]) == {
        "1": "chr1", "chrMT": "chrM", "chrX": "X"}


# DatasetQC on coordinates ----------------------------------------------------------------

def _intervals(chrom, starts, prefix, length=100, label=None):
    starts = np.asarray(starts)
    frame = pd.DataFrame({"id": [f"{prefix}{i}" for i in range(len(starts))], "chrom": chrom,
                          "start": starts, "end": starts + length})
    if label is not None:
        frame["label"] = label
    return frame


def test_dataset_qc_on_coordinates_skips_sequence_checks_and_says_why():
    rng = np.random.default_rng(0)
    train = _intervals("chr1", np.sort(rng.choice(10**6, 200, replace=False)) * 10, "tr",
                       label=[0, 1] * 100)
    test = _intervals("chr2", np.sort(rng.choice(10**6, 50, replace=False)) * 10, "te",
                      label=[0, 1] * 25)
    report = DatasetQC(context=50).run(train, X_test=test)
    skipped = report.metadata["skipped_checks"]
    assert set(skipped) == SEQUENCE_CHECKS
    assert all(reason == NO_SEQUENCES for reason in skipped.values())
    assert "give --reference" in NO_SEQUENCES
    assert set(report.metadata["checks"]) == {"class_sizes", "train_test_labels", "intervals"}
    # Null data (other chromosome, distinct positions): nothing warns.
    assert {f.severity for f in report} == {"pass"}
    assert report["interval_window_overlap_train_test"].value == 0.0


def test_dataset_qc_coordinates_known_answer_identical_and_windows():
    """Train on chr1 every 1 kb; test: 3 copies, 4 intervals 60 bp after one, 93 far away."""
    train = _intervals("chr1", np.arange(100) * 1000, "tr")
    starts = np.concatenate([np.arange(3) * 1000, np.arange(10, 14) * 1000 + 160,
                             np.arange(93) * 1000 + 500_000])
    test = _intervals(["1"] * 7 + ["chr1"] * 93, starts, "te")
    report = DatasetQC(checks="intervals", context=40).run(train, X_test=test)
    assert report["interval_identical_train_test"].evidence["n_test_identical"] == 3
    assert report["interval_overlap_train_test"].evidence["n_test_overlapping"] == 3
    window = report["interval_window_overlap_train_test"]
    assert window.evidence["n_test_window_overlapping"] == 7
    assert window.evidence["n_beyond_interval_overlap"] == 4
    assert window.severity == "fail"
    assert set(window.table.loc[~window.table["intervals_overlap"], "test_id"]) == {
        "te3", "te4", "te5", "te6"}
    # 30 bp each side do not bridge a 60 bp gap: the windows only touch.
    narrow = DatasetQC(checks="intervals", context=30).run(train, X_test=test)
    assert narrow["interval_window_overlap_train_test"].evidence["n_test_window_overlapping"] == 3
    # No context, no window finding.
    plain = DatasetQC(checks="intervals").run(train, X_test=test)
    assert plain.get("interval_window_overlap_train_test") is None


def test_window_overlap_matches_brute_force():
    rng = np.random.default_rng(5)
    train = _intervals("chr1", rng.integers(0, 200_000, 300), "tr", length=80)
    test = _intervals("chr1", rng.integers(0, 200_000, 200), "te", length=120)
    context = 75
    finding = check_interval_leakage(train, test, context=context)[2]
    lo, hi = test["start"].to_numpy() - context, test["end"].to_numpy() + context
    tlo, thi = train["start"].to_numpy() - context, train["end"].to_numpy() + context
    brute = ((lo[:, None] < thi[None, :]) & (hi[:, None] > tlo[None, :])).any(axis=1)
    assert finding.evidence["n_test_window_overlapping"] == int(brute.sum())
    assert set(finding.table["test_id"]) == set(test["id"][brute])


def test_context_bad_values():
    train = _intervals("chr1", [0], "tr")
    with pytest.raises(InvalidParameterError, match="'context' parameter of DatasetQC"):
        DatasetQC(context=-1).run(train)
    with pytest.raises(InvalidParameterError, match="'context' parameter of DatasetQC"):
        DatasetQC(context=1.5).run(train)
    for bad in (-3, 2.5, True, "10"):
        with pytest.raises(ValueError, match="context=.* expected a whole number >= 0"):
            check_interval_leakage(train, train, context=bad)


def test_dataset_qc_without_sequences_or_coordinates_still_refused():
    with pytest.raises(ValueError, match="no 'sequence' column.*chrom, start and end"):
        DatasetQC().run(pd.DataFrame({"id": ["a"], "chrom": ["chr1"]}))


def test_coordinates_with_reference_run_every_check(tmp_path):
    fasta, _ = _genome(tmp_path / "g.fa", {"chr1": 20_000, "chr2": 20_000})
    rows = "".join(f"chr1\t{i * 150}\t{i * 150 + 100}\n" for i in range(40))
    rows += "".join(f"chr2\t{i * 150}\t{i * 150 + 100}\n" for i in range(40))
    frame = read_coordinates(_write(tmp_path / "x.bed", rows), reference=fasta)
    frame["label"] = [0, 1] * 40
    report = DatasetQC(checks=["alphabet", "duplicates", "intervals"]).run(frame)
    assert "skipped_checks" not in report.metadata
    assert report["alphabet"].severity == "pass"
    assert report["interval_duplicates"].severity == "pass"


# real data -------------------------------------------------------------------------------

def _split(data):
    return (data[data["split"] == "train"].reset_index(drop=True),
            data[data["split"] == "test"].reset_index(drop=True))


def test_real_human_enhancers_ensembl_fails_on_identical_test_intervals(shared_data):
    data = read_coordinates(shared_data / "genomic_benchmarks" / "human_enhancers_ensembl")
    report = DatasetQC().run(data)
    train, test = _split(data)
    identical = report["interval_identical_train_test"]
    expected = interval_keys(test).isin(set(interval_keys(train))).mean()
    assert identical.value == pytest.approx(expected)
    assert identical.value == pytest.approx(0.378, abs=0.001)  # documented: ~37.8 %
    assert identical.severity == "fail" and report.worst_severity == "fail"
    assert set(report.metadata["skipped_checks"]) == SEQUENCE_CHECKS


def test_real_human_nontata_promoters_window_overlap_fires(shared_data):
    data = read_coordinates(shared_data / "genomic_benchmarks" / "human_nontata_promoters")
    report = DatasetQC(checks="intervals", context=100).run(data)
    overlap = report["interval_overlap_train_test"]
    window = report["interval_window_overlap_train_test"]
    assert overlap.severity == "fail" and window.severity == "fail"
    assert window.evidence["n_test_window_overlapping"] >= overlap.evidence["n_test_overlapping"]
    assert window.evidence["n_beyond_interval_overlap"] > 0
