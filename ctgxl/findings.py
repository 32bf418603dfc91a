"""Findings: what ctgxl has to say about a workbook, as data.

A finding names where (file, sheet, cell) and what (stable code, severity,
French message, suggestion). The reader emits notes (``information`` or
``avertissement``) about what it had to interpret; validation emits
``erreur`` and ``avertissement``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["erreur", "avertissement", "information"]
SEVERITIES: tuple[Severity, ...] = ("erreur", "avertissement", "information")
# The one colour of each severity, wherever a finding is shown in a workbook (annotated copy,
# add-in, Sources sheet of a master): red, orange, blue.
SEVERITY_COLOURS: dict[str, str] = {"erreur": "FF9C9C", "avertissement": "FFC97F",
                                    "information": "DDEBF7"}


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None
    value: str | None = None
    suggestion: str | None = None
    cells: tuple[str, ...] = ()     # every cell involved, primary first (validation)

    def to_dict(self) -> dict[str, object]:
        """The one JSON shape of a finding, documented in ``docs/validation.md``."""
        return {"severity": self.severity, "code": self.code, "file": self.file,
                "sheet": self.sheet, "cell": self.cell, "row": self.row,
                "column": self.column, "header": self.header, "value": self.value,
                "message": self.message, "suggestion": self.suggestion,
                "cells": list(cells_of(self))}

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row:
            return f"{self.sheet}, ligne {self.row}"
        return self.sheet or ""


def cells_of(finding: Finding) -> tuple[str, ...]:
    """The cells a finding points at: its ``cells``, else its one ``cell``."""
    if finding.cells:
        return finding.cells
    return (finding.cell,) if finding.cell else ()
