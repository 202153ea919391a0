"""``skgenqc clean``: a split with no test item linked to training, with its manifest and QC."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from skgenqc._core.stages import add_stages, timed_stage
from skgenqc.cli._common import (
    _Command, _QUIET_HELP, _check_outputs, _examples, _exit_input, _finish, _progress,
    _write_outputs,
)
from skgenqc.cli._group import main

# Runs as written (tests/test_cli_ux.py writes the files it names and invokes it).
_CLEAN_EXAMPLES = _examples(
    "skgenqc clean train.csv --test test.csv --out clean --html clean.html",
    "skgenqc clean train.csv --test test.csv --out resplit --mode resplit --identity 0.95 "
    "--seed 1 --json clean.json --fail-on warn")


class _Input:
    """One input as read for cleaning (``frame``) and as written back (``raw``, ``write``)."""

    def __init__(self, path, option, label_column):
        from skgenqc.io import input_kind, read_columns, read_coordinates

        self.path = Path(path)
        try:
            self.kind = input_kind(self.path)
            if self.kind == "benchmark":
                raise ValueError("a Genomic Benchmarks folder holds its own splits; give it as "
                                 "TRAIN without --test/--dev.")
            if self.path.is_dir():
                raise ValueError(f"{str(self.path)!r} is a folder; expected a table or a "
                                 "Genomic Benchmarks folder.")
            if self.kind == "sequences" and not _is_table(self.path):
                raise ValueError(f"{str(self.path)!r} is not a CSV/TSV table; clean writes "
                                 "tables back in their own format (sequence,label tables, "
                                 "coordinate tables or Genomic Benchmarks folders).")
            self.raw = read_columns(self.path)
            if self.kind == "coordinates":
                frame = read_coordinates(self.path, label_column=label_column)
                if len(frame) != len(self.raw):
                    raise ValueError(f"{str(self.path)!r}: read {len(frame)} intervals from "
                                     f"{len(self.raw)} rows; give one interval per row.")
            else:
                frame = self.raw.copy()
                if label_column in frame.columns:
                    frame["label"] = frame[label_column]
            self.frame = frame.reset_index(drop=True)
        except (ValueError, TypeError) as err:
            from skgenqc.cli_words import as_options

            raise ValueError(f"{option}: {as_options(str(err))}") from None

    def files(self):
        return [self.path]

    def content(self, split, rows, out):
        """``[(path, bytes)]`` of the new ``split`` made of raw ``rows`` of this input."""
        name = self.path.name
        suffix = name[name.index("."):] if "." in name else ".tsv"
        return [(out / f"{split}{suffix}", _table_bytes(rows, suffix))]


class _Benchmark:
    """A Genomic Benchmarks folder: train/ and test/ per class, written back the same way."""

    COLUMNS = ["id", "region", "start", "end", "strand"]

    def __init__(self, path):
        from skgenqc.io import read_genomic_benchmark

        self.path = Path(path)
        self.kind = "benchmark"
        try:
            data = read_genomic_benchmark(self.path)
        except (ValueError, TypeError) as err:
            raise ValueError(f"TRAIN: {err}") from None
        self.parts = {s: data[data["split"] == s].reset_index(drop=True)
                      for s in ("train", "test")}
        if not len(self.parts["test"]):
            raise ValueError(f"TRAIN {str(self.path)!r} has no test/<class>.csv.gz files; "
                             "a clean split needs a test set.")

    def files(self):
        return sorted(p for s in ("train", "test") for p in (self.path / s).glob("*.csv*"))

    def content(self, split, rows, out):
        raw = rows.assign(region=rows["chrom"],
                          id=rows["id"].astype(str).str.split("/", n=2).str[2])
        raw = raw[[c for c in self.COLUMNS if c in raw.columns]]
        return [(out / split / f"{label}.csv.gz",
                 _table_bytes(raw[rows["label"].to_numpy() == label], ".csv.gz"))
                for label in sorted(rows["label"].astype(str).unique())]


def _is_table(path):
    name = path.name.lower().removesuffix(".gz")
    return name.endswith((".csv", ".tsv", ".tab", ".txt"))


def _table_bytes(frame, suffix):
    import gzip

    sep = "\t" if any(s in suffix.lower() for s in (".tsv", ".tab", ".txt")) else ","
    text = frame.to_csv(sep=sep, index=False).encode("utf-8")
    return gzip.compress(text, mtime=0) if suffix.lower().endswith(".gz") else text


def _check_out(out, overwrite):
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {str(out)!r} is a file; expected a folder.")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise ValueError(f"--out {str(out)!r} is not empty; give an empty or new folder, or "
                         "--overwrite to replace the files clean writes there.")
    if not out.parent.is_dir():
        raise ValueError(f"--out {str(out)!r}: folder {str(out.parent)!r} does not exist; "
                         "create it first.")
    return out


def _sha(content):
    import hashlib

    return hashlib.sha256(content).hexdigest()


@main.command("clean", cls=_Command, epilog=_CLEAN_EXAMPLES)
@click.argument("train_input", metavar="TRAIN", type=click.Path())
@click.option("--test", "test_input", type=click.Path(), default=None,
              help="Test table (not needed when TRAIN is a Genomic Benchmarks folder).")
@click.option("--dev", "dev_input", type=click.Path(), default=None,
              help="Validation table, held out like the test set.")
@click.option("--out", "out", type=click.Path(), required=True,
              help="Folder for the new split files, manifest.tsv, summary.json and qc.json.")
@click.option("--mode", type=click.Choice(["filter", "resplit"]), default="filter",
              show_default=True,
              help="filter: drop held-out items linked to training; resplit: deal whole groups "
                   "of linked items to the splits, label-stratified, in the input proportions.")
@click.option("--link", "links", multiple=True, type=click.Choice(["identity", "interval",
                                                                      "chromosome"]),
              help="How items are linked; repeatable (default: identity for sequences, "
                   "interval for coordinates).")
@click.option("--identity", default=0.9, show_default=True, type=click.FloatRange(0.5, 1),
              help="Identity threshold of the sequence search (reverse complement counted).")
@click.option("--distance", default=0, show_default=True, type=click.IntRange(min=0),
              help="Intervals closer than BP are linked (0: sharing a base).")
@click.option("--seed", default=0, show_default=True, type=int,
              help="Seed of --mode resplit.")
@click.option("--label-column", default="label", show_default=True,
              help="Label column of tables (stratifies --mode resplit).")
@click.option("--overwrite", is_flag=True, help="Write into a non-empty --out folder.")
@click.option("--html", type=click.Path(), default=None,
              help="Write the QC of the result as HTML.")
@click.option("--json", "json_path", type=click.Path(), default=None,
              help="Write the QC of the result as JSON (also written to --out as qc.json).")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a QC finding of the result is at "
                                      "this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def clean_command(train_input, test_input, dev_input, out, mode, links, identity, distance, seed,
                  label_column, overwrite, html, json_path, fail_on, quiet):
    """Make a split with no test item linked to a training item.

    TRAIN and --test (and --dev) are CSV/TSV tables (sequence,label or coordinate
    tables such as chrom,start,end or Genomic Benchmarks id,region,start,end,strand),
    or TRAIN is a Genomic Benchmarks folder (<name>/{train,test}/<class>.csv.gz).
    The new splits are written to --out in the input's format and columns, with
    manifest.tsv (every input row: its old and new split, group, reason, linked item),
    summary.json (settings, counts, SHA-256 of inputs and outputs, provenance) and
    qc.json (the dataset QC of the result).
    """
    from skgenqc._core.provenance import file_record, provenance
    from skgenqc.model_selection import clean_split
    from skgenqc.qc import DatasetQC

    try:
        out = _check_out(out, overwrite)
        _check_outputs(html, json_path)
        from skgenqc.io import input_kind

        stages = []  # time and memory of each step, in qc.json and the reports
        with timed_stage("load inputs", stages):
            if input_kind(Path(train_input)) == "benchmark":
                if test_input or dev_input:
                    raise ValueError("TRAIN is a Genomic Benchmarks folder holding its test set; "
                                     "drop --test and --dev.")
                source = _Benchmark(train_input)
                inputs = {"train": source, "test": source}
                tables = dict(source.parts)
            else:
                if test_input is None:
                    raise ValueError("--test is missing; give the test table (or a Genomic "
                                     "Benchmarks folder as TRAIN).")
                inputs = {"train": _Input(train_input, "TRAIN", label_column),
                          "test": _Input(test_input, "--test", label_column)}
                if dev_input:
                    inputs["dev"] = _Input(dev_input, "--dev", label_column)
                tables = {s: i.frame for s, i in inputs.items()}
        kinds = {i.kind for i in inputs.values()}
        if len(kinds) > 1:
            raise ValueError("TRAIN, --test and --dev mix sequence tables and coordinates; "
                             "give one kind.")
        if not links:
            links = ("identity",) if kinds == {"sequences"} else ("interval",)
        with timed_stage(f"clean split (--mode {mode})", stages):
            result = clean_split(tables["train"], tables["test"], dev=tables.get("dev"),
                                 mode=mode, link=list(links), identity=identity,
                                 distance=distance, seed=seed)
        manifest = result.manifest
        first = []
        for split in [s for s in ("train", "dev", "test") if s in tables]:
            chosen = manifest[manifest["new_split"] == split]
            parts = []
            for old in chosen["split"].unique():
                rows = chosen.loc[chosen["split"] == old, "row"].to_numpy()
                source_rows = (tables[old] if isinstance(inputs[old], _Benchmark)
                               else inputs[old].raw)
                parts.append(source_rows.iloc[rows])
            import pandas as pd

            rows = (pd.concat(parts, ignore_index=True) if parts
                    else inputs[split].raw.iloc[:0] if not isinstance(inputs[split], _Benchmark)
                    else tables[split].iloc[:0])
            # Resplit mixes rows of several inputs: write them in the format of the split's own.
            first += inputs[split].content(split, rows, out)
        first.append((out / "manifest.tsv", manifest.to_csv(sep="\t", index=False).encode()))
        qc = DatasetQC(identity_threshold=identity, progress=_progress(quiet))
        report = qc.run(result.train, X_test=result.test, title=f"skgenqc clean ({mode}): "
                        + Path(train_input).name)
        add_stages(report.metadata, before=stages)  # then the QC's own: inputs, its checks
        qc_json = report.to_json().encode()
        first.append((out / "qc.json", qc_json))
        files = sorted({p for i in inputs.values() for p in i.files()})
        counts = manifest.groupby(["split", "new_split"]).size()
        summary = {
            "settings": {"mode": mode, "link": list(links), "identity": identity,
                         "distance": distance, "seed": seed, "label_column": label_column},
            "counts": {"input": manifest["split"].value_counts().to_dict(),
                       "output": manifest["new_split"].value_counts().to_dict(),
                       "moves": [{"from": a, "to": b, "rows": int(n)}
                                 for (a, b), n in counts.items()],
                       "groups": int(manifest["group"].nunique())},
            "inputs": [file_record(p) for p in files],
            "outputs": [{"name": str(p.relative_to(out)), "bytes": len(c), "sha256": _sha(c)}
                        for p, c in first],
            "provenance": provenance(call=shlex.join(["skgenqc"] + sys.argv[1:]), inputs=files),
        }
        first.append((out / "summary.json", json.dumps(summary, indent=2, default=int).encode()))
        written = _write_into(out, report, html, json_path, first)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    click.echo(_counts_line(manifest), err=quiet)
    _finish(report, written, quiet, fail_on)


def _write_into(out, report, html, json_path, first):
    """Write into --out, creating it and its subfolders; on failure none of it stays."""
    return _write_outputs(report, html, json_path, first=first, make_folders=True)


def _counts_line(manifest):
    old = manifest["split"].value_counts()
    new = manifest["new_split"].value_counts()
    parts = [f"{s} {old.get(s, 0)} -> {new.get(s, 0)}" for s in ("train", "dev", "test")
             if old.get(s, 0)]
    return "clean: " + ", ".join(parts) + f", dropped {new.get('dropped', 0)}"
