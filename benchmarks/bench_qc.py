"""Speed and memory of skgenqc's dataset QC against genomic-benchmarks-qc (gb-qc) and seqkit.

Run from the repository root (see benchmarks/README.md for installing the peers)::

    python benchmarks/bench_qc.py                      # 100k and 1M records, 3 repeats
    python benchmarks/bench_qc.py --sizes 100000 --repeats 3
    nohup python benchmarks/bench_qc.py > benchmarks/out/bench_qc.log 2>&1 &

In one run, on the same files, it times:

a) class checks: ``DatasetQC(checks=[alphabet, class_sizes, composition,
   positional, duplicates])`` (the set equivalent to gb-qc evaluate-classes)
   and the full default ``DatasetQC()``, against ``gb-qc evaluate-classes``;
b) composition statistics: ``skgenqc.features.composition_table`` after
   ``skgenqc.io.read_fasta``, against ``seqkit fx2tab -n -l -g``;
c) train/test leakage: ``DatasetQC(checks=["leakage"])`` against
   ``gb-qc evaluate-splits`` (MMseqs2), and counts the planted copies each finds;
d) memory growth of (a) and (c) from 100k to 1M records.

Every measured command runs as a subprocess under ``/usr/bin/time -v`` (wall
time, CPU time and peak RSS of the largest process) inside ``timeout``; a
sampler also records the peak summed RSS of the whole process tree (gb-qc's
Python plus its mmseqs child).  Each command is run ``--repeats`` times and the
median wall time is reported, except that a command whose first run takes more
than 60 s is run once.  Ratios are peer time / our time (> 1: we are faster).

Data (generated with numpy, seeded, cached in benchmarks/data/): synthetic
200 bp sequences, two classes 50/50 (class 0 GC 40 %, class 1 GC 50 % with a
TATAAT motif at positions 101-106 in 30 % of it), as ``train.csv``
(``sequence,label``) and ``train_0.fa`` / ``train_1.fa``; a test set of 20 %
extra records of which 1 % each are planted exact copies, reverse-complement
copies and 97 %-identity copies (6 substitutions) of training sequences
(``planted.csv``).  And the janggu 0.10.2 Oct4 / MafK sample data
(``sample.fa`` / ``sample2.fa``, test ``sample_test.fa`` / ``sample2_test.fa``).

Raw results accumulate in ``benchmarks/out/bench_qc_results.json`` (one entry
per dataset, replaced when that dataset is run again; ``--fresh`` starts over);
the ``bench_qc`` section of ``benchmarks/RESULTS.md`` is rewritten from it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
OUT = HERE / "out"
WORKER = HERE / "_run_skgenqc.py"
RESULTS_MD = HERE / "RESULTS.md"
RESULTS_JSON = OUT / "bench_qc_results.json"
SECTION_BEGIN = "<!-- bench_qc:begin -->"
SECTION_END = "<!-- bench_qc:end -->"

GEN_VERSION = 1
SEQ_LEN = 200
SLOW_SINGLE_RUN_S = 60.0
EQUIV_CHECKS = ["alphabet", "class_sizes", "composition", "positional", "duplicates"]
JANGGU_VERSION = "0.10.2"
PEER_PATH = "/opt/gbqc-venv/bin:/usr/local/bin:/usr/bin:/bin"


def log(msg):
    print(f"[{dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


# --------------------------------------------------------------------------- data

def _encode_rows(codes):
    return np.frombuffer(b"ACGT", dtype=np.uint8)[codes]


def _draw(rng, labels):
    """Codes (n, 200) for the given labels: GC 40 % vs 50 % plus a motif in 30 % of class 1."""
    n = len(labels)
    gc = np.where(labels == 0, 0.40, 0.50)
    a = ((1 - gc) / 2)[:, None]
    c = a + (gc / 2)[:, None]
    g = c + (gc / 2)[:, None]
    out = np.empty((n, SEQ_LEN), dtype=np.uint8)
    for lo in range(0, n, 50_000):
        hi = min(lo + 50_000, n)
        u = rng.random((hi - lo, SEQ_LEN))
        out[lo:hi] = (u >= a[lo:hi]).astype(np.uint8) + (u >= c[lo:hi]) + (u >= g[lo:hi])
    carriers = (labels == 1) & (rng.random(n) < 0.30)
    out[np.ix_(np.flatnonzero(carriers), np.arange(100, 106))] = np.array([3, 0, 3, 0, 0, 3],
                                                                          dtype=np.uint8)
    return out


def _write_csv(path, codes, labels):
    letters = _encode_rows(codes)
    with open(path, "wb") as fh:
        fh.write(b"sequence,label\n")
        for lo in range(0, len(codes), 100_000):
            block = letters[lo:lo + 100_000]
            lines = np.empty((len(block), SEQ_LEN + 3), dtype=np.uint8)
            lines[:, :SEQ_LEN] = block
            lines[:, SEQ_LEN] = ord(",")
            lines[:, SEQ_LEN + 1] = ord("0") + labels[lo:lo + 100_000]
            lines[:, SEQ_LEN + 2] = ord("\n")
            fh.write(lines.tobytes())


def _write_fasta(path, codes, rows, prefix):
    letters = _encode_rows(codes)
    with open(path, "wb") as fh:
        for lo in range(0, len(rows), 100_000):
            chunk = rows[lo:lo + 100_000]
            fh.write(b"".join(b">%s_%d\n%s\n" % (prefix, i, letters[i].tobytes()) for i in chunk))


def generate_synthetic(n, seed=12345):
    """Write (or reuse) the synthetic dataset of n training records; returns its folder."""
    folder = DATA / f"synth_{n}"
    manifest = folder / "manifest.json"
    expected = {"n_train": n, "seed": seed, "generator_version": GEN_VERSION, "length": SEQ_LEN}
    names = ["train.csv", "train_0.fa", "train_1.fa", "test.csv", "test_0.fa", "test_1.fa",
             "planted.csv"]
    if manifest.exists() and all((folder / f).exists() for f in names):
        got = json.loads(manifest.read_text())
        if {k: got.get(k) for k in expected} == expected:
            log(f"data {folder} exists (manifest matches), reusing")
            return folder
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    rng = np.random.default_rng(np.random.SeedSequence([seed, n]))
    if n % 2:
        raise SystemExit("--sizes must be even (two classes 50/50)")
    labels = rng.permutation(np.repeat(np.array([0, 1], dtype=np.uint8), n // 2))
    codes = _draw(rng, labels)
    n_test = n // 5
    test_labels = rng.permutation(np.repeat(np.array([0, 1], dtype=np.uint8), n_test // 2))
    test_codes = _draw(rng, test_labels)
    n_each = max(n_test // 100, 1)
    spots = rng.choice(n_test, 3 * n_each, replace=False)
    sources = rng.choice(n, 3 * n_each, replace=False)
    kinds = np.repeat(np.array(["exact", "rc", "id97"]), n_each)
    for spot, src, kind in zip(spots, sources, kinds):
        seq = codes[src].copy()
        if kind == "rc":
            seq = (3 - seq)[::-1]
        elif kind == "id97":  # 6 substitutions in 200 bp: identity exactly 0.97
            where = rng.choice(SEQ_LEN, 6, replace=False)
            seq[where] = (seq[where] + rng.integers(1, 4, size=6)) % 4
        test_codes[spot] = seq
        test_labels[spot] = labels[src]
    _write_csv(folder / "train.csv", codes, labels)
    _write_csv(folder / "test.csv", test_codes, test_labels)
    for c in (0, 1):
        _write_fasta(folder / f"train_{c}.fa", codes, np.flatnonzero(labels == c), b"train")
        _write_fasta(folder / f"test_{c}.fa", test_codes, np.flatnonzero(test_labels == c), b"test")
    with open(folder / "planted.csv", "w") as fh:
        fh.write("test_index,train_index,kind\n")
        for spot, src, kind in zip(spots, sources, kinds):
            fh.write(f"{spot},{src},{kind}\n")
    manifest.write_text(json.dumps({**expected, "n_test": n_test, "planted_per_kind": n_each},
                                   indent=1))
    log(f"generated {folder} in {time.perf_counter() - t:.1f} s")
    return folder


def ensure_janggu():
    """Download the janggu wheel with pip and unpack its sample FASTA files."""
    folder = DATA / "janggu"
    res = folder / "janggu" / "resources"
    needed = ["sample.fa", "sample2.fa", "sample_test.fa", "sample2_test.fa"]
    if all((res / f).exists() for f in needed):
        return res
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                    f"janggu=={JANGGU_VERSION}", "-d", str(folder)], check=True)
    wheel = next(folder.glob(f"janggu-{JANGGU_VERSION}-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(folder)
    return res


# --------------------------------------------------------------------------- measuring

def _proc_tree(root_pid):
    """(summed RSS in kB, list of pids) of root_pid and all its descendants, from /proc."""
    children = {}
    rss = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as fh:
                text = fh.read()
            pid = int(stat.split("/")[2])
            fields = text[text.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
        except (OSError, ValueError, IndexError):
            continue
    total, stack, pids = 0, [root_pid], []
    while stack:
        pid = stack.pop()
        pids.append(pid)
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total, pids


def _mem_available_kb():
    m = re.search(r"MemAvailable:\s+(\d+)", Path("/proc/meminfo").read_text())
    return int(m.group(1)) if m else None


def _parse_time_v(text):
    def grab(pattern, cast=float):
        m = re.search(pattern, text)
        return cast(m.group(1)) if m else None

    elapsed = None
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    if m:
        parts = [float(p) for p in m.group(1).split(":")]
        elapsed = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    return {
        "time_v_elapsed_s": elapsed,
        "user_s": grab(r"User time \(seconds\): ([\d.]+)"),
        "sys_s": grab(r"System time \(seconds\): ([\d.]+)"),
        "maxrss_kb": grab(r"Maximum resident set size \(kbytes\): (\d+)", int),
        "exit": grab(r"Exit status: (\d+)", int),
    }


def run_measured(name, cmd, *, folder, timeout, env=None, stdout_devnull=False, cleanup=None,
                 max_rss_gb=18.0, min_free_gb=1.5):
    """One run of cmd under /usr/bin/time -v and timeout; returns the measurements.

    A memory guard protects the (shared) machine from the OOM killer: when the
    process tree's summed RSS passes max_rss_gb, or the machine's available
    memory drops below min_free_gb, the tree is killed and the run is reported
    as stopped.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if cleanup is not None and cleanup.exists():
        shutil.rmtree(cleanup)
    time_file = folder / f"{name}.time"
    err_file = folder / f"{name}.stderr"
    full = ["/usr/bin/time", "-v", "-o", str(time_file), "timeout", "-k", "30", str(timeout)]
    full += [str(c) for c in cmd]
    peak = [0]
    guard = []
    stop = threading.Event()
    load_before = os.getloadavg()[0]
    with open(err_file, "w") as err, open(os.devnull if stdout_devnull else folder /
                                          f"{name}.stdout", "w") as out:
        t = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, cwd=ROOT)

        def sample():
            while not stop.wait(0.25):
                total, pids = _proc_tree(proc.pid)
                peak[0] = max(peak[0], total)
                avail = _mem_available_kb()
                if total > max_rss_gb * 1024 ** 2 or (avail is not None
                                                      and avail < min_free_gb * 1024 ** 2):
                    guard.append(f"stopped by the memory guard at {total / 1024 ** 2:.1f} GiB "
                                 f"(limit {max_rss_gb:g} GiB, machine available "
                                 f"{(avail or 0) / 1024 ** 2:.1f} GB)")
                    for pid in reversed(pids[1:]):  # our own child processes, by id
                        try:
                            os.kill(pid, 9)
                        except ProcessLookupError:
                            pass
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        proc.wait()
        wall = time.perf_counter() - t
        stop.set()
        sampler.join()
    info = _parse_time_v(time_file.read_text()) if time_file.exists() else {}
    info.update({"wall_s": wall, "tree_rss_peak_kb": peak[0], "returncode": proc.returncode,
                 "loadavg_before": load_before, "loadavg_after": os.getloadavg()[0]})
    text = time_file.read_text() if time_file.exists() else ""
    if guard:
        info["status"] = guard[0]
    elif proc.returncode == 124 or (proc.returncode == 137 and wall >= timeout):
        info["status"] = "did not finish"
        info["status_detail"] = f"stopped by timeout {timeout} s"
    elif proc.returncode == 137 or "terminated by signal 9" in text:
        info["status"] = "killed by signal 9 (out of memory?)"
    elif proc.returncode != 0:
        tail = err_file.read_text()[-800:]
        info["status"] = f"failed (exit {proc.returncode})"
        info["stderr_tail"] = tail
    else:
        info["status"] = "ok"
    return info


