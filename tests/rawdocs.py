"""Minimal .docx and .odt files written from raw XML, for documents no office suite would
save: very large ones (benchmarks) and hostile ones (tests of the reader's limits).

A few kilobytes on disk may hold gigabytes once unzipped: the parts are written with
``zipfile`` from strings or from chunks repeated many times (``write_docx(path, body)`` where
``body`` is a string or an iterable of strings).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def p(text: str) -> str:
    """A Word paragraph."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def tc(text: str, span: int = 1) -> str:
    props = f'<w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>' if span > 1 else ""
    return f"<w:tc>{props}{p(text)}</w:tc>"


def tr(cells: Iterable[str]) -> str:
    return "<w:tr>" + "".join(tc(c) for c in cells) + "</w:tr>"


def tbl(rows: Iterable[Iterable[str]]) -> str:
    return "<w:tbl>" + "".join(tr(r) for r in rows) + "</w:tbl>"


def write_docx(path: Path, body: str | Iterable[str], *, numbering: str | None = None) -> Path:
    """A .docx whose body is ``body`` (Word XML, prefix ``w:``), streamed into the archive."""
    chunks = [body] if isinstance(body, str) else body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}">'
                      "<w:body>".encode())
            for chunk in chunks:
                out.write(chunk.encode())
            out.write(b"</w:body></w:document>")
        if numbering is not None:
            archive.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                                                   f'<w:numbering xmlns:w="{W_NS}">{numbering}'
                                                   "</w:numbering>")
    return path


ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')


def odt_p(text: str) -> str:
    return f"<text:p>{escape(text)}</text:p>"


def write_odt(path: Path, body: str | Iterable[str]) -> Path:
    """An .odt whose office:text holds ``body`` (ODF XML, prefixes text:, table:)."""
    chunks = [body] if isinstance(body, str) else body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        with archive.open("content.xml", "w", force_zip64=True) as out:
            out.write(f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS}>'
                      "<office:body><office:text>".encode())
            for chunk in chunks:
                out.write(chunk.encode())
            out.write(b"</office:text></office:body></office:document-content>")
    return path


def repeated(chunk: str, times: int, size: int = 10_000) -> Iterable[str]:
    """``chunk`` ``times`` times, in pieces of ``size`` copies (never all in memory)."""
    block = chunk * size
    for _ in range(times // size):
        yield block
    yield chunk * (times % size)
