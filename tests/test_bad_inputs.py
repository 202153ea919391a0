"""Bad inputs must fail with a clear ValueError/TypeError, never a library traceback.

Each message must name the argument, file, line or column, the bad value and
what was expected; the ``match=`` patterns check those key words.
"""

import gzip
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from skgenqc.io import (
    parse_coordinates,
    read_fasta,
    read_genomic_benchmark,
    read_intervals,
    read_sequences,
    read_table,
)
from skgenqc.qc import DatasetQC


def write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.fixture
def toy():
    """Twelve labelled sequences, enough for every check to run quickly."""
    rng = np.random.default_rng(0)
    seqs = ["".join(rng.choice(list("ACGT"), 40)) for _ in range(12)]
    return seqs, [0, 1] * 6


# --------------------------------------------------------------------------- FASTA

def test_fasta_without_header_line(tmp_path):
    path = write(tmp_path, "noheader.fa", "ACGT\nACGT\n")
    with pytest.raises(ValueError, match=r"noheader\.fa.*not valid FASTA.*line 1.*'>'.*'ACGT'"):
        read_fasta(path)


def test_fasta_random_binary_bytes(tmp_path):
    rng = np.random.default_rng(1)
    path = write(tmp_path, "random.fa", b"\x00\xff" + rng.bytes(500) + b"\x00")
    with pytest.raises(ValueError, match=r"random\.fa.*(not text|not valid FASTA)"):
        read_fasta(path)


def test_fasta_binary_bytes_after_a_header(tmp_path):
    path = write(tmp_path, "bin.fa", b">r1\n\x89\xff\xfe\x00\x00\n")
    with pytest.raises(ValueError, match=r"bin\.fa.*not text.*expected a FASTA/FASTQ"):
        read_fasta(path)


def test_fasta_nul_byte_inside_a_record(tmp_path):
    # Valid UTF-8, so dnaio accepts it; the reader must still refuse it.
    path = write(tmp_path, "nul.fa", b">ok\nACGT\n>r2\nAC\x00GT\n")
    with pytest.raises(ValueError,
                       match=r"nul\.fa.*record 2 \('r2'\).*'\\x00'.*position 3.*expected"):
        read_fasta(path)


def test_fasta_control_character_in_header(tmp_path):
    path = write(tmp_path, "hdr.fa", b">r\x001\nACGT\n")
    with pytest.raises(ValueError, match=r"hdr\.fa.*header of record 1.*control character"):
        read_fasta(path)


def test_empty_fasta(tmp_path):
    path = write(tmp_path, "empty.fa", "")
    with pytest.raises(ValueError, match=r"empty\.fa.*is empty"):
        read_fasta(path)


def test_blank_lines_only_fasta(tmp_path):
    path = write(tmp_path, "blank.fa", "\n\n")
    with pytest.raises(ValueError, match=r"blank\.fa.*no FASTA/FASTQ records"):
        read_fasta(path)


def test_missing_fasta(tmp_path):
    with pytest.raises(ValueError, match=r"nope\.fa.*does not exist"):
        read_fasta(tmp_path / "nope.fa")


