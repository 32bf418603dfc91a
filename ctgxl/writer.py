"""Write a plan as a canonical workbook, atomically.

``write_plan(plan, path)`` builds a fresh workbook from the catalogue (see
``template.build_workbook``) and never opens or modifies an existing file:
the workbook is saved to a temporary file in the destination folder, then
renamed over the destination in one step, so a reader never sees half a file.

Commands that decorate their output pass ``marks`` (fill colour and/or comment
per cell, keyed by ``(table_key, row_index, column_key)``) and
``extra_sheets`` (sheets such as « Conflits » or « Synthèse », built by a
callback on a write-only worksheet). Hyperlinks to a written value use
``cell_ref(table_key, row_index, column_key)``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from .catalogue import SHEETS_BY_KEY
from .errors import OutputError
from .model import Plan, column_letter
from .vocabulary import Vocabulary, load_vocabulary

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def write_plan(plan: Plan, path: str | os.PathLike[str], *, vocabulary: Vocabulary | None = None,
               marks=None, extra_sheets: Sequence = (),
               rendered: Mapping[str, Sequence[bytes]] | None = None) -> Path:
    """Write ``plan`` to ``path`` (.xlsx); return the path written.

    ``rendered`` (table key -> its rows from ``fastrows.render_rows``, without
    numbers, UTF-8) saves rendering rows already rendered elsewhere, such as
    in the worker processes that read the files of a consolidation.
    """
    from .fastrows import splice_rows
    from .template import build_workbook

    check_output(path)
    wb, pending = build_workbook(vocabulary or load_vocabulary(), plan, marks=marks,
                                 extra_sheets=extra_sheets, rendered=rendered)
    return save_workbook(wb, path, finish=lambda tmp: splice_rows(tmp, pending))


def cell_ref(table_key: str, index: int, column_key: str) -> str:
    """``Actions!H12`` of a value written by ``write_plan`` (data start on row 2)."""
    sheet = SHEETS_BY_KEY[table_key]
    return f"{sheet.name}!{column_letter(sheet.position(column_key) + 1)}{index + 2}"


def check_output(path: str | os.PathLike[str]) -> Path:
    """Refuse, before any work, an output path that cannot be written."""
    target = Path(path)
    if target.suffix.lower() not in WORKBOOK_SUFFIXES:
        raise OutputError(f"{target} : le fichier de sortie doit avoir l'extension .xlsx")
    if target.is_dir():
        raise OutputError(f"{target} : est un dossier, pas un nom de fichier")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{target} : le dossier {folder} n'existe pas")
    return target


def save_workbook(wb, path: str | os.PathLike[str], finish=None) -> Path:
    """Save an openpyxl workbook atomically (temporary file, then rename).

    ``finish(tmp_path)``, when given, completes the saved file before the rename.
    """
    from . import styles  # noqa: F401 - print titles written columns first (styles.py)
    from .outputs import write_atomically

    def write(tmp: str) -> None:
        wb.save(tmp)
        if finish is not None:
            finish(tmp)

    return write_atomically(check_output(path), write)
