"""Command line: thin commands over the Python API.

Exit codes (for CI gates): 0 when no finding reaches ``--fail-on``, 1 when one
does, 2 for a usage or input error (bad file, missing column), 130 when
interrupted (Ctrl-C): one line on stderr and no output file left behind.
"""

from skgenqc.cli._common import EXIT_GATE, EXIT_INPUT, EXIT_INTERRUPTED
from skgenqc.cli._group import main

# Importing a command's module registers it on ``main``.
from skgenqc.cli import audit, audit_predictions, clean, demo, qc, split  # noqa: E402,F401

__all__ = ["main", "EXIT_GATE", "EXIT_INPUT", "EXIT_INTERRUPTED"]
