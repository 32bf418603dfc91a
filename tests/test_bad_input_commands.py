"""Every command that reads a workbook refuses unusable input the same way:
one French line naming the file, exit 2, no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_bad_input import corrupt_zip, good, no_plan_sheets, unknown_version

OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504

BAD = {
    "absent": (lambda t: t / "absent.xlsx", "fichier introuvable"),
    "vide": (lambda t: _write(t / "vide.xlsx", b""), "fichier vide"),
    "csv": (lambda t: _write(t / "export.xlsx", "ID;Intitulé\nENF-001;Fête\n".encode()),
            "fichier texte"),
    "xls": (lambda t: _write(t / "ancien.xls", OLE_HEADER), "97-2003 (.xls)"),
    "zip-corrompu": (corrupt_zip, "archive endommagée"),
    "sans-feuilles": (no_plan_sheets, "pas de feuille « Actions »"),
    "version": (unknown_version, "version du modèle « 9.3 » inconnue"),
}

COMMANDS = {
    "info": lambda bad, ok, out: ["info", bad],
    "validate": lambda bad, ok, out: ["validate", bad],
    "diff-ancien": lambda bad, ok, out: ["diff", bad, ok, "-o", out / "diff.xlsx"],
    "diff-nouveau": lambda bad, ok, out: ["diff", ok, bad],
    "merge": lambda bad, ok, out: ["merge", ok, bad, ok, "-o", out / "fusion.xlsx"],
    "consolidate": lambda bad, ok, out: ["consolidate", ok, bad, "-o", out / "pilotage.xlsx"],
    "split": lambda bad, ok, out: ["split", bad, "-d", out / "services"],
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(BAD))
def test_unusable_input_is_refused_by_every_command(command, case, tmp_path, run):
    inputs = tmp_path / "entrees"
    inputs.mkdir()
    make, expected = BAD[case]
    bad = make(inputs)
    ok = good(inputs)
    out = tmp_path / "sorties"
    out.mkdir()
    result = run(*COMMANDS[command](bad, ok, out))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and expected in lines[0]
    assert "Traceback" not in result.output
    assert list(out.iterdir()) == []
