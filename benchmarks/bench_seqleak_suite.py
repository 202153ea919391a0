"""seqleak's planted-leak validation suite, run side by side with skgenqc on the same files.

seqleak 0.4.1 ships ``seqleak.audit.synthetic.make_task(plant, dose, seed)``: order-3 Markov
sequences (a GRCh38 background, 300 bp, 4,000 train + 1,000 test, balanced labels independent of
sequence) with one planted leak or one control. This script generates each task ONCE in
seqleak's own virtual environment, writes ``train.tsv`` / ``test.tsv`` (``id``, ``sequence``,
``label`` and, for the position plant, ``dist``) and then runs, on those same files,

- ``seqleak audit --train train.tsv --test test.tsv --homology off`` (its venv; plus
  ``--genome`` for the genome plants and ``--distance-cols dist`` for the position plant, the
  inputs those checks need), and
- ``python -m skgenqc.cli qc train.tsv --test test.tsv --json ...`` (this repository, default
  checks). The confounding subset (composition, positional, kmers, shortcut) is read from the
  same report: checks do not depend on each other, so running them alone gives the same
  findings.

A leak counts as *caught* by a tool when its verdict is WARN or FAIL (the table shows which
findings and at which severity); a control (or ``none``) counts as a *false alarm* when either
tool WARNs or FAILs on it.

Install seqleak in its own environment first (it pins nothing of ours)::

    python3 -m venv VENV && VENV/bin/pip install seqleak==0.4.1

Run from the repository root::

    python benchmarks/bench_seqleak_suite.py --seqleak-python VENV/bin/python --seeds 0 1

Results: a marked section ``seqleak-suite`` of ``benchmarks/RESULTS_calibration.md`` (other
sections kept) and the raw rows in ``benchmarks/out/<label>.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from joblib import Parallel, delayed

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

#: The suite's plants with a dose, and its controls (dose not used). ``none`` is the null task.
PLANTS = ["exact", "near", "shifted", "shuffle", "segment", "length", "npad", "motif", "position",
          "shuffle_within", "allN", "site", "library", "genome", "anchored", "shuffle_test"]
CONTROLS = ["none", "control_gc", "control_motif", "control_library", "control_genome",
            "control_anchored"]
DEFAULT_DOSE = 0.1  # make_task's default
CONFOUNDING = {"length", "gc_content", "nucleotide_composition", "dinucleotide_composition",
               "positional_composition", "kmer_enrichment", "shortcut_score"}
RANK = {"pass": 0, "info": 0, "warn": 1, "fail": 2}

# Run by seqleak's interpreter: make the task once and write the files both tools read.
GENERATE = r"""
import json, os, sys
from seqleak.audit.synthetic import make_task
plant, dose, seed, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
df, info = make_task(plant, dose, seed, workdir=out)
df = df.rename(columns={'seq': 'sequence'})
for sp in ('train', 'test'):
    df[df.split == sp].drop(columns=['split']).to_csv(os.path.join(out, sp + '.tsv'), sep='\t',
                                                      index=False)
info['n_planted'] = len(info.pop('planted', []))
json.dump(info, open(os.path.join(out, 'info.json'), 'w'))
"""


def _timed(cmd, cwd=None):
    """Run ``cmd``; its wall and CPU seconds (user + system of the child) and its output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    # communicate() has reaped the child; its rusage is folded into RUSAGE_CHILDREN, so measure
    # by difference around the call in a process that runs one child at a time (each worker).
    return proc.returncode, out, err, wall


def _children_cpu():
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _seqleak_row(report):
    checks = report["checks"]
    raised = {cid: c["status"] for cid, c in checks.items() if c["status"] in ("WARN", "FAIL")}
    return {"seqleak_verdict": report["verdict"]["status"], "seqleak_raised": raised}


def _skgenqc_row(report):
    raised = {f["check"]: f["severity"] for f in report["findings"]
              if f["severity"] in ("warn", "fail")}
    confounding = {name: sev for name, sev in raised.items() if name in CONFOUNDING}
    worst = max((RANK[s] for s in raised.values()), default=0)
    worst_conf = max((RANK[s] for s in confounding.values()), default=0)
    names = {0: "PASS", 1: "WARN", 2: "FAIL"}
    return {"skgenqc_verdict": names[worst], "skgenqc_raised": raised,
            "skgenqc_confounding_verdict": names[worst_conf]}


