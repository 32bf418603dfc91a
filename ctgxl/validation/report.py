"""The validation report: findings per file, counts, exit code, stable JSON form.

The JSON form (``Report.to_dict``) is documented in ``ctgxl/guides/validation.md``;
``SCHEMA_VERSION`` changes only when a key is removed or changes meaning
(adding keys does not change it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE
from ..findings import SEVERITIES, Finding

SCHEMA_NAME = "ctgxl-validation-report"
SCHEMA_VERSION = 1


# A validation finding is a ``Finding`` (it may name several cells of one row, ``cells``);
# the name stays for the library's users.
ValidationFinding = Finding


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counter = Counter(f.severity for f in findings)
    return {severity: counter.get(severity, 0) for severity in SEVERITIES}


@dataclass(frozen=True)
class FileReport:
    """What validation found in one file (or why the file could not be used)."""

    file: str | None
    findings: tuple[Finding, ...] = ()
    rows: Mapping[str, int] = field(default_factory=dict)   # sheet name -> rows read
    error: str | None = None

    @cached_property
    def counts(self) -> dict[str, int]:
        return _counts(self.findings)

    @property
    def status(self) -> str:
        if self.error is not None:
            return "inutilisable"
        counts = self.counts
        if counts["erreur"]:
            return "erreurs"
        if counts["avertissement"]:
            return "avertissements"
        return "conforme"

    def exit_code(self, strict: bool = False) -> int:
        if self.error is not None:
            return EXIT_UNUSABLE
        counts = self.counts
        if counts["erreur"] or (strict and counts["avertissement"]):
            return EXIT_FINDINGS
        return EXIT_OK

    def to_dict(self, *, objects: bool = False) -> dict[str, object]:
        """The JSON form; with ``objects`` the findings stay ``Finding`` objects, for an
        encoder that writes them as their ``to_dict`` (``commands._common.json_text``)."""
        return {
            "file": self.file,
            "status": self.status,
            "error": self.error,
            "rows": dict(self.rows),
            "totals": self.counts,
            "findings": list(self.findings) if objects else [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...] = ()
    rules: Mapping[str, object] = field(default_factory=dict)

    def __add__(self, other: Report) -> Report:
        return Report(self.files + other.files, self.rules or other.rules)

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for file in self.files for f in file.findings)

    @cached_property
    def counts(self) -> dict[str, int]:
        return _counts(self.findings)

    def exit_code(self, strict: bool = False) -> int:
        """2 if a file was unusable, else 1 if erreurs (or avertissements with strict), else 0."""
        return max((f.exit_code(strict) for f in self.files), default=EXIT_OK)

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self, strict: bool = False, *, objects: bool = False) -> dict[str, object]:
        """The JSON form (``ctgxl/guides/validation.md``); ``objects``: see ``FileReport.to_dict``."""
        from .. import __version__

        return {
            "schema": SCHEMA_NAME,
            "schema_version": SCHEMA_VERSION,
            "ctgxl_version": __version__,
            "rules": dict(self.rules),
            "strict": strict,
            "exit_code": self.exit_code(strict),
            "totals": {"files": len(self.files),
                       "unusable_files": sum(f.error is not None for f in self.files),
                       **self.counts},
            "files": [f.to_dict(objects=objects) for f in self.files],
        }
