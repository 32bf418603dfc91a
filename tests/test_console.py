"""What ctgxl prints works on any console: French Windows code pages, ASCII, files.

Every command runs with its output redirected to a file under cp1252, cp850 and ascii
(as ``ctgxl validate … > rapport.txt`` on a French Windows console): it must end with its
usual exit code, write bytes its encoding can decode, and replace what the encoding
cannot show by a look-alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ctgxl.console import look_alike

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = EXAMPLES / "source" / "plan_ctg_mont_de_marsan.txt"
ENCODINGS = ("cp1252", "cp850", "ascii")

# command -> (arguments, with {tmp} for the work folder; expected exit code; a text of the
# output, written as it reads in UTF-8; the look-alike replaces what the encoding lacks)
COMMANDS = {
    "template": (["template", "-o", "{tmp}/vierge.xlsx"], 0, "Modèle écrit"),
    "info": (["info", "{tmp}/enfance.xlsx"], 0, "Thématique : Enfance"),
    "import": (["import", str(SEED), "-d", "{tmp}/import"], 0, "Rapport d'import"),
    "validate": (["validate", "{tmp}/enfance.xlsx"], 1, "Des erreurs sont à corriger."),
    "diff": (["diff", "{tmp}/enfance.xlsx", "{tmp}/jeunesse.xlsx"], 1, "différences trouvées"),
    "merge": (["merge", "{tmp}/enfance.xlsx", "{tmp}/enfance.xlsx", "{tmp}/enfance.xlsx",
               "-o", "{tmp}/fusion.xlsx"], 0, "Aucun conflit."),
    "consolidate": (["consolidate", "{tmp}/enfance.xlsx", "{tmp}/jeunesse.xlsx", "-o",
                     "{tmp}/pilotage.xlsx", "--forcer"], 1, "Fichier de pilotage écrit"),
    "split": (["split", str(EXAMPLES / "enfance.xlsx"), "-d", "{tmp}/services"], 0,
              "écrit dans"),
    "regles": (["regles", "-d", "{tmp}/regles"], 0, "Règles copiées"),
    "bilan": (["bilan", "{tmp}/enfance.xlsx", "-o", "{tmp}/bilan.docx"], 0, "réalisée"),
    "export": (["export", "{tmp}/enfance.xlsx", "-d", "{tmp}/donnees"], 0, "Export csv écrit"),
}


def shown_in(text: str, encoding: str) -> str:
    """``text`` as a console of ``encoding`` shows it through ctgxl's replacements."""
    return "".join(c if c.encode(encoding, "ignore") else look_alike(c) for c in text)


@pytest.fixture
def workdir(tmp_path):
    for name in ("enfance.xlsx", "jeunesse.xlsx"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    return tmp_path


def ctgxl(args, encoding: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "ctgxl", *args], capture_output=True, env=env,
                          cwd=cwd, timeout=120)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_works_on_any_output_encoding(name, encoding, workdir):
    args, code, expected = COMMANDS[name]
    out = ctgxl([a.format(tmp=workdir) for a in args], encoding, workdir)
    stderr = out.stderr.decode(encoding)  # decodes: nothing the encoding cannot hold
    assert out.returncode == code, stderr
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr
    stdout = out.stdout.decode(encoding)
    assert shown_in(expected, encoding) in stdout


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_warning_marks_and_arrows_become_look_alikes(encoding, workdir):
    out = ctgxl(["validate", "enfance.xlsx", "--detail"], encoding, workdir)
    text = out.stdout.decode(encoding)
    assert "^ J4" in text        # ▲, the mark of an avertissement
    assert "x C9" in text        # ✖, the mark of an erreur
    if encoding == "ascii":
        assert '" Offre " doit etre rempli.' in text


def test_json_on_an_ascii_console_is_still_json(workdir):
    import json

    out = ctgxl(["validate", "enfance.xlsx", "--format", "json"], "ascii", workdir)
    assert out.returncode == 1
    assert json.loads(out.stdout.decode("ascii"))["schema"] == "ctgxl-validation-report"


def test_output_into_a_file_is_not_wrapped_at_80_columns(workdir):
    out = ctgxl(["validate", "enfance.xlsx", "--detail"], "utf-8", workdir)
    lines = out.stdout.decode("utf-8").splitlines()
    finding = next(line for line in lines if " J4 " in line)
    assert finding.rstrip().endswith("(thématique Enfance).")     # one line, not broken
    assert max(map(len, lines)) > 120
    out = ctgxl(["consolidate", "enfance.xlsx", "jeunesse.xlsx", "-o", "p.xlsx", "--forcer"],
                "utf-8", workdir)
    text = out.stdout.decode("utf-8")
    written = next(line for line in text.splitlines() if "Fichier de pilotage écrit" in line)
    assert written.endswith("(feuilles Synthèse, Calendrier et Sources ajoutées).")


def test_progress_is_not_written_into_a_log(workdir):
    names = []
    for n in range(6):
        shutil.copy(workdir / "enfance.xlsx", workdir / f"copie_{n}.xlsx")
        names.append(f"copie_{n}.xlsx")
    out = ctgxl(["validate", *names], "utf-8", workdir)
    assert "Contrôle des classeurs" not in out.stderr.decode("utf-8")


def test_progress_shows_on_a_terminal(workdir):
    pty = pytest.importorskip("pty")
    for n in range(6):
        shutil.copy(workdir / "enfance.xlsx", workdir / f"copie_{n}.xlsx")
    pid, fd = pty.fork()
    if pid == 0:  # child: stdout and stderr are the terminal
        os.chdir(workdir)
        os.execv(sys.executable, [sys.executable, "-m", "ctgxl", "validate", "--format", "json",
                                  *(f"copie_{n}.xlsx" for n in range(6))])
    seen = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.waitpid(pid, 0)
    assert "Contrôle des classeurs".encode() in seen


def test_look_alikes():
    assert look_alike("▲") == "^" and look_alike("→") == "->" and look_alike("«") == '"'
    assert look_alike("é") == "e" and look_alike("œ") == "oe" and look_alike("Ê") == "E"
    assert look_alike("\u202f") == " " and look_alike("😀") == "?"


def test_click_keeps_the_stream_encoding():
    """console.install relies on click's private ``_stream_is_misconfigured``."""
    import click._compat

    assert hasattr(click._compat, "_stream_is_misconfigured"), \
        "click changed: revisit ctgxl.console._keep_click_on_our_streams"
