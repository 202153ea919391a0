"""``skgenqc qc``: the dataset QC of sequence files."""

from __future__ import annotations

from pathlib import Path

import click

from skgenqc._core.stages import add_stages, timed_stage
from skgenqc.cli._common import (
    _Command, _QUIET_HELP, _check_output_path, _check_outputs, _examples, _exit_input, _finish,
    _load, _load_inputs, _progress, _table_output, _write_outputs,
)
from skgenqc.cli._group import main


# Runs as written (tests/test_cli_ux.py writes the files it names and invokes it).
_QC_EXAMPLES = _examples(
    "skgenqc qc positives.fa negatives.fa --html qc.html",
    "skgenqc qc train.csv --test test.csv --json qc.json --fail-on warn --quiet")


def _check_names():
    from skgenqc.qc import check_names

    return check_names()


def _parse_checks(ctx, param, value):
    """``--checks a,b``: the registry's check names to run (finding names accepted too)."""
    from skgenqc.qc import resolve_checks

    if value is None or value.strip() == "all":
        return "all"
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise click.BadParameter(f"{value!r} names no check; give 'all' or names from: "
                                 + ", ".join(_check_names()) + ".")
    try:
        return resolve_checks(names)
    except ValueError as err:
        raise click.BadParameter(f"{err}.") from None


class _QcCommand(_Command):
    """``qc``, refusing ``--test a.fa b.fa``: click would read b.fa as a training input."""

    def parse_args(self, ctx, args):
        for i, arg in enumerate(args):
            if arg == "--":
                break
            if arg == "--test" and i + 2 < len(args):
                value, after = args[i + 1], args[i + 2]
            elif arg.startswith("--test=") and i + 1 < len(args):
                value, after = arg[len("--test="):], args[i + 1]
            else:
                continue
            if not after.startswith("-"):
                raise click.UsageError(
                    f"--test takes one file, but {after!r} follows --test {value!r}; give one "
                    f"file per --test (--test {value} --test {after}) and put the training "
                    "INPUTS before the options.", ctx)
        return super().parse_args(ctx, args)


def _add_contamination(report, train, against_inputs, columns, label_column, label_from_header,
                       identity):
    """``--against``: :func:`~skgenqc.qc.check_contamination` per sequence column, into ``report``."""
    from skgenqc.qc import check_contamination

    other = _load(against_inputs, columns if len(columns) > 1 else columns[0], label_column,
                  label_from_header, "--against")
    for column in columns:
        for finding in check_contamination(
                train.assign(sequence=train[column]), other.assign(sequence=other[column]),
                threshold=identity, names=("INPUTS", "--against")):
            if len(columns) > 1:
                finding.check = f"{finding.check}[{column}]"
                finding.title = f"{finding.title} ({column})"
            report.add(finding)
    report.metadata["against"] = [Path(p).name for p in against_inputs]


@main.command("qc", cls=_QcCommand, epilog=_QC_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--test", "test_inputs", multiple=True, type=click.Path(),
              help="Test-set file; enables train/test leakage and shift checks. "
                   "Repeat it for several files (--test a.fa --test b.fa).")
@click.option("--against", "against_inputs", multiple=True, type=click.Path(),
              help="Another data set (e.g. a benchmark) to search for copies of INPUTS and "
                   "the reverse (findings contamination, contamination_reverse); repeatable.")
@click.option("--sequence-column", "sequence_columns", multiple=True, default=["sequence"],
              show_default=True,
              help="Sequence column of CSV/TSV inputs; repeat it for several (e.g. miRNA and gene).")
@click.option("--label-column", default="label", show_default=True,
              help="Label column of CSV/TSV inputs.")
@click.option("--label-from-header", default=None,
              help="Regex with one group taking the label from FASTA headers "
                   "(default: one class per FASTA file, named after the file).")
@click.option("--identity", default=0.9, show_default=True, type=float,
              help="Identity threshold for near-duplicates (0.5-1).")
