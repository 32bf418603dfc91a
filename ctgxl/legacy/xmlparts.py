"""Read the XML parts of a .docx or .odt safely: streamed, bounded, one French reason.

A document is read part by part with defusedxml (no entity expansion, no external
entities) as a stream of events, never decompressed whole: a few kilobytes on disk may
unzip to gigabytes. What a plan never needs is refused (``UnusableInputError``) as soon as it
is seen, so that a hostile or broken file ends in seconds and in bounded memory:

- a part of more than ``MAX_PART_BYTES`` once unzipped (counted while reading, whatever
  the archive declares);
- XML nested more than ``MAX_DEPTH`` elements deep, tables nested in tables more than
  ``MAX_TABLE_NESTING`` levels;
- more than ``MAX_ROWS`` table rows and paragraphs, ``MAX_CELLS`` table cells (columns ×
  rows), ``MAX_GRID_COLUMNS`` columns in a table, ``MAX_BLOCK_NODES`` XML elements in one
  paragraph or one table row, ``MAX_TEXT`` characters in one cell or paragraph;
- a list number above ``MAX_LIST_NUMBER`` (Word's own limit).

The readers (``docx.py``, ``odt.py``) handle each paragraph and each table row as soon as it
is complete, then drop it: memory follows the plan's text, not the file's XML.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import UnusableInputError

MAX_PART_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 256
MAX_TABLE_NESTING = 8
MAX_ROWS = 50_000
MAX_CELLS = 500_000
MAX_GRID_COLUMNS = 200
MAX_BLOCK_NODES = 100_000
MAX_STYLE_NODES = 500_000
MAX_TEXT = 200_000
MAX_LIST_NUMBER = 32_767

PROTECTED = ("document protégé par un mot de passe : enregistrez-en une copie sans mot de "
             "passe (Fichier › Informations › Protéger le document), puis importez-la")


def _n(value: int) -> str:
    """« 50 000 »: a number as French users read it."""
    return f"{value:,}".replace(",", "\u202f")


class Budget:
    """What has been read so far, against the limits: each check raises the one French line
    that says what is too big."""

    def __init__(self, p: Path) -> None:
        self.p = p
        self.rows = 0
        self.cells = 0

    def refuse(self, reason: str) -> UnusableInputError:
        return UnusableInputError(self.p, reason)

    def add_row(self, cells: int = 1) -> None:
        self.rows += 1
        self.cells += cells
        if self.rows > MAX_ROWS:
            raise self.refuse(f"document trop grand pour un plan d'actions : plus de "
                              f"{_n(MAX_ROWS)} paragraphes et lignes de tableau")
        if self.cells > MAX_CELLS:
            raise self.refuse(f"document trop grand pour un plan d'actions : plus de "
                              f"{_n(MAX_CELLS)} cellules de tableau")

    def columns(self, count: int, where: str) -> None:
        if count > MAX_GRID_COLUMNS:
            raise self.refuse(f"{where} : plus de {_n(MAX_GRID_COLUMNS)} colonnes "
                              f"({_n(count)}), ce n'est pas un tableau de plan d'actions")

    def text(self, size: int, where: str) -> None:
        if size > MAX_TEXT:
            raise self.refuse(f"{where} : un texte de plus de {_n(MAX_TEXT)} caractères, ce "
                              "n'est pas un plan d'actions")

    def list_number(self, value: int) -> int:
        if value > MAX_LIST_NUMBER:
            raise self.refuse(f"numérotation de liste hors limites ({_n(value)} ; Word s'arrête "
                              f"à {_n(MAX_LIST_NUMBER)})")
        return value

    def nesting(self, tables: int) -> None:
        if tables > MAX_TABLE_NESTING:
            raise self.refuse(f"tableaux imbriqués les uns dans les autres sur plus de "
                              f"{MAX_TABLE_NESTING} niveaux")


class _Counted:
    """A binary stream that refuses to give more than ``limit`` bytes."""

    def __init__(self, stream, p: Path, name: str) -> None:
        self.stream, self.p, self.name, self.read_bytes = stream, p, name, 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size if size and size > 0 else 1 << 16)
        self.read_bytes += len(data)
        if self.read_bytes > MAX_PART_BYTES:
            raise UnusableInputError(self.p, f"document trop volumineux ({self.name} : plus de "
                                             f"{MAX_PART_BYTES // (1024 * 1024)} Mo de texte XML)")
        return data


def events(p: Path, archive: zipfile.ZipFile, name: str) -> Iterator[tuple[str, object]]:
    """("start" | "end", element) of the part ``name``, streamed; nothing if it is absent.

    Elements deeper than ``MAX_DEPTH`` and unreadable XML are refused with their reason.
    """
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        info = archive.getinfo(name)
    except KeyError:
        return
    if info.flag_bits & 0x1:
        raise UnusableInputError(p, PROTECTED)
    depth = 0
    try:
        with archive.open(info) as raw:
            for event, element in ElementTree.iterparse(_Counted(raw, p, name),
                                                        events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise UnusableInputError(p, f"document refusé : {name} imbrique plus "
                                                    f"de {MAX_DEPTH} niveaux d'éléments XML")
                else:
                    depth -= 1
                yield event, element
    except UnusableInputError:
        raise
    except DefusedXmlException:
        raise UnusableInputError(p, f"document refusé : {name} déclare des entités XML "
                                    "(construction d'attaque)") from None
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, zipfile.LargeZipFile) as exc:
        raise UnusableInputError(p, f"document endommagé ({name} illisible : {exc})") from None
    except Exception as exc:  # noqa: BLE001 - ParseError and the like
        raise UnusableInputError(p, f"document endommagé ({name} : XML invalide, {exc})") from None


def parse_small(p: Path, archive: zipfile.ZipFile, name: str, max_nodes: int = 200_000):
    """The root of a part read whole (numbering, styles), or None when absent; a part of
    more than ``max_nodes`` elements is refused."""
    root, count = None, 0
    for event, element in events(p, archive, name):
        if event == "start":
            count += 1
            if root is None:
                root = element
            if count > max_nodes:
                raise UnusableInputError(p, f"document refusé : {name} contient plus de "
                                            f"{_n(max_nodes)} éléments XML")
    return root


def drop(element, parent) -> None:
    """Free a handled element: emptied and taken out of its parent."""
    element.clear()
    if parent is not None:
        if len(parent) and parent[-1] is element:
            del parent[-1]
        else:
            try:
                parent.remove(element)
            except ValueError:
                pass


def crowded(where: str) -> str:
    """The reason of a paragraph or table row holding more than ``MAX_BLOCK_NODES``."""
    return (f"{where} : plus de {_n(MAX_BLOCK_NODES)} éléments XML dans un seul paragraphe ou "
            "une seule ligne de tableau")
