"""One measured skgenqc job, run by ``bench_qc.py`` as a subprocess under ``/usr/bin/time -v``.

Usage (normally only called by bench_qc.py)::

    python benchmarks/_run_skgenqc.py classes  --out r.json --checks alphabet class_sizes ... --csv data.csv
    python benchmarks/_run_skgenqc.py classes  --out r.json --checks default --fasta a.fa:label_a b.fa:label_b
    python benchmarks/_run_skgenqc.py composition --out r.json --fasta a.fa b.fa [--no-dinucleotides]
    python benchmarks/_run_skgenqc.py leakage  --out r.json --csv train.csv --test-csv test.csv \
        [--planted planted.csv]
    python benchmarks/_run_skgenqc.py import   --out r.json

Each job writes a small JSON file with its in-process phase times (import, read,
compute) and what it found, so the benchmark can check correctness as well as
speed.  ``--profile FILE`` runs the compute phase under cProfile and writes the
top functions (cumulative time) to FILE; profiled runs are never the timed ones.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

T0 = time.perf_counter()


def _read_inputs(args):
    import pandas as pd

    from skgenqc.io import read_fasta, read_table

    if args.csv:
        return read_table(args.csv)
    frames = []
    for spec in args.fasta:
        path, _, label = spec.partition(":")
        frames.append(read_fasta(path, label=label or None))
    return pd.concat(frames, ignore_index=True)


def _profiled(fn, profile_path):
    if not profile_path:
        return fn()
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    result = prof.runcall(fn)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).sort_stats("cumulative")
    stats.print_stats(40)
    buf.write("\n\n==== by own (tottime) ====\n")
    stats.sort_stats("tottime").print_stats(25)
    with open(profile_path, "w") as fh:
        fh.write(buf.getvalue())
    return result


def _findings(report):
    frame = report.to_frame()
    cols = [c for c in ("check", "severity", "value") if c in frame.columns]
    out = []
    for row in frame[cols].itertuples(index=False):
        d = dict(zip(cols, row))
        if "value" in d:
            try:
                d["value"] = None if d["value"] is None else float(d["value"])
            except (TypeError, ValueError):
                d["value"] = str(d["value"])
        out.append(d)
    return out


def job_import(args):
    import skgenqc  # noqa: F401
    from skgenqc import DatasetQC  # noqa: F401
    from skgenqc.io import read_table  # noqa: F401

    return {}


def job_classes(args):
    from skgenqc import DatasetQC

    t = time.perf_counter()
    df = _read_inputs(args)
    t_read = time.perf_counter() - t
    qc = DatasetQC() if args.checks == ["default"] else DatasetQC(checks=list(args.checks))
    t = time.perf_counter()
    report = _profiled(lambda: qc.run(df), args.profile)
    t_run = time.perf_counter() - t
    return {"n_records": len(df), "read_s": t_read, "run_s": t_run, "findings": _findings(report)}


def job_composition(args):
    from skgenqc.features import composition_table
    from skgenqc.io import read_fasta

    t = time.perf_counter()
    seqs = []
    for spec in args.fasta:
        seqs.extend(read_fasta(spec.partition(":")[0])["sequence"].tolist())
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    table = _profiled(lambda: composition_table(seqs, dinucleotides=not args.no_dinucleotides),
                      args.profile)
    t_run = time.perf_counter() - t
    return {"n_records": len(seqs), "read_s": t_read, "run_s": t_run,
            "n_columns": int(table.shape[1]), "mean_gc": float(table["gc_content"].mean())}


def job_leakage(args):
    import pandas as pd

    from skgenqc import DatasetQC
    from skgenqc.io import read_fasta, read_table

    t = time.perf_counter()
    if args.csv:
        train = read_table(args.csv)
        test = read_table(args.test_csv)
    else:
        train = pd.concat([read_fasta(p.partition(":")[0], label=p.partition(":")[2] or None)
                           for p in args.fasta], ignore_index=True)
        test = pd.concat([read_fasta(p.partition(":")[0], label=p.partition(":")[2] or None)
                          for p in args.test_fasta], ignore_index=True)
        # FASTA headers may repeat across files; use row numbers as ids.
        train["id"] = [str(i) for i in range(len(train))]
        test["id"] = [str(i) for i in range(len(test))]
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    report = _profiled(lambda: DatasetQC(checks=["leakage"]).run(train, X_test=test), args.profile)
    t_run = time.perf_counter() - t
    out = {"n_train": len(train), "n_test": len(test), "read_s": t_read, "run_s": t_run,
           "findings": _findings(report)}
    tables = []
    for check in ("train_test_exact", "train_test_reverse_complement", "train_test_near_duplicates"):
        finding = report[check]
        out[check] = {"n_test_leaked": int(finding.evidence["n_test_leaked"]),
                      "n_pairs": int(finding.evidence["n_pairs"])}
        if finding.table is not None and len(finding.table):
            tables.append(finding.table[["test_id", "train_id", "kind", "identity"]])
    hits = (pd.concat(tables, ignore_index=True) if tables
            else pd.DataFrame(columns=["test_id", "train_id", "kind", "identity"]))
    out["n_test_leaked_any"] = int(hits["test_id"].nunique())
    if args.planted:
        planted = pd.read_csv(args.planted, dtype={"test_index": str, "train_index": str})
        found_pairs = set(zip(hits["test_id"].astype(str), hits["train_id"].astype(str)))
        kind_of = dict(zip(zip(hits["test_id"].astype(str), hits["train_id"].astype(str)),
                           hits["kind"]))
        expected_kind = {"exact": "exact", "rc": "reverse_complement", "id97": "near"}
        per_kind = {}
        for kind, grp in planted.groupby("kind"):
            keys = list(zip(grp["test_index"], grp["train_index"]))
            per_kind[kind] = {
                "planted": len(keys),
                "found": sum(k in found_pairs for k in keys),
                "found_as_kind": sum(kind_of.get(k) == expected_kind[kind] for k in keys),
            }
        out["planted"] = per_kind
        planted_tests = set(planted["test_index"])
        out["extra_leaked_tests"] = int(len(set(hits["test_id"].astype(str)) - planted_tests))
        near = hits[hits["kind"] == "near"]
        out["near_identity_min_max"] = ([float(near["identity"].min()), float(near["identity"].max())]
                                        if len(near) else None)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("job", choices=["import", "classes", "composition", "leakage"])
    parser.add_argument("--out", required=True)
    parser.add_argument("--csv")
    parser.add_argument("--test-csv")
    parser.add_argument("--fasta", nargs="*", default=[], help="FILE[:label] ...")
    parser.add_argument("--test-fasta", nargs="*", default=[])
    parser.add_argument("--checks", nargs="*", default=["default"])
    parser.add_argument("--planted")
    parser.add_argument("--no-dinucleotides", action="store_true")
    parser.add_argument("--profile")
    args = parser.parse_args(argv)
    t = time.perf_counter()
    import skgenqc  # noqa: F401  (import cost measured separately from the work)

    t_import = time.perf_counter() - t
    result = {"job_import": job_import, "classes": job_classes, "composition": job_composition,
              "leakage": job_leakage}[args.job if args.job != "import" else "job_import"](args)
    result["import_s"] = t_import
    result["total_in_process_s"] = time.perf_counter() - T0
    with open(args.out, "w") as fh:
        json.dump(result, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
