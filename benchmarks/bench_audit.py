"""Auditor overhead and parallel speed-up.

Overhead: audit wall time against the summed time of the fits and scorings it
runs (target <= 1.1x with n_jobs=1). Speed-up: wall time with n_jobs=1 vs 2
(near-linear on 2 cores), and identical score tables.

Run: python benchmarks/bench_audit.py
"""

import os
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GroupKFold

from skgenqc.audit import LeakageAuditor


def data(n_groups=100, per_group=20, seed=0):
    rng = np.random.default_rng(seed)
    groups = np.repeat(np.arange(n_groups), per_group)
    y = rng.integers(0, 2, n_groups)[groups]
    X = rng.normal(size=(n_groups, 20))[groups] + 0.5 * rng.normal(size=(len(groups), 20))
    return X, y, groups


def run(n_jobs, X, y, groups):
    auditor = LeakageAuditor(RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1),
                             cv=GroupKFold(5), n_permutations=10, n_repeats=2, n_jobs=n_jobs,
                             random_state=0)
    start = time.perf_counter()
    report = auditor.audit(X, y, groups)
    wall = time.perf_counter() - start
    work = float(report.scores["fit_time"].sum() + report.scores["score_time"].sum())
    return wall, work, report.scores.drop(columns=["fit_time", "score_time"])


def main():
    X, y, groups = data()
    runs1 = [run(1, X, y, groups) for _ in range(3)]
    runs2 = [run(2, X, y, groups) for _ in range(3)]
    wall1 = statistics.median(r[0] for r in runs1)
    work1 = statistics.median(r[1] for r in runs1)
    wall2 = statistics.median(r[0] for r in runs2)
    same = all(r[2].equals(runs1[0][2]) for r in runs1 + runs2)
    n_fits = len(runs1[0][2])
    lines = [
        "## Auditor overhead and speed-up (benchmarks/bench_audit.py)",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"scikit-learn {sklearn.__version__}. 2,000 samples x 20 features, 100 groups, "
        f"RandomForest(50 trees), GroupKFold(5), 10 permutations, 2 random-CV repeats: {n_fits} fits. "
        "Medians of 3 runs.",
        "",
        "| n_jobs | audit wall time (s) | summed fit+score time (s) | wall / work |",
        "|---|---|---|---|",
        f"| 1 | {wall1:.2f} | {work1:.2f} | {wall1 / work1:.3f} |",
        f"| 2 | {wall2:.2f} | - | - |",
        "",
        f"Overhead target (<= 1.10x at n_jobs=1): {'met' if wall1 / work1 <= 1.10 else 'NOT met'} "
        f"({wall1 / work1:.3f}x). Speed-up with 2 workers: {wall1 / wall2:.2f}x "
        f"(near-linear would be ~2x). Same score tables for every n_jobs: {same}.",
        "",
    ]
    Path(__file__).with_name("RESULTS_audit.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
