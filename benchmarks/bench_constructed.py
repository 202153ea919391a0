"""False alarms and power of the constructed-negatives check (``constructed``).

Null: random 200 bp sequences (uniform bases) with random labels, 100 and 500 per class,
``--repeats`` datasets each: how often each finding warns or fails.

Power: the same data with a dose of constructed negatives:

- composition twins: a share (5, 10, 20, 50 %) of the negatives replaced by an Altschul-Erikson
  dinucleotide shuffle of a positive (the test helper in ``tests/conftest.py``);
- positional twins: the same shares replaced by a positive whose central 100 bases are
  redrawn (50 bases kept in place at each end);
- library constants: an 18-base adapter at the start of a share (5, 10, 20, 30, 50 %) of the
  positives.

Every dataset is graded by ``check_constructed_negatives`` / ``check_library_constants`` with
their defaults (2,000 relabellings). Results go to ``RESULTS_constructed.md`` beside this file.

Run from the repository root::

    python benchmarks/bench_constructed.py              # a few minutes
    python benchmarks/bench_constructed.py --repeats 50
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import dinucleotide_shuffle, random_sequences  # noqa: E402

from skgenqc.qc import check_constructed_negatives, check_library_constants  # noqa: E402

ADAPTER = "AGATCGGAAGAGCACACG"
LENGTH = 200


def _dataset(rng, n, kind=None, share=0.0):
    pos, neg = random_sequences(rng, n, LENGTH), random_sequences(rng, n, LENGTH)
    k = int(round(share * n))
    if kind == "composition":
        neg[:k] = [dinucleotide_shuffle(rng, s) for s in pos[:k]]
    elif kind == "positional":
        neg[:k] = [s[:50] + random_sequences(rng, 1, LENGTH - 100)[0] + s[-50:] for s in pos[:k]]
    elif kind == "adapter":
        pos[:k] = [ADAPTER + s[len(ADAPTER):] for s in pos[:k]]
    labels = np.array([1] * n + [0] * n)
    seqs = pos + neg
    if kind is None:  # the null: labels at random
        labels = rng.permutation(labels)
    frame = pd.DataFrame({"id": [f"s{i}" for i in range(2 * n)], "label": labels})
    return frame, seqs


def _grade(frame, seqs, seed):
    out = {f.check: f.severity for f in check_constructed_negatives(frame, seqs,
                                                                   random_state=seed)}
    out["library_constant"] = check_library_constants(frame, seqs, random_state=seed).severity
    return out


def _rates(severities):
    s = pd.Series(severities)
    return (s.isin(["warn", "fail"]).mean(), (s == "fail").mean(), (s == "info").mean())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    load_before = os.getloadavg()
    start = time.perf_counter()
    rows = []
    findings = ["composition_twins", "positional_twins", "library_constant"]
    for n in (100, 500):
        null = {f: [] for f in findings}
        for r in range(args.repeats):
            graded = _grade(*_dataset(np.random.default_rng(1000 * n + r), n), r)
            for f in findings:
                null[f].append(graded[f])
        for f in findings:
            alarm, fail, info = _rates(null[f])
            rows.append({"n per class": n, "data": "null (random labels)", "finding": f,
                         "dose": "-", "warn or fail": alarm, "fail": fail, "info": info})
        plans = ([("composition", "composition_twins", s) for s in (0.05, 0.1, 0.2, 0.5)]
                 + [("positional", "positional_twins", s) for s in (0.05, 0.1, 0.2, 0.5)]
                 + [("adapter", "library_constant", s) for s in (0.05, 0.1, 0.2, 0.3, 0.5)])
        for kind, finding, share in plans:
            got = []
            for r in range(args.repeats):
                rng = np.random.default_rng(7 + 1000 * n + r)
                got.append(_grade(*_dataset(rng, n, kind, share), r)[finding])
            alarm, fail, info = _rates(got)
            what = {"composition": "negatives = dinucleotide shuffles of positives",
                    "positional": "negatives = positives with the centre redrawn",
                    "adapter": "18-base adapter at the start of positives"}[kind]
            rows.append({"n per class": n, "data": what, "finding": finding,
                         "dose": f"{share:.0%}", "warn or fail": alarm, "fail": fail,
                         "info": info})
        print(f"n={n} done after {time.perf_counter() - start:.0f} s", flush=True)
    elapsed = time.perf_counter() - start
    load_after = os.getloadavg()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    table = pd.DataFrame(rows)
    lines = [
        "# Constructed-negatives benchmark", "",
        f"`python benchmarks/bench_constructed.py --repeats {args.repeats}`: {args.repeats} "
        f"datasets per row, {LENGTH} bp uniform random sequences, defaults of "
        "`check_constructed_negatives` and `check_library_constants` (2,000 relabellings, "
        "Holm over the findings of one call, fail at a 2 % share / a carrier difference of 0.2).",
        "",
        "| n per class | data | finding | dose | warn or fail | fail | info |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for row in table.itertuples(index=False):
        lines.append(f"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]:.0%} | "
                     f"{row[5]:.0%} | {row[6]:.0%} |")
    lines += [
        "",
        "Dose: the share of negatives that are constructed from positives (twins), or of "
        "positives carrying the adapter. 'warn or fail' is the detection rate on planted data "
        "and the false-alarm rate on the null rows.",
        "",
        f"Total wall time {elapsed:.0f} s. Load average (1, 5, 15 min) before "
        f"{', '.join(f'{x:.2f}' for x in load_before)}, after "
        f"{', '.join(f'{x:.2f}' for x in load_after)}; `uptime` at the end: `{uptime}`.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}.",
        "",
    ]
    (HERE / "RESULTS_constructed.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