def run_task(plant, dose, seed, seqleak_python, workroot, skip_seqleak=False):
    """Generate one task and run both tools on it (or skgenqc only); one row of results."""
    out = Path(tempfile.mkdtemp(prefix=f"{plant}_{dose}_{seed}_", dir=workroot))
    code, _, err, gen_wall = _timed([seqleak_python, "-c", GENERATE, plant, str(dose), str(seed),
                                     str(out)])
    if code:
        return {"plant": plant, "dose": dose, "seed": seed, "error": "generate: " + err[-500:]}
    info = json.loads((out / "info.json").read_text())
    row = {"plant": plant, "dose": dose, "seed": seed,
           **{k: info[k] for k in ("oracle_mcc", "oracle_auroc", "n_planted") if k in info}}
    sl_cmd = [seqleak_python, "-m", "seqleak", "audit", "--train", "train.tsv", "--test",
              "test.tsv", "--out", "seqleak.json", "--homology", "off", "--quiet",
              "--workdir", str(out)]
    if "genome" in info:
        sl_cmd += ["--genome", info["genome"]]
    if plant == "position":
        sl_cmd += ["--distance-cols", "dist"]
    if not skip_seqleak:
        cpu0 = _children_cpu()
        code, _, err, wall = _timed(sl_cmd, cwd=out)
        row.update(seqleak_wall=wall, seqleak_cpu=_children_cpu() - cpu0)
        if code not in (0, 1):
            row["seqleak_error"] = err[-500:]
        else:
            row.update(_seqleak_row(json.loads((out / "seqleak.json").read_text())))
    sk_cmd = [sys.executable, "-m", "skgenqc.cli", "qc", str(out / "train.tsv"), "--test",
              str(out / "test.tsv"), "--json", str(out / "skgenqc.json"), "--fail-on", "never",
              "--quiet"]
    cpu0 = _children_cpu()
    code, _, err, wall = _timed(sk_cmd, cwd=ROOT)
    row.update(skgenqc_wall=wall, skgenqc_cpu=_children_cpu() - cpu0)
    if code:
        row["skgenqc_error"] = err[-500:]
    else:
        row.update(_skgenqc_row(json.loads((out / "skgenqc.json").read_text())))
    return row


def _short(raised, tool):
    if not raised:
        return "-"
    if tool == "seqleak":
        return ", ".join(f"{k} {v}" for k, v in sorted(raised.items()))
    return ", ".join(f"{k} {v.upper()}" for k, v in sorted(raised.items()))


