"""The bilan's .docx package, written as a stream.

The template (a small document) is filled and saved by python-docx; its body is cut
where the ``{contenu}`` paragraph is. The bilan's blocks are WordprocessingML text
appended to a temporary file, and each chart is written into the archive as soon as it
is drawn: nothing grows with the plan but that file on disk. When the blocks end, the
archive gets the body (template before, blocks, template after) and the relationships of
the pictures.

Time is linear in the number of blocks and pictures: python-docx, which keeps the whole
body as a tree and looks every relationship up again for each new picture, took 35 s and
1.16 GB for a 5,000-action bilan.
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from typing import IO

from lxml import etree

MARK = "ctgxl-contenu"
FLUSH_AT = 1 << 20            # characters of blocks kept in memory before they go to disk
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
NAMESPACES = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
EMU_PER_CM = 360000


class Package:
    """The .docx being written to ``target`` (a binary file object) from ``doc``, the
    template already filled (a python-docx ``Document``). Use as a context manager:
    ``write`` adds body text where ``{contenu}`` was, ``picture`` an image part; leaving
    the block without an exception completes the archive."""

    def __init__(self, doc, target: IO[bytes]) -> None:
        part = doc.part
        self.next_shape_id = part.next_id
        body = doc.element.body
        anchor = next((p._p for p in doc.paragraphs if p.text.strip() == "{contenu}"), None)
        mark = etree.Comment(MARK)
        if anchor is not None:
            anchor.addprevious(mark)
            anchor.getparent().remove(anchor)
        elif body.sectPr is not None:
            body.sectPr.addprevious(mark)
        else:
            body.append(mark)
        saved = io.BytesIO()
        doc.save(saved)
        self._template = zipfile.ZipFile(saved)
        name = str(part.partname).lstrip("/")
        folder, _, base = name.rpartition("/")
        self._document = name
        self._rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        self._media = f"{folder}/media/" if folder else "media/"
        body_xml = self._template.read(name).decode("utf-8")
        self._before, _, self._after = body_xml.partition(f"<!--{MARK}-->")
        names = set(self._template.namelist())
        self._rel_ids = _numbered_ids(self._template.read(self._rels).decode("utf-8")
                                      if self._rels in names else "")
        self._taken = names
        self._new_rels: list[str] = []
        self._zip = zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED)
        self._blocks = tempfile.TemporaryFile()
        self._pending: list[str] = []
        self._pending_size = 0
        self._copy_template(names)

    def __enter__(self) -> Package:
        return self

    def __exit__(self, kind, value, trace) -> None:
        try:
            if kind is None:
                self._finish()
        finally:
            self._blocks.close()
            self._zip.close()

    # -- body ----------------------------------------------------------------------------

    def write(self, xml: str) -> None:
        self._pending.append(xml)
        self._pending_size += len(xml)
        if self._pending_size >= FLUSH_AT:
            self._flush()

    def _flush(self) -> None:
        self._blocks.write("".join(self._pending).encode("utf-8"))
        self._pending.clear()
        self._pending_size = 0

    # -- pictures ------------------------------------------------------------------------

    def picture(self, png: bytes, width_cm: float) -> str:
        """Store ``png`` as an image part; the ``<wp:inline>`` that shows it ``width_cm``
        wide (its height in proportion)."""
        shape = self.next_shape_id
        self.next_shape_id += 1
        name = f"ctgxl-figure-{shape}.png"
        while self._media + name in self._taken:       # a template made from a bilan
            name = "x" + name
        self._taken.add(self._media + name)
        self._zip.writestr(zipfile.ZipInfo(self._media + name, (2026, 1, 1, 0, 0, 0)), png,
                           compress_type=zipfile.ZIP_STORED)   # PNG is compressed already
        r_id = f"rId{next(self._rel_ids)}"
        self._new_rels.append(f'<Relationship Id="{r_id}" Type="{IMAGE_REL}" '
                              f'Target="media/{name}"/>')
        width_px, height_px = png_size(png)
        cx = round(width_cm * EMU_PER_CM)
        cy = round(cx * height_px / width_px)
        return (f'<wp:inline {NAMESPACES}><wp:extent cx="{cx}" cy="{cy}"/>'
                f'<wp:docPr id="{shape}" name="Picture {shape}"/>'
                '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/>'
                '</wp:cNvGraphicFramePr><a:graphic><a:graphicData '
                'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
                f'<pic:nvPicPr><pic:cNvPr id="0" name="{name}"/><pic:cNvPicPr/></pic:nvPicPr>'
                f'<pic:blipFill><a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch>'
                '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
                f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
                "</pic:pic></a:graphicData></a:graphic></wp:inline>")

    # -- archive -------------------------------------------------------------------------

    def _copy_template(self, names: set[str]) -> None:
        types = "[Content_Types].xml"
        content_types = self._template.read(types).decode("utf-8")
        if not re.search(r'Extension="png"', content_types, re.IGNORECASE):
            content_types = content_types.replace(
                "</Types>", '<Default Extension="png" ContentType="image/png"/></Types>')
        self._zip.writestr(self._template.getinfo(types), content_types.encode("utf-8"))
        for info in self._template.infolist():
            if info.filename not in (types, self._document, self._rels):
                self._zip.writestr(info, self._template.read(info))

    def _finish(self) -> None:
        self._flush()
        size = self._blocks.tell() + len(self._before) + len(self._after)
        self._blocks.seek(0)
        with self._zip.open(self._zip_info(self._document), "w",
                            force_zip64=size > 1 << 30) as out:
            out.write(self._before.encode("utf-8"))
            shutil.copyfileobj(self._blocks, out, 1 << 20)
            out.write(self._after.encode("utf-8"))
        rels = (self._template.read(self._rels).decode("utf-8")
                if self._rels in self._template.namelist() else
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                "</Relationships>")
        rels = rels.replace("</Relationships>", "".join(self._new_rels) + "</Relationships>")
        self._zip.writestr(self._zip_info(self._rels), rels.encode("utf-8"))

    def _zip_info(self, name: str) -> zipfile.ZipInfo:
        info = (self._template.getinfo(name) if name in self._template.namelist()
                else zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)))
        info = zipfile.ZipInfo(name, info.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info


def _numbered_ids(rels: str):
    """rId1, rId2… after the highest the template uses."""
    taken = [int(n) for n in re.findall(r'Id="rId(\d+)"', rels)]
    n = max(taken, default=0)
    while True:
        n += 1
        yield n


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG's header (IHDR)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
