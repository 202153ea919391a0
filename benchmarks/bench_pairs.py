"""Benchmark PairKFold(mode="C3") on heavy-tailed bipartite pairs, side by side with DataSAIL.

Measures, on synthetic miRNA-gene-like pair sets (20k and 1M pairs):

- wall and CPU time of ``list(PairKFold(5, mode="C3").split(X, groups=pairs))`` (string ids);
- the share of pairs never tested (partners in different folds, dropped in every fold) and the
  realised test share of each fold, ``n_test / (n_train + n_test)`` and ``n_test / n_pairs``
  (the request is 1/K = 0.2 of the entities per fold);
- the same with families (whole miRNA families / gene clusters held out);
- reference: networkx Louvain communities dealt to folds (20k only), and DataSAIL 1.4.0
  (``I2``: identity-based two-dimensional split; ``C2``: cluster-based, given the same families as
  a block similarity matrix) with ``splits=[0.2] * 5``, run in its own virtual environment.

Usage::

    python -m venv /opt/datasail-venv && /opt/datasail-venv/bin/pip install datasail==1.4.0
    python benchmarks/bench_pairs.py                  # medians of 3 runs, writes RESULTS_pairs.md
    python benchmarks/bench_pairs.py --quick          # 20k only, 1 run, no DataSAIL

Every timing is the median of ``--repeats`` runs (seeds 0, 1, 2 of the splitter).  The machine
is shared: the load average at each measurement is recorded next to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "pairs"
RESULTS = HERE / "RESULTS_pairs.md"
DATASAIL_PY = Path("/opt/datasail-venv/bin/python")
K = 5


# ----------------------------------------------------------------------------- data
def heavy_tailed_pairs(n_pairs, *, modular, seed=0, n_modules=50, mix=0.2):
    """Unique (miRNA, gene) index pairs with power-law degrees on both sides (Chung-Lu style).

    miRNA weights ~ Pareto(1.5) (degree exponent 2.5), gene weights ~ Pareto(2) (exponent 3);
    about 20 pairs per miRNA and 4 per gene.  ``modular``: every entity belongs to one of
    ``n_modules`` modules and a fraction ``1 - mix`` of pairs stay inside a module.
    Families: 2 miRNA families and 10 gene clusters per module (random in the plain variant,
    where modules do not shape the pairs).
    """
    rng = np.random.default_rng(seed)
    n_l, n_r = max(n_pairs // 20, 10), max(n_pairs // 4, 10)
    w_l, w_r = rng.pareto(1.5, n_l) + 1, rng.pareto(2.0, n_r) + 1
    mod_l, mod_r = rng.integers(n_modules, size=n_l), rng.integers(n_modules, size=n_r)
    m = int(n_pairs * 1.4)
    left = rng.choice(n_l, m, p=w_l / w_l.sum())
    right = rng.choice(n_r, m, p=w_r / w_r.sum())
    if modular:
        order = np.argsort(mod_r, kind="stable")
        bounds = np.searchsorted(mod_r[order], np.arange(n_modules + 1))
        inside = np.flatnonzero(rng.random(m) > mix)
        for k in range(n_modules):
            idx = inside[mod_l[left[inside]] == k]
            cum = np.cumsum(w_r[order[bounds[k]:bounds[k + 1]]])
            right[idx] = order[bounds[k] + np.searchsorted(cum, rng.random(len(idx)) * cum[-1])]
    key = rng.permutation(np.unique(left * n_r + right))[:n_pairs]
    pairs = np.c_[key // n_r, key % n_r]
    fam_l = mod_l * 2 + rng.integers(2, size=n_l)
    fam_r = mod_r * 10 + rng.integers(10, size=n_r)
    return pairs, fam_l, fam_r


def string_ids(pairs):
    out = np.empty(pairs.shape, dtype=object)
    out[:, 0] = [f"mir{i}" for i in pairs[:, 0]]
    out[:, 1] = [f"gene{i}" for i in pairs[:, 1]]
    return out


def fold_stats(n_pairs, folds):
    """folds: list of (n_train, n_test) per fold."""
    n_train = np.array([a for a, _ in folds], float)
    n_test = np.array([b for _, b in folds], float)
    share = n_test / np.maximum(n_train + n_test, 1)
    return {"kept_share": float(n_test.sum() / n_pairs),
            "dropped_share": float(1 - n_test.sum() / n_pairs),
            "test_share_median": float(np.median(share)), "test_share_min": float(share.min()),
            "test_share_max": float(share.max()),
            "test_of_all_median": float(np.median(n_test / n_pairs)),
            "test_of_all_min": float((n_test / n_pairs).min()),
            "test_of_all_max": float((n_test / n_pairs).max()),
            "train_of_all_median": float(np.median(n_train / n_pairs)),
            "n_test_per_fold": n_test.astype(int).tolist()}


# ----------------------------------------------------------------------------- our side
def run_pairkfold(pairs_str, families, seed):
    import warnings

    from skgenqc.model_selection.pairs import PairKFold

    X = np.zeros((len(pairs_str), 1), dtype=np.float32)
    cv = PairKFold(K, mode="C3", families=families, random_state=seed)
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        splits = list(cv.split(X, groups=pairs_str))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    stats = fold_stats(len(pairs_str), [(len(tr), len(te)) for tr, te in splits])
    return {"wall_s": wall, "cpu_s": cpu, "load": load, **stats}


def run_louvain(pairs, seed):
    """Reference partition: networkx Louvain communities, dealt to folds by pair count."""
    import networkx as nx
    from networkx.algorithms.community import louvain_communities

    from skgenqc.model_selection._base import assign_groups_to_folds

    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    G = nx.Graph()
    G.add_edges_from(zip((f"m{a}" for a in pairs[:, 0]), (f"g{b}" for b in pairs[:, 1])))
    comms = louvain_communities(G, seed=seed)
    node_comm = {v: i for i, c in enumerate(comms) for v in c}
    a = np.array([node_comm[f"m{x}"] for x in pairs[:, 0]])
    b = np.array([node_comm[f"g{x}"] for x in pairs[:, 1]])
    vol = np.bincount(a, minlength=len(comms)) + np.bincount(b, minlength=len(comms))
    fold = assign_groups_to_folds(vol[:, None], K, stratify=False,
                                  rng=np.random.default_rng(seed))
    fa, fb = fold[a], fold[b]
    folds = [(int(((fa != k) & (fb != k)).sum()), int(((fa == k) & (fb == k)).sum()))
             for k in range(K)]
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"wall_s": wall, "cpu_s": cpu, "load": load, "n_communities": len(comms),
            **fold_stats(len(pairs), folds)}


# ----------------------------------------------------------------------------- DataSAIL side
def datasail_worker(args):
    """Runs inside the DataSAIL venv: one datasail() call, stats to a JSON file."""
    import resource

    data = np.load(args.data)
    pairs, fam_l, fam_r = data["pairs"], data["fam_l"], data["fam_r"]
    t_imp = time.perf_counter()
    from datasail.sail import datasail
    import_s = time.perf_counter() - t_imp
    inter = [(f"mir{a}", f"gene{b}") for a, b in pairs]
    e_ids = sorted({e for e, _ in inter})
    f_ids = sorted({f for _, f in inter})
    kw = {}
    if args.technique == "C2":   # the families as a block similarity matrix (1 inside)
        fam = {**{f"mir{i}": f for i, f in enumerate(fam_l)},
               **{f"gene{i}": -1 - f for i, f in enumerate(fam_r)}}

        def block(ids):
            v = np.array([fam[i] for i in ids])
            return ids, (v[:, None] == v[None, :]).astype(np.float32)
        kw = {"e_sim": block(e_ids), "f_sim": block(f_ids)}
    names = [f"fold{k}" for k in range(K)]
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    rc0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = datasail(techniques=[args.technique], inter=inter, splits=[1 / K] * K, names=names,
                   e_type="O", e_data={e: "x" for e in e_ids}, f_type="O",
                   f_data={f: "x" for f in f_ids}, max_sec=args.max_sec, verbose="E",
                   runs=1, **kw)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    rc1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime
           + rc1.ru_utime + rc1.ru_stime - rc0.ru_utime - rc0.ru_stime)
    result = {"wall_s": wall, "cpu_s": cpu, "load": load, "import_s": import_s}
    inter_splits = out[2].get(args.technique) if out and out[2] else None
    if not inter_splits:
        result["status"] = "no solution"
    else:
        assign = inter_splits[0]
        split_of = np.array([names.index(assign.get(p, "not selected"))
                             if assign.get(p, "not selected") in names else -1 for p in inter])
        folds = [(int(((split_of != k) & (split_of >= 0)).sum()), int((split_of == k).sum()))
                 for k in range(K)]
        result.update(status="ok", **fold_stats(len(pairs), folds))
    Path(args.out).write_text(json.dumps(result))


def run_datasail(data_file, technique, run, max_sec, timeout):
    out = OUT / f"datasail_{data_file.stem}_{technique}_{run}.json"
    cmd = [str(DATASAIL_PY), str(Path(__file__).resolve()), "--worker", "--data", str(data_file),
           "--technique", technique, "--max-sec", str(max_sec), "--out", str(out)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                              cwd=OUT)
    except subprocess.TimeoutExpired:
        return {"status": f"did not finish in {timeout} s"}
    process_s = time.perf_counter() - t0
    (OUT / f"{out.stem}.log").write_text(proc.stdout[-20000:] + "\n" + proc.stderr[-20000:])
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["?"]
        return {"status": f"failed (rc={proc.returncode}): {tail[0][:200]}"}
    res = json.loads(out.read_text())
    res["process_s"] = process_s
    return res


# ----------------------------------------------------------------------------- driver
def median_of(runs):
    ok = [r for r in runs if r.get("status", "ok") == "ok"]
    if not ok:
        walls = [r["wall_s"] for r in runs if "wall_s" in r]
        return {"status": runs[0].get("status", "?"), "runs": len(runs),
                "wall_s": float(np.median(walls)) if walls else None,
                "cpu_s": float(np.median([r["cpu_s"] for r in runs if "cpu_s" in r]))
                if walls else None, "load": runs[0].get("load")}
    keys = [k for k, v in ok[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    med = {k: float(np.median([r[k] for r in ok])) for k in keys}
    med.update(status="ok", runs=len(ok), wall_min=min(r["wall_s"] for r in ok),
               wall_max=max(r["wall_s"] for r in ok),
               n_test_per_fold=[r.get("n_test_per_fold") for r in ok])
    if len(ok) < len(runs):
        failed = next(r.get("status") for r in runs if r.get("status", "ok") != "ok")
        med["status_note"] = f"{len(runs) - len(ok)} of {len(runs)} runs: {failed}"
    return med


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--data"), ap.add_argument("--technique"), ap.add_argument("--out")
    ap.add_argument("--max-sec", type=int, default=600,
                    help="DataSAIL solver time limit (its default, 100 s, is also tried once)")
    ap.add_argument("--timeout", type=int, default=1200, help="per DataSAIL run")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-datasail", action="store_true")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite RESULTS_pairs.md from out/pairs/bench_pairs.json")
    args = ap.parse_args()
    if args.worker:
        return datasail_worker(args)
    if args.report_only:
        saved = json.loads((OUT / "bench_pairs.json").read_text())
        rows = [(r.pop("dataset"), r.pop("description"), r.pop("method"), r)
                for r in saved["rows"]]
        return write_results(rows, saved["meta"])

    OUT.mkdir(parents=True, exist_ok=True)
    sizes = [20_000] if args.quick else [20_000, 1_000_000]
    repeats = 1 if args.quick else args.repeats
    use_datasail = not (args.quick or args.no_datasail)
    rows = []
    for n in sizes:
        for modular in (False, True):
            name = f"{'modular' if modular else 'plain'} {n:,}"
            pairs, fam_l, fam_r = heavy_tailed_pairs(n, modular=modular)
            data_file = OUT / f"pairs_{'modular' if modular else 'plain'}_{n}.npz"
            np.savez(data_file, pairs=pairs, fam_l=fam_l, fam_r=fam_r)
            pairs_str = string_ids(pairs)
            families = ({f"mir{i}": f"fam{f}" for i, f in enumerate(fam_l)},
                        {f"gene{i}": f"clu{f}" for i, f in enumerate(fam_r)})
            deg = np.bincount(pairs[:, 0])
            desc = (f"{len(pairs):,} pairs, {len(np.unique(pairs[:, 0])):,} miRNAs (max degree "
                    f"{deg.max()}), {len(np.unique(pairs[:, 1])):,} genes")
            print(f"[{name}] {desc}", flush=True)
            runs = [run_pairkfold(pairs_str, None, s) for s in range(repeats)]
            rows.append((name, desc, "PairKFold C3 (entities)", median_of(runs)))
            print("  ours entities", rows[-1][3], flush=True)
            if n <= 20_000:
                runs = [run_pairkfold(pairs_str, families, s) for s in range(repeats)]
                rows.append((name, desc, "PairKFold C3 (families)", median_of(runs)))
                print("  ours families", rows[-1][3], flush=True)
                runs = [run_louvain(pairs, s) for s in range(repeats)]
                rows.append((name, desc, "networkx Louvain + LPT (entities)", median_of(runs)))
                print("  louvain", rows[-1][3], flush=True)
                if use_datasail:
                    if not DATASAIL_PY.exists():
                        rows.append((name, desc, "DataSAIL", {"status": "not installed"}))
                        continue
                    plan = [("I2", args.max_sec, repeats), ("C2", args.max_sec, repeats)]
                    if not modular and args.max_sec != 100:
                        plan.insert(0, ("I2", 100, 1))
                    for tech, max_sec, n_runs in plan:
                        runs = [run_datasail(data_file, tech, r, max_sec, args.timeout)
                                for r in range(n_runs)]
                        what = ("I2 (entities)" if tech == "I2"
                                else "C2 (families as block similarity)")
                        label = f"DataSAIL 1.4.0 {what}, max_sec={max_sec}"
                        rows.append((name, desc, label, median_of(runs)))
                        print(f"  datasail {tech} {max_sec}", rows[-1][3], flush=True)
    meta = {"argv": " ".join(sys.argv[1:]) or "no options", "repeats": repeats,
            "run": datetime.now().isoformat(timespec="seconds"), "load_end": os.getloadavg()[0]}
    (OUT / "bench_pairs.json").write_text(json.dumps(
        {"meta": meta, "rows": [{"dataset": a, "description": b, "method": c, **d}
                                for a, b, c, d in rows]}, indent=1))
    write_results(rows, meta)


def _versions():
    import networkx
    import pandas
    import scipy
    import sklearn

    import skgenqc
    v = (f"Python {platform.python_version()}, skgenqc {skgenqc.__version__}, numpy "
         f"{np.__version__}, scipy {scipy.__version__}, pandas {pandas.__version__}, "
         f"scikit-learn {sklearn.__version__}, networkx {networkx.__version__}")
    if DATASAIL_PY.exists():
        try:
            code = ("import importlib.metadata as m; print(m.version('datasail'), "
                    "m.version('cvxpy'), m.version('pyscipopt'))")
            ds = subprocess.run([str(DATASAIL_PY), "-c", code], capture_output=True, text=True,
                                timeout=120).stdout.split()
            v += f"; DataSAIL {ds[0]} (cvxpy {ds[1]}, PySCIPOpt {ds[2]}, solver SCIP)"
        except Exception:  # noqa: BLE001 - versions are informative only
            pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=HERE).stdout.strip()
    except OSError:
        commit = "?"
    return v, commit


def _fmt(x, digits=2):
    return "–" if x is None else f"{x:.{digits}f}"


def _observations(rows):
    """Plain-language comparisons computed from the rows."""
    out = []
    by = {(n, m.split(",")[0]): r for n, _, m, r in rows if r.get("status") == "ok"}
    for name in dict.fromkeys(n for n, _, _, _ in rows):
        ours = by.get((name, "PairKFold C3 (entities)"))
        i2 = by.get((name, "DataSAIL 1.4.0 I2 (entities)"))
        if ours and i2:
            out.append(f"{name}: PairKFold keeps {ours['kept_share']:.0%} of the pairs in a "
                       f"test fold vs {i2['kept_share']:.0%} for DataSAIL I2 (whose entity "
                       "assignment ignores the pairs, so about 1/K survive), trains each fold on "
                       f"{ours['train_of_all_median']:.0%} of the pairs vs "
                       f"{i2['train_of_all_median']:.0%}, and runs "
                       f"{i2['wall_s'] / ours['wall_s']:.0f}x faster.")
        c2 = by.get((name, "DataSAIL 1.4.0 C2 (families as block similarity)"))
        fam = by.get((name, "PairKFold C3 (families)"))
        if c2 and fam and c2.get("n_test_per_fold"):
            folds = np.array(c2["n_test_per_fold"][0], float)
            out.append(f"{name}: DataSAIL C2 keeps {c2['kept_share']:.0%} (PairKFold with the "
                       f"same families: {fam['kept_share']:.0%}) but puts "
                       f"{folds.max() / folds.sum():.0%} of its kept pairs in one split (run 1: "
                       f"{', '.join(str(int(x)) for x in folds)}), so four of its five folds "
                       "test on a few dozen pairs; PairKFold's folds stay within "
                       f"{fam['test_of_all_min']:.3f}–{fam['test_of_all_max']:.3f} of all pairs.")
    big = [r for n, _, m, r in rows if n.endswith("1,000,000") and r.get("status") == "ok"]
    if big:
        out.append("1M pairs: PairKFold C3 takes "
                   + " and ".join(f"{r['wall_s']:.1f} s" for r in big)
                   + " (target < 10 s); 20k pairs: well under the 1 s target.")
    return out


def write_results(rows, meta):
    versions, commit = _versions()
    repeats = meta["repeats"]
    lines = [
        "<!-- bench_pairs:begin -->",
        "## bench_pairs: PairKFold C3 vs DataSAIL on heavy-tailed pair graphs",
        "",
        f"Written by `benchmarks/bench_pairs.py` ({meta['argv']}); "
        f"run {meta['run']}. Machine: {os.cpu_count()} CPUs, "
        f"{platform.platform()}, shared with other jobs (load average at each measurement in "
        f"the table). {versions}. Code: {commit} + working tree.",
        "",
        f"Times are medians of {repeats} runs (splitter seeds 0..{repeats - 1}); our side runs "
        "in-process and times `list(PairKFold(5, mode='C3', random_state=s).split(X, "
        "groups=pairs))` on string ids (input checks, encoding, partitioning and the five "
        "index pairs). DataSAIL runs in its own venv, one process per run; its time is the "
        "`datasail()` call (imports excluded; CPU includes solver children), `splits=[0.2]*5`, "
        "solver SCIP (PySCIPOpt wheel), `max_sec` as given per row (100 s is its default; I2 "
        "has a constant objective, so the first feasible solution is final).",
        "",
        "Columns: kept = pairs tested in some fold (C3: both partners in that fold) / all "
        "pairs; dropped = 1 - kept (partners in different folds: never tested); test share = "
        "per fold n_test / (n_train + n_test), median [min–max] (a K-fold asks for 0.20); "
        "test/all and train/all = per fold n_test / n_pairs and n_train / n_pairs (median). "
        "Our training set of fold k is every pair with "
        "neither partner in fold k; DataSAIL's is the pairs assigned to the other splits "
        "(its unassigned pairs are discarded).",
        "",
        "| dataset | method | runs | median wall s | min–max s | CPU s | load | kept | "
        "dropped | test share | test/all | train/all | status |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    described = []
    for name, desc, method, r in rows:
        if name not in described:
            described.append(name)
        if r.get("status") != "ok":
            status = str(r.get("status")).replace("|", "/")
            lines.append(f"| {name} | {method} | {r.get('runs', '–')} | "
                         f"{_fmt(r.get('wall_s'))} | – | {_fmt(r.get('cpu_s'))} | "
                         f"{_fmt(r.get('load'), 1)} | – | – | – | – | – | {status} |")
            continue
        lines.append(
            f"| {name} | {method} | {r['runs']} | {_fmt(r['wall_s'])} | "
            f"{_fmt(r['wall_min'])}–{_fmt(r['wall_max'])} | {_fmt(r['cpu_s'])} | "
            f"{_fmt(r['load'], 1)} | {_fmt(r['kept_share'], 3)} | {_fmt(r['dropped_share'], 3)} "
            f"| {_fmt(r['test_share_median'], 3)} [{_fmt(r['test_share_min'], 3)}–"
            f"{_fmt(r['test_share_max'], 3)}] | {_fmt(r['test_of_all_median'], 3)} "
            f"[{_fmt(r['test_of_all_min'], 3)}–{_fmt(r['test_of_all_max'], 3)}] | "
            f"{_fmt(r['train_of_all_median'], 3)} | {r.get('status_note', 'ok')} |")
    lines += ["", "Reading:", ""] + [f"- {o}" for o in _observations(rows)]
    lines += ["", "Datasets (`heavy_tailed_pairs` in the script, seed 0):", ""]
    for name in described:
        desc = next(d for n, d, _, _ in rows if n == name)
        lines.append(f"- **{name}**: {desc}.")
    lines += ["", "<!-- bench_pairs:end -->", ""]
    section = "\n".join(lines)
    text = RESULTS.read_text() if RESULTS.exists() else "# Pair splitter benchmark results\n\n"
    if "<!-- bench_pairs:begin -->" in text:
        head, rest = text.split("<!-- bench_pairs:begin -->", 1)
        tail = rest.split("<!-- bench_pairs:end -->", 1)[1].lstrip("\n")
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
