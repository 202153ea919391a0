"""Command line: thin commands over the Python API.

Exit codes (for CI gates): 0 when no finding reaches ``--fail-on``, 1 when one
does, 2 for a usage or input error (bad file, missing column).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_GATE = 1
EXIT_INPUT = 2


def _load(paths, sequence_column, label_column, label_from_header):
    from skgenqc.io import read_sequences

    return read_sequences(list(paths), sequence_column=sequence_column, label_column=label_column,
                          label_from_header=label_from_header)


def _check_output_path(path, option):
    """Raise ValueError now if ``path`` cannot be written, rather than after the QC has run."""
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{option} {str(target)!r} is a folder; expected a file name.")
    folder = target.parent
    if not folder.is_dir():
        raise ValueError(
            f"{option} {str(target)!r}: folder {str(folder)!r} does not exist; create it first."
        )


def _check_outputs(html, json_path):
    if html:
        _check_output_path(html, "--html")
    if json_path:
        _check_output_path(json_path, "--json")
    if html and json_path and Path(html).resolve() == Path(json_path).resolve():
        raise ValueError(f"--html and --json are the same file {str(html)!r}; give two names.")


def _write_outputs(report, html, json_path):
    """Render every report first, then write each atomically.

    Rendering both before writing either means a rendering error leaves no
    file; if a later write fails, the files already written by this run are
    removed so the folder never holds an incomplete set of reports.
    """
    from skgenqc.report._files import write_atomically

    pending = []
    if html:
        pending.append((Path(html), report.to_html()))
    if json_path:
        pending.append((Path(json_path), report.to_json()))
    written = []
    try:
        for path, text in pending:
            write_atomically(path, text)
            written.append(path)
    except OSError as err:
        for done in written:
            done.unlink(missing_ok=True)
        raise ValueError(f"cannot write {str(path)!r}: {err}") from None
    return [str(path.resolve()) for path in written]


def _print_summary(report):
    frame = report.to_frame()
    width = max((len(c) for c in frame["check"]), default=10)
    for row in frame.itertuples():
        value = "" if row.value is None or row.value != row.value else f"{row.value:.4g}"
        click.echo(f"{row.severity.upper():5}  {row.check:<{width}}  {value:>8}  {row.message}")
    click.echo(f"worst verdict: {report.worst_severity}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skgenqc")
def main():
    """skgenqc: validation toolkit for genomic machine learning."""


@main.command("qc")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--test", "test_inputs", multiple=True, type=click.Path(),
              help="Test-set file(s); enables train/test leakage and shift checks.")
@click.option("--sequence-column", default="sequence", show_default=True,
              help="Sequence column of CSV/TSV inputs.")
@click.option("--label-column", default="label", show_default=True,
              help="Label column of CSV/TSV inputs.")
@click.option("--label-from-header", default=None,
              help="Regex with one group taking the label from FASTA headers "
                   "(default: one class per FASTA file, named after the file).")
@click.option("--identity", default=0.9, show_default=True, type=float,
              help="Identity threshold for near-duplicates (0.5-1).")
@click.option("--checks", default="all", show_default=True,
              help="Comma-separated subset of checks.")
@click.option("--html", type=click.Path(), default=None, help="Write a self-contained HTML report.")
@click.option("--json", "json_path", type=click.Path(), default=None, help="Write the report as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="fail",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help="Do not print the findings table.")
def qc_command(inputs, test_inputs, sequence_column, label_column, label_from_header, identity,
               checks, html, json_path, fail_on, quiet):
    """Check a sequence dataset for shortcuts, duplicates and train/test leakage.

    INPUTS are FASTA/FASTQ files (one per class, or labels from headers) or
    CSV/TSV tables with sequence and label columns (optionally gzipped).

    \b
    Example:
      skgenqc qc positives.fa negatives.fa --html report.html
      skgenqc qc train.csv --test test.csv --json qc.json --fail-on warn
    """
    from skgenqc.qc import DatasetQC

    try:
        _check_outputs(html, json_path)
        train = _load(inputs, sequence_column, label_column, label_from_header)
        test = _load(test_inputs, sequence_column, label_column, label_from_header) \
            if test_inputs else None
        selected = "all" if checks == "all" else [c.strip() for c in checks.split(",") if c.strip()]
        qc = DatasetQC(checks=selected, identity_threshold=identity,
                       progress=sys.stderr.isatty())
        report = qc.run(train, X_test=test, title="skgenqc dataset QC: " + ", ".join(
            Path(p).name for p in inputs))
        written = _write_outputs(report, html, json_path)
    except (ValueError, TypeError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    if not quiet:
        _print_summary(report)
    for path in written:
        click.echo(f"wrote {path}")
    if fail_on != "never" and report.fails(fail_on):
        sys.exit(EXIT_GATE)


@main.command("demo")
@click.option("--out", type=click.Path(), default="skgenqc-demo-report.html", show_default=True,
              help="Where to write the HTML report.")
def demo_command(out):
    """Run the QC on the bundled real enhancer dataset and write an HTML report.

    \b
    Example:
      skgenqc demo --out demo.html
    """
    from skgenqc.datasets import load_enhancers
    from skgenqc.qc import DatasetQC

    try:
        _check_output_path(out, "--out")
    except ValueError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    data = load_enhancers()
    report = DatasetQC(progress=sys.stderr.isatty()).run(
        data, title="skgenqc demo: human enhancers (bundled, 303 train + 102 test)")
    try:
        report.to_html(out)
    except ValueError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INPUT)
    _print_summary(report)
    click.echo(f"wrote {Path(out).resolve()}")


if __name__ == "__main__":  # pragma: no cover
    main()