def _stopped_summary(run):
    return {"wall_before_stop_s": run["wall_s"],
            "peak_rss_mb": max(run.get("maxrss_kb") or 0, run["tree_rss_peak_kb"]) / 1024,
            "tree_rss_peak_mb": run["tree_rss_peak_kb"] / 1024}


def measure(name, cmd, *, folder, repeats, timeout, env=None, stdout_devnull=False,
            cleanup=None, worker_out=None):
    """Repeat a command (once when a run takes > 60 s) and summarise the runs."""
    runs, worker = [], None
    for i in range(repeats):
        if worker_out is not None and worker_out.exists():
            worker_out.unlink()
        log(f"  {name} run {i + 1}: {' '.join(map(str, cmd))[:160]}")
        info = run_measured(f"{name}_r{i + 1}", cmd, folder=folder, timeout=timeout, env=env,
                            stdout_devnull=stdout_devnull, cleanup=cleanup)
        runs.append(info)
        log(f"    -> {info['status']} wall {info['wall_s']:.2f} s, maxrss "
            f"{(info.get('maxrss_kb') or 0) / 1024:.0f} MB, tree {info['tree_rss_peak_kb'] / 1024:.0f} MB")
        if worker_out is not None and worker_out.exists():
            worker = json.loads(worker_out.read_text())
            info["worker_times"] = {k: v for k, v in worker.items() if k.endswith("_s")}
        if info["status"] != "ok" or info["wall_s"] > SLOW_SINGLE_RUN_S:
            break
    ok = [r for r in runs if r["status"] == "ok"]
    summary = {
        "name": name, "cmd": " ".join(map(str, cmd)), "runs": runs, "n_runs": len(runs),
        "status": "ok" if ok and len(ok) == len(runs) else runs[-1]["status"],
    }
    if ok:
        summary.update({
            "median_wall_s": statistics.median(r["wall_s"] for r in ok),
            "min_wall_s": min(r["wall_s"] for r in ok),
            "max_wall_s": max(r["wall_s"] for r in ok),
            "median_cpu_s": statistics.median((r.get("user_s") or 0) + (r.get("sys_s") or 0)
                                              for r in ok),
            "peak_rss_mb": max((r.get("maxrss_kb") or 0) for r in ok) / 1024,
            "tree_rss_peak_mb": max(r["tree_rss_peak_kb"] for r in ok) / 1024,
        })
    else:  # what we saw before it was stopped
        summary.update(_stopped_summary(runs[-1]))
    loads = [max(r.get("loadavg_before", 0), r.get("loadavg_after", 0)) for r in runs
             if "loadavg_before" in r]
    if loads:
        summary["max_loadavg"] = max(loads)
    if worker is not None:
        # in-process phase times: medians over the runs (the rest is from the last run)
        timed = [r["worker_times"] for r in runs if r.get("worker_times")]
        for key in worker:
            if key.endswith("_s") and timed:
                worker[key] = statistics.median(t.get(key, 0.0) for t in timed)
        summary["worker"] = worker
    return summary


