"""Tell what an input file is before any library parses it.

Every command that reads a workbook calls ``workbook_kind`` first, so each
kind of unusable input gets one precise French sentence (missing, folder,
empty, legacy .xls, password-protected, CSV renamed .xlsx, corrupt archive,
Word document…) instead of a library traceback.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Literal

from .errors import UnusableInputError, os_reason

WorkbookKind = Literal["xlsx", "xlsm", "ods"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A workbook that inflates beyond this is refused (zip bomb); 100k actions take ~80 MB.
MAX_UNCOMPRESSED = 2 * 1024**3


def workbook_kind(path: str | os.PathLike[str]) -> WorkbookKind:
    """The kind of workbook at ``path``, or UnusableInputError saying why it is none."""
    p = Path(path)
    if not p.exists():
        raise UnusableInputError(p, "fichier introuvable")
    if p.is_dir():
        raise UnusableInputError(p, "est un dossier, pas un classeur")
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
                return "xlsm" if b"macroEnabled" in content_types else "xlsx"
            if "mimetype" in names:
                mimetype = archive.read("mimetype").strip()
                if mimetype == ODS_MIMETYPE:
                    return "ods"
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    raise UnusableInputError(p, "document OpenDocument qui n'est pas un tableur (.ods)")
            if "word/document.xml" in names:
                raise UnusableInputError(p, "document Word, pas un classeur")
    except zipfile.BadZipFile:
        raise UnusableInputError(p, "archive endommagée : le classeur est corrompu ou incomplet") from None
    except (zipfile.LargeZipFile, NotImplementedError, KeyError, OSError):
        raise UnusableInputError(p, "archive illisible : le classeur est corrompu") from None
    raise UnusableInputError(p, "archive ZIP qui n'est pas un classeur")


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
