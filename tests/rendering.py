"""Workbooks as they print: LibreOffice renders them to PDF, pdftotext reads the pages back.

Every sheet ctgxl writes has « NOM — page N / M » in its footer, so each printed page
is known by its sheet. ``printed(path, folder)`` gives the pages in order as
``Page(sheet, text, size)``; tests check what a reader would notice (a sheet's number
of pages, a table whose rows land on two pages, the paper size).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

FOOTER = re.compile(r"^\s*(.+?) — page \d+ / \d+\s*$", re.M)


@dataclass(frozen=True)
class Page:
    sheet: str | None
    text: str
    size: str          # « A4 », « A3 »… as pdfinfo names it


def printed(path: Path, folder: Path) -> list[Page]:
    from conftest import soffice_convert

    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("pdftotext / pdfinfo (poppler-utils) absent")
    pdf = soffice_convert(path, "pdf", folder)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(pages)), str(pdf)],
                          capture_output=True, text=True, check=True).stdout
    sizes = re.findall(r"^Page\s+\d+ size:.*\((\w+)", info, re.M)
    out = []
    for k, page in enumerate(pages):
        footer = FOOTER.findall(page)
        out.append(Page(footer[-1].strip() if footer else None, page,
                        sizes[k] if k < len(sizes) else ""))
    return out


def pages_of(pages: list[Page], sheet: str) -> list[Page]:
    return [p for p in pages if p.sheet == sheet]
