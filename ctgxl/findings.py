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


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing ctgxl has to say. Its fields, in this order, are its JSON form
    (``to_dict``, documented in ``docs/validation.md``): a report of 500,000 findings is
    written by orjson straight from the objects, without a dict per finding."""

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
    cells: tuple[str, ...] = ()     # every cell involved, primary first; (cell,) by default

    def __post_init__(self) -> None:
        if not self.cells and self.cell:
            object.__setattr__(self, "cells", (self.cell,))

    def to_dict(self) -> dict[str, object]:
        """The one JSON shape of a finding: its fields, in order."""
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "file": self.file, "sheet": self.sheet, "cell": self.cell, "row": self.row,
                "column": self.column, "header": self.header, "value": self.value,
                "suggestion": self.suggestion, "cells": list(self.cells)}

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row:
            return f"{self.sheet}, ligne {self.row}"
        return self.sheet or ""

