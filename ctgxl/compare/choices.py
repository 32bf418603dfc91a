"""The « Conflits » sheet of a merged workbook as data: its columns, the hidden reference of
each conflict, the choices the coordinator wrote.

``ctgxl merge`` lists each conflict on a row of the « Conflits » sheet: the
three values, a column « Valeur à garder » where the coordinator writes
« Base », « Local », « Distant » or the value to keep, and a hidden reference
(JSON) naming the row by its key — never by its position, so that sorting
either sheet changes nothing — the column, the three values and, for a row
the kept side deleted, the row the other side kept and the row it followed.
``encode_ref`` writes that reference, ``read_choices`` reads the sheet back
(rows of raw values, as ``loading.sheet_rows`` gives them).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..catalogue import SHEETS_BY_KEY
from ..errors import CtgxlError
from ..values import Value
from ..vocabulary import fold
from .labels import SIDE_LABELS
from .merge import SIDES, Conflict, Side

CONFLICTS_SHEET = "Conflits"
CHOICE_HEADER = "Valeur à garder"
REF_HEADER = "Référence ctgxl (ne pas modifier)"
CHOICES = ("Base", "Local", "Distant")
DELETED = "(ligne supprimée)"
REF_VERSION = 1
MAX_REF = 32_000          # an Excel cell holds 32,767 characters
HEADER_SEARCH_ROWS = 20

DELETER: dict[str, Side] = {"supprimee-en-local": "local", "supprimee-a-distance": "distant"}


class ResolveError(CtgxlError):
    """A workbook whose « Conflits » sheet cannot be used by ``--resoudre``."""


@dataclass(frozen=True)
class ConflictRow:
    """A conflict as listed in the « Conflits » sheet.

    ``key`` is the key of its row in the workbook the sheet belongs to (of
    the row to restore when that workbook lacks it); ``restore`` is the row
    the editing side kept, for a row the kept side deleted, and ``after`` the
    key of the row it followed there (``()``: it was the first). ``choice`` and
    ``problem`` carry, into the sheet of a resolved workbook, a choice that
    could not be applied and why.
    """

    conflict: Conflict
    key: tuple[Value, ...] = ()
    restore: Mapping[str, Value] | None = None
    after: tuple[Value, ...] | None = None
    choice: object = None
    problem: str | None = None


@dataclass(frozen=True)
class Choice:
    """One row of the « Conflits » sheet: its conflict and what the coordinator wrote."""

    row: ConflictRow
    value: object          # raw cell value of « Valeur à garder »; None when empty
    line: int              # Excel row number in the « Conflits » sheet


# -- the hidden reference -----------------------------------------------------------------

def encode_ref(row: ConflictRow) -> str:
    """The JSON text of the hidden « Référence » cell of a conflict."""
    c = row.conflict
    ref = {"v": REF_VERSION, "table": c.table, "column": c.column, "kind": c.kind,
           "kept": c.kept, "key": list(row.key), "base_key": list(c.key),
           "base": c.base, "local": c.local, "remote": c.remote}
    if row.restore is not None:
        ref["row"] = dict(row.restore)
        if row.after is not None:
            ref["after"] = list(row.after)
    text = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_REF:          # very long texts: the row cannot be restored
        ref.pop("row", None)
        ref.pop("after", None)
        text = json.dumps(ref, ensure_ascii=False, separators=(",", ":"))
    return text


def decode_ref(text: object) -> ConflictRow:
    """The conflict of a « Référence » cell; ValueError when it is not one ctgxl wrote."""
    if not isinstance(text, str):
        raise ValueError("not a text")
    ref = json.loads(text)
    if not isinstance(ref, dict) or ref.get("v") != REF_VERSION:
        raise ValueError("unknown reference")
    table, column, kind, kept = (ref[k] for k in ("table", "column", "kind", "kept"))
    if table != "meta" and table not in SHEETS_BY_KEY or kept not in SIDES:
        raise ValueError("unknown table or side")
    if kind not in ("modifiee-des-deux-cotes", "ajoutee-des-deux-cotes", *DELETER):
        raise ValueError("unknown kind")
    conflict = Conflict(table, kind, tuple(ref["base_key"]), column, ref["base"], ref["local"],
                        ref["remote"], kept)
    restore, after = ref.get("row"), ref.get("after")
    return ConflictRow(conflict, tuple(ref["key"]),
                       dict(restore) if isinstance(restore, dict) else None,
                       tuple(after) if isinstance(after, list) else None)


# -- reading the sheet ---------------------------------------------------------------------

def read_choices(rows: Sequence[Sequence[object]], source: str) -> list[Choice]:
    """The conflicts listed in the rows of a « Conflits » sheet, with their choices.

    Columns are found by their header, wherever they are; rows without a
    reference (blank rows, notes typed below the table) are skipped.
    """
    found = _header(rows)
    if found is None:
        raise ResolveError(
            f"{source} : la feuille « {CONFLICTS_SHEET} » n'a pas les colonnes "
            f"« {CHOICE_HEADER} » et « {REF_HEADER} » (classeur fusionné par une version "
            "antérieure de ctgxl, ou colonnes effacées) : relancez ctgxl merge")
    top, choice_col, ref_col = found
    choices = []
    for n, cells in enumerate(rows[top + 1:], start=top + 2):
        ref = cells[ref_col] if ref_col < len(cells) else None
        if ref in (None, ""):
            continue
        try:
            row = decode_ref(ref)
        except (ValueError, KeyError, TypeError):
            raise ResolveError(
                f"{source} : feuille « {CONFLICTS_SHEET} », ligne {n} : la référence du "
                "conflit (colonne masquée) a été modifiée ou effacée : relancez ctgxl merge",
            ) from None
        value = cells[choice_col] if choice_col < len(cells) else None
        if isinstance(value, str) and not value.strip():
            value = None
        choices.append(Choice(row, value, n))
    return choices


def _header(rows: Sequence[Sequence[object]]) -> tuple[int, int, int] | None:
    wanted = fold(CHOICE_HEADER), fold(REF_HEADER)
    for r, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        folded = [fold(c) if isinstance(c, str) else None for c in cells]
        if all(w in folded for w in wanted):
            return r, folded.index(wanted[0]), folded.index(wanted[1])
    return None


def side_label(code: str) -> str:
    """« BASE », « LOCAL », « DISTANT » or « saisie »."""
    return {"base": "BASE", **SIDE_LABELS}.get(code, "saisie")