def table(rows):
    """One line per (plant, dose): both tools' verdicts over the seeds, and what fired."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    lines = ["| plant | dose | seeds | oracle | seqleak verdicts | seqleak checks raised (seed 1st) "
             "| skgenqc verdicts (all / confounding) | skgenqc findings raised (seed 1st) |",
             "|---|---|---|---|---|---|---|---|"]
    order = {p: i for i, p in enumerate(PLANTS + CONTROLS)}
    frame = frame.assign(_o=frame["plant"].map(order)).sort_values(["_o", "dose", "seed"])
    for (plant, dose), sub in frame.groupby(["plant", "dose"], sort=False):
        first = sub.iloc[0]
        oracle = ""
        if "oracle_mcc" in sub and sub["oracle_mcc"].notna().any():
            oracle = f"MCC {sub['oracle_mcc'].mean():.2f}"
        if "oracle_auroc" in sub and sub["oracle_auroc"].notna().any():
            oracle = f"AU-ROC {sub['oracle_auroc'].mean():.2f}"
        sl = "/".join(str(v) for v in sub.get("seqleak_verdict", pd.Series(["error"])).fillna("error"))
        sk = "/".join(str(v) for v in sub.get("skgenqc_verdict", pd.Series(["error"])).fillna("error"))
        skc = "/".join(str(v) for v in sub.get("skgenqc_confounding_verdict",
                                                pd.Series(["error"])).fillna("error"))
        dose_text = "-" if plant in CONTROLS else f"{dose:g}"
        lines.append(f"| {plant} | {dose_text} | {len(sub)} | {oracle} | {sl} | "
                     f"{_short(first.get('seqleak_raised') or {}, 'seqleak')} | {sk} ({skc}) | "
                     f"{_short(first.get('skgenqc_raised') or {}, 'skgenqc')} |")
    return "\n".join(lines)


def summary(rows):
    """Counts of leaks caught and controls alarmed, per dose, for both tools."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    lines = ["| set | tasks | seqleak WARN+ | seqleak FAIL | skgenqc WARN+ | skgenqc FAIL | "
             "skgenqc confounding WARN+ |", "|---|---|---|---|---|---|---|"]
    groups = [(f"leaks at dose {d:g}", frame[frame["plant"].isin(PLANTS) & (frame["dose"] == d)])
              for d in sorted(frame.loc[frame["plant"].isin(PLANTS), "dose"].unique())]
    groups.append(("controls and none", frame[frame["plant"].isin(CONTROLS)]))
    for name, sub in groups:
        sl = sub.get("seqleak_verdict", pd.Series(dtype=object))
        sk = sub.get("skgenqc_verdict", pd.Series(dtype=object))
        skc = sub.get("skgenqc_confounding_verdict", pd.Series(dtype=object))
        lines.append(f"| {name} | {len(sub)} | {int(sl.isin(['WARN', 'FAIL']).sum())} | "
                     f"{int((sl == 'FAIL').sum())} | {int(sk.isin(['WARN', 'FAIL']).sum())} | "
                     f"{int((sk == 'FAIL').sum())} | {int(skc.isin(['WARN', 'FAIL']).sum())} |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seqleak-python", default=os.environ.get("SEQLEAK_PYTHON"),
                        help="python of the environment with seqleak 0.4.1 (or $SEQLEAK_PYTHON)")
    parser.add_argument("--plants", nargs="+", default=PLANTS + CONTROLS)
    parser.add_argument("--doses", type=float, nargs="+", default=[0.1, 0.3])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--label", default="seqleak-suite")
    parser.add_argument("--workdir", default=None, help="where the task files go (temporary)")
    parser.add_argument("--skip-seqleak", action="store_true",
                        help="generate with seqleak but run skgenqc only (a re-run after a change)")
    args = parser.parse_args(argv)
    if not args.seqleak_python:
        parser.error("--seqleak-python (or $SEQLEAK_PYTHON) is required")
    version = subprocess.run([args.seqleak_python, "-c", "import seqleak; print(seqleak.__version__)"],
                             capture_output=True, text=True).stdout.strip()
    jobs = []
    for plant in args.plants:
        doses = [DEFAULT_DOSE] if plant in CONTROLS else sorted(set(args.doses) | {DEFAULT_DOSE})
        jobs += [(plant, d, s) for d in doses for s in args.seeds]
    load_before = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"],
                            capture_output=True, text=True).stdout.strip()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=args.workdir) as workroot:
        rows = Parallel(n_jobs=args.n_jobs)(delayed(run_task)(p, d, s, args.seqleak_python, workroot,
                                                              args.skip_seqleak)
                                            for p, d, s in jobs)
    elapsed = time.perf_counter() - start
    load_after = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    out_dir = ROOT / "benchmarks" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{args.label}.json").write_text(json.dumps(rows, indent=1, default=str))
    errors = [r for r in rows if any(k.endswith("error") for k in r)]

    def total(key):
        return sum(r.get(key, 0.0) for r in rows)

    command = "python benchmarks/bench_seqleak_suite.py " + " ".join(
        a for a in (argv if argv is not None else sys.argv[1:]))
    text = "\n".join([
        f"## {args.label}: seqleak {version} planted-leak suite, both tools on the same files", "",
        f"- command: `{command}` (seqleak in its own venv)",
        f"- date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; code: {commit}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {args.n_jobs} tasks at a time",
        f"- load before: `{load_before}`", f"- load after: `{load_after}`",
        f"- wall time: {elapsed:.0f} s for {len(rows)} tasks; seqleak audit total "
        f"{total('seqleak_wall'):.0f} s wall / {total('seqleak_cpu'):.0f} s CPU; skgenqc qc "
        f"total {total('skgenqc_wall'):.0f} s wall / {total('skgenqc_cpu'):.0f} s CPU "
        "(each a fresh process: imports included)",
        f"- runs with an error: {len(errors)}"
        + ("".join(f"; {r['plant']} {r['dose']} {r['seed']}" for r in errors)),
        "- seqleak runs `audit --homology off` (plus `--genome` for the genome plants, "
        "`--distance-cols dist` for position); skgenqc runs `qc` with the default checks and no "
        "extra input (it has no distance-field or genome-membership check). Verdicts are listed "
        "per seed, separated by `/`.", "",
        summary(rows), "", table(rows), ""])
    from calibration import write_results

    path = write_results(args.label, text)
    print(text)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
