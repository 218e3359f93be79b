"""Errors a user can cause. The CLI prints them as one line and exits with `exit_code`."""


class DiscrepancyError(Exception):
    """Bad input or usage: a missing folder, an unreadable file, a bad setting."""

    exit_code = 2


class NothingToCompare(DiscrepancyError):
    """The corpus holds fewer than two usable articles."""
