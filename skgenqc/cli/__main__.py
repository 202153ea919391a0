"""``python -m skgenqc.cli``."""

from skgenqc.cli import main

main()
