"""Command-line interface: a thin typer layer over the library.

One module per command, as in spaCy's CLI; each parses its options, calls a library
function that returns data, and prints it. `_common` holds the app, the shared
options and the one-line error handling; command modules import only from it and
from the library, never from each other. Importing this package registers them all.

    check      check.py      the report (Markdown, JSON, HTML, CSV; --since)
    evaluate   evaluate.py   precision and recall against labeled pairs
    tune       tune.py       the threshold sweep
    review     review.py     confirm or reject findings
    labels     labels.py     review decisions as labels
    config     config.py     the settings in force
    cache      cache.py      see or empty the caches
"""

import os
import sys

from . import cache, check, config, evaluate, labels, review, tune  # noqa: F401  registers the commands
from ._common import EXIT_INTERRUPTED, app, err, out


def run() -> None:
    """Console entry point (`discrepancy`)."""
    try:
        app()
    except SystemExit as stop:
        if stop.code != EXIT_INTERRUPTED:
            raise
        # Ctrl-C was handled (one line, outputs untouched). Leave without the interpreter's shutdown:
        # CPython remembers a KeyboardInterrupt raised inside an import's C code even once it is
        # caught, and then ends the process by SIGINT instead of exit status 130.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)


__all__ = ["app", "err", "out", "run"]
