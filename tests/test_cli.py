"""The command line: fast start, French help, both entry points."""

from __future__ import annotations

import subprocess
import sys

from ctgxl import __version__


HEAVY = ("pandas", "pandera", "openpyxl", "python_calamine", "xlwings", "fastapi", "uvicorn",
         "starlette")


def test_help_does_not_import_heavy_libraries():
    code = ("import sys\nfrom ctgxl.cli import group\n"
            "try:\n    group.main(['--help'], prog_name='ctgxl')\nexcept SystemExit:\n    pass\n"
            f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\nprint('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout, out.stdout
    assert "serve" in out.stdout and "complément Excel" in out.stdout


def test_console_script_exits_with_the_command_code():
    out = subprocess.run([sys.executable, "-m", "ctgxl", "info", "absent.xlsx"],
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.strip() == "ctgxl : erreur : absent.xlsx : fichier introuvable"


def test_help_is_in_french(run):
    result = run("--help")
    assert result.exit_code == 0
    for words in ("Utilisation :", "Commandes", "Afficher cette aide et quitter.", "template"):
        assert words in result.output


def test_option_value_names_are_french(run):
    help_text = run("validate", "--help").output
    assert "--limite ENTIER" in help_text and "INTEGER" not in help_text


def test_version_and_module_entry_point():
    out = subprocess.run([sys.executable, "-m", "ctgxl", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == f"ctgxl {__version__}"


def test_usage_errors_exit_2_in_french(run):
    result = run("info")
    assert result.exit_code == 2
    assert "Argument manquant" in result.stderr
    result = run("commande-inconnue")
    assert result.exit_code == 2
    assert "Commande inconnue" in result.stderr
