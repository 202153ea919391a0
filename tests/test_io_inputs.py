"""Awkward but valid inputs are read right; inputs that would be read wrong are refused.

Non-ASCII FASTA headers (dnaio reads ASCII only), a UTF-8 byte order mark, a
tab-separated ``.txt`` table, a named pipe (read once, never stat-sized),
duplicate column names, protein given to the DNA checks, ``--test a.fa b.fa``,
and CLI messages that name the option the user typed.
"""

import bz2
import gzip
import lzma
import os
import threading
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from skgenqc.cli import main
from skgenqc.datasets import data_path
from skgenqc.io import (
    check_not_protein,
    protein_like,
    read_fasta,
    read_intervals,
    read_sequences,
    read_table,
)

BOM = b"\xef\xbb\xbf"
G4 = [data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")]


def random_dna(n, length, seed=0):
    rng = np.random.default_rng(seed)
    return ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]


def fasta_bytes(ids, seqs):
    return "".join(f">{i}\n{s}\n" for i, s in zip(ids, seqs)).encode("utf-8")


# ------------------------------------------------------------------ non-ASCII headers

UNICODE_IDS = ["séq1 Ångström", "r2 μ-peak", "日本 3"]


@pytest.mark.parametrize("compress", [False, True])
def test_fasta_with_non_ascii_headers_is_read(tmp_path, compress):
    seqs = ["ACGTAC", "GGCCTA", "TTAAcg"]
    data = fasta_bytes(UNICODE_IDS, seqs)
    path = tmp_path / ("u.fa.gz" if compress else "u.fa")
    path.write_bytes(gzip.compress(data) if compress else data)
    frame = read_fasta(path, label=1)
    assert frame["id"].tolist() == UNICODE_IDS
    assert frame["sequence"].tolist() == seqs


def test_fastq_with_non_ascii_header_is_read(tmp_path):
    path = tmp_path / "u.fq"
    path.write_bytes("@réad1\nACGT\n+\nIIII\n@r2\nGG\n+\nII\n".encode())
    frame = read_fasta(path)
    assert frame["id"].tolist() == ["réad1", "r2"] and frame["sequence"].tolist() == ["ACGT", "GG"]


def test_fastq_fallback_checks_quality_length(tmp_path):
    path = tmp_path / "u.fq"
    path.write_bytes("@réad1\nACGT\n+\nIII\n".encode())
    with pytest.raises(ValueError, match=r"u\.fq.*record 1.*4 bases but 3 quality"):
        read_fasta(path)


def test_non_ascii_file_without_records_names_the_line(tmp_path):
    path = tmp_path / "bad.fa"
    path.write_bytes("\nnot fasta é\n>r\nACGT\n".encode())
    with pytest.raises(ValueError, match=r"bad\.fa.*not valid FASTA.*line 2.*'>'"):
        read_fasta(path)


def test_latin1_header_is_refused_as_not_utf8(tmp_path):
    path = tmp_path / "latin.fa"
    path.write_bytes(b">s\xe9q\nACGT\n")
    with pytest.raises(ValueError, match=r"latin\.fa.*not text.*\\xe9.*UTF-8"):
        read_fasta(path)


def test_non_ascii_letter_in_a_sequence_is_still_refused(tmp_path):
    path = tmp_path / "seq.fa"
    path.write_bytes(">ok\nACGT\n>r2\nACÉGT\n".encode())
    with pytest.raises(ValueError, match=r"seq\.fa.*record 2.*'É'.*position 3"):
        read_fasta(path)


# ------------------------------------------------------------------ byte order mark

def test_fasta_with_bom(tmp_path):
    path = tmp_path / "bom.fa"
    path.write_bytes(BOM + b">r1\nACGT\n>r2\nGG\n")
    assert read_fasta(path)["id"].tolist() == ["r1", "r2"]


def test_gzipped_fasta_with_bom(tmp_path):
    path = tmp_path / "bom.fa.gz"
    path.write_bytes(gzip.compress(BOM + b">r1\nACGT\n"))
    assert read_fasta(path)["sequence"].tolist() == ["ACGT"]


