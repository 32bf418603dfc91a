"""Shared fixtures: run the CLI like a user, build small workbooks, find soffice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def run():
    """``run("validate", "x.xlsx")`` → click Result (exit_code, stdout, stderr)."""
    from ctgxl.cli import group

    def invoke(*args: object):
        return CliRunner().invoke(group, [str(a) for a in args], catch_exceptions=False)

    return invoke


def soffice_convert(path: Path, fmt: str, outdir: Path) -> Path:
    """Convert ``path`` with LibreOffice headless; return the converted file."""
    if not SOFFICE:
        pytest.skip("LibreOffice (soffice) absent")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / ".lo-profile"
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(outdir), str(path)],
        capture_output=True, text=True, timeout=180,
    )
    target = outdir / (path.stem + "." + fmt.split(":")[0])
    assert target.exists(), f"soffice n'a rien produit : {result.stdout} {result.stderr}"
    return target
