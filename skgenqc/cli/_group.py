"""The ``skgenqc`` command group; each command lives in a module of its own."""

from __future__ import annotations

import click

from skgenqc.cli._common import EXIT_INTERRUPTED


class _Main(click.Group):
    """The command group; Ctrl-C in any command exits 130 with one line, no traceback.

    click's own handling prints "Aborted!" and exits 1, the code a CI gate reads
    as "a finding reached --fail-on".  Temporary files are removed where they
    are made (``write_atomically``, ``_write_outputs``).
    """

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="skgenqc")
def main():
    """skgenqc: validation toolkit for genomic machine learning."""

