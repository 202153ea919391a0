"""Streaming summaries (``summarize_file``) against ``seqkit fx2tab -n -l -g``, per MB.

Writes N x L random sequences as gzipped FASTA, then runs, side by side and
``--repeats`` times each, as separate processes under ``/usr/bin/time -v``:

- ``seqkit``: ``seqkit fx2tab -n -l -g FILE > /dev/null`` (name, length, GC per record);
- ``read``: dnaio alone, iterating the records (the reader's floor);
- ``summary``: ``summarize_file(FILE)`` with the default ``k=6, max_positions=100``
  (lengths, GC histogram, bases, dinucleotides, positional counts, 6-mer presence,
  duplicate hashes);
- ``summary_k0``: the same without k-mer presence counts.

It also measures numba's compile cost (first run with an empty cache directory)
and the load average before and after.  Medians of the repeats are printed as a
Markdown table (CPU = user + system seconds; MB = uncompressed FASTA)::

    python benchmarks/bench_stream.py --n 1000000 --length 200 --repeats 3

Results: ``benchmarks/RESULTS_stream.md``.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

import numpy as np

READ_ONLY = """
import sys, dnaio
n = 0
with dnaio.open(sys.argv[1]) as reader:
    for record in reader:
        n += len(record.sequence)
print(n)
"""

SUMMARY = """
import sys
from skgenqc.features import summarize_file
s = summarize_file(sys.argv[1], k=int(sys.argv[2]))
print(s.n_sequences_, s.duplicate_counts()["n_redundant"], s.nbytes_)
"""


def write_fasta(path, n, length, seed=0, block=100_000):
    rng = np.random.default_rng(seed)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    with gzip.open(path, "wb", compresslevel=6) as handle:
        for start in range(0, n, block):
            m = min(block, n - start)
            codes = letters[rng.integers(0, 4, size=(m, length))]
            lines = []
            for i, row in enumerate(codes):
                lines.append(b">s%d\n" % (start + i))
                lines.append(row.tobytes() + b"\n")
            handle.write(b"".join(lines))
    return n * length


def timed(cmd, env=None):
    """CPU seconds (user + sys), wall seconds and peak RSS (MB) of one process."""
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {proc.stderr[-2000:]}")
    err = proc.stderr

    def field(name):
        return re.search(rf"{re.escape(name)}: ([\d.:]+)", err).group(1)

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    parts = [float(x) for x in wall.split(":")]
    wall_s = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    peak = int(field("Maximum resident set size (kbytes)")) / 1024
    return cpu, wall_s, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", default=None)
    args = parser.parse_args()
    workdir = args.workdir or tempfile.mkdtemp(prefix="bench_stream_")
    path = os.path.join(workdir, f"random_{args.n}x{args.length}.fa.gz")
    if not os.path.exists(path):
        write_fasta(path, args.n, args.length)
    mb = args.n * (args.length + 2 + len(str(args.n))) / 1e6
    gz_mb = os.path.getsize(path) / 1e6
    print(f"file: {args.n} x {args.length} bp, {mb:.0f} MB FASTA, {gz_mb:.0f} MB gzipped")
    print("load before:", os.getloadavg())

    # numba compile cost: a first run with an empty cache, then a cached run.
    cache = tempfile.mkdtemp(prefix="numba_cache_")
    env = {**os.environ, "NUMBA_CACHE_DIR": cache}
    tiny = os.path.join(workdir, "tiny.fa")
    with open(tiny, "w") as handle:
        handle.write(">a\nACGT\n")
    cold = timed([sys.executable, "-c", SUMMARY, tiny, "6"], env=env)
    warm = timed([sys.executable, "-c", SUMMARY, tiny, "6"], env=env)
    shutil.rmtree(cache, ignore_errors=True)
    print(f"numba compile: first run {cold[1]:.1f} s wall / {cold[0]:.1f} CPU s, cached run "
          f"{warm[1]:.1f} s wall / {warm[0]:.1f} CPU s (one-record file)")

    tools = {
        "seqkit fx2tab -n -l -g": ["sh", "-c", f"seqkit fx2tab -n -l -g {path} > /dev/null"],
        "dnaio read only": [sys.executable, "-c", READ_ONLY, path],
        "summarize_file k=6": [sys.executable, "-c", SUMMARY, path, "6"],
        "summarize_file k=0": [sys.executable, "-c", SUMMARY, path, "0"],
    }
    runs = {name: [] for name in tools}
    for _ in range(args.repeats):  # interleaved, so load changes hit every tool alike
        for name, cmd in tools.items():
            runs[name].append(timed(cmd))
    print("load after:", os.getloadavg())
    base = statistics.median(r[0] for r in runs["seqkit fx2tab -n -l -g"])
    base_wall = statistics.median(r[1] for r in runs["seqkit fx2tab -n -l -g"])
    print("\n| tool | CPU s | wall s | peak MB | CPU s per 100 MB | CPU x seqkit | wall x seqkit "
          "| CPU x seqkit without start-up |")
    print("|---|---|---|---|---|---|---|---|")
    for name, values in runs.items():
        cpu = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        peak = statistics.median(v[2] for v in values)
        # Start-up (imports, loading the cached kernels) measured on the one-record file.
        marginal = f"{(cpu - warm[0]) / base:.2f}" if name.startswith("summarize") else ""
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {peak:.0f} | {100 * cpu / mb:.2f} | "
              f"{cpu / base:.2f} | {wall / base_wall:.2f} | {marginal} |")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
