"""``skgenqc split``: leakage-aware folds written as a TSV, with their diagnostics."""

from __future__ import annotations

from pathlib import Path

import click

from skgenqc._core.stages import add_stages, timed_stage
from skgenqc.cli._common import (
    _Command, _QUIET_HELP, _check_output_path, _check_outputs, _column, _examples, _exit_input,
    _finish, _read_coordinates_or_table, _table_output, _write_outputs,
)
from skgenqc.cli._group import main


# Runs as written (tests/test_cli_ux.py writes the files it names and invokes it).
_SPLIT_EXAMPLES = _examples(
    "skgenqc split peaks.bed --by chromosome --out folds.tsv --html split.html",
    "skgenqc split pairs.tsv --by pairs --pair-columns noncodingRNA,gene --mode C3 "
    "--out folds.tsv --json split.json --fail-on warn")


def _split_table(frame, roles):
    """The TSV ``skgenqc split`` writes: row, id (when the input has one), fold, split_k roles."""
    import numpy as np
    import pandas as pd

    tested = roles.to_numpy() == "test"
    fold = np.where(tested.any(axis=1), tested.argmax(axis=1), -1)
    table = pd.DataFrame({"row": np.arange(len(frame))})
    if "id" in frame.columns:
        table["id"] = frame["id"].astype(str).to_numpy()
    table["fold"] = fold
    for column in roles.columns:
        table[column] = roles[column].to_numpy()
    return table


def _items(frame, roles, sequence_column, chrom_column, start_column, end_column, label_column,
           identity):
    """``--items``: the per-item table of the split, from the columns the options name."""
    from skgenqc.qc import item_table

    names = {sequence_column: "sequence", chrom_column: "chrom", start_column: "start",
             end_column: "end"}
    if label_column:
        names[label_column] = "label"
    keep = [c for c in names if c in frame.columns] + (["id"] if "id" in frame.columns else [])
    items = frame[keep].rename(columns=names)
    return item_table(items, roles=roles, threshold=identity)


def _check_split_outputs(out, html, json_path):
    _check_output_path(out, "--out")
    _check_outputs(html, json_path)
    for other, option in ((html, "--html"), (json_path, "--json")):
        if other and Path(other).resolve() == Path(out).resolve():
            raise ValueError(f"--out and {option} are the same file {str(out)!r}; give two names.")


@main.command("split", cls=_Command, epilog=_SPLIT_EXAMPLES)
@click.argument("input_path", metavar="INPUT", type=click.Path())
@click.option("--by", "by", required=True,
              type=click.Choice(["chromosome", "block", "similarity", "pairs", "group"]),
              help="What must not be shared between train and test.")
@click.option("--n-splits", default=5, show_default=True, type=int, help="Number of folds.")
@click.option("--label-column", default=None, help="Stratify by this column.")
@click.option("--chrom-column", default="chrom", show_default=True)
@click.option("--start-column", default="start", show_default=True)
@click.option("--end-column", default="end", show_default=True)
@click.option("--sequence-column", default="sequence", show_default=True)
@click.option("--group-column", default="group", show_default=True, help="For --by group.")
@click.option("--pair-columns", default=None, help="Two comma-separated partner columns (--by pairs).")
@click.option("--mode", default="C3", show_default=True, type=click.Choice(["C1", "C2", "C3"]),
              help="Pair split mode.")
@click.option("--block-size", default=1_000_000, show_default=True, type=int)
@click.option("--gap", default=0, show_default=True, type=int, help="Buffer in bp (--by block).")
@click.option("--context", default=0, show_default=True, type=click.IntRange(min=0),
              help="Flanking bp a model sees on each side of an interval; --by block keeps a "
                   "gap of at least 2 x BP so no training window overlaps a test window.")
@click.option("--reference", type=click.Path(), default=None,
              help="Genome FASTA to fetch the sequences of coordinate inputs (--by similarity).")
@click.option("--identity", default=0.9, show_default=True, type=float,
              help="Identity threshold (--by similarity).")
@click.option("--seed", default=0, show_default=True, type=int)
@click.option("--out", required=True, type=click.Path(),
              help="TSV with each row's test fold and its role (train/test/excluded) per split.")
@click.option("--items", "items_path", type=click.Path(), default=None,
              help="Write one row per item (test fold, near-duplicate group, nearest training "
                   "item in that fold's split, identity, containment, interval overlap) as TSV, "
                   "or parquet by extension.")
