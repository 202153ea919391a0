"""Chunked reading: the same records as the whole-file readers, errors deep in big files."""

import bz2
import importlib.util
import gzip
import lzma

import numpy as np
import pandas as pd
import pytest

from skgenqc.io import iter_sequence_chunks, read_sequences, read_table
from conftest import random_sequences


def _write_fasta(path, seqs, opener=open):
    with opener(path, "wt") as handle:
        for i, seq in enumerate(seqs):
            handle.write(f">r{i}\n{seq[:7]}\n{seq[7:]}\n")


@pytest.mark.parametrize("suffix,opener", [("", open), (".gz", gzip.open), (".bz2", bz2.open),
                                           (".xz", lzma.open)])
def test_fasta_chunks_are_the_whole_file_in_order(tmp_path, suffix, opener):
    seqs = random_sequences(np.random.default_rng(0), 257, 30)
    path = tmp_path / f"cls.fa{suffix}"
    _write_fasta(path, seqs, opener)
    chunks = list(iter_sequence_chunks(path, chunk_size=100))
    assert [len(c) for c in chunks] == [100, 100, 57]
    assert [c.first_record for c in chunks] == [1, 101, 201]
    whole = read_sequences([path])
    assert sum((c.sequences for c in chunks), []) == whole["sequence"].tolist()
    assert sum((c.ids for c in chunks), []) == whole["id"].tolist()
    assert {lab for c in chunks for lab in c.labels} == {"cls"}


def test_table_chunks_match_read_table(tmp_path):
    rng = np.random.default_rng(1)
    seqs = random_sequences(rng, 250, 20)
    frame = pd.DataFrame({"seq": seqs, "y": rng.integers(0, 2, 250),
                          "split": np.where(rng.random(250) < 0.3, "test", "train")})
    path = tmp_path / "t.tsv.gz"
    frame.to_csv(path, sep="\t", index=False)
    chunks = list(iter_sequence_chunks(path, chunk_size=64, sequence_column="seq",
                                       label_column="y"))
    whole = read_table(path, sequence_column="seq", label_column="y")
    assert [len(c) for c in chunks] == [64, 64, 64, 58]
    assert sum((c.sequences for c in chunks), []) == whole["sequence"].tolist()
    assert sum((c.labels for c in chunks), []) == whole["label"].tolist()
    assert sum((c.ids for c in chunks), []) == whole["id"].tolist()
    assert sum((c.splits for c in chunks), []) == frame["split"].tolist()


def test_table_chunk_error_names_the_row_of_the_file(tmp_path):
    path = tmp_path / "t.csv"
    rows = ["sequence,label"] + ["ACGT,1"] * 150 + [",1"] + ["ACGT,0"] * 10
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(ValueError, match=r"t\.csv.*'sequence' is empty at data row 151"):
        list(iter_sequence_chunks(path, chunk_size=50))


def _big_gzip(path, n, bad_at, fastq):
    """n records with a malformed one at record ``bad_at`` (1-based)."""
    seq = "ACGTACGTAC" * 5
    with gzip.open(path, "wt", compresslevel=1) as handle:
        for i in range(1, n + 1):
            if fastq:
                qual = "I" * (len(seq) - (3 if i == bad_at else 0))
                handle.write(f"@r{i}\n{seq}\n+\n{qual}\n")
            else:
                body = seq[:20] + ("\x01" if i == bad_at else "") + seq[20:]
                handle.write(f">r{i}\n{body[:30]}\n{body[30:]}\n")


@pytest.mark.parametrize("fastq", [False, True])
def test_malformed_record_deep_in_a_big_gzip_names_file_record_and_line(tmp_path, fastq):
    n, bad = 200_000, 199_990
    path = tmp_path / ("big.fq.gz" if fastq else "big.fa.gz")
    _big_gzip(path, n, bad, fastq)
    line = 4 * (bad - 1) + 4 if fastq else 3 * (bad - 1) + 1
    pattern = rf"big\.f[aq]\.gz.*record {bad}\b.*line {line}\b"
    with pytest.raises(ValueError, match=pattern):
        for _ in iter_sequence_chunks(path, chunk_size=50_000):
            pass
    with pytest.raises(ValueError, match=pattern):
        read_sequences([path])