# --------------------------------------------------------------------------- peers' outputs

def _gbqc_leak_hits(out_folder):
    """(test index, train index) pairs from gb-qc's html-mode mmseqs2_search_result.tsv."""
    import pandas as pd

    files = glob.glob(str(out_folder / "**" / "mmseqs2_search_result.tsv"), recursive=True)
    if not files:
        return None
    hits = pd.read_csv(files[0], sep="\t")
    q = hits["query"].astype(str).str.extract(r"seq_(\d+)_test", expand=False)
    t = hits["target"].astype(str).str.extract(r"seq_(\d+)_train", expand=False)
    return set(zip(q, t)), hits


def _gbqc_report_rows(out_folder, first=None):
    files = sorted(glob.glob(str(out_folder / "**" / "gb-qc-report.csv"), recursive=True))
    if not files:
        return None
    with open(files[0]) as fh:
        lines = [ln.rstrip("\n") for ln in fh]
    return lines[: first + 1] if first else lines


# --------------------------------------------------------------------------- benchmark

def bench_dataset(key, spec, args):
    """Run every selected comparison on one dataset; returns a result dict."""
    folder = OUT / key
    folder.mkdir(parents=True, exist_ok=True)
    peer_env = {**os.environ, "PATH": PEER_PATH, "MPLBACKEND": "Agg"}
    our_env = {**os.environ, "MPLBACKEND": "Agg"}
    py = sys.executable
    res = {"dataset": key, "date": dt.datetime.now().isoformat(timespec="seconds"),
           "description": spec["description"], "n_train": spec["n_train"],
           "n_test": spec["n_test"], "measurements": {}}
    m = res["measurements"]
    common = dict(folder=folder, timeout=args.timeout)

    def ours(name, job, extra, repeats=args.repeats):
        wout = folder / f"{name}.json"
        cmd = [py, WORKER, job, "--out", wout, *extra]
        m[name] = measure(name, cmd, repeats=repeats, env=our_env, worker_out=wout, **common)
        if args.profile and spec.get("profile"):
            prof = folder / f"profile_{name}.txt"
            log(f"  {name}: profiled run (not timed) -> {prof}")
            subprocess.run(cmd[:2] + [job, "--out", folder / f"{name}_prof.json", *extra,
                                      "--profile", prof], env=our_env, cwd=ROOT,
                           timeout=args.timeout)

    if "classes" in args.comparisons:
        log(f"[{key}] (a) class checks")
        ours("ours_classes_equiv", "classes", [*spec["our_input"], "--checks", *EQUIV_CHECKS])
        ours("ours_classes_full", "classes", [*spec["our_input"], "--checks", "default"])
        out_dir = folder / "gbqc_classes"
        m["gbqc_classes"] = measure(
            "gbqc_classes", [args.gbqc, "evaluate-classes", *spec["gbqc_class_input"],
                             "--report-types", "simple", "--out-folder", out_dir],
            repeats=args.repeats, env=peer_env, cleanup=out_dir, **common)
        m["gbqc_classes"]["report_head"] = _gbqc_report_rows(out_dir, first=9)

    if "composition" in args.comparisons:
        log(f"[{key}] (b) composition statistics")
        fa = spec["fasta_files"]
        res["fasta_bytes"] = int(sum(Path(f).stat().st_size for f in fa))
        ours("ours_composition", "composition", ["--fasta", *fa])
        ours("ours_composition_nodinuc", "composition", ["--fasta", *fa, "--no-dinucleotides"])
        m["seqkit_fx2tab"] = measure(
            "seqkit_fx2tab", ["seqkit", "fx2tab", "-n", "-l", "-g", *fa], repeats=args.repeats,
            env=peer_env, stdout_devnull=True, **common)

    if "leakage" in args.comparisons:
        log(f"[{key}] (c) train/test leakage")
        ours("ours_leakage", "leakage", spec["our_leak_input"])
        out_dir = folder / "gbqc_splits"
        gb_cmd = [args.gbqc, "evaluate-splits", *spec["gbqc_split_input"]]
        run_peer = not (spec["n_train"] > 100_000 and args.skip_gbqc_splits_large)
        if run_peer:
            m["gbqc_splits"] = measure(
                "gbqc_splits", [*gb_cmd, "--report-types", "simple", "--out-folder", out_dir],
                repeats=args.repeats, env=peer_env, cleanup=out_dir, **common)
            m["gbqc_splits"]["report"] = _gbqc_report_rows(out_dir)
        else:
            m["gbqc_splits"] = {"name": "gbqc_splits", "status": "not run (--skip-gbqc-splits-large)",
                                "runs": []}
        if run_peer and m["gbqc_splits"]["status"] == "ok":
            html_dir = folder / "gbqc_splits_html"
            log(f"[{key}] gb-qc evaluate-splits --report-types html (once, for its leaked hits)")
            m["gbqc_splits_html"] = measure(
                "gbqc_splits_html", [*gb_cmd, "--report-types", "html", "--out-folder", html_dir],
                repeats=1, env=peer_env, cleanup=html_dir, **common)
            parsed = _gbqc_leak_hits(html_dir)
            if parsed is not None:
                pairs, hits = parsed
                summary = {"n_hits": len(hits),
                           "n_test_leaked": int(hits["query"].nunique()),
                           "n_train_leaked": int(hits["target"].nunique())}
                if spec.get("planted"):
                    import pandas as pd

                    planted = pd.read_csv(spec["planted"], dtype=str)
                    summary["planted"] = {
                        kind: {"planted": len(g),
                               "found": int(sum((a, b) in pairs for a, b in
                                                zip(g["test_index"], g["train_index"])))}
                        for kind, g in planted.groupby("kind")}
                    leaked = set(hits["query"].astype(str).str.extract(
                        r"seq_(\d+)_test", expand=False))
                    summary["extra_leaked_tests"] = len(leaked - set(planted["test_index"]))
                m["gbqc_splits_html"]["hits"] = summary
    return res