def test_truncated_gzip_fasta(tmp_path):
    full = gzip.compress((">s\nACGTACGTTT\n" * 5000).encode())
    path = write(tmp_path, "cut.fa.gz", full[: len(full) // 2])
    with pytest.raises(ValueError, match=r"cut\.fa\.gz.*truncated or corrupt"):
        read_fasta(path)


def test_corrupt_gzip_fasta(tmp_path):
    # Flipped bytes raise zlib/isal errors, which are not OSError subclasses.
    data = bytearray(gzip.compress((">s\nACGTACGTTT\n" * 5000).encode()))
    for i in range(30, 60):
        data[i] ^= 0xFF
    path = write(tmp_path, "bad.fa.gz", bytes(data))
    with pytest.raises(ValueError, match=r"bad\.fa\.gz.*truncated or corrupt"):
        read_fasta(path)


def test_label_from_header_no_match(tmp_path):
    path = write(tmp_path, "lab.fa", ">a label=pos\nACGT\n>b\nACGT\n")
    with pytest.raises(ValueError, match=r"label_from_header=.*does not match header 'b'.*lab\.fa"):
        read_fasta(path, label_from_header=r"label=(\w+)")


@pytest.mark.parametrize("rule, groups", [(r"label=\w+", 0), (r"(l)abel=(\w+)", 2)])
def test_label_from_header_wrong_group_count(tmp_path, rule, groups):
    path = write(tmp_path, "lab.fa", ">a label=pos\nACGT\n")
    with pytest.raises(ValueError, match=rf"label_from_header=.*has {groups} capture groups.*one"):
        read_fasta(path, label_from_header=rule)


def test_label_from_header_invalid_regex(tmp_path):
    path = write(tmp_path, "lab.fa", ">a label=pos\nACGT\n")
    with pytest.raises(ValueError, match=r"label_from_header=.*not a valid regular expression"):
        read_fasta(path, label_from_header=r"label=(\w+")


def test_label_from_header_wrong_type(tmp_path):
    path = write(tmp_path, "lab.fa", ">a label=pos\nACGT\n")
    with pytest.raises(TypeError, match=r"label_from_header must be a regular expression.*int"):
        read_fasta(path, label_from_header=5)


def test_label_from_header_function_returning_none(tmp_path):
    path = write(tmp_path, "lab.fa", ">a\nACGT\n>b\nACGT\n")
    with pytest.raises(ValueError, match=r"label_from_header=.*no label.*header 'b'"):
        read_fasta(path, label_from_header=lambda h: "x" if h == "a" else None)


# --------------------------------------------------------------------------- tables

def test_empty_csv(tmp_path):
    path = write(tmp_path, "empty.csv", "")
    with pytest.raises(ValueError, match=r"empty\.csv.*is empty"):
        read_table(path)


def test_csv_of_blank_lines(tmp_path):
    path = write(tmp_path, "blank.csv", "\n\n")
    with pytest.raises(ValueError, match=r"blank\.csv.*no header and no rows"):
        read_table(path)


def test_csv_with_header_and_no_rows(tmp_path):
    path = write(tmp_path, "head.csv", "sequence,label\n")
    with pytest.raises(ValueError, match=r"head\.csv.*header but no rows"):
        read_table(path)


def test_truncated_gzip_csv(tmp_path):
    full = gzip.compress(("sequence,label\n" + "ACGTA,1\n" * 5000).encode())
    path = write(tmp_path, "cut.csv.gz", full[: len(full) // 2])
    with pytest.raises(ValueError, match=r"cut\.csv\.gz.*truncated or corrupt"):
        read_table(path)


def test_corrupt_gzip_csv(tmp_path):
    data = bytearray(gzip.compress(("sequence,label\n" + "ACGTA,1\n" * 5000).encode()))
    for i in range(30, 60):
        data[i] ^= 0xFF
    path = write(tmp_path, "bad.csv.gz", bytes(data))
    with pytest.raises(ValueError, match=r"bad\.csv\.gz.*truncated or corrupt"):
        read_table(path)


def test_binary_csv(tmp_path):
    path = write(tmp_path, "bin.csv", b"\x89PNG\xff\xfe\x00" * 50)
    with pytest.raises(ValueError, match=r"bin\.csv.*not text.*table"):
        read_table(path)


def test_csv_with_ragged_line(tmp_path):
    path = write(tmp_path, "ragged.csv", "sequence,label\nACGT,1\nAC,1,2,3\n")
    with pytest.raises(ValueError, match=r"ragged\.csv.*line 3 has 4 fields.*2"):
        read_table(path)


def test_misspelt_sequence_column(tmp_path):
    path = write(tmp_path, "t.csv", "seq,label\nACGT,1\n")
    with pytest.raises(ValueError, match=r"t\.csv.*no column 'sequence'.*\['seq', 'label'\]"):
        read_table(path)


def test_missing_label_column_tsv(tmp_path):
    path = write(tmp_path, "t.tsv", "sequence\tlabl\nACGT\t1\n")
    with pytest.raises(ValueError, match=r"t\.tsv.*no column 'label'.*labl.*label_column=None"):
        read_table(path)


def test_custom_sequence_column_missing(tmp_path):
    path = write(tmp_path, "t.csv", "sequence,label\nACGT,1\n")
    with pytest.raises(ValueError, match=r"t\.csv.*no column 'mirna'"):
        read_table(path, sequence_column=["mirna", "gene"])


def test_tsv_content_in_csv_file_hints_separator(tmp_path):
    # Without sep the separator is sniffed (tests/test_io_inputs.py); a wrong explicit one
    # still gets the hint.
    path = write(tmp_path, "t.csv", "sequence\tlabel\nACGT\t1\n")
    with pytest.raises(ValueError, match=r"t\.csv.*no column 'sequence'.*separator"):
        read_table(path, sep=",")


def test_sequence_column_wrong_type(tmp_path):
    path = write(tmp_path, "t.csv", "sequence,label\nACGT,1\n")
    with pytest.raises(TypeError, match=r"sequence_column must be.*None"):
        read_table(path, sequence_column=None)


def test_nan_sequence_in_table(tmp_path):
    path = write(tmp_path, "t.csv", "sequence,label\nACGT,1\n,0\nAC,1\n")
    with pytest.raises(ValueError, match=r"t\.csv.*column 'sequence'.*data row 2"):
        read_table(path)


def test_nan_label_in_table(tmp_path):
    path = write(tmp_path, "t.csv", "sequence,label\nACGT,1\nACGT,0\nAC,\n")
    with pytest.raises(ValueError, match=r"t\.csv.*column 'label'.*data row 3"):
        read_table(path)


# --------------------------------------------------------------------------- read_sequences

def test_read_sequences_unknown_suffix(tmp_path):
    path = write(tmp_path, "reads.bam", "x")
    with pytest.raises(ValueError,
                       match=r"format of .*reads\.bam.*FASTA/FASTQ suffix.*table suffix"):
        read_sequences([path])


def test_read_sequences_missing_file(tmp_path):
    with pytest.raises(ValueError, match=r"gone\.csv.*does not exist"):
        read_sequences(str(tmp_path / "gone.csv"))


@pytest.mark.parametrize("paths", [None, 5])
def test_read_sequences_not_paths(paths):
    with pytest.raises(TypeError, match=r"paths must be a file path or a list"):
        read_sequences(paths)


def test_read_sequences_non_path_element(tmp_path):
    with pytest.raises(TypeError, match=r"paths\[1\] must be a file path.*int"):
        read_sequences([tmp_path / "a.fa", 3])


def test_read_sequences_empty_list():
    with pytest.raises(ValueError, match=r"paths is empty"):
        read_sequences([])


def test_read_sequences_labels_length(tmp_path):
    a = write(tmp_path, "a.fa", ">a\nACGT\n")
    with pytest.raises(ValueError, match=r"labels has 2 entries but 1 files"):
        read_sequences([a], labels=[0, 1])


def test_read_sequences_label_regex_no_match(tmp_path):
    path = write(tmp_path, "lab.fa", ">x class=1\nACGT\n>y\nACGT\n")
    with pytest.raises(ValueError, match=r"label_from_header=.*header 'y'.*lab\.fa"):
        read_sequences([path], label_from_header=r"class=(\d)")


# --------------------------------------------------------------------------- DatasetQC

def test_single_class_gives_failing_report_not_crash(toy):
    seqs, _ = toy
    report = DatasetQC().run(seqs, [1] * len(seqs))
    finding = report["class_sizes"]
    assert finding.severity == "fail"
    assert "one class" in finding.message
    assert report.fails("fail")


def test_x_and_y_lengths_differ(toy):
    seqs, labels = toy
    with pytest.raises(ValueError, match=r"y has 11 values but X has 12 sequences"):
        DatasetQC().run(seqs, labels[:-1])


def test_y_test_length_differs(toy):
    seqs, labels = toy
    with pytest.raises(ValueError, match=r"y has 1 values but X_test has 12"):
        DatasetQC().run(seqs, labels, X_test=seqs, y_test=[1])


@pytest.mark.parametrize("missing", [np.nan, None])
def test_y_with_nan(toy, missing):
    seqs, labels = toy
    y = [float(v) for v in labels[:-1]] + [missing]
    with pytest.raises(ValueError, match=r"label of X row 11 is missing"):
        DatasetQC().run(seqs, y)


def test_dataframe_label_nan(toy):
    seqs, labels = toy
    frame = pd.DataFrame({"sequence": seqs, "label": [np.nan] + labels[1:]})
    with pytest.raises(ValueError, match=r"label of X row 0 is missing"):
        DatasetQC().run(frame)


@pytest.mark.parametrize("arg", ["X", "X_test"])
def test_single_str_instead_of_list(toy, arg):
    seqs, labels = toy
    kwargs = {"X": "ACGTACGT"} if arg == "X" else {"X": seqs, "y": labels, "X_test": "ACGT"}
    with pytest.raises(TypeError, match=rf"{arg} must be a list.*single str.*wrap it in a list"):
        DatasetQC().run(**kwargs)


def test_sequences_with_missing_entry():
    with pytest.raises(ValueError, match=r"X\[1\] is missing"):
        DatasetQC().run(["ACGT", None, "ACGT"])


def test_dataframe_without_sequence_column(toy):
    seqs, labels = toy
    with pytest.raises(ValueError, match=r"X has no 'sequence' column.*\['seq', 'label'\]"):
        DatasetQC().run(pd.DataFrame({"seq": seqs, "label": labels}))


@pytest.mark.parametrize("checks", [["duplicates", "dupes"], "dupes"])
def test_unknown_check_names(toy, checks):
    seqs, labels = toy
    with pytest.raises(InvalidParameterError, match=r"'checks' parameter of DatasetQC.*Got .*dupes"
                                                    r".*checks contains 'dupes'.*checks are.*duplicates"):
        DatasetQC(checks=checks).run(seqs, labels)


@pytest.mark.parametrize("threshold", [0.3, 1.5, "high", None, True, float("nan")])
def test_identity_threshold_out_of_range(toy, threshold):
    seqs, labels = toy
    with pytest.raises(InvalidParameterError, match=r"'identity_threshold' parameter of DatasetQC "
                                                    r"must be a float in the range \[0\.5, 1\.0\]"):
        DatasetQC(identity_threshold=threshold).run(seqs, labels)


# --------------------------------------------------------------------------- intervals

def test_interval_end_before_start(tmp_path):
    path = write(tmp_path, "x.bed", "chr1\t10\t20\nchr1\t100\t50\n")
    with pytest.raises(ValueError, match=r"x\.bed' line 2: end < start \(100-50\)"):
        read_intervals(path)


def test_interval_negative_start(tmp_path):
    path = write(tmp_path, "x.bed", "chr1\t-5\t50\n")
    with pytest.raises(ValueError, match=r"x\.bed' line 1: start is negative \(-5\)"):
        read_intervals(path)


@pytest.mark.parametrize("value, shown", [("abc", "'abc'"), ("1.5", "1.5"), ("", "empty")])
def test_interval_non_integer_start(tmp_path, value, shown):
    path = write(tmp_path, "x.bed", f"chr1\t1\t5\nchr1\t{value}\t50\n")
    with pytest.raises(ValueError, match=rf"x\.bed' line 2: column 'start' is {re.escape(shown)}"
                                         r".*whole-number"):
        read_intervals(path)


def test_interval_table_non_integer_end(tmp_path):
    path = write(tmp_path, "x.csv", "chrom,start,end\nchr1,1,5\nchr1,2,x\n")
    with pytest.raises(ValueError, match=r"x\.csv' line 3: column 'end' is 'x'"):
        read_intervals(path)


def test_interval_line_numbers_count_track_and_comment_lines(tmp_path):
    path = write(tmp_path, "x.bed", "track name=a\n# note\nchr1\t1\t5\n\nchr1\t9\t5\n")
    with pytest.raises(ValueError, match=r"x\.bed' line 5: end < start"):
        read_intervals(path)


def test_bed_with_track_lines_is_read(tmp_path):
    # Not a bad input: a regression guard for the track-line handling the checks rely on.
    path = write(tmp_path, "ok.bed", "browser position chr1:1-5\ntrack name=a\nchr1\t1\t5\n"
                                     "track name=b\nchr2\t3\t9\n")
    frame = read_intervals(path)
    assert frame[["chrom", "start", "end"]].values.tolist() == [["chr1", 1, 5], ["chr2", 3, 9]]


def test_interval_file_with_ragged_line(tmp_path):
    path = write(tmp_path, "x.bed", "chr1\t1\t5\nchr1\t1\t5\tp\t0\t+\n")
    with pytest.raises(ValueError, match=r"x\.bed.*line 2 has 6 fields.*3"):
        read_intervals(path)


def test_interval_file_only_comments(tmp_path):
    path = write(tmp_path, "x.bed", "# nothing\ntrack name=a\n")
    with pytest.raises(ValueError, match=r"x\.bed.*holds no intervals"):
        read_intervals(path)


def test_interval_table_header_without_rows(tmp_path):
    path = write(tmp_path, "x.csv", "chrom,start,end\n")
    with pytest.raises(ValueError, match=r"x\.csv.*header but no intervals"):
        read_intervals(path)


def test_interval_file_too_few_columns(tmp_path):
    path = write(tmp_path, "x.bed", "chr1\t5\n")
    with pytest.raises(ValueError, match=r"x\.bed.*no 'end' column.*chrom,start,end"):
        read_intervals(path)


def test_interval_file_space_separated(tmp_path):
    path = write(tmp_path, "x.bed", "chr1 1 5\n")
    with pytest.raises(ValueError, match=r"x\.bed.*no 'start' column.*tabs"):
        read_intervals(path)


def test_interval_file_binary(tmp_path):
    path = write(tmp_path, "x.bed", b"\x9a\xff\x00" * 40)
    with pytest.raises(ValueError, match=r"x\.bed.*not text"):
        read_intervals(path)


def test_interval_label_column_missing(tmp_path):
    path = write(tmp_path, "x.bed", "chr1\t5\t10\n")
    with pytest.raises(ValueError, match=r"label_column='cls' is not a column of .*x\.bed"):
        read_intervals(path, label_column="cls")


@pytest.mark.parametrize("value", ["chr1", "chr1:100", "chr1:a-b", "chr1:-5-10", "", None, 5])
def test_parse_coordinates_bad_strings(value):
    with pytest.raises(ValueError, match=r"region\[1\] = .* is not a coordinate.*chrom:start-end"):
        parse_coordinates(["chr1:1-2", value], name="region")


def test_parse_coordinates_end_before_start():
    with pytest.raises(ValueError, match=r"coord\[0\] = 'chr1:200-100': end < start"):
        parse_coordinates(["chr1:200-100"])


def test_parse_coordinates_too_large():
    with pytest.raises(ValueError, match=r"coord\[0\] = .*end is too large"):
        parse_coordinates(["chr1:1-99999999999999999999999"])


@pytest.mark.parametrize("value, kind", [("chr1:1-5", "single str"), (5, "int")])
def test_parse_coordinates_not_a_list(value, kind):
    with pytest.raises(TypeError, match=rf"coord must be a list of 'chrom:start-end'.*{kind}"):
        parse_coordinates(value)


# --------------------------------------------------------------------------- Genomic Benchmarks

def test_genomic_benchmark_folder_without_csv(tmp_path):
    (tmp_path / "ds" / "train").mkdir(parents=True)
    with pytest.raises(ValueError, match=r"folder=.*ds.*no train/<class>\.csv\.gz"):
        read_genomic_benchmark(tmp_path / "ds")


def test_genomic_benchmark_not_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"folder=.*missing.*is not a folder"):
        read_genomic_benchmark(tmp_path / "missing")


def test_genomic_benchmark_empty_csv(tmp_path):
    write(tmp_path, "ds/train/positive.csv", "")
    with pytest.raises(ValueError, match=r"positive\.csv.*is empty"):
        read_genomic_benchmark(tmp_path / "ds")


def test_genomic_benchmark_bad_gzip(tmp_path):
    write(tmp_path, "ds/test/negative.csv.gz", b"not gzip at all")
    with pytest.raises(ValueError, match=r"negative\.csv\.gz.*truncated or corrupt"):
        read_genomic_benchmark(tmp_path / "ds")


def test_genomic_benchmark_missing_column(tmp_path):
    write(tmp_path, "ds/train/positive.csv", "id,start,end\n0,1,5\n")
    with pytest.raises(ValueError, match=r"positive\.csv.*no 'chrom' \(or 'region'\) column"):
        read_genomic_benchmark(tmp_path / "ds")


def test_genomic_benchmark_bad_coordinates(tmp_path):
    write(tmp_path, "ds/train/positive.csv",
          "id,region,start,end,strand\n0,chr1,1,5,+\n1,chr1,x,5,+\n")
    with pytest.raises(ValueError, match=r"positive\.csv' line 3: column 'start' is 'x'"):
        read_genomic_benchmark(tmp_path / "ds")
    write(tmp_path, "ds/train/positive.csv", "id,region,start,end,strand\n0,chr1,9,5,+\n")
    with pytest.raises(ValueError, match=r"positive\.csv' line 2: end < start"):
        read_genomic_benchmark(tmp_path / "ds")


# --------------------------------------------------------------------------- SequenceOneHot

@pytest.mark.parametrize("X", [["", ""], np.array(["", "", ""]), pd.Series([""])],
                         ids=["list", "array", "Series"])
def test_one_hot_fitted_on_empty_strings_only(X):
    from skgenqc.features import SequenceOneHot

    # Before: a (n, 0) matrix that the next estimator rejected with a shape error.
    with pytest.raises(ValueError, match=rf"length=None.*all {len(X)} sequences in X are empty "
                                         r"strings.*set length"):
        SequenceOneHot().fit(X)
    with pytest.raises(ValueError, match=r"are empty strings"):
        SequenceOneHot(flatten=False).fit_transform(X)


def test_one_hot_with_some_empty_strings_still_works():
    from skgenqc.features import SequenceOneHot

    out = SequenceOneHot().fit_transform(["", "ACG", ""])
    assert out.shape == (3, 12)
    assert out[[0, 2]].sum() == 0 and out[1].sum() == 3
    fixed = SequenceOneHot(length=2).fit_transform(["", ""])  # an explicit length is honoured
    assert fixed.shape == (2, 8) and fixed.sum() == 0


@pytest.mark.parametrize("where", ["X", "X_test"])
def test_dataset_qc_refuses_protein_and_names_the_argument(where):
    from skgenqc import DatasetQC

    dna = ["ACGTACGTTGCA", "GGCCATATGCAN"]
    protein = ["MEEPQSDPSVEPPLSQETF", "MKTAYIAKQRQISFVKSHF"]
    train, test = (protein, dna) if where == "X" else (dna, protein)
    with pytest.raises(ValueError, match=rf"^{where}: 2 of 2 sequences look like protein"):
        DatasetQC(checks=["alphabet"]).run(train, [0, 1], X_test=test, y_test=[0, 1])
    # nucleotide input with the odd ambiguity code still runs
    DatasetQC(checks=["alphabet"]).run(dna, [0, 1], X_test=dna, y_test=[0, 1])