def test_bad_arguments(tmp_path):
    path = tmp_path / "a.fa"
    path.write_text(">a\nACGT\n")
    with pytest.raises(ValueError, match=r"chunk_size must be a positive int, got 0"):
        next(iter_sequence_chunks(path, chunk_size=0))
    with pytest.raises(TypeError, match=r"path must be a file path"):
        next(iter_sequence_chunks(3))
    with pytest.raises(ValueError, match=r"cannot tell the format"):
        next(iter_sequence_chunks(tmp_path / "a.xyz"))
    empty = tmp_path / "e.fa"
    empty.write_text("\n")
    with pytest.raises(ValueError, match=r"no FASTA/FASTQ records"):
        list(iter_sequence_chunks(empty))


def test_label_from_header_and_utf8_headers(tmp_path):
    path = tmp_path / "h.fa"
    path.write_text(">s1 label=a Ångström\nACGT\n>s2 label=b\nGG\n", encoding="utf-8")
    chunks = list(iter_sequence_chunks(path, label_from_header=r"label=(\w+)", chunk_size=1))
    assert [c.labels for c in chunks] == [["a"], ["b"]]
    assert [c.first_record for c in chunks] == [1, 2]


def test_parquet_needs_pyarrow_or_reads_in_batches(tmp_path):
    frame = pd.DataFrame({"sequence": ["ACGT", "GGCC", "AT"], "label": [0, 1, 0]})
    path = tmp_path / "t.parquet"
    if importlib.util.find_spec("pyarrow") is None:
        path.write_bytes(b"PAR1")
        with pytest.raises(ImportError, match=r"needs pyarrow"):
            next(iter_sequence_chunks(path))
        return
    frame.to_parquet(path)
    chunks = list(iter_sequence_chunks(path, chunk_size=2))
    assert [c.sequences for c in chunks] == [["ACGT", "GGCC"], ["AT"]]
    assert [c.labels for c in chunks] == [[0, 1], [0]]


TRICKY_FASTA = (
    b"\n# a comment before the first record\n"
    b">r1 first record\r\n"
    b"ACGT\r\n"
    b"  acgtn  \n"
    b"\n"
    b"# a comment inside a record\n"
    b"  >r2\t tabbed header  \n"
    b"GG\n"
    b">r3 empty\n"
    b">r4\n"
    + b"ACGTTGCA" * 3000 + b"\n"   # longer than a small block
    + b">r5 last line without newline\nTTTT"
)


@pytest.mark.parametrize("block_bytes", [7, 64, 1 << 23])
def test_fasta_parser_follows_dnaio(tmp_path, monkeypatch, block_bytes):
    import skgenqc.io.stream as stream

    monkeypatch.setattr(stream, "BLOCK_BYTES", block_bytes)
    path = tmp_path / "tricky.fa"
    path.write_bytes(TRICKY_FASTA)
    import dnaio

    with dnaio.open(path) as reader:
        expected = [(r.name, r.sequence) for r in reader]
    chunks = list(iter_sequence_chunks(path, chunk_size=2))
    got = [(i, s) for c in chunks for i, s in zip(c.ids, c.sequences)]
    assert got == expected
    numbers = [c.first_record + i for c in chunks for i in range(len(c))]
    assert numbers == list(range(1, len(expected) + 1))
    raw, offsets = chunks[0].packed()
    assert raw.tobytes().decode() == "".join(s for _, s in got[:len(chunks[0])])


@pytest.mark.parametrize("content,pattern", [
    (b"ACGT\n>r1\nAC\n", r"record 1, line 1: expected '>'.*'ACGT'"),
    (b">r1\nACGT\n>r2\nAC\x00GT\n", r"record 2 \('r2'\) at line 3 holds the character "
                                    r"'\\x00' at sequence position 3"),
    (b">r1\nACGT\n>r2\nAC\nG\xc3\x89T\n", r"record 2 \('r2'\) at line 3 holds the character "
                                          r"'\xc3' at sequence position 4"),
    (b">r1\nACGT\n>r\x072\nACGT\n", r"header of record 2 \('r\\x072'\) at line 3 holds the "
                                    r"control character '\\x07'"),
])
def test_fasta_parser_errors_name_record_and_line(tmp_path, content, pattern):
    path = tmp_path / "bad.fa"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"bad\.fa.*" + pattern):
        list(iter_sequence_chunks(path))


def test_fasta_from_a_named_pipe(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.fa"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as handle:
            handle.write(gzip.compress(b">a\nACGT\n>b\nGG\n"))

    writer = threading.Thread(target=feed)
    writer.start()
    chunks = list(iter_sequence_chunks(fifo, label="x"))
    writer.join()
    assert chunks[0].sequences == ["ACGT", "GG"] and chunks[0].labels == ["x", "x"]
