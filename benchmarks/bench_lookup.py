"""Cost of the lookup baseline's pieces on 5,000 training x 1,000 test sequences (200 bp).

Data: 5,000 random 200 bp training sequences with labels 0/1; 1,000 test
sequences: 100 near-copies (95 % identity, 50 of them reverse-complemented)
and 100 60 nt fragments of training sequences (which the identity search cannot
call a copy, the containment can), the rest new random sequences.  Each job
runs in a subprocess under ``/usr/bin/time -v`` (peak memory) and reports its
own CPU (``time.process_time``) and wall (``time.perf_counter``) time of the
compute phase, with what it found, so speed and correctness are checked
together.  Load (``/proc/loadavg``) is recorded before and after each job.
Results go to ``RESULTS_lookup.md`` beside this file.

Run from the repository root::

    python benchmarks/bench_lookup.py            # about a minute
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
JOBS = ["nearest_neighbours", "kmer_containment", "lookup_scores", "lookup_check", "item_table",
        "real_enhancers"]


def _data(seed=0, n_train=5000, n_test=1000, length=200):
    import numpy as np

    rng = np.random.default_rng(seed)
    letters = np.frombuffer(b"ACGT", dtype=np.uint8)

    def rand(n, m):
        return [r.tobytes().decode() for r in letters[rng.integers(0, 4, size=(n, m))]]

    comp = str.maketrans("ACGT", "TGCA")
    train = rand(n_train, length)
    src = rng.choice(n_train, size=200, replace=False)
    test = []
    for j, i in enumerate(src[:100]):
        s = list(train[i])
        for p in rng.choice(length, size=int(0.05 * length), replace=False):
            s[p] = "ACGT"[(("ACGT".index(s[p])) + 1 + rng.integers(0, 3)) % 4]
        s = "".join(s)
        test.append(s.translate(comp)[::-1] if j % 2 else s)
    test += [train[i][70:130] for i in src[100:]]
    test += rand(n_test - 200, length)
    y_train = np.array([0, 1] * (n_train // 2))
    y_test = np.concatenate([y_train[src], rng.integers(0, 2, n_test - 200)])
    return train, test, y_train, y_test, src


def _job(name):
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    train, test, y_train, y_test, src = _data()
    out = {}
    cpu, wall = time.process_time(), time.perf_counter()
    if name == "nearest_neighbours":
        from skgenqc.features import nearest_neighbours

        nn = nearest_neighbours(test, train)
        out["identity_found"] = int((nn["train"][:100].to_numpy() == src[:100]).sum())
        out["fragments_by_containment"] = int(((nn["train"][100:200].to_numpy() == src[100:200])
                                               & (nn["method"][100:200] == "containment")).sum())
        out["random_with_containment_ge_0.1"] = int((nn["containment"][200:] >= 0.1).sum())
    elif name == "kmer_containment":
        from skgenqc.features import kmer_containment

        c = kmer_containment(test, train)
        out["fragments_full"] = int((c["containment"][100:200] == 1.0).sum())
    elif name == "lookup_scores":
        from skgenqc.features import nearest_neighbours
        from skgenqc.qc import lookup_scores

        nn = nearest_neighbours(test, train)
        cpu, wall = time.process_time(), time.perf_counter()  # the scoring alone
        r = lookup_scores(y_train, y_test, nn, n_permutations=1999)
        out.update(auroc=round(r["auroc"], 4), p_value=r["p_value"])
    elif name == "lookup_check":
        from skgenqc import DatasetQC

        tr = pd.DataFrame({"sequence": train, "label": y_train})
        te = pd.DataFrame({"sequence": test, "label": y_test})
        f = DatasetQC(checks=["lookup"]).run(tr, X_test=te)["lookup_baseline"]
        out.update(severity=f.severity, auroc=round(f.value, 4),
                   share_with_neighbour=f.evidence["share_with_neighbour"])
    elif name == "item_table":
        from skgenqc.qc import item_table

        t = item_table(pd.DataFrame({"sequence": train}), pd.DataFrame({"sequence": test}))
        out.update(rows=len(t), tested_with_identity=int((t["method"] == "identity").sum()))
    elif name == "real_enhancers":
        from skgenqc import DatasetQC

        d = ROOT.parent / "shared" / "data" / "genbenchqc_examples"  # as tests/conftest.py
        tr, te = pd.read_csv(d / "enhancers_train.csv"), pd.read_csv(d / "enhancers_test.csv")
        f = DatasetQC(checks=["composition", "leakage", "lookup"]).run(tr, X_test=te)[
            "lookup_baseline"]
        out.update(severity=f.severity, auroc=round(f.value, 4), p_value=f.evidence["p_value"],
                   n_identity=f.evidence["n_identity_neighbour"],
                   share_with_neighbour=round(f.evidence["share_with_neighbour"], 4),
                   best_single_feature=f.evidence["best_single_feature"]["feature"],
                   best_single_auroc=round(f.evidence["best_single_feature"]["auroc"], 4))
    out["cpu_s"] = round(time.process_time() - cpu, 3)
    out["wall_s"] = round(time.perf_counter() - wall, 3)
    print("RESULT " + json.dumps(out))


def _load():
    return open("/proc/loadavg").read().split()[0] if os.path.exists("/proc/loadavg") else "?"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", choices=JOBS)
    args = parser.parse_args()
    if args.job:
        return _job(args.job)
    rows = []
    for name in JOBS:
        before = _load()
        cmd = [sys.executable, __file__, "--job", name]
        if os.path.exists("/usr/bin/time"):
            cmd = ["/usr/bin/time", "-v"] + cmd
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        after = _load()
        result = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
        if proc.returncode or not result:
            raise SystemExit(f"job {name} failed:\n{proc.stderr[-2000:]}")
        found = json.loads(result[0][len("RESULT "):])
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
        peak = f"{int(rss.group(1)) / 1024:.0f}" if rss else "?"
        cpu, wall = found.pop("cpu_s"), found.pop("wall_s")
        rows.append(f"| {name} | {cpu:.2f} | {wall:.2f} | {peak} | {before} / {after} | "
                    + ", ".join(f"{k} {v}" for k, v in found.items()) + " |")
        print(rows[-1], flush=True)
    import numpy
    import pandas

    text = "\n".join([
        "# Lookup baseline benchmark", "",
        "`python benchmarks/bench_lookup.py`: one subprocess per job under `/usr/bin/time -v`; "
        "CPU and wall are the job's compute phase (imports and data generation excluded), peak "
        "memory is the whole process.", "",
        "Data: 5,000 random 200 bp training sequences (labels 0/1 alternating) and 1,000 test "
        "sequences: 100 near-copies at 95 % identity (50 reverse-complemented), 100 60 nt "
        "fragments of training sequences, 800 new random sequences (random labels). The copies "
        "and fragments keep their source's label.", "",
        "| job | CPU (s) | wall (s) | peak RSS (MB) | load 1 min before / after | found |",
        "|---|---:|---:|---:|---|---|", *rows, "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, numpy {numpy.__version__}, pandas {pandas.__version__}. "
        "The machine is shared with other jobs (the load column), so single timings vary.", "",
        "Jobs: `nearest_neighbours` (identity search at 0.9, both strands, then 12-mer "
        "containment); `kmer_containment` alone; `lookup_scores` (scoring with 1,999 label "
        "permutations, neighbours precomputed); `lookup_check` (`DatasetQC(checks=['lookup'])`, "
        "which also computes the composition table for the best single-feature rule); "
        "`item_table` (adds the near-duplicate groups over all 6,000 sequences); "
        "`real_enhancers` (`DatasetQC(checks=['composition', 'leakage', 'lookup'])` on "
        "genbenchqc_examples enhancers, 303 train / 102 test x 500 bp).", ""])
    (HERE / "RESULTS_lookup.md").write_text(text)
    print(f"wrote {HERE / 'RESULTS_lookup.md'}")


if __name__ == "__main__":
    main()
