"""*Consolider*: the coordinator's master workbook gathers the services' workbooks.

The sources are the workbooks attached by the task pane (server) or given as
paths (local ``RunPython``), else the paths listed in column A of a
« Sources » sheet of the master workbook (local only: the server never opens
a path it is sent). The consolidation itself belongs to ``ctgxl.consolidate``;
this module only gathers the plans and writes the « Synthèse » it returns.

Until ``ctgxl.consolidate`` exists in this version of ctgxl, the action
answers with a French message saying so (HTTP 501 from the server).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..model import Plan
from .book import AddinError, Outcome, find_sheet, sheet_grid

SOURCES_SHEET = "Sources"
SUMMARY_SHEET = "Synthèse"


def listed_sources(book, folder: Path | None) -> list[Path]:
    """Paths in column A of « Sources » (below its header), relative to ``folder``."""
    sheet = find_sheet(book, SOURCES_SHEET)
    if sheet is None:
        return []
    paths = []
    for row in sheet_grid(sheet)[1:]:
        value = row[0] if row else None
        if isinstance(value, str) and value.strip():
            path = Path(value.strip())
            paths.append(path if path.is_absolute() or folder is None else folder / path)
    return paths


def consolider(book, sources: Sequence[tuple[str, Plan]]) -> Outcome:
    """Consolidate ``sources`` (name, plan) into the open master workbook's « Synthèse »."""
    try:
        import ctgxl.consolidate as consolidate  # noqa: F401 - lands with issue « consolidate »
    except ImportError:
        raise AddinError("Consolider n'est pas encore disponible dans cette version de ctgxl "
                         "(la consolidation est en cours de développement).", 501) from None
    if not sources:
        raise AddinError(f"Aucun classeur à consolider : joignez les classeurs des services ou "
                         f"listez leurs chemins dans la colonne A d'une feuille "
                         f"« {SOURCES_SHEET} ».")
    raise AddinError("Consolider n'est pas encore relié à ctgxl.consolidate dans le "
                     "complément.", 501)
