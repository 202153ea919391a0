"""summarize_files: shards summarized in parallel (joblib, Dask) equal one process's summary."""

import gzip

import numpy as np
import pandas as pd
import pytest

from skgenqc.features import SequenceSummary, summarize_file, summarize_files
from skgenqc.io import read_sequences
from conftest import random_sequences


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shards")
    rng = np.random.default_rng(11)
    paths = []
    pool = random_sequences(rng, 900, 60)
    for i in range(4):
        seqs = pool[i * 200:(i + 1) * 200] + pool[:15]  # copies across shards
        path = folder / f"class{i % 2}_part{i}.fa.gz"
        with gzip.open(path, "wt") as handle:
            for j, seq in enumerate(seqs):
                handle.write(f">s{i}_{j}\n{seq}\n")
        paths.append(path)
    table = folder / "table.csv"
    pd.DataFrame({"sequence": pool[800:], "label": rng.integers(0, 2, 100)}).to_csv(
        table, index=False)
    return paths + [table]


def _single_process(paths, labels):
    frame = read_sequences(paths, labels=labels)
    return SequenceSummary(k=3, max_positions=20).update(frame["sequence"].tolist(),
                                                         frame["label"].tolist())


def test_joblib_shards_equal_one_process(shards):
    labels = ["a", "b", "a", "b", None]
    expected = _single_process(shards, labels)
    for n_jobs in (1, 2):
        got = summarize_files(shards, labels=labels, n_jobs=n_jobs, k=3, max_positions=20,
                              chunk_size=37)
        assert got == expected
    assert got.duplicate_counts()["n_redundant"] == expected.duplicate_counts()["n_redundant"] > 0


def test_dask_local_cluster_equals_one_process(shards):
    import distributed
    expected = summarize_files(shards, k=3, max_positions=20)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            got = summarize_files(shards, client=client, k=3, max_positions=20, chunk_size=50)
    assert got == expected
    assert got.n_sequences_ == 4 * 215 + 100


def test_bad_arguments(shards):
    with pytest.raises(ValueError, match=r"paths is empty"):
        summarize_files([])
    with pytest.raises(TypeError, match=r"paths\[1\] must be a file path"):
        summarize_files([shards[0], 3])
    with pytest.raises(ValueError, match=r"labels has 1 entries but 2 files"):
        summarize_files(shards[:2], labels=["a"])
    with pytest.raises(ValueError, match=r"n_jobs must be None"):
        summarize_files(shards[:1], n_jobs=0)
    with pytest.raises(TypeError, match=r"client must be a dask.distributed.Client"):
        summarize_files(shards[:1], client=object())
    with pytest.raises(ValueError, match=r"'k' parameter of SequenceSummary"):
        summarize_files(shards[:1], k=9)
    with pytest.raises(ValueError, match=r"does not exist"):
        summarize_file(shards[0].parent / "missing.fa")