@pytest.mark.parametrize("name,sep", [("bom.csv", ","), ("bom.tsv", "\t"), ("bom.txt", "\t")])
def test_table_with_bom(tmp_path, name, sep):
    path = tmp_path / name
    path.write_bytes(BOM + sep.join(["id", "sequence", "label"]).encode() + b"\n"
                     + sep.join(["a", "ACGT", "1"]).encode() + b"\n")
    frame = read_table(path)
    assert frame["id"].tolist() == ["a"] and frame["label"].tolist() == [1]


def test_interval_table_with_bom(tmp_path):
    path = tmp_path / "peaks.tsv"
    path.write_bytes(BOM + b"chrom\tstart\tend\nchr1\t10\t20\n")
    frame = read_intervals(path)
    assert frame[["chrom", "start", "end"]].values.tolist() == [["chr1", 10, 20]]


# ------------------------------------------------------------------ separators

@pytest.mark.parametrize("name", ["table.txt", "table.tab", "table.csv"])
def test_tab_separated_table_under_any_suffix(tmp_path, name):
    path = tmp_path / name
    path.write_text("sequence\tlabel\nACGT\t0\nGGCC\t1\n")
    frame = read_table(path)
    assert frame["sequence"].tolist() == ["ACGT", "GGCC"] and frame["label"].tolist() == [0, 1]


