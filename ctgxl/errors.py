"""Exceptions that carry an exit code and a one-line French message.

Exit codes (documented in README):
  0  nothing to report
  1  findings (validation errors, differences, merge conflicts)
  2  unusable input or bad usage
  3  internal error (a bug in ctgxl: rerun with --debug and report it)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_INTERNAL = 3


class CtgxlError(Exception):
    """Base class: ``str(error)`` is the French line shown to the user."""

    exit_code = EXIT_UNUSABLE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnusableInputError(CtgxlError):
    """An input file cannot be used (missing, not a workbook, wrong version…)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path} : {reason}")
        self.path = path
        self.reason = reason


class OutputError(CtgxlError):
    """An output cannot be written where asked."""
