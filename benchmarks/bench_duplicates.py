"""Exact, label-conflict and reverse-complement duplicates (``check_duplicates``) at scale.

Random 200 bp sequences, 10 % of them exact copies of others, random binary labels. One
process per size, so ``/usr/bin/time -v`` reports its peak memory::

    /usr/bin/time -v python benchmarks/bench_duplicates.py 1000000

Results and the before/after comparison: ``benchmarks/RESULTS_duplicates.md``.
"""

import sys
import time

import numpy as np
import pandas as pd

from skgenqc.qc.duplicates import check_duplicates


def main(n):
    rng = np.random.default_rng(0)
    codes = rng.integers(0, 4, size=(n, 200), dtype=np.uint8)
    seqs = [row.tobytes().decode() for row in np.frombuffer(b"ACGT", dtype=np.uint8)[codes]]
    for i in range(n // 10):
        seqs[i] = seqs[i + n // 2]
    data = pd.DataFrame({"label": rng.integers(0, 2, n), "id": [f"s{i}" for i in range(n)]})
    cpu, wall = time.process_time(), time.perf_counter()
    findings = check_duplicates(data, seqs)
    print(f"n={n} cpu_s={time.process_time() - cpu:.2f} wall_s={time.perf_counter() - wall:.2f} "
          f"severities={[f.severity for f in findings]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