def synthetic_spec(n, profile=False):
    d = generate_synthetic(n)
    manifest = json.loads((d / "manifest.json").read_text())
    return {
        "description": (f"synthetic 200 bp, {n} train (50/50), {manifest['n_test']} test with "
                        f"{manifest['planted_per_kind']} exact + {manifest['planted_per_kind']} RC + "
                        f"{manifest['planted_per_kind']} 97 %-identity planted copies"),
        "n_train": n, "n_test": manifest["n_test"], "profile": profile,
        "our_input": ["--csv", d / "train.csv"],
        "gbqc_class_input": ["--input", d / "train.csv"],
        "fasta_files": [d / "train_0.fa", d / "train_1.fa"],
        "our_leak_input": ["--csv", d / "train.csv", "--test-csv", d / "test.csv",
                           "--planted", d / "planted.csv"],
        "gbqc_split_input": ["--train-input", d / "train.csv", "--test-input", d / "test.csv"],
        "planted": d / "planted.csv",
    }


def janggu_spec():
    r = ensure_janggu()
    n_train = sum(1 for f in ("sample.fa", "sample2.fa") for ln in open(r / f) if ln.startswith(">"))
    n_test = sum(1 for f in ("sample_test.fa", "sample2_test.fa") for ln in open(r / f)
                 if ln.startswith(">"))
    return {
        "description": (f"janggu {JANGGU_VERSION} resources: sample.fa (Oct4) vs sample2.fa (MafK), "
                        "test sample_test.fa + sample2_test.fa"),
        "n_train": n_train, "n_test": n_test,
        "our_input": ["--fasta", f"{r / 'sample.fa'}:Oct4", f"{r / 'sample2.fa'}:MafK"],
        "gbqc_class_input": ["--input", r / "sample.fa", "--input", r / "sample2.fa"],
        "fasta_files": [r / "sample.fa", r / "sample2.fa"],
        "our_leak_input": ["--fasta", f"{r / 'sample.fa'}:Oct4", f"{r / 'sample2.fa'}:MafK",
                           "--test-fasta", f"{r / 'sample_test.fa'}:Oct4",
                           f"{r / 'sample2_test.fa'}:MafK"],
        "gbqc_split_input": ["--train-input", r / "sample.fa", "--train-input", r / "sample2.fa",
                             "--test-input", r / "sample_test.fa", "--test-input",
                             r / "sample2_test.fa"],
    }