def test_comma_separated_txt(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text("sequence,label\nACGT,0\n")
    assert read_table(path)["label"].tolist() == [0]


def test_explicit_sep_is_not_second_guessed(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("sequence\tlabel\nACGT\t0\n")
    with pytest.raises(ValueError, match=r"no column 'sequence'.*sep=','"):
        read_table(path, sep=",")


def test_qc_reads_a_tab_separated_txt(runner, tmp_path):
    train = pd.read_csv(data_path("enhancers_train.csv.gz"))
    path = tmp_path / "train.txt"
    train.to_csv(path, sep="\t", index=False)
    result = runner.invoke(main, ["qc", str(path), "--checks", "class_sizes", "--fail-on",
                                  "never"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "class_sizes" in result.output


# ------------------------------------------------------------------ duplicate columns

@pytest.mark.parametrize("column", ["label", "sequence", "id"])
def test_table_with_a_duplicate_column_is_refused(tmp_path, column):
    path = tmp_path / "dup.csv"
    header = ["id", "sequence", "label", column]
    path.write_text(",".join(header) + "\na,ACGT,0,1\nb,GGCC,1,0\n")
    with pytest.raises(ValueError, match=rf"dup\.csv.*2 columns named '{column}'.*columns "
                                         rf"{header.index(column) + 1}, 4.*ambiguous"):
        read_table(path)


def test_duplicate_of_an_unused_column_is_kept(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("sequence,label,score,score\nACGT,0,1,2\n")
    assert read_table(path)["sequence"].tolist() == ["ACGT"]


def test_duplicate_of_a_second_sequence_column_is_refused(tmp_path):
    path = tmp_path / "pairs.tsv"
    path.write_text("mirna\tgene\tgene\tlabel\nACGU\tACGT\tGGCC\t1\n")
    with pytest.raises(ValueError, match=r"2 columns named 'gene'"):
        read_table(path, sequence_column=["mirna", "gene"])


# ------------------------------------------------------------------ named pipes

@contextmanager
def serving_fifo(tmp_path, name, content):
    """A named pipe a thread writes ``content`` into, once.

    A second opening by the reader gets an empty stream (not a hang), so a
    reader that opens the pipe twice fails the test.
    """
    path = tmp_path / name
    os.mkfifo(path)

    def writer():
        try:
            with open(path, "wb") as handle:
                handle.write(content)
            with open(path, "wb"):
                pass
        except OSError:
            pass

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        yield path
    finally:
        while thread.is_alive():  # release a writer still waiting for a reader
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            thread.join(0.05)
            os.close(fd)


@pytest.mark.parametrize("compress", [None, gzip.compress, bz2.compress, lzma.compress],
                         ids=["plain", "gzip", "bz2", "xz"])
def test_fasta_from_a_named_pipe(tmp_path, compress):
    seqs = random_dna(5, 30)
    data = fasta_bytes([f"r{i}" for i in range(5)], seqs)
    with serving_fifo(tmp_path, "pipe.fa", compress(data) if compress else data) as fifo:
        frame = read_fasta(fifo)
    assert frame["sequence"].tolist() == seqs


def test_truncated_gzip_from_a_named_pipe(tmp_path):
    data = gzip.compress(fasta_bytes(["r1"], random_dna(1, 500)))
    with serving_fifo(tmp_path, "cut.fa", data[: len(data) // 2]) as fifo:
        with pytest.raises(ValueError, match=r"cut\.fa.*truncated or corrupt"):
            read_fasta(fifo)


def test_unicode_fasta_from_a_named_pipe(tmp_path):
    with serving_fifo(tmp_path, "pipe.fa", BOM + fasta_bytes(UNICODE_IDS, ["A", "C", "G"])) \
            as fifo:
        assert read_fasta(fifo)["id"].tolist() == UNICODE_IDS


def test_table_from_a_named_pipe(tmp_path):
    with serving_fifo(tmp_path, "pipe.txt", b"sequence\tlabel\nACGT\t0\nGGCC\t1\n") as fifo:
        frame = read_table(fifo)
    assert frame["label"].tolist() == [0, 1]


def test_intervals_from_a_named_pipe(tmp_path):
    with serving_fifo(tmp_path, "pipe.bed", b"track name=x\nchr1\t10\t20\tp1\t0\t-\n") as fifo:
        frame = read_intervals(fifo)
    assert frame[["chrom", "start", "end", "strand"]].values.tolist() == [["chr1", 10, 20, "-"]]


def test_empty_named_pipe_says_empty(tmp_path):
    with serving_fifo(tmp_path, "empty.fa", b"") as fifo:
        with pytest.raises(ValueError, match=r"empty\.fa.*is empty"):
            read_fasta(fifo)


def test_qc_reads_named_pipes(runner, tmp_path):
    pos = fasta_bytes(range(20), random_dna(20, 40, seed=1))
    neg = fasta_bytes(range(20), random_dna(20, 40, seed=2))
    with serving_fifo(tmp_path, "pos.fa", pos) as a, serving_fifo(tmp_path, "neg.fa", neg) as b:
        result = runner.invoke(main, ["qc", str(a), str(b), "--checks", "class_sizes",
                                      "--fail-on", "never"])
    assert result.exit_code == 0, result.output + result.stderr
    assert "class_sizes" in result.output


# ------------------------------------------------------------------ protein

PROTEINS = ["MEEPQSDPSVEPPLSQETFSDLWKLLPENNVLSPLPSQAMDDLMLSPDDIEQWFTEDPGP",
            "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQ",
            "MVLSPADKTNVKAAWGKVGAHAGEYGAEALERMFLSFPTTKTYFPHFDLSHGSAQVKGHGKKVADALTNAVAHV"]


def test_protein_like_tells_protein_from_dna():
    dna = random_dna(3, 200) + ["ACGTNNNNRYSWKMBDHV", "acgtnnnn", "", "ACGTE" + "ACGT" * 20]
    assert protein_like(PROTEINS).tolist() == [True, True, True]
    assert not protein_like(dna).any()  # IUPAC codes, soft-masking, one stray letter


def test_check_not_protein_names_input_letters_and_example():
    with pytest.raises(ValueError, match=r"'p\.faa': 3 of 3 sequences look like protein.*"
                                         r"letters [EFILPQ]+.*record 1 \('sp1'\) 'MEEPQ.*"
                                         r"need nucleotide sequences"):
        check_not_protein(PROTEINS, what="'p.faa'", ids=["sp1", "sp2", "sp3"])
    check_not_protein(random_dna(10, 50) + PROTEINS[:1])  # a minority is left to the checks


def test_qc_refuses_protein_input(runner, tmp_path):
    path = tmp_path / "proteins.faa"
    path.write_bytes(fasta_bytes(["sp1", "sp2", "sp3"], PROTEINS))
    result = runner.invoke(main, ["qc", str(path), G4[1]])
    assert result.exit_code == 2, result.output + result.stderr
    assert "proteins.faa" in result.stderr and "look like protein" in result.stderr
    assert "Traceback" not in result.stderr


def test_qc_refuses_protein_test_set_naming_test(runner, tmp_path):
    path = tmp_path / "proteins.fa"
    path.write_bytes(fasta_bytes(["sp1", "sp2", "sp3"], PROTEINS))
    result = runner.invoke(main, ["qc", *G4, "--test", str(path)])
    assert result.exit_code == 2, result.output + result.stderr
    assert "error: --test: 'proteins.fa'" in result.stderr and "protein" in result.stderr


# ------------------------------------------------------------------ --test a.fa b.fa

def test_two_files_after_one_test_option_are_refused(runner, tmp_path):
    result = runner.invoke(main, ["qc", G4[0], "--test", G4[1], G4[0]])
    assert result.exit_code == 2, result.output + result.stderr
    assert "--test takes one file" in result.stderr
    assert "one file per --test" in result.stderr
    assert os.path.basename(G4[0]) in result.stderr


def test_two_files_after_test_equals_are_refused(runner):
    result = runner.invoke(main, ["qc", G4[0], f"--test={G4[1]}", G4[0]])
    assert result.exit_code == 2 and "one file per --test" in result.stderr


def test_one_file_per_test_option_works(runner):
    result = runner.invoke(main, ["qc", G4[0], G4[1], "--test", G4[0], "--test", G4[1],
                                  "--checks", "class_sizes", "--fail-on", "never"])
    assert result.exit_code == 0, result.output + result.stderr


# ------------------------------------------------------------------ CLI names its options

def test_missing_label_column_names_the_cli_option(runner, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("sequence,label\nACGT,0\n")
    result = runner.invoke(main, ["qc", str(path), "--label-column", "target"])
    assert result.exit_code == 2
    assert "--label-column" in result.stderr
    assert "label_column=" not in result.stderr and "None" not in result.stderr


def test_missing_test_file_names_test_option(runner, tmp_path):
    result = runner.invoke(main, ["qc", *G4, "--test", str(tmp_path / "gone.fa")])
    assert result.exit_code == 2
    assert "error: --test: " in result.stderr and "gone.fa" in result.stderr


def test_bad_label_regex_names_the_cli_option(runner):
    result = runner.invoke(main, ["qc", *G4, "--label-from-header", "no(group"])
    assert result.exit_code == 2
    assert "--label-from-header" in result.stderr and "label_from_header" not in result.stderr


def test_read_sequences_still_names_python_arguments(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("sequence,label\nACGT,0\n")
    with pytest.raises(ValueError, match=r"label_column="):
        read_sequences([path], label_column="target")


# ------------------------------------------------------------------ split and audit tables

def grouped_table(sep=","):
    rng = np.random.default_rng(0)
    g = np.repeat(np.arange(20), 5)
    frame = pd.DataFrame(rng.normal(size=(100, 2)), columns=["a", "b"])
    frame["label"] = rng.integers(0, 2, 20)[g]
    frame["group"] = [f"g{i}" for i in g]
    return frame.to_csv(sep=sep, index=False).encode()


def test_read_columns_sniffs_bom_and_refuses_duplicates(tmp_path):
    from skgenqc.io import read_columns

    path = tmp_path / "t.csv"
    path.write_bytes(BOM + grouped_table(sep="\t"))
    assert read_columns(path).columns.tolist() == ["a", "b", "label", "group"]
    path.write_text("a,label,label\n1,0,1\n")
    with pytest.raises(ValueError, match=r"t\.csv.*2 columns named 'label' \(columns 2, 3"):
        read_columns(path)


def test_split_reads_a_table_from_a_named_pipe(runner, tmp_path):
    out = tmp_path / "folds.tsv"
    with serving_fifo(tmp_path, "data.txt", grouped_table(sep="\t")) as fifo:
        result = runner.invoke(main, ["split", str(fifo), "--by", "group", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    assert len(pd.read_csv(out, sep="\t")) == 100


def test_audit_refuses_two_target_columns(runner, tmp_path):
    path = tmp_path / "data.csv"
    rows = "".join(f"{i / 10},{i % 2},{(i + 1) % 2},g{i // 5}\n" for i in range(40))
    path.write_text("a,label,label,group\n" + rows)
    result = runner.invoke(main, ["audit", str(path), "--target", "label", "--groups", "group"])
    assert result.exit_code == 2, result.output + result.stderr
    assert "2 columns named 'label'" in result.stderr
