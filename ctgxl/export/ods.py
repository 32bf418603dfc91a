"""The canonical workbook as .ods: LibreOffice converts it, then the frozen headers are
put back.

LibreOffice converting headless writes no view settings (there is no view), so the
frozen header row and ID action column of the .xlsx would be lost; they are written
into the .ods's ``settings.xml`` (``ooo:view-settings`` › Views › Tables), the way
LibreOffice itself saves them. Dropdown lists survive the conversion as they are.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from ..catalogue import LISTS_SHEET, TABLE_SHEETS


def frozen_sheets() -> dict[str, tuple[int, int]]:
    """Sheet name -> (frozen columns, frozen rows), as the template freezes them."""
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    from ..template import frozen_cell

    out = {}
    for name in [*(s.name for s in TABLE_SHEETS), LISTS_SHEET]:
        letters, row = coordinate_from_string(frozen_cell(name))
        out[name] = (column_index_from_string(letters) - 1, row - 1)
    return out


def _item(name: str, kind: str, value: object) -> str:
    return (f'<config:config-item config:name="{name}" config:type="{kind}">{value}'
            "</config:config-item>")


def _views(panes: dict[str, tuple[int, int]], active: str) -> str:
    tables = []
    for sheet, (cols, rows) in panes.items():
        tables.append(
            f'<config:config-item-map-entry config:name="{escape(sheet)}">'
            + _item("HorizontalSplitMode", "short", 2 if cols else 0)
            + _item("VerticalSplitMode", "short", 2 if rows else 0)
            + _item("HorizontalSplitPosition", "int", cols)
            + _item("VerticalSplitPosition", "int", rows)
            + _item("ActiveSplitRange", "short", 2)
            + _item("PositionLeft", "int", 0) + _item("PositionRight", "int", cols)
            + _item("PositionTop", "int", 0) + _item("PositionBottom", "int", rows)
            + "</config:config-item-map-entry>")
    return ('<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
            + _item("ViewId", "string", "view1")
            + '<config:config-item-map-named config:name="Tables">' + "".join(tables)
            + "</config:config-item-map-named>" + _item("ActiveTable", "string", escape(active))
            + "</config:config-item-map-entry></config:config-item-map-indexed>")


def with_frozen_panes(ods: bytes, panes: dict[str, tuple[int, int]], active: str) -> bytes:
    """``ods`` with its view settings replaced by ``panes`` (the other parts unchanged,
    ``mimetype`` first and stored, as ODF requires)."""
    source = zipfile.ZipFile(io.BytesIO(ods))
    settings = source.read("settings.xml").decode("utf-8")
    views = _views(panes, active)
    pattern = re.compile(r'(<config:config-item-set config:name="ooo:view-settings">)(.*?)'
                         r'(</config:config-item-set>)', re.S)
    if pattern.search(settings):
        settings = pattern.sub(lambda m: m.group(1) + re.sub(
            r'<config:config-item-map-indexed config:name="Views">.*?'
            r'</config:config-item-map-indexed>', "", m.group(2), flags=re.S)
            + views + m.group(3), settings, count=1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = settings.encode("utf-8") if info.filename == "settings.xml" else \
                source.read(info.filename)
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            target.writestr(info, data, compress_type=kind)
    return out.getvalue()


def ods_bytes(xlsx: bytes, active: str) -> bytes:
    from ..office import convert

    data = convert(xlsx, ".xlsx", "ods", missing=(
        "l'export .ods demande LibreOffice (commande « soffice »), introuvable sur ce poste : "
        "ouvrez le classeur .xlsx dans LibreOffice Calc et enregistrez-le au format .ods"))
    return with_frozen_panes(data, frozen_sheets(), active)


def write_ods(plan, target: Path, vocabulary) -> Path:
    """The canonical workbook of ``plan`` as an .ods at ``target`` (atomically)."""
    import tempfile

    from ..catalogue import README_SHEET
    from ..outputs import write_atomically
    from ..writer import write_plan

    with tempfile.TemporaryDirectory(prefix="ctgxl-ods-") as tmp:
        xlsx = write_plan(plan, Path(tmp) / "classeur.xlsx", vocabulary=vocabulary).read_bytes()
    data = ods_bytes(xlsx, README_SHEET)
    return write_atomically(target, lambda t: Path(t).write_bytes(data))
