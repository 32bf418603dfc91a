"""Tell what an input file is before any library parses it.

Every command that reads a workbook calls ``workbook_kind`` first, so each
kind of unusable input gets one precise French sentence (missing, folder,
empty, legacy .xls, password-protected, CSV renamed .xlsx, corrupt archive,
Word document…) instead of a library traceback.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import UnusableInputError, os_reason
from .sheetscan import MAX_COLUMN, MAX_ROWS, FarValue, SheetScan, scan_sheet

WorkbookKind = Literal["xlsx", "xlsm", "ods"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A workbook that inflates beyond this is refused (zip bomb); 100k actions take ~80 MB.
MAX_UNCOMPRESSED = 2 * 1024**3
# Documented limits of a sheet (README, « Limites ») — python-calamine builds each sheet as a
# dense grid from A1 to its farthest cell holding a value, so one stray value at XFD1048576
# would ask for 512 GB (MAX_ROWS and MAX_COLUMN, in ``sheetscan``); and it reserves the
# declared number of shared strings before reading them.
MAX_SHARED_STRINGS = 5_000_000
MAX_PART = 1024**3                    # one sheet or the shared strings, inflated: 1 GiB
_DECLARED = re.compile(rb'\b(?:count|uniqueCount)="(\d+)"')


@dataclass(frozen=True)
class Inspection:
    """What was learnt of a workbook before any library parsed it."""

    kind: WorkbookKind
    sheets: tuple[SheetScan, ...] = ()    # .xlsx/.xlsm: the scan of every worksheet part


def workbook_kind(path: str | os.PathLike[str]) -> WorkbookKind:
    """The kind of workbook at ``path``, or UnusableInputError saying why it is none."""
    return inspect(path).kind


def inspect(path: str | os.PathLike[str]) -> Inspection:
    """The kind of workbook at ``path`` and the scan of its sheets, or UnusableInputError
    saying why it is none."""
    p = Path(path)
    try:
        mode = p.stat().st_mode
    except FileNotFoundError:
        raise UnusableInputError(p, "fichier introuvable") from None
    except (OSError, ValueError) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else "nom de fichier invalide"
        raise UnusableInputError(p, f"fichier inaccessible ({reason})") from None
    if stat.S_ISDIR(mode):
        raise UnusableInputError(p, "est un dossier, pas un classeur")
    if not stat.S_ISREG(mode):   # a FIFO, a device: reading it would block or never end
        raise UnusableInputError(p, "n'est pas un fichier ordinaire (tube, périphérique…)")
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise UnusableInputError(p, "lecture refusée (droits insuffisants)") from None
    except OSError as exc:
        raise UnusableInputError(p, f"lecture impossible ({os_reason(exc)})") from None
    if not head:
        raise UnusableInputError(p, "fichier vide (0 octet)")
    if head.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in p.read_bytes():
            raise UnusableInputError(
                p, "classeur protégé par un mot de passe : ouvrez-le, retirez le mot de passe "
                   "(Fichier › Informations › Protéger le classeur) puis enregistrez-le")
        raise UnusableInputError(
            p, "ancien format Excel 97-2003 (.xls) non pris en charge : ouvrez-le et "
               "enregistrez-le au format .xlsx")
    if not head.startswith(b"PK"):
        if _looks_like_text(p):
            raise UnusableInputError(
                p, "fichier texte (CSV ou texte tabulé ?) et non un classeur : ouvrez-le dans "
                   "Excel ou Calc et enregistrez-le au format .xlsx")
        raise UnusableInputError(p, "n'est pas un classeur Excel (.xlsx, .xlsm) ni OpenDocument (.ods)")
    try:
        with zipfile.ZipFile(p) as archive:
            names = set(archive.namelist())
            if sum(i.file_size for i in archive.infolist()) > MAX_UNCOMPRESSED:
                raise UnusableInputError(p, "archive anormalement volumineuse une fois décompressée")
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                if "xl/workbook.bin" in names:
                    raise UnusableInputError(
                        p, "format Excel binaire (.xlsb) non pris en charge : enregistrez-le "
                           "au format .xlsx")
                content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
                sheets = check_extent(p, archive)
                return Inspection("xlsm" if b"macroEnabled" in content_types else "xlsx", sheets)
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype == ODS_MIMETYPE:
                    return Inspection("ods")
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    raise UnusableInputError(p, "document OpenDocument qui n'est pas un tableur (.ods)")
            if "word/document.xml" in names:
                raise UnusableInputError(p, "document Word, pas un classeur")
    except zipfile.BadZipFile:
        raise UnusableInputError(p, "archive endommagée : le classeur est corrompu ou incomplet") from None
    except RuntimeError:   # zipfile: « File is encrypted, password required »
        raise UnusableInputError(
            p, "archive chiffrée (protégée par un mot de passe) : ouvrez le classeur, retirez "
               "la protection puis enregistrez-le") from None
    except (zipfile.LargeZipFile, NotImplementedError, KeyError, OSError, EOFError,
            ValueError):
        raise UnusableInputError(p, "archive illisible : le classeur est corrompu") from None
    raise UnusableInputError(p, "archive ZIP qui n'est pas un classeur")


def check_extent(p: Path, archive: zipfile.ZipFile) -> tuple[SheetScan, ...]:
    """The scan of every worksheet (``sheetscan``), after refusing, before python-calamine
    sees it, a sheet with a value beyond ``MAX_ROWS`` rows or column ``MAX_COLUMN``, and
    shared strings declaring more than ``MAX_SHARED_STRINGS``: one French line instead of an
    abort for lack of memory. Empty rows and cells, styled or not, are not values: Calc's
    rows down to 1,048,576 pass.

    The sheets are scanned as they inflate: about 0.1 s for a 20,000-action workbook, whose
    reading by python-calamine takes 0.5 s."""
    scans = []
    for info in archive.infolist():
        name = info.filename
        if info.file_size > MAX_PART and (name == "xl/sharedStrings.xml" or
                                          name.startswith("xl/worksheets/")):
            raise UnusableInputError(
                p, f"partie « {name} » anormalement volumineuse une fois décompressée "
                   f"({info.file_size / 1024**3:.1f} Go ; limite : 1 Go) : fichier endommagé ou "
                   "fabriqué (espaces ou chiffres en masse)".replace(".", ","))
        if name == "xl/sharedStrings.xml":
            with archive.open(info) as handle:
                head = handle.read(2048)
            start = head.find(b"<sst")
            tag = head[start:head.find(b">", start) + 1] if start >= 0 else b""
            declared = [int(n) for n in _DECLARED.findall(tag)]
            if any(n > MAX_SHARED_STRINGS for n in declared):
                raise UnusableInputError(
                    p, f"le classeur annonce {max(declared):,} textes partagés".replace(",", " ")
                       + f" (limite : {MAX_SHARED_STRINGS:,})".replace(",", " ")
                       + " : fichier endommagé ou fabriqué ; ouvrez-le et enregistrez-le à "
                         "nouveau avec Excel ou LibreOffice")
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            try:
                scans.append(scan_sheet(archive, info))
            except FarValue as far:
                raise UnusableInputError(
                    p, f"la feuille {_sheet_label(archive, name)} a des valeurs au-delà de la "
                       f"ligne {MAX_ROWS:,} ou de la colonne {MAX_COLUMN} ".replace(",", " ")
                       + f"(ex. {far}) : supprimez les valeurs isolées après le tableau, puis "
                         "enregistrez (limite de ctgxl, voir README)") from None
    return tuple(scans)


def _sheet_label(archive: zipfile.ZipFile, part: str) -> str:
    """« « Actions » » for xl/worksheets/sheet2.xml when the workbook says so."""
    try:
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        target = part.removeprefix("xl/")
        rid = re.search(rf'Id="([^"]+)"[^>]*Target="/?(?:xl/)?{re.escape(target)}"', rels) or \
            re.search(rf'Target="/?(?:xl/)?{re.escape(target)}"[^>]*Id="([^"]+)"', rels)
        name = re.search(rf'<sheet [^>]*name="([^"]+)"[^>]*r:id="{rid.group(1)}"', book) if rid \
            else None
        if name:
            return f"« {name.group(1)} »"
    except (KeyError, OSError, ValueError, zipfile.BadZipFile):
        pass
    return f"« {part} »"


def _looks_like_text(p: Path) -> bool:
    with p.open("rb") as fh:
        sample = fh.read(4096)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return True
