"""Splitter speed, side by side with scikit-learn, on the same data in one run.

- BalancedGroupKFold vs sklearn StratifiedGroupKFold at 1M samples / ~196k
  heavy-tailed groups (also GroupKFold(shuffle=True) for the balance it reaches).
- SimilarityGroupKFold on 20k random 200 bp DNA sequences with planted near-copies.

Run: python benchmarks/bench_splitters.py [--repeats 3]
Writes benchmarks/RESULTS_splitters.md (merged into RESULTS.md by hand).
"""

import argparse
import platform
import statistics
import time
from pathlib import Path

import numpy as np
import sklearn
from sklearn.model_selection import GroupKFold, StratifiedGroupKFold

from skgenqc.model_selection import BalancedGroupKFold, SimilarityGroupKFold


def heavy_tailed_groups(n_samples=1_000_000, n_groups=196_000, seed=0):
    rng = np.random.default_rng(seed)
    weights = rng.pareto(1.2, n_groups) + 1
    sizes = np.maximum(1, np.round(weights / weights.sum() * n_samples)).astype(int)
    sizes[np.argmax(sizes)] -= sizes.sum() - n_samples  # exact total
    groups = np.repeat(np.arange(n_groups), sizes)
    rng.shuffle(groups)
    y = (rng.random(n_samples) < 0.1).astype(int)
    return groups, y


def timed(fn, repeats):
    times = []
    out = None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def balance(splits):
    sizes = np.array([len(te) for _, te in splits])
    return sizes.max() / sizes.min()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    groups, y = heavy_tailed_groups()
    X = np.zeros((len(groups), 1))
    rows = []
    for name, cv, reps in [
        ("skgenqc BalancedGroupKFold(stratify=True)", BalancedGroupKFold(5, shuffle=True, random_state=0), args.repeats),
        ("sklearn StratifiedGroupKFold(shuffle=True)", StratifiedGroupKFold(5, shuffle=True, random_state=0), 1),
        ("sklearn GroupKFold(shuffle=True)", GroupKFold(5, shuffle=True, random_state=0), args.repeats),
    ]:
        seconds, splits = timed(lambda cv=cv: list(cv.split(X, y, groups)), reps)
        prev = [y[te].mean() for _, te in splits]
        rows.append((name, seconds, reps, balance(splits), max(prev) - min(prev)))
        print(rows[-1], flush=True)
    rng = np.random.default_rng(1)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)
    seqs = [r.tobytes().decode() for r in letters[rng.integers(0, 4, (20_000, 200))]]
    for i in range(0, 2000, 2):  # 1,000 planted 97 % copies
        s = bytearray(seqs[i], "ascii")
        for p in rng.choice(200, 6, replace=False):
            s[p] = ord("ACGT"[(("ACGT".index(chr(s[p]))) + 1) % 4])
        seqs[i + 1] = s.decode()
    ysim = rng.integers(0, 2, 20_000)
    cv = SimilarityGroupKFold(5, threshold=0.9)
    sim_seconds, sim_splits = timed(lambda: list(cv.split(np.zeros((20_000, 1)), ysim, seqs)),
                                    args.repeats)
    fold = np.empty(20_000, int)
    for k, (_, te) in enumerate(sim_splits):
        fold[te] = k
    together = all(fold[i] == fold[i + 1] for i in range(0, 2000, 2))
    sk = rows[1][1]
    ours = rows[0][1]
    lines = [
        "## Splitters (benchmarks/bench_splitters.py)",
        "",
        f"Machine: {platform.machine()}, {__import__('os').cpu_count()} cores, Python "
        f"{platform.python_version()}, scikit-learn {sklearn.__version__}, numpy {np.__version__}. "
        f"Medians of {args.repeats} runs (StratifiedGroupKFold: 1 run).",
        "",
        f"1M samples, {len(np.unique(groups))} heavy-tailed groups (Pareto), 10 % positives, 5 folds:",
        "",
        "| splitter | seconds | max/min fold size | prevalence spread |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n} | {s:.2f} | {b:.4f} | {p:.4f} |" for n, s, _, b, p in rows]
    lines += [
        "",
        f"Speed-up over StratifiedGroupKFold: **{sk / ours:.1f}x** (target >= 10x at max/min <= 1.02: "
        f"{'met' if sk / ours >= 10 and rows[0][3] <= 1.02 else 'NOT met'}).",
        "",
        f"SimilarityGroupKFold, 20,000 x 200 bp, 1,000 planted 97 % pairs, threshold 0.9: "
        f"**{sim_seconds:.2f} s** (target < 10 s: {'met' if sim_seconds < 10 else 'NOT met'}); "
        f"planted pairs kept in one fold: {together}; max/min fold size {balance(sim_splits):.3f}.",
        "",
    ]
    Path(__file__).with_name("RESULTS_splitters.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