@click.option("--html", type=click.Path(), default=None, help="Split diagnostics as HTML.")
@click.option("--json", "json_path", type=click.Path(), default=None,
              help="Split diagnostics as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="never",
              show_default=True, help="Exit with code 1 when a diagnostic is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def split_command(input_path, by, n_splits, label_column, chrom_column, start_column, end_column,
                  sequence_column, group_column, pair_columns, mode, block_size, gap, context,
                  reference, identity, seed, out, items_path, html, json_path, fail_on, quiet):
    """Assign rows to leakage-aware cross-validation folds and diagnose the split.

    Writes a TSV with one row per input row: ``row`` (its index), ``id`` (when
    the input has an id column), ``fold`` (the split in which it is tested, -1
    if never) and ``split_0`` .. ``split_{k-1}``: its role in each split,
    ``train``, ``test`` or ``excluded`` (neither: the gap around a test block,
    a pair C3 cannot place). Selecting ``split_k == "train"`` and ``"test"``
    rebuilds exactly the splitter's sets. INPUT may also be a BED file, a
    chrom/region,start,end or chrom:start-end table, or a Genomic Benchmarks folder.
    """
    import numpy as np
    import pandas as pd

    from skgenqc.model_selection import split_diagnostics

    try:
        _check_split_outputs(out, html, json_path)
        if items_path:
            _check_output_path(items_path, "--items")
            if Path(items_path).resolve() == Path(out).resolve():
                raise ValueError(f"--out and --items are the same file {str(out)!r}; give two "
                                 "names.")
        stages = []  # time and memory of each step, in the report's metadata
        with timed_stage("load INPUT", stages):
            frame = _read_coordinates_or_table(input_path, reference, sequence_column)
        y = _column(frame, label_column, "--label-column").to_numpy() if label_column else None
        kwargs = {}
        if by == "chromosome":
            from skgenqc.model_selection import ChromosomeKFold

            groups = _column(frame, chrom_column, "--chrom-column").astype(str).to_numpy()
            cv = ChromosomeKFold(n_splits)
            kwargs["chromosomes"] = groups
        elif by == "block":
            from skgenqc.model_selection import GenomicBlockKFold

            groups = pd.DataFrame({
                "chrom": _column(frame, chrom_column, "--chrom-column").astype(str),
                "start": _column(frame, start_column, "--start-column"),
                "end": _column(frame, end_column, "--end-column")})
            # Input windows reach context bp past each interval: 2 x context keeps them apart.
            # (A negative --gap is passed on as it is, for the splitter to refuse.)
            cv = GenomicBlockKFold(n_splits, block_size=block_size,
                                   gap=max(gap, 2 * context) if gap >= 0 else gap,
                                   random_state=seed)
        elif by == "similarity":
            from skgenqc.model_selection import SimilarityGroupKFold

            groups = _column(frame, sequence_column, "--sequence-column").astype(str).tolist()
            cv = SimilarityGroupKFold(n_splits, threshold=identity)
            kwargs["sequences"] = groups
        elif by == "pairs":
            from skgenqc.model_selection import PairKFold

            if not pair_columns or len(pair_columns.split(",")) != 2:
                raise ValueError(f"--pair-columns {pair_columns!r} must name two columns, e.g. "
                                 "--pair-columns noncodingRNA,gene.")
            a, b = (c.strip() for c in pair_columns.split(","))
            groups = np.column_stack([_column(frame, a, "--pair-columns").astype(str),
                                      _column(frame, b, "--pair-columns").astype(str)])
            cv = PairKFold(n_splits, mode=mode, random_state=seed)
            kwargs["pairs"] = groups
        else:
            from skgenqc.model_selection import BalancedGroupKFold

            groups = _column(frame, group_column, "--group-column").astype(str).to_numpy()
            cv = BalancedGroupKFold(n_splits, shuffle=True, random_state=seed)
            kwargs["groups"] = groups
        # One source of truth: the TSV and the diagnostics both come from roles().
        with timed_stage(f"folds (--by {by})", stages):
            roles = cv.roles(np.zeros((len(frame), 1)), y, groups)
        splits = [(np.flatnonzero(roles[c].to_numpy() == "train"),
                   np.flatnonzero(roles[c].to_numpy() == "test")) for c in roles.columns]
        with timed_stage("diagnostics", stages):
            report = split_diagnostics(splits, y, title=f"skgenqc split diagnostics: --by {by}",
                                       **kwargs)
        text = _split_table(frame, roles).to_csv(sep="\t", index=False)
        first = [(out, text)]
        if items_path:
            with timed_stage("--items", stages):
                first.append(_table_output(_items(frame, roles, sequence_column, chrom_column,
                                                  start_column, end_column, label_column,
                                                  identity), items_path))
        add_stages(report.metadata, before=stages)
        written = _write_outputs(report, html, json_path, first=first)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)
