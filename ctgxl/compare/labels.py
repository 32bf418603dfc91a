"""French words for differences and conflicts, shared by console, JSON and workbooks."""

from __future__ import annotations

from ..catalogue import EXTRA_PREFIX, META_FIELDS, SHEETS_BY_KEY, Sheet
from ..model import Row
from ..values import Value
from ..wording import decimal
from .align import POLICIES
from .diff import RowChange

EMPTY = "(vide)"

# Stable codes of row changes in JSON output, and their labels.
ROW_CODES = {"added": "ajoutee", "removed": "supprimee", "modified": "modifiee",
             "cosmetic": "forme"}
COSMETIC_LABELS = {"espaces": "espaces seulement", "casse": "majuscules/minuscules seulement",
                   "espaces+casse": "espaces et majuscules/minuscules seulement"}
CONFLICT_LABELS = {
    "modifiee-des-deux-cotes": "modifiée des deux côtés",
    "ajoutee-des-deux-cotes": "ajoutée des deux côtés, valeurs différentes",
    "supprimee-en-local": "supprimée en local, modifiée à distance",
    "supprimee-a-distance": "supprimée à distance, modifiée en local",
}
SIDE_LABELS = {"local": "LOCAL", "distant": "DISTANT"}
META_LABELS = dict(META_FIELDS)
META_SHEET_LABEL = "Paramètres du classeur"


CUT = " […]"     # where a long value is cut: distinct from a « … » the text itself ends with
SLACK = 20       # a text at most this much over the limit is shown whole


def show(value: Value, limit: int | None = 70) -> str:
    """A value as the user reads it in one line: « texte », ``(vide)``.

    A long text is cut between two words and ends with `` […]``; one that is only a little
    over ``limit`` is shown whole, since cutting it would hide its end (a closing
    parenthesis, the last word) to save a few characters.
    """
    if value is None:
        return EMPTY
    text = decimal(value).replace("\n", " ⏎ ")
    if limit and len(text) > limit + SLACK:
        cut = text.rfind(" ", 0, limit + 1)
        if cut < limit * 2 // 3:   # no space near the limit: cut inside the word
            cut = limit
        text = text[:cut].rstrip(" ,;:–-") + CUT
    return f"« {text} »"


def plain(value: Value) -> str:
    return EMPTY if value is None else decimal(value)


def header(table: str, column: str) -> str:
    if table == "meta":
        return META_LABELS.get(column, column)
    if column.startswith(EXTRA_PREFIX):  # a column a service added: its header is its name
        return column[len(EXTRA_PREFIX):]
    return SHEETS_BY_KEY[table].column(column).header


def sheet_label(table: str) -> str:
    return META_SHEET_LABEL if table == "meta" else SHEETS_BY_KEY[table].name


def row_label(sheet: Sheet, row: Row) -> str:
    """How the user names a row: ``ENF-003``, ``ENF-003, offre 2``, ``Enfance › I › 1 › OO2``."""
    get = dict(zip(sheet.keys, row)).get
    if sheet.key == "actions":
        return plain(get("id_action"))
    if sheet.key == "offres":
        return f"{plain(get('id_action'))}, offre {plain(get('numero_offre'))}"
    if sheet.key == "indicateurs":
        return f"{plain(get('id_action'))}, indicateur {plain(get('numero_indicateur'))}"
    if sheet.key == "suivi":
        number = get("numero_indicateur")
        indicator = f", indicateur {plain(number)}" if number is not None else ""
        return f"{plain(get('id_action'))}, {plain(get('annee'))}{indicator}"
    parts = [get(k) for k in sheet.key_columns]
    return " › ".join(str(p) for p in parts if p is not None) or EMPTY


def key_label(table: str, key: tuple[Value, ...]) -> str:
    if table == "meta":
        return ""
    sheet = SHEETS_BY_KEY[table]
    row = [None] * len(sheet.columns)
    for column, value in zip(sheet.key_columns, key):
        row[sheet.position(column)] = value
    return row_label(sheet, tuple(row))


def title_of(sheet: Sheet, row: Row) -> Value:
    """The column that says what the row is about."""
    column = {"actions": "intitule", "offres": "offre", "plan": "oo_intitule",
              "indicateurs": "libelle", "suivi": "statut"}[sheet.key]
    return row[sheet.position(column)]


def change_label(sheet: Sheet, change: RowChange) -> str:
    """``Ajoutée``, ``Modifiée, déplacée, renumérotée``, ``Forme seule``…"""
    if change.kind == "added":
        return "Ajoutée"
    if change.kind == "removed":
        return "Supprimée"
    words = []
    if change.kind == "cosmetic":
        words.append("Forme seule")
    elif any(f.cosmetic is None and not _is_move_or_number(sheet, change, f.column)
             for f in change.changes):
        words.append("Modifiée")
    if change.moved:
        words.append("déplacée")
    if change.renumbered:
        words.append("renumérotée")
    text = ", ".join(words)
    return text[:1].upper() + text[1:]


def _is_move_or_number(sheet: Sheet, change: RowChange, column: str) -> bool:
    policy = POLICIES[sheet.key]
    if change.moved and column in policy.location:
        return True
    numbering = {*policy.numbering, *sheet.key_columns} - set(policy.location)
    return change.renumbered and column in numbering