def code_state():
    """Which skgenqc code is measured: git HEAD, uncommitted changes, newest source file time."""
    files = list((ROOT / "skgenqc").rglob("*.py"))
    newest = max((f.stat().st_mtime for f in files), default=0)
    dirty = _cmd_out(["git", "-C", str(ROOT), "status", "--porcelain", "--", "skgenqc"])
    return {"git": _cmd_out(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]) or "none",
            "uncommitted_changes": bool(dirty and dirty != "n/a"),
            "newest_source_mtime": dt.datetime.fromtimestamp(newest).isoformat(timespec="seconds")}


def _cmd_out(cmd, env=None):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, env=env,
                              timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "n/a"


def machine_facts(args):
    from importlib import metadata

    def ver(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "n/a"

    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    gbqc_py = str(Path(args.gbqc).parent / "python")
    peer_versions = _cmd_out([gbqc_py, "-c", (
        "import importlib.metadata as m, sys; print(sys.version.split()[0]); "
        "print(' '.join(f'{p}={m.version(p)}' for p in ['genomic-benchmarks-qc', 'numpy', "
        "'pandas', 'scikit-learn', 'biopython']))")]).splitlines()
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(), "ram_gib": round(mem_kb / 1024 ** 2, 1),
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "kernel": platform.release(),
        "python_ours": platform.python_version(),
        "packages_ours": {p: ver(p) for p in ["skgenqc", "numpy", "pandas", "scikit-learn",
                                               "scipy", "rapidfuzz", "dnaio", "matplotlib"]},
        "python_gbqc": peer_versions[0] if peer_versions else "n/a",
        "packages_gbqc": peer_versions[1] if len(peer_versions) > 1 else "n/a",
        "gbqc_version": _cmd_out([args.gbqc, "--version"]),
        "mmseqs": _cmd_out(["mmseqs", "version"]),
        "seqkit": _cmd_out(["seqkit", "version"]),
        "time": _cmd_out(["/usr/bin/time", "--version"]) or "GNU time",
        "git": _cmd_out(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]) or
        "no commit (working tree)",
    }


# --------------------------------------------------------------------------- report

def _fmt_s(meas):
    if not meas:
        return "—"
    if meas.get("status") != "ok":
        seen = meas.get("wall_before_stop_s")
        return f"{meas.get('status')}" + (f" (stopped at {seen:.0f} s)" if seen else "")
    s = meas["median_wall_s"]
    txt = f"{s:.2f}" if s < 100 else f"{s:.0f}"
    return txt + (f" (1 run)" if meas["n_runs"] == 1 else "")


def _fmt_load(meas):
    return f"{meas['max_loadavg']:.1f}" if meas.get("max_loadavg") is not None else "—"


def _cpu_ratio(peer, ours):
    if not peer or not ours or peer.get("status") != "ok" or ours.get("status") != "ok" \
            or not ours.get("median_cpu_s"):
        return "—"
    r = peer["median_cpu_s"] / ours["median_cpu_s"]
    return f"{r:.1f}x" if r >= 1 else f"{r:.2f}x"


def _fmt_mb(meas, key="peak_rss_mb"):
    if not meas or meas.get(key) is None:
        return "—"
    return f"{meas[key]:.0f}"


def _ratio(peer, ours):
    if not peer or not ours or peer.get("status") != "ok" or ours.get("status") != "ok":
        if peer and ours and ours.get("status") == "ok" and peer.get("status") == "did not finish":
            return peer.get("wall_before_stop_s", 0) / ours["median_wall_s"], ">"
        return None, ""
    return peer["median_wall_s"] / ours["median_wall_s"], ""


def _fmt_ratio(peer, ours):
    r, prefix = _ratio(peer, ours)
    if r is None:
        return "—"
    return f"{prefix}{r:.1f}x" if r >= 1 else f"{prefix}{r:.2f}x"


def _order(results):
    def k(key):
        return (1, 0) if key == "janggu" else (0, int(key.split("_")[1]))
    return sorted(results, key=k)


def _label(key, res):
    return "janggu Oct4/MafK" if key == "janggu" else f"synthetic {res['n_train']:,}"


