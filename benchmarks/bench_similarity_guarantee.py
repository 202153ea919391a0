"""Cost of the exact similarity guarantee: the search before and after the seed rule change.

Times :func:`skgenqc.features.find_similar_pairs` as it was before the change
(loaded from git, ``--before``, default: the commit before ``seed_plan``) and as
it is now, on

* ``janggu``: 7,997 real 200 bp ChIP-seq peaks (janggu 0.10.2 sample data, Oct4
  and MafK, fetched from PyPI by ``bench_qc.ensure_janggu``) plus 60 planted
  copies at exactly 90 % identity (30 evenly spaced substitutions, 30 evenly
  spaced substitutions/indels on the other strand);
* ``random20k``: 20,000 random 200 bp sequences plus 100 planted copies made
  the same way;

for the self-search (QC near-duplicates, the similarity splitter) and the
test-vs-train search (QC leakage, split diagnostics).  Each measurement is a
fresh ``/usr/bin/time -v`` process (peak memory), run 3 times; the table gives
the median search wall and CPU time, the median peak RSS and the planted pairs
found.  ``uptime`` is recorded before and after.  It also runs the issue's
end-to-end check on ``janggu``: planted pairs put across folds by
SimilarityGroupKFold, and what split_diagnostics reports on those folds.

Usage::

    python benchmarks/bench_similarity_guarantee.py            # all, writes RESULTS
    python benchmarks/bench_similarity_guarantee.py --quick    # 1 run each
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
RESULTS = HERE / "RESULTS_similarity_guarantee.md"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

_OTHER = {"A": "C", "C": "G", "G": "T", "T": "A", "N": "A"}


def _spots(length, n):
    return [(i + 1) * (length + 1) // (n + 1) - 1 for i in range(n)]


def substitutions(seq, n):
    out = list(seq)
    for p in _spots(len(seq), n):
        out[p] = _OTHER.get(out[p], "A")
    return "".join(out)


def mixed(seq, n):
    """Substitution, deletion, insertion in turn at evenly spaced spots."""
    out = list(seq)
    for i, p in sorted(enumerate(_spots(len(seq), n)), key=lambda x: -x[1]):
        if i % 3 == 0:
            out[p] = _OTHER.get(out[p], "A")
        elif i % 3 == 1:
            del out[p]
        else:
            out.insert(p, _OTHER.get(out[p] if p < len(out) else "A", "A"))
    return "".join(out)


def read_fasta(path):
    seqs, cur = [], []
    for line in open(path):
        if line.startswith(">"):
            if cur:
                seqs.append("".join(cur))
            cur = []
        else:
            cur.append(line.strip())
    if cur:
        seqs.append("".join(cur))
    return seqs


def dataset(name):
    """(sequences, test rows, planted pairs as (source, copy) rows)."""
    from skgenqc.features.encoding import reverse_complement

    rng = np.random.default_rng(0)
    if name == "janggu":
        from bench_qc import ensure_janggu

        res = ensure_janggu()
        train = read_fasta(res / "sample.fa") + read_fasta(res / "sample2.fa")
        test = read_fasta(res / "sample_test.fa") + read_fasta(res / "sample2_test.fa")
        base, n_plant = train + test, 30
        test_rows = list(range(len(train), len(base)))
    else:
        letters = np.frombuffer(b"ACGT", dtype=np.uint8)[rng.integers(0, 4, (20_000, 200))]
        base, n_plant = [row.tobytes().decode() for row in letters], 50
        test_rows = list(range(16_000, 20_000))
    base = [s.upper() for s in base]
    sources = rng.choice(len(base), 2 * n_plant, replace=False)
    seqs, planted = list(base), []
    for c, i in enumerate(sources):
        n = int(np.floor(0.1 * len(base[i]) + 1e-9))
        copy = substitutions(base[i], n) if c < n_plant else reverse_complement(mixed(base[i], n))
        planted.append((int(i), len(seqs)))
        seqs.append(copy)
    test_rows += list(range(len(base), len(seqs)))  # the copies are test items
    return seqs, test_rows, planted


def load_impl(impl, before):
    if impl == "after":
        import skgenqc.features.similarity as mod

        return mod
    OUT.mkdir(exist_ok=True)
    path = OUT / f"similarity_{before[:10]}.py"
    path.write_text(subprocess.run(["git", "show", f"{before}:skgenqc/features/similarity.py"],
                                   cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    spec = importlib.util.spec_from_file_location("similarity_before", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def one(args):
    """One measurement in this process: prints a JSON line."""
    mod = load_impl(args.impl, args.before)
    seqs, test_rows, planted = dataset(args.dataset)
    out = {"impl": args.impl, "dataset": args.dataset, "task": args.task,
           "threshold": args.threshold, "n": len(seqs)}
    if args.task == "splitter":
        import skgenqc.model_selection.similarity as ms
        from skgenqc.model_selection import SimilarityGroupKFold, split_diagnostics

        ms.find_similar_pairs = mod.find_similar_pairs  # the splitter's search, before or after
        w, c = time.perf_counter(), time.process_time()
        folds = list(SimilarityGroupKFold(n_splits=5, threshold=args.threshold,
                                          stratify=False).split(seqs))
        out["search_wall_s"], out["search_cpu_s"] = time.perf_counter() - w, time.process_time() - c
        fold_of = np.empty(len(seqs), dtype=int)
        for k, (_, te) in enumerate(folds):
            fold_of[te] = k
        out["planted_across_folds"] = int(sum(fold_of[i] != fold_of[j] for i, j in planted))
        ms.find_similar_pairs = load_impl("after", None).find_similar_pairs
        rep = split_diagnostics(folds, sequences=seqs, identity_threshold=args.threshold)
        out["diagnostics_test_above_threshold"] = \
            rep["test_similarity_to_train"].evidence["n_above_threshold"]
    else:
        if args.task == "self":
            q, t = seqs, None
        else:
            rows = set(test_rows)
            q = [seqs[i] for i in test_rows]
            train_rows = [i for i in range(len(seqs)) if i not in rows]
            t = [seqs[i] for i in train_rows]
        w, c = time.perf_counter(), time.process_time()
        pairs = mod.find_similar_pairs(q, t, threshold=args.threshold)
        out["search_wall_s"], out["search_cpu_s"] = time.perf_counter() - w, time.process_time() - c
        got = set(zip(pairs["query"].tolist(), pairs["target"].tolist()))
        if args.task == "self":
            hit = sum((min(i, j), max(i, j)) in got for i, j in planted)
        else:
            q_of = {r: n for n, r in enumerate(test_rows)}
            t_of = {r: n for n, r in enumerate(train_rows)}
            hit = sum((q_of[j], t_of[i]) in got for i, j in planted if i in t_of)
            out["planted_total"] = sum(1 for i, _ in planted if i in t_of)
        out["pairs"] = len(pairs)
        out["planted_found"] = int(hit)
    out.setdefault("planted_total", len(planted))
    print("RESULT " + json.dumps(out), flush=True)


def measure(cmd):
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    res = json.loads(next(line for line in proc.stdout.splitlines()
                          if line.startswith("RESULT "))[7:])
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    res["peak_rss_mb"] = int(rss.group(1)) / 1024
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    res["process_wall_s"] = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60
                             + float(wall.group(3)))
    return res


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--impl", choices=["before", "after"], default="after")
    ap.add_argument("--dataset", choices=["janggu", "random20k"], default="janggu")
    ap.add_argument("--task", choices=["self", "cross", "splitter"], default="self")
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--before", default=None,
                    help="git revision of the old search (default: parent of the seed_plan commit)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one run per cell")
    args = ap.parse_args()
    if args.before is None:
        log = subprocess.run(["git", "log", "--format=%H", "-S", "def seed_plan(", "--reverse",
                              "--", "skgenqc/features/similarity.py"], cwd=ROOT,
                             capture_output=True, text=True).stdout.split()
        args.before = f"{log[0]}^" if log else "HEAD"
        args.before = subprocess.run(["git", "rev-parse", args.before], cwd=ROOT,
                                     capture_output=True, text=True).stdout.strip()
    if args.one:
        return one(args)
    runs = 1 if args.quick else args.runs
    cells = [(ds, task, 0.9) for ds in ("janggu", "random20k") for task in ("self", "cross")]
    cells += [("janggu", "splitter", 0.9), ("janggu", "self", 0.95), ("janggu", "self", 0.85)]
    before_load, rows = uptime(), []
    for ds, task, thr in cells:
        for impl in ("before", "after"):
            cmd = [sys.executable, str(Path(__file__).relative_to(ROOT)), "--one", "--impl", impl,
                   "--dataset", ds, "--task", task, "--threshold", str(thr),
                   "--before", args.before]
            results = [measure(cmd) for _ in range(runs)]
            row = dict(results[0])
            for key in ("search_wall_s", "search_cpu_s", "peak_rss_mb", "process_wall_s"):
                row[key] = statistics.median(r[key] for r in results)
                row[key + "_all"] = [round(r[key], 2) for r in results]
            rows.append(row)
            print(json.dumps(row), flush=True)
    after_load = uptime()
    OUT.mkdir(exist_ok=True)
    (OUT / "similarity_guarantee.json").write_text(json.dumps(
        {"before": args.before, "uptime_start": before_load, "uptime_end": after_load,
         "runs": runs, "rows": rows}, indent=1))
    print("uptime start:", before_load)
    print("uptime end:  ", after_load)


if __name__ == "__main__":
    main()
