"""`python -m discrepancy.cli`: the same as the `discrepancy` command."""

from . import run

run()
