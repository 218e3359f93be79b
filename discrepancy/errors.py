"""Errors a user can cause. The CLI prints them as one line and exits with `exit_code`.

Exit codes (README, "Exit codes"): 0 ok, 1 conflicts found with `--fail-on-conflict`,
2 usage or input error (every `DiscrepancyError`), 3 unexpected internal error.
"""


class DiscrepancyError(Exception):
    """Bad input or usage: a missing folder, an unreadable file, a bad setting."""

    exit_code = 2


class NothingToCompare(DiscrepancyError):
    """The corpus holds fewer than two usable articles."""


class UnreadableFile(DiscrepancyError, OSError):
    """A file that cannot be used as article text: binary, undecodable, empty, too large, unreadable.

    `reason` is the short explanation shown next to the file name in the report's
    list of skipped files; `str(error)` names the path as well. It is also an
    `OSError`, so code that already handles I/O errors around a read handles it.
    """

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot read {self.path}: {reason}")


class OutputError(DiscrepancyError):
    """A report or JSON file that cannot be written where the user asked."""
