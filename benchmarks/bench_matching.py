"""Wall time of covariate-matched under-sampling on a million examples.

Data: 1,000,000 examples, 5 % minority, two covariates (a GC-like value shifted
for the minority, and a length-like value), plus 8 noise feature columns.
Measured (median of ``--repeats`` runs, in-process, ``time.perf_counter``):

- ``CovariateMatchedUnderSampler(covariates=[0, 1]).fit_resample`` on a numpy
  array and on a pandas DataFrame (column names), n_bins 10 and 50;
- ``match_covariates`` on the (n, 2) covariate matrix alone;
- imbalanced-learn's ``RandomUnderSampler`` on the same array, as the floor
  (unmatched under-sampling);
- the whole thing from sequences: ``fit_resample`` on 100,000 DNA strings of
  200 bp, GC content and length computed inside (``composition_table``).

It also reports the two-sample KS statistic of the shifted covariate between
classes before and after matching.  Results go to ``RESULTS_matching.md``
beside this file.

Run from the repository root::

    python benchmarks/bench_matching.py            # about a minute
    python benchmarks/bench_matching.py --repeats 5
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings
from pathlib import Path

import imblearn
import numpy as np
import pandas as pd
import sklearn
from imblearn.under_sampling import RandomUnderSampler
from scipy.stats import ks_2samp

from skgenqc.sampling import CovariateMatchedUnderSampler, match_covariates

HERE = Path(__file__).resolve().parent


def make_data(n=1_000_000, minority=0.05, n_noise=8, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < minority).astype(np.int64)
    gc = np.where(y == 1, rng.normal(0.55, 0.05, n), rng.uniform(0.3, 0.7, n))
    length = rng.integers(150, 451, n).astype(np.float64)
    X = np.column_stack([gc, length, rng.normal(size=(n, n_noise))])
    return X, y


def make_sequences(n=100_000, length=200, minority=0.05, seed=1):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < minority).astype(np.int64)
    p = np.where(y == 1, rng.normal(0.55, 0.05, n), rng.uniform(0.3, 0.7, n))[:, None]
    u = rng.random((n, length))
    codes = np.where(u < p / 2, 2, np.where(u < p, 1, np.where(u < (1 + p) / 2, 0, 3)))
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)[codes.astype(np.uint8)]
    raw = letters.tobytes().decode()
    return np.array([raw[i * length:(i + 1) * length] for i in range(n)], dtype=object), y


def timed(fn, repeats):
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times, out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--out", default=str(HERE / "RESULTS_matching.md"))
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", UserWarning)  # shortfall warnings are reported below

    X, y = make_data(args.n)
    df = pd.DataFrame(X, columns=["gc", "length"] + [f"f{j}" for j in range(X.shape[1] - 2)])
    rows = []

    def run(label, fn, extract):
        median, times, out = timed(fn, args.repeats)
        kept, extra = extract(out)
        rows.append((label, median, times, kept, extra))
        print(f"{label:<62} median {median:7.3f} s  runs {[round(t, 3) for t in times]}")

    def ks_of(indices):
        gc, yy = X[indices, 0], y[indices]
        return ks_2samp(gc[yy == 1], gc[yy == 0]).statistic

    ks_before = ks_of(np.arange(len(y)))
    for n_bins in (10, 50):
        sampler = CovariateMatchedUnderSampler([0, 1], n_bins=n_bins, random_state=0)
        run(f"CovariateMatchedUnderSampler numpy, n_bins={n_bins}",
            lambda s=sampler: (s.fit_resample(X, y), s),
            lambda out: (len(out[1].sample_indices_),
                         f"KS {ks_of(out[1].sample_indices_):.3f}, short "
                         f"{ {int(k): v for k, v in out[1].n_short_.items()} }"))
    sampler = CovariateMatchedUnderSampler(["gc", "length"], random_state=0)
    run("CovariateMatchedUnderSampler DataFrame, n_bins=10",
        lambda: (sampler.fit_resample(df, y), sampler),
        lambda out: (len(out[1].sample_indices_), f"KS {ks_of(out[1].sample_indices_):.3f}"))
    run("match_covariates(X[:, :2], y), n_bins=10",
        lambda: match_covariates(X[:, :2], y, random_state=0),
        lambda kept: (len(kept), f"KS {ks_of(kept):.3f}"))
    rus = RandomUnderSampler(random_state=0)
    run("imblearn RandomUnderSampler (unmatched floor)",
        lambda: (rus.fit_resample(X, y), rus),
        lambda out: (len(out[1].sample_indices_), f"KS {ks_of(out[1].sample_indices_):.3f}"))

    seqs, y_seq = make_sequences()
    seq_sampler = CovariateMatchedUnderSampler(random_state=0)
    run(f"from sequences: {len(seqs):,} x 200 bp, GC + length inside",
        lambda: (seq_sampler.fit_resample(seqs, y_seq), seq_sampler),
        lambda out: (len(out[1].sample_indices_), f"covariates {out[1].covariate_names_}"))

    lines = [
        "# Covariate matching benchmark",
        "",
        f"`python benchmarks/bench_matching.py --repeats {args.repeats}`: in-process wall time, "
        f"median of {args.repeats} runs.",
        "",
        f"Data: {args.n:,} examples, {y.mean():.1%} minority ({int(y.sum()):,}), two covariates "
        "(GC-like: minority N(0.55, 0.05), majority U(0.3, 0.7); length-like U(150, 450) for "
        f"both) plus {X.shape[1] - 2} noise columns. KS of GC between classes before "
        f"matching: {ks_before:.3f}.",
        "",
        "| what | median (s) | runs (s) | examples kept | notes |",
        "|---|---:|---|---:|---|",
    ]
    for label, median, times, kept, extra in rows:
        lines.append(f"| {label} | {median:.3f} | {', '.join(f'{t:.3f}' for t in times)} | "
                     f"{kept:,} | {extra} |")
    lines += [
        "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"scikit-learn {sklearn.__version__}, imbalanced-learn {imblearn.__version__}.",
        "",
        "KS is the two-sample Kolmogorov-Smirnov statistic of the GC-like covariate between "
        "classes in the kept set; 'short' counts requested majority examples without a match "
        "in their covariate cell. The sequence run drops length (all 200 bp: a constant "
        "default covariate is skipped). Timings come from a shared 2-CPU machine with other "
        "jobs running, so single runs vary by up to 2x (hence medians).",
        "",
    ]
    Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
