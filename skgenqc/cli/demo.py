"""``skgenqc demo``: the QC of the bundled enhancer data."""

from __future__ import annotations

import click

from skgenqc.cli._common import (
    _Command, _QUIET_HELP, _check_output_path, _check_outputs, _examples, _exit_input, _finish,
    _progress, _write_outputs,
)
from skgenqc.cli._group import main


# Runs as written (tests/test_cli_ux.py writes the files it names and invokes it).
_DEMO_EXAMPLES = _examples(
    "skgenqc demo",
    "skgenqc demo --html demo.html --json demo.json --fail-on warn --quiet")


@main.command("demo", cls=_Command, epilog=_DEMO_EXAMPLES)
@click.option("--html", type=click.Path(), default="skgenqc-demo-report.html", show_default=True,
              help="Where to write the HTML report.")
@click.option("--out", type=click.Path(), default=None, hidden=True,
              help="The former name of --html, still accepted.")
@click.option("--json", "json_path", type=click.Path(), default=None,
              help="Write the report as JSON.")
@click.option("--fail-on", type=click.Choice(["warn", "fail", "never"]), default="never",
              show_default=True, help="Exit with code 1 when a finding is at this level or worse.")
@click.option("--quiet", is_flag=True, help=_QUIET_HELP)
def demo_command(html, out, json_path, fail_on, quiet):
    """Run the QC on the bundled real enhancer dataset and write an HTML report."""
    from skgenqc.datasets import load_enhancers
    from skgenqc.qc import DatasetQC

    try:
        if out is not None:
            _check_output_path(out, "--out")
            html = out
        _check_outputs(html, json_path)
    except ValueError as err:
        _exit_input(err)
    data = load_enhancers()
    report = DatasetQC(progress=_progress(quiet)).run(
        data, title="skgenqc demo: human enhancers (bundled, 303 train + 102 test)")
    try:
        written = _write_outputs(report, html, json_path)
    except ValueError as err:
        _exit_input(err)
    _finish(report, written, quiet, fail_on)
