"""Wall time, CPU time and memory of each stage of a run, recorded in the report's metadata.

One helper for every part that runs long: :class:`~skgenqc.qc.DatasetQC` times each
check, :class:`~skgenqc.audit.LeakageAuditor` its fits and each probe, and the command
line adds the loading of its inputs (and the splitting, cleaning and item tables of
``split`` and ``clean``). A user who waits an hour on a run can then read which stage
took the time and which one raised the memory high-water mark, in the HTML page
("Inputs and settings") and in the JSON (``metadata["stages"]``).

Each stage is one dict, with these keys:

``stage``
    Its name: a check name (``composition``), a probe name, ``fits``, ``load INPUTS``...
``wall_s``
    Elapsed (wall-clock) seconds.
``cpu_s``
    CPU seconds, user plus system, of this process and of its child processes
    (``worker_cpu_s`` of it).
``worker_cpu_s``
    The CPU seconds of child processes: joblib's process workers (loky) and any other
    subprocess. Children that have ended are counted through
    ``getrusage(RUSAGE_CHILDREN)``; workers still alive (loky keeps them for the next
    call) are counted only when :mod:`psutil` is installed; without it their CPU is
    missing. Threads (joblib's threading backend, BLAS) are part of this process and
    counted in ``cpu_s`` anyway.
``peak_rss_mb``
    The process's resident-memory high-water mark after the stage, from
    ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, in MiB. It is process-wide and never
    goes down: a stage that stays below an earlier peak shows that earlier peak. Memory
    of worker processes is not included. On Linux a process started by a larger one
    inherits that one's mark across ``exec``, so a run launched from a big Python
    process (not a shell) shows at least the launcher's peak.
``rss_growth_mb``
    How much the stage raised that high-water mark (0 when it stayed under an earlier
    peak): the stage with the largest growth is the one that set the peak.
``rss_mb``
    Resident memory when the stage ended (what it kept), or None where it cannot be
    read (neither ``/proc`` nor :mod:`psutil`).

A shared intermediate computed lazily (packed sequences, the similarity search) is
charged to the first stage that asks for it.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager

try:
    import resource
except ImportError:  # Windows: no getrusage; the memory fields are None there
    resource = None

#: The keys of every stage record, in the order the tables show them.
STAGE_KEYS = ("stage", "wall_s", "cpu_s", "worker_cpu_s", "peak_rss_mb", "rss_growth_mb",
              "rss_mb")

_MIB = 1 << 20


def _peak_mb():
    """The process's resident high-water mark in MiB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    if resource is None:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / _MIB if sys.platform == "darwin" else peak / 1024


def _rss_mb():
    """Resident memory now, in MiB, or None."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / _MIB
    except (OSError, ValueError, IndexError, AttributeError):
        pass
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss / _MIB


def _own_cpu():
    return time.process_time()  # this process, all threads, at nanosecond resolution


def _worker_cpu():
    """CPU seconds of child processes so far: ended ones (getrusage) plus live ones (psutil).

    A child that ends during a stage moves from the live sum to the ended one with its
    whole CPU time, so differences of this total stay right.
    """
    times = os.times()
    total = times.children_user + times.children_system
    try:
        import psutil
    except ImportError:
        return total
    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return total
    for child in children:
        try:
            cpu = child.cpu_times()
        except psutil.Error:  # ended (or not ours to read) meanwhile
            continue
        total += cpu.user + cpu.system
    return total


def _round(value, digits):
    return None if value is None else round(float(value), digits)


@contextmanager
def timed_stage(name, stages):
    """Measure the block as one stage and append its record to ``stages``.

    The record (see the module's description of the keys) is appended when the
    block ends normally; a block that raises records nothing. The dict is yielded
    so the caller can add items of its own (e.g. how many fits a stage ran).

    Parameters
    ----------
    name : str
        The stage's name, as tables and progress bars show it.
    stages : list
        Where the record goes.

    Yields
    ------
    dict
        The stage's record (``{"stage": name}`` until the block ends).

    Examples
    --------
    >>> stages = []
    >>> with timed_stage("sum", stages):
    ...     total = sum(range(1000))
    >>> [s["stage"] for s in stages], sorted(stages[0]) == sorted(STAGE_KEYS)
    (['sum'], True)
    >>> all(stages[0][k] >= 0 for k in ("wall_s", "cpu_s", "worker_cpu_s", "rss_growth_mb"))
    True
    """
    if not isinstance(stages, list):
        raise TypeError(f"stages must be a list to append the record to, got "
                        f"{type(stages).__name__}.")
    record = {"stage": str(name)}
    peak = _peak_mb()
    workers = _worker_cpu()
    cpu = _own_cpu()
    start = time.perf_counter()
    yield record
    wall = time.perf_counter() - start
    worker_cpu = max(_worker_cpu() - workers, 0.0)
    cpu = max(_own_cpu() - cpu, 0.0) + worker_cpu
    peak_after = _peak_mb()
    record.update({
        "wall_s": _round(wall, 3),
        "cpu_s": _round(cpu, 3),
        "worker_cpu_s": _round(worker_cpu, 3),
        "peak_rss_mb": _round(peak_after, 1),
        "rss_growth_mb": None if peak is None else _round(max(peak_after - peak, 0.0), 1),
        "rss_mb": _round(_rss_mb(), 1),
    })
    # The keys in STAGE_KEYS' order, then the caller's own.
    ordered = {key: record[key] for key in STAGE_KEYS}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    record.clear()
    record.update(ordered)
    stages.append(record)


def add_stages(metadata, before=(), after=()):
    """Put stage records around those already in ``metadata["stages"]``.

    The command line times the loading of its inputs before the API's run (whose
    report holds the run's own stages) and what it does afterwards (item tables).

    Parameters
    ----------
    metadata : dict
        A report's metadata, changed in place.
    before, after : list of dict
        Records from :func:`timed_stage`.

    Returns
    -------
    list of dict
        The stages now in ``metadata``.

    Examples
    --------
    >>> meta = {"stages": [{"stage": "check"}]}
    >>> [s["stage"] for s in add_stages(meta, [{"stage": "load"}], [{"stage": "items"}])]
    ['load', 'check', 'items']
    """
    stages = [*before, *metadata.get("stages", []), *after]
    metadata["stages"] = stages
    return stages