def render(results, machine, args_line):
    L = []
    add = L.append
    add(SECTION_BEGIN)
    add("## bench_qc: dataset QC speed vs genomic-benchmarks-qc and seqkit")
    add("")
    add(f"Written by `benchmarks/bench_qc.py` ({args_line}); last run {machine['date']}. "
        "Each dataset row carries the date it was measured. Wall times are medians of the runs "
        "shown (3 by default, 1 when a run took > 60 s); every command is a separate process under "
        "`/usr/bin/time -v` (so times include interpreter start-up and imports: ~1 s for skgenqc). "
        "Memory is in MiB (1024 x 1024 bytes) throughout. Peak RSS = `/usr/bin/time -v` maximum resident set size (the largest single process: "
        "for gb-qc evaluate-splits that is usually its mmseqs child); tree RSS = peak of the summed "
        "RSS of the whole process tree, sampled every 0.25 s. Ratio = peer time / our time "
        "(> 1 means skgenqc is faster); CPU-time ratio = the same on user + system CPU seconds "
        "(children included), less sensitive to other load. Max load = the highest 1-minute load "
        "average seen before/after the runs: on a 2-CPU machine a load above ~2 means other work "
        "competed for the CPUs and inflated wall times (the runs do not lock the machine).")
    add("")
    add(f"Machine: {machine['nproc']} CPUs ({machine['cpu']}), {machine['ram_gib']} GiB RAM, "
        f"Linux {machine['kernel']}. skgenqc side: Python {machine['python_ours']}, "
        + ", ".join(f"{k} {v}" for k, v in machine["packages_ours"].items())
        + f". Peers: {machine['gbqc_version']} (Python {machine['python_gbqc']}; "
        f"{machine['packages_gbqc']}), mmseqs2 {machine['mmseqs']}, seqkit {machine['seqkit']}, "
        f"{machine['time'].splitlines()[0] if machine['time'] else 'GNU time'}. "
        f"Code: {machine['git']}.")
    add("")
    for note in machine.get("notes", []):
        add(f"Note: {note}")
        add("")
    add("Datasets:")
    for key in _order(results):
        r = results[key]
        code = r.get("code")
        code_txt = ""
        if code:
            code_txt = (f" skgenqc code: {code['git']}"
                        + (" + uncommitted changes" if code["uncommitted_changes"] else "")
                        + f" (newest source file {code['newest_source_mtime']})")
            if r.get("code_changed_during_run"):
                code_txt += (" — **the source changed while this dataset was measured** (now "
                             f"{r['code_changed_during_run']['git']}, newest file "
                             f"{r['code_changed_during_run']['newest_source_mtime']})")
            code_txt += "."
        add(f"- **{_label(key, r)}** (measured {r['date']}): {r['description']}.{code_txt}")
    add("")

    # ---- all measurements
    add("### All measurements")
    add("")
    add("| dataset | command | runs | median wall s | min–max s | CPU s | peak RSS MB | tree RSS MB | "
        "max load | status |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    for key in _order(results):
        for name, meas in results[key]["measurements"].items():
            if meas.get("status") == "ok":
                add(f"| {_label(key, results[key])} | {name} | {meas['n_runs']} | "
                    f"{meas['median_wall_s']:.2f} | {meas['min_wall_s']:.2f}–{meas['max_wall_s']:.2f} | "
                    f"{meas['median_cpu_s']:.1f} | {_fmt_mb(meas)} | {_fmt_mb(meas, 'tree_rss_peak_mb')} | "
                    f"{_fmt_load(meas)} | ok |")
            else:
                add(f"| {_label(key, results[key])} | {name} | {len(meas.get('runs', []))} | — | — | — | "
                    f"{_fmt_mb(meas)} | {_fmt_mb(meas, 'tree_rss_peak_mb')} | {_fmt_load(meas)} | "
                    f"{_fmt_s(meas)} |")
    add("")
    add("Commands: `ours_*` = `python benchmarks/_run_skgenqc.py JOB ...` (reads the file with "
        "`skgenqc.io.read_table` / `read_fasta`, then runs the call below); `gbqc_classes` = "
        "`gb-qc evaluate-classes --input train.csv --report-types simple` (janggu: `--input sample.fa "
        "--input sample2.fa`); `gbqc_splits` = `gb-qc evaluate-splits --train-input train.csv "
        "--test-input test.csv --report-types simple`; `gbqc_splits_html` = the same with "
        "`--report-types html` (run once, to read its leaked hits); `seqkit_fx2tab` = "
        "`seqkit fx2tab -n -l -g train_0.fa train_1.fa > /dev/null`.")
    add("")

    # ---- (a)
    add("### (a) Class checks: skgenqc vs `gb-qc evaluate-classes`")
    add("")
    add(f"`ours equiv` = `DatasetQC(checks={EQUIV_CHECKS}).run(df)`; `ours full` = `DatasetQC().run(df)` "
        "(adds k-mers, the shortcut model and near-duplicates). Target: ours >= 20x faster at 100k.")
    add("")
    add("| dataset | gb-qc s | ours equiv s | ours full s | ratio gb-qc/equiv | ratio gb-qc/full | "
        "CPU-time ratio equiv; full | RSS MB gb-qc / equiv / full | "
        "in-process read + run s (equiv; full) |")
    add("|---|---|---|---|---|---|---|---|---|")
    for key in _order(results):
        mm = results[key]["measurements"]
        if "gbqc_classes" not in mm:
            continue
        g, e, f = mm["gbqc_classes"], mm.get("ours_classes_equiv"), mm.get("ours_classes_full")

        def inproc(x):
            w = (x or {}).get("worker")
            return f"{w['read_s']:.2f} + {w['run_s']:.2f}" if w else "—"

        add(f"| {_label(key, results[key])} | {_fmt_s(g)} | {_fmt_s(e)} | {_fmt_s(f)} | "
            f"{_fmt_ratio(g, e)} | {_fmt_ratio(g, f)} | {_cpu_ratio(g, e)}; {_cpu_ratio(g, f)} | "
            f"{_fmt_mb(g)} / {_fmt_mb(e)} / {_fmt_mb(f)} | "
            f"{inproc(e)}; {inproc(f)} |")
    add("")

    # ---- (b)
    add("### (b) Composition statistics: `composition_table` vs `seqkit fx2tab -n -l -g`")
    add("")
    add("Seconds per MB of FASTA input (whole process, including start-up; in brackets ours "
        "in-process read_fasta + composition_table only). `ours` computes length, A/C/G/T/N, GC, "
        "lowercase share and 16 dinucleotide frequencies per sequence; `ours no-dinuc` passes "
        "`dinucleotides=False`; seqkit computes length and GC. Target: ours within 2x of seqkit "
        "(ratio seqkit/ours >= 0.5).")
    add("")
    add("| dataset | MB | seqkit s/MB | ours s/MB | ours no-dinuc s/MB | ratio seqkit/ours | "
        "ratio seqkit/ours no-dinuc | RSS MB seqkit / ours |")
    add("|---|---|---|---|---|---|---|---|")
    for key in _order(results):
        r = results[key]
        mm = r["measurements"]
        if "seqkit_fx2tab" not in mm:
            continue
        mb = r["fasta_bytes"] / 1e6
        s, o, o2 = mm["seqkit_fx2tab"], mm.get("ours_composition"), mm.get("ours_composition_nodinuc")

        def per_mb(x):
            if not x or x.get("status") != "ok":
                return "—"
            w = x.get("worker")
            extra = f" [{(w['read_s'] + w['run_s']) / mb:.3f}]" if w else ""
            return f"{x['median_wall_s'] / mb:.3f}{extra}"

        add(f"| {_label(key, r)} | {mb:.1f} | {per_mb(s)} | {per_mb(o)} | {per_mb(o2)} | "
            f"{_fmt_ratio(s, o)} | {_fmt_ratio(s, o2)} | {_fmt_mb(s)} / {_fmt_mb(o)} |")
    add("")

    # ---- (c)
    add("### (c) Train/test leakage: `DatasetQC(checks=['leakage'])` vs `gb-qc evaluate-splits`")
    add("")
    add("Target: ours >= 20x faster at 100k with peak memory <= 1 GB; ours finds every planted copy. "
        "gb-qc searches the forward strand only (mmseqs `--strand 1`), so it cannot find "
        "reverse-complement copies by design.")
    add("")
    add("| dataset | gb-qc s | ours s | ratio gb-qc/ours | CPU-time ratio | "
        "peak RSS MB gb-qc (tree) / ours | leaked test seqs gb-qc / ours | gb-qc report |")
    add("|---|---|---|---|---|---|---|---|")
    for key in _order(results):
        mm = results[key]["measurements"]
        if "ours_leakage" not in mm:
            continue
        g, o = mm.get("gbqc_splits"), mm["ours_leakage"]
        html = (mm.get("gbqc_splits_html") or {}).get("hits") or {}
        w = o.get("worker") or {}
        rep = (g or {}).get("report") or []
        rep_txt = rep[1] if len(rep) > 1 else "—"
        add(f"| {_label(key, results[key])} | {_fmt_s(g)} | {_fmt_s(o)} | {_fmt_ratio(g, o)} | "
            f"{_cpu_ratio(g, o)} | {_fmt_mb(g)} ({_fmt_mb(g, 'tree_rss_peak_mb')}) / {_fmt_mb(o)} | "
            f"{html.get('n_test_leaked', '—')} / {w.get('n_test_leaked_any', '—')} | `{rep_txt}` |")
    add("")
    add("Planted copies found (pair test record -> its source training record):")
    add("")
    add("| dataset | kind | planted | ours found (as that kind) | gb-qc found | extra leaked test seqs ours / gb-qc |")
    add("|---|---|---|---|---|---|")
    names = {"exact": "exact copy", "rc": "reverse complement", "id97": "97 % identity (6 subst.)"}
    for key in _order(results):
        mm = results[key]["measurements"]
        w = (mm.get("ours_leakage") or {}).get("worker") or {}
        if not w.get("planted"):
            continue
        html = (mm.get("gbqc_splits_html") or {}).get("hits") or {}
        for kind in ("exact", "rc", "id97"):
            p = w["planted"].get(kind, {})
            gp = (html.get("planted") or {}).get(kind, {})
            add(f"| {_label(key, results[key])} | {names[kind]} | {p.get('planted', '—')} | "
                f"{p.get('found', '—')} ({p.get('found_as_kind', '—')}) | {gp.get('found', 'not run')} | "
                f"{w.get('extra_leaked_tests', '—')} / {html.get('extra_leaked_tests', '—')} |")
    add("")

    # ---- (d)
    synth = [k for k in _order(results) if k != "janggu"]
    add("### (d) Memory growth of our checks")
    add("")
    base = None
    for key in results:
        b = results[key]["measurements"].get("ours_import_baseline")
        if b and b.get("status") == "ok":
            base = b["peak_rss_mb"]
    add("Peak RSS (MB) by training-set size; `net` subtracts the interpreter + import baseline "
        f"({'%.0f MB' % base if base else 'n/a'}: `python -c 'import skgenqc'`). Data grows 10x "
        "from 100k to 1M.")
    add("")
    if len(synth) >= 2:
        a, b = synth[0], synth[-1]
        add(f"| job | {_label(a, results[a])} | {_label(b, results[b])} | ratio | net ratio | "
            "wall s ratio | CPU s ratio |")
        add("|---|---|---|---|---|---|---|")
        for name in ("ours_classes_equiv", "ours_classes_full", "ours_leakage", "ours_composition",
                     "gbqc_classes", "gbqc_splits"):
            x, y = results[a]["measurements"].get(name), results[b]["measurements"].get(name)
            if not x or not y or not x.get("peak_rss_mb") or not y.get("peak_rss_mb"):
                continue
            ratio = y["peak_rss_mb"] / x["peak_rss_mb"]
            net = ((y["peak_rss_mb"] - base) / (x["peak_rss_mb"] - base)
                   if base and name.startswith("ours") and x["peak_rss_mb"] > base else None)
            both = x.get("status") == "ok" and y.get("status") == "ok"
            wr = y["median_wall_s"] / x["median_wall_s"] if both else None
            cr = y["median_cpu_s"] / x["median_cpu_s"] if both and x.get("median_cpu_s") else None
            add(f"| {name} | {x['peak_rss_mb']:.0f} | {y['peak_rss_mb']:.0f}"
                f"{'' if y.get('status') == 'ok' else ' (' + y['status'] + ')'} | {ratio:.1f}x | "
                f"{'%.1fx' % net if net else '—'} | {'%.1fx' % wr if wr else '—'} | "
                f"{'%.1fx' % cr if cr else '—'} |")
    else:
        add("(needs two synthetic sizes)")
    add("")

    # ---- targets
    add("### Targets")
    add("")
    add(_targets(results))
    add(SECTION_END)
    return "\n".join(L) + "\n"


def _targets(results):
    out = []
    key = "synth_100000"
    if key not in results:
        return "(no 100k run yet)"
    mm = results[key]["measurements"]

    def verdict(ok):
        return "**met**" if ok else "**not met**"

    if "gbqc_classes" in mm:
        for name, what in (("ours_classes_equiv", "equivalent check set"),
                           ("ours_classes_full", "full default DatasetQC()")):
            r, _ = _ratio(mm["gbqc_classes"], mm.get(name))
            if r is not None:
                out.append(f"- (a) class checks >= 20x faster than gb-qc at 100k, {what}: "
                           f"{r:.1f}x -> {verdict(r >= 20)}")
    if "seqkit_fx2tab" in mm:
        for name, what in (("ours_composition", "composition_table (default)"),
                           ("ours_composition_nodinuc", "composition_table(dinucleotides=False)")):
            r, _ = _ratio(mm["seqkit_fx2tab"], mm.get(name))
            if r is not None:
                out.append(f"- (b) {what} within 2x of seqkit at 100k: ours takes {1 / r:.2f}x "
                           f"seqkit's time -> {verdict(1 / r <= 2)}")
    if "ours_leakage" in mm:
        o = mm["ours_leakage"]
        r, prefix = _ratio(mm.get("gbqc_splits"), o)
        if r is not None:
            out.append(f"- (c) leakage >= 20x faster than gb-qc at 100k: {prefix}{r:.1f}x -> "
                       f"{verdict(r >= 20)}")
        if o.get("peak_rss_mb"):
            mib = o["peak_rss_mb"]
            gb = mib * 1024 ** 2 / 1e9
            if mib <= 1000 * 1e6 / 1024 ** 2:
                v = verdict(True)
            elif mib <= 1024:
                v = ("**met only if 1 GB means 1 GiB** (borderline: "
                     f"{gb:.2f} GB decimal)")
            else:
                v = verdict(False)
            out.append(f"- (c) leakage peak memory <= 1 GB at 100k: {mib:.0f} MiB = {gb:.2f} GB -> {v}")
        for k in sorted(results):
            w = (results[k]["measurements"].get("ours_leakage") or {}).get("worker") or {}
            if w.get("planted"):
                tot = sum(v["planted"] for v in w["planted"].values())
                found = sum(v["found"] for v in w["planted"].values())
                out.append(f"- (c) ours finds all planted copies, {_label(k, results[k])}: "
                           f"{found}/{tot} -> {verdict(found == tot)}")
    return "\n".join(out)


def write_results_md(results, machine, args_line):
    section = render(results, machine, args_line)
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else "# Benchmark results\n\n"
    if SECTION_BEGIN in text and SECTION_END in text:
        head, rest = text.split(SECTION_BEGIN, 1)
        tail = rest.split(SECTION_END, 1)[1]
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS_MD.write_text(text)
    log(f"wrote {RESULTS_MD}")


# --------------------------------------------------------------------------- main

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="training-set sizes of the synthetic data (records, both classes)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=int, default=900, help="seconds per measured command")
    parser.add_argument("--comparisons", nargs="+", default=["classes", "composition", "leakage"],
                        choices=["classes", "composition", "leakage"])
    parser.add_argument("--skip-janggu", action="store_true")
    parser.add_argument("--skip-gbqc-splits-large", action="store_true",
                        help="do not run gb-qc evaluate-splits above 100k training records")
    parser.add_argument("--profile", action="store_true",
                        help="also run our jobs once under cProfile (synthetic data, not timed)")
    parser.add_argument("--fresh", action="store_true", help="discard earlier results")
    parser.add_argument("--gbqc", default="/opt/gbqc-venv/bin/gb-qc")
    parser.add_argument("--note", action="append", default=[],
                        help="a note printed in RESULTS.md (repeatable; kept with the results)")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite RESULTS.md from benchmarks/out/bench_qc_results.json and exit")
    args = parser.parse_args(argv)
    args_line = "`python benchmarks/bench_qc.py " + " ".join(argv if argv is not None
                                                              else sys.argv[1:]) + "`"
    for tool in ("/usr/bin/time", "timeout", "seqkit", "mmseqs", args.gbqc):
        if not shutil.which(tool, path=PEER_PATH):
            raise SystemExit(f"{tool} not found; see benchmarks/README.md for installing the peers")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.render_only:
        stored = json.loads(RESULTS_JSON.read_text())
        stored["machine"]["notes"] = stored["machine"].get("notes", []) + args.note
        for res in stored["datasets"].values():
            for meas in res["measurements"].values():
                if meas.get("status") not in ("ok", None) and meas.get("runs") \
                        and "wall_before_stop_s" not in meas:
                    meas.update(_stopped_summary(meas["runs"][-1]))
        RESULTS_JSON.write_text(json.dumps(stored, indent=1, default=str))
        write_results_md(stored["datasets"], stored["machine"],
                         stored["machine"].get("args_line", args_line))
        return 0
    stored = {}
    if RESULTS_JSON.exists() and not args.fresh:
        stored = json.loads(RESULTS_JSON.read_text())
    results = stored.get("datasets", {})
    machine = machine_facts(args)
    machine["args_line"] = args_line
    machine["notes"] = args.note
    log(f"machine: {machine}")

    def save():
        RESULTS_JSON.write_text(json.dumps({"machine": machine, "datasets": results}, indent=1,
                                           default=str))
        write_results_md(results, machine, args_line)

    specs = []
    if not args.skip_janggu:
        specs.append(("janggu", janggu_spec))
    for n in sorted(args.sizes):
        specs.append((f"synth_{n}", lambda n=n: synthetic_spec(n, profile=n == min(args.sizes))))
    baseline = None
    for key, make in specs:
        spec = make()
        log(f"=== {key}: {spec['description']}")
        before = code_state()
        res = bench_dataset(key, spec, args)
        after = code_state()
        res["code"] = before
        if after != before:
            res["code_changed_during_run"] = after
            log(f"WARNING: skgenqc source changed while {key} was measured: {before} -> {after}")
        if baseline is None:
            baseline = measure("ours_import_baseline",
                               [sys.executable, WORKER, "import", "--out", OUT / "import.json"],
                               folder=OUT / key, repeats=args.repeats, timeout=args.timeout)
        res["measurements"]["ours_import_baseline"] = baseline
        results[key] = res
        save()
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
