"""Summaries of many files or shards, in parallel on one machine or on a Dask cluster.

Each shard (a file) is read in bounded chunks into a
:class:`~skgenqc.features.SequenceSummary`; the shard summaries are merged.
Since merging is exact, associative and commutative, the result is the same
whatever the order, the number of workers or the machine that summarized a
shard.  Work goes to joblib locally and to dask.distributed when a Client is
given (no home-made scheduler).
"""

from __future__ import annotations

import numbers
import os

from skgenqc.features.summary import SequenceSummary
from skgenqc.io.stream import iter_sequence_chunks

__all__ = ["summarize_file", "summarize_files"]


def summarize_file(path, *, label=None, k=6, max_positions=100, chunk_size=100_000,
                   **read_options):
    """Summarize one file, chunk by chunk (memory bounded by the chunk and the hash table).

    Parameters
    ----------
    path : str or path-like
        FASTA/FASTQ, CSV/TSV or parquet, as :func:`~skgenqc.io.iter_sequence_chunks` reads.
    label : scalar, optional
        For FASTA/FASTQ: the label of every record (default: the file name).
    k, max_positions : int
        See :class:`~skgenqc.features.SequenceSummary`.
    chunk_size : int, default=100_000
        Records read at a time.
    **read_options
        Passed to :func:`~skgenqc.io.iter_sequence_chunks` (``sequence_column``,
        ``label_column``, ``label_from_header``, ...).

    Returns
    -------
    SequenceSummary

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> summarize_file(data_path("G4_positives.fasta"), chunk_size=30).length_counts(
    ...     "G4_positives")
    {200: 100}
    """
    summary = SequenceSummary(k=k, max_positions=max_positions)
    for chunk in iter_sequence_chunks(path, chunk_size=chunk_size, label=label, **read_options):
        raw, offsets = chunk.packed()
        if chunk.label is not None:
            summary.update_packed(raw, offsets, label=chunk.label)
        else:
            summary.update_packed(raw, offsets, chunk.labels)
    return summary


def summarize_files(paths, *, labels=None, client=None, n_jobs=None, k=6, max_positions=100,
                    chunk_size=100_000, **read_options):
    """Summarize many files or shards in parallel and merge them into one summary.

    Parameters
    ----------
    paths : str, path-like or list of them
        The shards: one summary per file, merged. A 10-million-sequence set split
        into many files (``split -l``, one file per chromosome or per class) is
        summarized in parallel; within a file, reading is chunked.
    labels : list, optional
        One label per FASTA/FASTQ file (default: each file's name).
    client : dask.distributed.Client, optional
        Summarize the shards on this Dask cluster. Without it, joblib runs them
        on this machine (``n_jobs`` processes), or on whatever backend is set with
        :func:`joblib.parallel_config` (e.g. ``backend="dask"``).
    n_jobs : int, optional
        joblib workers when no client is given (``None``: one, ``-1``: all cores).
    k, max_positions : int
        See :class:`~skgenqc.features.SequenceSummary`.
    chunk_size : int, default=100_000
        Records read at a time per shard.
    **read_options
        Passed to :func:`~skgenqc.io.iter_sequence_chunks`.

    Returns
    -------
    SequenceSummary
        Equal (``==``) to the summary of all files read in one process.

    Notes
    -----
    Pointing it at a cluster: the workers must see the files under the same
    paths (a shared file system) and have skgenqc installed. Then either connect
    to a running scheduler::

        from dask.distributed import Client
        client = Client("tcp://scheduler-host:8786")
        summary = summarize_files(shards, client=client)

    or start workers through your batch system with dask-jobqueue, e.g. on SLURM::

        from dask_jobqueue import SLURMCluster
        cluster = SLURMCluster(cores=8, processes=8, memory="16GB", walltime="01:00:00")
        cluster.scale(jobs=4)            # four SLURM jobs of 8 workers each
        summary = summarize_files(shards, client=Client(cluster))

    Each task returns a shard summary (a few MB plus 20 bytes per distinct
    sequence); merging is exact, so the result does not depend on how the
    shards were scheduled.

    Examples
    --------
    >>> from skgenqc.datasets import data_path
    >>> files = [data_path("G4_positives.fasta"), data_path("G4_negatives.fasta")]
    >>> s = summarize_files(files, n_jobs=1, k=2)
    >>> s.classes_, s.n_sequences_
    (['G4_positives', 'G4_negatives'], 200)
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if isinstance(paths, bytes) or not hasattr(paths, "__iter__"):
        raise TypeError(f"paths must be a file path or a list of file paths, got "
                        f"{type(paths).__name__} {paths!r}.")
    paths = list(paths)
    if not paths:
        raise ValueError("paths is empty; give at least one file (shard) to summarize.")
    for i, path in enumerate(paths):
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"paths[{i}] must be a file path (str or path-like), got "
                            f"{type(path).__name__} {path!r}.")
    if labels is not None and len(labels) != len(paths):
        raise ValueError(f"labels has {len(labels)} entries but {len(paths)} files were given.")
    if n_jobs is not None and (not isinstance(n_jobs, numbers.Integral)
                               or isinstance(n_jobs, bool) or n_jobs == 0):
        raise ValueError(f"n_jobs must be None, a positive int or -1 (all cores), got "
                         f"{n_jobs!r}.")
    SequenceSummary(k=k, max_positions=max_positions)._validate_params()
    options = dict(k=k, max_positions=max_positions, chunk_size=chunk_size, **read_options)
    shard_labels = labels if labels is not None else [None] * len(paths)
    if client is not None:
        if not hasattr(client, "submit") or not hasattr(client, "gather"):
            raise TypeError(f"client must be a dask.distributed.Client, got "
                            f"{type(client).__name__}.")
        futures = [client.submit(summarize_file, str(path), label=label, pure=False, **options)
                   for path, label in zip(paths, shard_labels)]
        summaries = client.gather(futures)
    else:
        from joblib import Parallel, delayed

        summaries = Parallel(n_jobs=n_jobs)(
            delayed(summarize_file)(path, label=label, **options)
            for path, label in zip(paths, shard_labels))
    merged = SequenceSummary(k=k, max_positions=max_positions)
    for summary in summaries:
        merged.merge(summary)
    return merged
