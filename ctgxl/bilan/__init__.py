"""The COPIL bilan: ``build_bilan`` (what it says, pure), ``render`` (the .docx bytes) and
``write_bilan`` (the file: .docx, or .odt / .pdf through LibreOffice)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import UnusableInputError
from ..outputs import write_atomically
from .content import Bilan, build_bilan
from .document import render, render_to

FORMATS = (".docx", ".odt", ".pdf")


def load_template(path: Path | None) -> bytes:
    """The template's bytes: the shipped one, or a .docx the coordinator made from it."""
    from .template import template_bytes

    if path is None:
        return template_bytes()
    if not path.is_file():
        raise UnusableInputError(path, "modèle de document introuvable")
    if path.suffix.lower() != ".docx":
        raise UnusableInputError(path, "le modèle du bilan doit être un document Word .docx "
                                       "(LibreOffice : Fichier › Enregistrer sous › Word 2007-365)")
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise UnusableInputError(path, "n'est pas un document Word lisible (fichier endommagé, "
                                       "protégé par un mot de passe ou d'un autre format)") from None
    return data


def write_bilan(bilan: Bilan, path: Path, *, template: bytes) -> Path:
    """Write the bilan to ``path`` (.docx, .odt or .pdf), atomically."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return write_atomically(path, lambda tmp: _write_docx(bilan, template, Path(tmp)))
    converted = convert(render(bilan, template), suffix[1:])
    return write_atomically(path, lambda tmp: Path(tmp).write_bytes(converted))


def _write_docx(bilan: Bilan, template: bytes, path: Path) -> None:
    with path.open("wb") as out:
        render_to(bilan, template, out)


def convert(docx: bytes, fmt: str) -> bytes:
    """The document converted by LibreOffice (``soffice --headless --convert-to``)."""
    from .. import office

    return office.convert(docx, ".docx", fmt, missing=(
        f"écrire un .{fmt} demande LibreOffice (commande « soffice »), introuvable sur ce "
        f"poste : écrivez un .docx (-o bilan.docx) et enregistrez-le en .{fmt} depuis Word "
        "ou LibreOffice"))


__all__ = ["FORMATS", "Bilan", "build_bilan", "convert", "load_template", "render",
           "render_to", "write_bilan"]
