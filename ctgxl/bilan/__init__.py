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


CONVERSION_BASE, CONVERSION_PER_FICHE = 120, 0.25   # seconds: the default time limit


def conversion_limit(bilan: Bilan) -> float:
    """The time LibreOffice is given to convert the bilan to .pdf/.odt, in seconds: two
    minutes and a quarter of a second per fiche (measured: 8 s for 206 fiches, 45 s for
    1,000, on two busy cores), so that a big plan has its time and a stuck conversion
    does not run for ever."""
    return CONVERSION_BASE + CONVERSION_PER_FICHE * sum(len(s.fiches) for s in bilan.sections)


def write_bilan(bilan: Bilan, path: Path, *, template: bytes,
                timeout: float | None = None) -> Path:
    """Write the bilan to ``path`` (.docx, .odt or .pdf), atomically. ``timeout``: the
    time limit of the conversion by LibreOffice (.odt, .pdf), ``conversion_limit``
    unless given."""
    import shutil
    import tempfile

    from .. import office

    suffix = path.suffix.lower()
    if suffix == ".docx":
        return write_atomically(path, lambda tmp: _write_docx(bilan, template, Path(tmp)))
    fmt = suffix[1:]
    limit = conversion_limit(bilan) if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="ctgxl-bilan-") as folder:
        docx = Path(folder) / "bilan.docx"
        _write_docx(bilan, template, docx)
        with office.converted(docx, fmt, missing=_missing(fmt), timeout=limit,
                              advice=_advice(fmt, limit)) as result:
            return write_atomically(path, lambda tmp: shutil.copyfile(result, tmp))


def _write_docx(bilan: Bilan, template: bytes, path: Path) -> None:
    with path.open("wb") as out:
        render_to(bilan, template, out)


def _missing(fmt: str) -> str:
    return (f"écrire un .{fmt} demande LibreOffice (commande « soffice »), introuvable sur ce "
            f"poste : écrivez un .docx (-o bilan.docx) et enregistrez-le en .{fmt} depuis Word "
            "ou LibreOffice")


def _advice(fmt: str, limit: float) -> str:
    export = "exportez-le en PDF" if fmt == "pdf" else f"enregistrez-le en .{fmt}"
    return (f"écrivez le bilan en .docx (-o bilan.docx) puis {export} depuis Word ou "
            f"LibreOffice, ou laissez plus de temps à la conversion (--delai "
            f"{max(60, round(limit * 3 / 60) * 60)})")


def convert(docx: bytes, fmt: str) -> bytes:
    """The document converted by LibreOffice (``soffice --headless --convert-to``)."""
    from .. import office

    return office.convert(docx, ".docx", fmt, missing=_missing(fmt))


__all__ = ["FORMATS", "Bilan", "build_bilan", "conversion_limit", "convert", "load_template",
           "render", "render_to", "write_bilan"]
