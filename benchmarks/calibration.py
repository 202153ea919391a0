"""Calibration of the QC confounding checks: false alarms on noise and power on planted signal.

Run from the repository root::

    python benchmarks/calibration.py --label before          # writes the "before" section
    python benchmarks/calibration.py --label after           # writes the "after" section
    python benchmarks/calibration.py --reps 20 --label quick # fewer replicates
    python benchmarks/calibration.py --sizes 10000 --parts null --label n10000
    python benchmarks/calibration.py --parts real --janggu DIR --label real-data

Each dataset is scored with ``DatasetQC(checks=["composition", "positional", "kmers",
"shortcut"])`` (the confounding checks only) and every finding's severity is recorded.

*Null data*: random A/C/G/T sequences (uniform, L = 200) with random balanced labels, n per class
in ``--sizes`` (default 20, 50, 200, 1000, 5000; 10000 is accepted), ``--reps`` replicates per
size (fewer at 1000 and 5000, see ``REPS_SCALE``, and ``REPS_FIXED`` = 5 at 10,000). The false-alarm rate of a check is the share of runs in which it reports WARN or
worse (and FAIL); "any" is the share of runs with at least one confounding WARN / FAIL. Rates
come with a 95 % Wilson interval.

*Planted signal* (each ``--power-reps`` replicates), L = 200 unless said:

- ``gc``: GC 0.45 vs 0.55, 200 per class (gc_content must FAIL);
- ``motif``: an 8-mer at a random position in 30 % of class 1, 500 per class (kmer_enrichment
  must WARN or FAIL);
- ``fixed_kmer``: a 6-mer at positions 101-106 in 60 % of class 1, 200 per class
  (positional_composition must FAIL);
- ``length``: 30 % of class 1 are 220 bp instead of 200, 200 per class (length must FAIL);
- ``length10``: 10 % of class 1 are 220 bp, 200 per class (AU-ROC 0.55 but a clear one-feature
  rule: length must WARN or FAIL).

*Real data* (``--parts real``): the confounding checks on real sequence datasets, from the
shared data folder beside the repository (``--shared-data``; Genomic Benchmarks there are
coordinates only, so the sequence sets are used) and, with ``--janggu DIR`` (the unpacked
``janggu==0.10.2`` wheel, see README.md), janggu's Oct4 vs MafK peaks: each with its true
labels (what fires is reported, not judged) and with ``--permutations`` label permutations
(null: a WARN or FAIL there is a false alarm).

``--parts`` chooses among ``null``, ``power`` and ``real`` (default: null and power).

Results (markdown) are written into ``benchmarks/RESULTS_calibration.md`` under a section named by
``--label``; other sections are kept.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHECKS = ["composition", "positional", "kmers", "shortcut"]
FINDINGS = ["length", "gc_content", "nucleotide_composition", "dinucleotide_composition",
            "positional_composition", "kmer_enrichment", "shortcut_score"]
RANK = {"info": 0, "pass": 0, "warn": 1, "fail": 2}
REPS_SCALE = {1000: 0.5, 5000: 0.2}  # the largest size is the slowest; its rate needs fewer runs to be low
REPS_FIXED = {10000: 5}  # a minute or more per run: a few runs show the rate is not high, no more
LETTERS = np.frombuffer(b"ACGT", dtype=np.uint8)
POWER = {"gc": ("gc_content", "fail"), "motif": ("kmer_enrichment", "warn"),
         "fixed_kmer": ("positional_composition", "fail"), "length": ("length", "fail"),
         "length10": ("length", "warn")}


def _decode(codes):
    return [row.tobytes().decode() for row in LETTERS[codes]]


def _gc_codes(rng, n, length, gc):
    return rng.choice(4, size=(n, length), p=[(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2])


def null_data(n, seed, length=200):
    rng = np.random.default_rng(seed)
    seqs = _decode(rng.integers(0, 4, size=(2 * n, length)))
    labels = rng.permutation(np.repeat([0, 1], n))
    return pd.DataFrame({"sequence": seqs, "label": labels})


def planted_data(kind, seed, length=200):
    rng = np.random.default_rng(seed)
    if kind == "gc":
        n = 200
        codes = np.vstack([_gc_codes(rng, n, length, 0.45), _gc_codes(rng, n, length, 0.55)])
        seqs = _decode(codes)
    elif kind in ("motif", "fixed_kmer"):
        n, share, motif = (500, 0.30, "GATTACAG") if kind == "motif" else (200, 0.6, "TATAAT")
        motif_codes = np.array(["ACGT".index(c) for c in motif])
        codes = rng.integers(0, 4, size=(2 * n, length))
        carriers = n + np.flatnonzero(rng.random(n) < share)
        for row in carriers:
            start = rng.integers(0, length - len(motif) + 1) if kind == "motif" else 100
            codes[row, start:start + len(motif)] = motif_codes
        seqs = _decode(codes)
    elif kind in ("length", "length10"):
        n, share = 200, (0.30 if kind == "length" else 0.10)
        codes = rng.integers(0, 4, size=(2 * n, length + 20))
        seqs = _decode(codes)
        long_rows = n + np.flatnonzero(rng.random(n) < share)
        is_long = np.zeros(2 * n, bool)
        is_long[long_rows] = True
        seqs = [s if is_long[i] else s[:length] for i, s in enumerate(seqs)]
    else:
        raise ValueError(kind)
    labels = np.repeat([0, 1], n)
    return pd.DataFrame({"sequence": seqs, "label": labels})


def run_one(data):
    from skgenqc import DatasetQC
    import warnings

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = DatasetQC(checks=CHECKS).run(data)
    out = {"seconds": time.perf_counter() - start}
    for name in FINDINGS:
        try:
            finding = report[name]
        except KeyError:
            out[name] = "missing"
            continue
        out[name] = finding.severity
        out[name + "_value"] = finding.value
    return out


def _null_job(n, seed):
    return {"n": n, "seed": seed, **run_one(null_data(n, seed))}


def _power_job(kind, seed):
    return {"kind": kind, "seed": seed, **run_one(planted_data(kind, seed))}


def wilson(k, n, z=1.96):
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _rate(mask):
    k, n = int(mask.sum()), int(len(mask))
    low, high = wilson(k, n)
    return f"{k}/{n} = {k / n:.1%} [{low:.1%}, {high:.1%}]"


def null_table(frame):
    lines = ["| n per class | runs | finding | WARN or worse | FAIL |", "|---|---|---|---|---|"]
    for n, sub in frame.groupby("n"):
        ranks = sub[FINDINGS].replace(RANK).replace({"missing": 0}).astype(int)
        for name in FINDINGS + ["any confounding"]:
            r = ranks.max(axis=1) if name == "any confounding" else ranks[name]
            label = f"**{name}**" if name == "any confounding" else name
            lines.append(f"| {n} | {len(sub)} | {label} | {_rate(r >= 1)} | {_rate(r >= 2)} |")
    return "\n".join(lines)


def power_table(frame):
    lines = ["| planted | finding | required | runs | reached | severities | median value |",
             "|---|---|---|---|---|---|---|"]
    for kind, sub in frame.groupby("kind", sort=False):
        finding, required = POWER[kind]
        ranks = sub[finding].map(RANK)
        counts = sub[finding].value_counts().to_dict()
        lines.append(f"| {kind} | {finding} | {required} or worse | {len(sub)} | "
                     f"{_rate(ranks >= RANK[required])} | {counts} | "
                     f"{sub[finding + '_value'].median():.3f} |")
    return "\n".join(lines)


def write_results(label, text):
    path = ROOT / "benchmarks" / "RESULTS_calibration.md"
    header = ("# Calibration of the confounding checks\n\n"
              "Written by `benchmarks/calibration.py` (see its docstring for the designs). "
              "Rates are shares of runs, with a 95 % Wilson interval.\n")
    body = path.read_text() if path.exists() else header
    marker = f"<!-- section {label} -->"
    section = f"{marker}\n{text}\n<!-- end {label} -->\n"
    pattern = re.compile(re.escape(marker) + r".*?<!-- end " + re.escape(label) + r" -->\n",
                         re.S)
    body = pattern.sub(lambda _: section, body) if marker in body else body + "\n" + section
    path.write_text(body)
    return path


def _read_fasta_labelled(path, label):
    from skgenqc.io import read_fasta

    frame = read_fasta(path)
    return pd.DataFrame({"sequence": frame["sequence"].to_numpy(), "label": label})


def real_datasets(shared, janggu=None):
    """Real (name, DataFrame) sets with sequences: genbenchqc examples, optionally janggu."""
    out = []
    examples = Path(shared) / "genbenchqc_examples"
    if examples.is_dir():
        out.append(("G4 positives vs negatives (genbenchqc, 100 + 100, 200 bp)", pd.concat([
            _read_fasta_labelled(examples / "G4_positives.fasta", "G4"),
            _read_fasta_labelled(examples / "G4_negatives.fasta", "negative")],
            ignore_index=True)))
        table = pd.read_csv(examples / "enhancers_train.csv")
        out.append((f"enhancers train (genbenchqc, {len(table)}, 500 bp)",
                    table[["sequence", "label"]]))
    if janggu:
        res = Path(janggu) / "janggu" / "resources"
        if not res.is_dir():
            res = Path(janggu)
        out.append(("janggu Oct4 vs MafK peaks (3,897 + 3,900, 200 bp, soft-masked)", pd.concat([
            _read_fasta_labelled(res / "sample.fa", "Oct4"),
            _read_fasta_labelled(res / "sample2.fa", "MafK")], ignore_index=True)))
    return out


def _real_job(name, data, perm):
    if perm >= 0:
        rng = np.random.default_rng(perm)
        data = data.assign(label=rng.permutation(data["label"].to_numpy()))
    return {"dataset": name, "perm": perm, **run_one(data)}


def real_table(frame):
    lines = ["| dataset | labels | runs | any WARN+ | any FAIL | what fires (severity: runs) |",
             "|---|---|---|---|---|---|"]
    for name, sub_all in frame.groupby("dataset", sort=False):
        for kind, sub in (("true", sub_all[sub_all["perm"] < 0]),
                          ("permuted", sub_all[sub_all["perm"] >= 0])):
            if sub.empty:
                continue
            ranks = sub[FINDINGS].replace(RANK).replace({"missing": 0}).astype(int)
            fired = []
            for finding in FINDINGS:
                counts = sub.loc[ranks[finding] >= 1, finding].value_counts().to_dict()
                if counts:
                    fired.append(f"{finding} " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
            worst = ranks.max(axis=1)
            lines.append(f"| {name} | {kind} | {len(sub)} | {_rate(worst >= 1)} | "
                         f"{_rate(worst >= 2)} | {'; '.join(fired) or '-'} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 50, 200, 1000, 5000])
    parser.add_argument("--reps", type=int, default=60)
    parser.add_argument("--power-reps", type=int, default=10)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--label", default="current")
    parser.add_argument("--seed", type=int, default=1000)
    parser.add_argument("--parts", nargs="+", choices=["null", "power", "real"],
                        default=["null", "power"])
    parser.add_argument("--shared-data", default=str(ROOT.parent / "shared" / "data"),
                        help="the real data folder (default: ../shared/data beside the repo)")
    parser.add_argument("--janggu", default=None,
                        help="unpacked janggu==0.10.2 wheel (adds Oct4 vs MafK to --parts real)")
    parser.add_argument("--permutations", type=int, default=5)
    args = parser.parse_args(argv)

    load_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
                            capture_output=True, text=True).stdout.strip()
    start = time.perf_counter()
    jobs = [(n, args.seed + 10_000 * n + r) for n in args.sizes
            for r in range(REPS_FIXED.get(n, max(1, int(round(args.reps
                                                               * REPS_SCALE.get(n, 1.0))))))]
    null = power = real = None
    if "null" in args.parts:
        null = pd.DataFrame(Parallel(n_jobs=args.n_jobs)(delayed(_null_job)(n, s)
                                                         for n, s in jobs))
    if "power" in args.parts:
        power_jobs = [(k, args.seed + r) for k in POWER for r in range(args.power_reps)]
        power = pd.DataFrame(Parallel(n_jobs=args.n_jobs)(delayed(_power_job)(k, s)
                                                          for k, s in power_jobs))
    if "real" in args.parts:
        sets = real_datasets(args.shared_data, args.janggu)
        real = pd.DataFrame(Parallel(n_jobs=args.n_jobs)(
            delayed(_real_job)(name, data, perm) for name, data in sets
            for perm in [-1] + list(range(args.seed, args.seed + args.permutations))))
    elapsed = time.perf_counter() - start
    load_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    command = "python benchmarks/calibration.py " + " ".join(
        argv if argv is not None else sys.argv[1:])
    per_run = {} if null is None else null.groupby("n")["seconds"].median().round(2).to_dict()
    parts = []
    if null is not None:
        parts += ["### False alarms on null data (random sequences, random labels, L = 200)", "",
                  null_table(null), ""]
    if power is not None:
        parts += ["### Power on planted signal", "", power_table(power), ""]
    if real is not None:
        parts += ["### Real data: true labels (what fires) and permuted labels (null)", "",
                  real_table(real), ""]
    text = "\n".join([
        f"## {args.label}", "",
        f"- command: `{command}`",
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; code: {commit}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {args.n_jobs} worker processes",
        f"- load before: `{load_before}`", f"- load after: `{load_after}`",
        f"- wall time: {elapsed:.0f} s; median seconds per null run by n: {per_run}",
        "", *parts])
    path = write_results(args.label, text)
    print(text)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
