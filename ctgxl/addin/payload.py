"""The request an xlwings client sends, checked before xlwings sees it.

Shape (xlwings 0.37, ``xlwings/addin/Remote.bas`` ``RunServerPython`` and
``xlwings/js/xlwings.ts`` ``runPython``; the Office.js client sends the same
keys)::

    {"client": "VBA" | "Microsoft Office Scripts" | "Google Apps Script" | "Office.js",
     "version": "0.37.8",
     "book": {"name": "enfance.xlsx", "active_sheet_index": 0, "selection": "B3"},
     "names": [{"name", "sheet_index", "address", "book_scope", "scope_sheet_name",
                "scope_sheet_index"}, ...],
     "sheets": [{"name": "Actions", "values": [[...], ...],   # from A1, empty cell: ""
                 "pictures": [...], "tables": [...]}, ...]}

Dates arrive as ISO text (``2024-01-15T00:00:00.000Z``), which xlwings turns
into ``datetime``. ctgxl's own task pane may add one key, ``"ctgxl"``, with the
files an action needs (``{"reference": {"name", "content"}}`` for Comparer,
``{"sources": [{"name", "content"}, ...]}`` for Consolider; content in base64);
xlwings ignores it.

Everything wrong with a request raises ``AddinError`` with a French message
and a 4xx status, never reaches xlwings half-checked.
"""

from __future__ import annotations

import base64
import binascii
import os

from .book import AddinError

MAX_CELLS = 2_000_000
MAX_SHEETS = 255
_SCALARS = (str, int, float, bool, type(None))


def xlwings_module():
    """``xlwings``, imported with its licence key; AddinError if it cannot be."""
    if not os.environ.get("XLWINGS_LICENSE_KEY"):
        raise AddinError(
            "XLWINGS_LICENSE_KEY n'est pas défini : le serveur du complément utilise "
            "xlwings.pro (licence PolyForm Noncommercial 1.0.0 ou licence payante) ; "
            "définissez XLWINGS_LICENSE_KEY=noncommercial pour un usage non commercial "
            "(administrations comprises) avant de démarrer le serveur.", status=503)
    try:
        import xlwings
    except ImportError:
        raise AddinError("xlwings n'est pas installé : pip install -e \".[addin]\"",
                         status=503) from None
    return xlwings


def check_payload(payload: object, server_version: str) -> dict:
    """The payload if it has the shape an xlwings client sends; AddinError otherwise."""
    if not isinstance(payload, dict):
        raise AddinError("Requête invalide : un objet JSON est attendu.", 400)
    client, version = payload.get("client"), payload.get("version")
    if not isinstance(client, str) or not isinstance(version, str):
        raise AddinError("Requête invalide : « client » et « version » d'xlwings manquent.", 400)
    if client != "Office.js" and version != server_version:
        raise AddinError(
            f"Versions d'xlwings différentes : {version} dans Excel, {server_version} sur le "
            f"serveur. Installez xlwings {server_version} côté Excel (ou l'inverse).", 400)
    book = payload.get("book")
    if not isinstance(book, dict) or not isinstance(book.get("name"), str):
        raise AddinError("Requête invalide : le nom du classeur (« book ») manque.", 400)
    sheets = payload.get("sheets")
    if not isinstance(sheets, list) or not sheets:
        raise AddinError("Requête invalide : aucune feuille (« sheets ») reçue.", 400)
    if len(sheets) > MAX_SHEETS:
        raise AddinError(f"Requête invalide : plus de {MAX_SHEETS} feuilles.", 400)
    active = book.get("active_sheet_index", 0)
    if not isinstance(active, int) or isinstance(active, bool) or not 0 <= active < len(sheets):
        raise AddinError("Requête invalide : indice de la feuille active hors limites.", 400)
    names = payload.get("names", [])
    if not isinstance(names, list) or not all(isinstance(n, dict) for n in names):
        raise AddinError("Requête invalide : « names » doit être une liste.", 400)
    cells = 0
    for sheet in sheets:
        if not isinstance(sheet, dict) or not isinstance(sheet.get("name"), str):
            raise AddinError("Requête invalide : une feuille n'a pas de nom.", 400)
        values = sheet.get("values")
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise AddinError(f"Requête invalide : valeurs de la feuille « {sheet['name']} » "
                             "illisibles (tableau de lignes attendu).", 400)
        for row in values:
            cells += len(row)
            if not all(isinstance(v, _SCALARS) for v in row):
                raise AddinError(f"Requête invalide : feuille « {sheet['name']} » : une cellule "
                                 "ne contient ni texte, ni nombre, ni booléen.", 400)
        if cells > MAX_CELLS:
            raise AddinError(f"Classeur trop grand : plus de {MAX_CELLS:,} cellules "
                             "envoyées.".replace(",", " "), 413)
        for key in ("pictures", "tables"):
            if not isinstance(sheet.setdefault(key, []), list):
                raise AddinError(f"Requête invalide : « {key} » de la feuille "
                                 f"« {sheet['name']} » doit être une liste.", 400)
    payload.setdefault("names", names)
    book.setdefault("selection", None)
    return payload