@click.option("--checks", default="all", show_default=True, callback=_parse_checks,
              help="Comma-separated checks or finding names (as the report shows them), "
                   "from: " + ", ".join(_check_names()) + ".")
@click.option("--items", "items_path", type=click.Path(), default=None,
              help="Write one row per item (split, near-duplicate group, nearest training item, "
                   "identity, containment, interval overlap) as TSV, or parquet by extension.")
@click.option("--reference", type=click.Path(), default=None,
              help="Genome FASTA (indexed with pyfaidx) to fetch the sequences of coordinate "
                   "inputs; without it only the checks that need no sequences run.")
@click.option("--context", default=0, show_default=True, type=click.IntRange(min=0),
              help="Flanking bp a model sees on each side of an interval: also flag test input "
                   "windows (interval +/- BP) overlapping training windows.")
@click.option("--html", type=click.Path(), default=None, help="Write a self-contained HTML report.")
@click.option("--json", "json_path", type=click.Path(), default=None, help="Write the report as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def qc_command(inputs, test_inputs, against_inputs, sequence_columns, label_column,
               label_from_header, identity, checks, items_path, reference, context, html,
               json_path, fail_on, quiet):
    """Check a sequence dataset for shortcuts, duplicates and train/test leakage.

    INPUTS are FASTA/FASTQ files (one per class, or labels from headers) or
    CSV/TSV tables with sequence and label columns (optionally gzipped), or
    coordinates: BED files, chrom/region,start,end or chrom:start-end tables, or a
    Genomic Benchmarks folder (<name>/{train,test}/<class>.csv.gz; its test part is the
    test set). Without --reference, coordinates get the interval checks only.
    """
    from skgenqc.qc import DatasetQC

    sequence_columns = list(sequence_columns)
    sequence_column = sequence_columns if len(sequence_columns) > 1 else sequence_columns[0]
    try:
        _check_outputs(html, json_path)
        if items_path:
            _check_output_path(items_path, "--items")
        before, after = [], []  # time and memory of what the command does around the QC
        with timed_stage("load INPUTS", before):
            train = _load_inputs(inputs, sequence_column, label_column, label_from_header,
                                 "INPUTS", reference)
        test = None
        if test_inputs:
            with timed_stage("load --test", before):
                test = _load_inputs(test_inputs, sequence_column, label_column,
                                    label_from_header, "--test", reference)
        qc = DatasetQC(checks=checks, identity_threshold=identity, context=context,
                       progress=_progress(quiet))
        report = qc.run(train, X_test=test, title="skgenqc dataset QC: " + ", ".join(
            Path(p).name for p in inputs),
            sequence_columns=sequence_columns if len(sequence_columns) > 1 else None)
        if against_inputs:
            with timed_stage("--against", after):
                _add_contamination(report, train, against_inputs, sequence_columns,
                                   label_column, label_from_header, identity)
        first = []
        if items_path:
            with timed_stage("--items", after):
                from skgenqc.qc import item_table

                column = sequence_columns[0]

                def items_input(frame):
                    # Coordinate inputs without --reference carry no sequences: their item table
                    # is built from the intervals alone.
                    if frame is None or column not in frame.columns:
                        return frame
                    return frame.assign(sequence=frame[column])

                first = [_table_output(item_table(items_input(train), items_input(test),
                                                  threshold=identity), items_path)]
        add_stages(report.metadata, before, after)
        written = _write_outputs(report, html, json_path, first=first)
    except (ValueError, TypeError) as err:
        _exit_input(err)
    _note_skipped(report)
    _finish(report, written, quiet, fail_on)


def _note_skipped(report):
    """One stderr line for checks skipped because coordinate inputs carry no sequences."""
    from skgenqc.qc.dataset import NO_SEQUENCES

    skipped = [name for name, why in report.metadata.get("skipped_checks", {}).items()
               if why.startswith(NO_SEQUENCES)]
    if skipped:
        click.echo(f"note: {len(skipped)} checks skipped ({NO_SEQUENCES}): "
                   + ", ".join(skipped) + ".", err=True)
