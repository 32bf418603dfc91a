"""LibreOffice as a converter (``soffice --headless --convert-to``), for the formats ctgxl
does not write itself: the bilan as .odt/.pdf, the workbook as .ods.

Each conversion runs with its own temporary user profile, so that it works while the user
has LibreOffice open (a shared profile makes the headless run exit without converting).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import CtgxlError

TIMEOUT = 300   # seconds: a 200-page bilan converts in about 20 s


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, fmt: str, *, missing: str) -> bytes:
    """``data`` (a file of type ``suffix``, e.g. ".docx") converted to ``fmt`` ("pdf"…).
    ``missing``: the French line to show when LibreOffice is not installed."""
    program = soffice()
    if program is None:
        raise CtgxlError(missing)
    with tempfile.TemporaryDirectory(prefix="ctgxl-conversion-") as folder:
        source = Path(folder) / f"document{suffix}"
        source.write_bytes(data)
        profile = Path(folder) / "profil"
        try:
            subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                            "--convert-to", fmt, "--outdir", folder, str(source)],
                           check=True, capture_output=True, timeout=TIMEOUT,
                           env={**os.environ, "HOME": folder})
        except subprocess.TimeoutExpired:
            raise CtgxlError(f"LibreOffice n'a pas converti le fichier en .{fmt} en {TIMEOUT} s"
                             ) from None
        except (subprocess.CalledProcessError, OSError):
            raise CtgxlError(f"LibreOffice n'a pas pu convertir le fichier en .{fmt}") from None
        result = Path(folder) / f"document.{fmt}"
        if not result.is_file():
            raise CtgxlError(f"LibreOffice n'a pas produit le fichier .{fmt} demandé")
        return result.read_bytes()