def too_many_cells(body: bytes) -> None:
    """Refuse, before the JSON is parsed, a body that cannot hold fewer than ``MAX_CELLS``
    cells: every cell but the first of a row follows a comma, so a body with that many more
    commas than the limit is too big — parsing it first took 877 MB for 20 MB of body."""
    if body.count(b",") > MAX_CELLS + COMMA_MARGIN:
        raise AddinError(f"Classeur trop grand : plus de {MAX_CELLS:,} cellules "
                         "envoyées.".replace(",", " "), 413)


COMMA_MARGIN = 200_000   # commas inside texts and between the payload's other items


def attached_file(payload: dict, key: str) -> tuple[str, bytes] | None:
    """(name, bytes) of the file ctgxl's task pane attached under ``ctgxl.<key>``, if any."""
    item = (payload.get("ctgxl") or {}).get(key) if isinstance(payload.get("ctgxl"), dict) \
        else None
    if item is None:
        return None
    return _decode(item)


def task_pane_flag(payload: dict, key: str) -> bool:
    """A check box of ctgxl's task pane sent under ``ctgxl.<key>`` (only ``true`` counts)."""
    extra = payload.get("ctgxl")
    return isinstance(extra, dict) and extra.get(key) is True


MAX_MERGED = 100_000


def merged_ranges(payload: dict) -> dict[str, list[str]]:
    """Each sheet's merged ranges that ctgxl's task pane sent under ``ctgxl.fusions``
    (``{"Actions": ["B2:B5", …]}``); none from the other clients."""
    extra = payload.get("ctgxl")
    found = extra.get("fusions") if isinstance(extra, dict) else None
    if found is None:
        return {}
    if not isinstance(found, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(r, str) for r in v)
            for k, v in found.items()):
        raise AddinError("Requête invalide : « ctgxl.fusions » doit associer à chaque feuille "
                         "une liste de plages.", 400)
    if sum(len(v) for v in found.values()) > MAX_MERGED:
        raise AddinError(f"Requête invalide : plus de {MAX_MERGED:,} plages fusionnées."
                         .replace(",", " "), 400)
    return found


def attached_files(payload: dict, key: str) -> list[tuple[str, bytes]]:
    extra = payload.get("ctgxl")
    items = extra.get(key) if isinstance(extra, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        raise AddinError(f"Requête invalide : « ctgxl.{key} » doit être une liste.", 400)
    return [_decode(item) for item in items]


def _decode(item: object) -> tuple[str, bytes]:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) \
            or not isinstance(item.get("content"), str):
        raise AddinError("Requête invalide : fichier joint sans « name » ni « content ».", 400)
    name = os.path.basename(item["name"].replace("\\", "/")).strip() or "classeur.xlsx"
    try:
        data = base64.b64decode(item["content"], validate=True)
    except (binascii.Error, ValueError):
        raise AddinError(f"Fichier joint « {name} » : contenu illisible (base64 attendu).",
                         400) from None
    return name, data


def clear_range_cache() -> bool:
    """Empty xlwings' cache of range values between two requests (True when done).

    The server serves for days; xlwings' remote engine memoises every range it was sent
    in the private ``xlwings.pro._xlremote.get_range_api``. Only this function touches
    it; tests/test_addin_server.py fails loudly if xlwings drops it.
    """
    try:
        from xlwings.pro._xlremote import get_range_api
    except ImportError:  # another xlwings: nothing cached there, nothing to clear
        return False
    get_range_api.cache_clear()
    return True


def book_from_payload(payload: dict):
    """``xw.Book(json=payload)`` (the xlwings remote engine)."""
    xw = xlwings_module()
    checked = check_payload(payload, xw.__version__)
    try:
        return xw.Book(json=checked)
    except xw.XlwingsError as exc:
        raise AddinError(f"Requête refusée par xlwings : {exc}", 400) from None


def saved_files(files, folder) -> tuple[list[str], list]:
    """Attached (name, bytes) written into ``folder`` (one sub-folder each, so that two
    attachments never share a path): their names and the paths to read."""
    from pathlib import Path

    names, paths = [], []
    for n, (name, data) in enumerate(files):
        suffix = Path(name).suffix.lower()
        if suffix not in (".xlsx", ".xlsm", ".ods"):
            suffix = ".xlsx"
        path = Path(folder) / str(n) / f"classeur{suffix}"
        path.parent.mkdir()
        path.write_bytes(data)
        names.append(name)
        paths.append(path)
    return names, paths


def plan_of_file(name: str, data: bytes):
    """The plan held by an attached workbook file (read like ``ctgxl`` reads files)."""
    import tempfile
    from pathlib import Path

    from ..errors import UnusableInputError
    from ..reader import read_plan

    suffix = Path(name).suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".ods"):
        suffix = ".xlsx"
    with tempfile.TemporaryDirectory(prefix="ctgxl-addin-") as folder:
        path = Path(folder) / f"classeur{suffix}"
        path.write_bytes(data)
        try:
            plan = read_plan(path)
        except UnusableInputError as exc:
            raise AddinError(f"Fichier « {name} » : {exc.reason}.") from None
    return plan.replace(source=name)
