"""No English reaches a French user: click's own words, option errors, OS reasons."""

from __future__ import annotations

import errno
import re

import pytest

from ctgxl.cli import ALIASES, COMMANDS
from ctgxl.errors import os_reason

# What click prints in English when left alone.
ENGLISH = ("Options:", "Usage:", "COMMAND [", "[ARGS]", "Show this message", "default:",
           "required]", "x>=", "x<=", "<=x", "is not one of", "Choose from", "Error:",
           "Did you mean", "does not exist", "No such")


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_help_of_every_command_is_french(run, name):
    result = run(*([name] if name else []), "--help")
    assert result.exit_code == 0
    for words in ENGLISH:
        assert words not in result.output, words
    assert "Options :" in result.output


def test_group_usage_names_commande_and_arguments(run):
    assert "Utilisation : group [OPTIONS] COMMANDE [ARGUMENTS]..." in run("--help").output


def test_ranges_are_described_in_french(run):
    text = run("validate", "--help").output
    assert "0 ou plus" in text
    assert "de 1 à 65535" in run("serve", "--help").output


def test_a_wrong_choice_says_so_in_french(run):
    result = run("validate", "x.xlsx", "--format", "jsn")
    assert result.exit_code == 2
    assert "« jsn » n'est pas une valeur possible (valeurs : texte, json)" in result.stderr
    assert "« --format »" in result.stderr
    for words in ENGLISH:
        assert words not in result.stderr, words


def test_an_unknown_option_suggests_in_french(run):
    result = run("validate", "x.xlsx", "--strikt")
    assert result.exit_code == 2
    assert "Option inconnue : « --strikt »." in result.stderr
    assert "Vouliez-vous dire « --strict » ?" in result.stderr


@pytest.mark.parametrize("typed, meant", [("valide", "validate"), ("consolider2", "consolidate"),
                                          ("split2", "split"), ("fusioner", "merge")])
def test_an_unknown_command_suggests_the_nearest(run, typed, meant):
    result = run(typed, "x.xlsx")
    assert result.exit_code == 2
    assert f"Commande inconnue : « {typed} »" in result.stderr
    assert f"« {meant} »" in result.stderr


@pytest.mark.parametrize("alias", ["valider", "comparer", "fusionner", "consolider", "decouper",
                                   "modele", "modèle", "importer", "Valider"])
def test_french_names_of_the_commands_run_the_command(run, alias):
    target = ALIASES[alias.casefold()]
    result = run(alias, "--help")
    assert result.exit_code == 0
    assert f"Utilisation : group {target} " in result.output


def test_valider_runs_validate(run):
    result = run("valider", "absent.xlsx")
    assert result.exit_code == 2
    assert result.stderr.strip() == "ctgxl : erreur : absent.xlsx : fichier introuvable"


def test_every_alias_names_a_command():
    assert set(ALIASES.values()) <= set(COMMANDS)
    assert not set(ALIASES) & set(COMMANDS)


@pytest.mark.parametrize("code, french", [(errno.EACCES, "accès refusé"),
                                          (errno.EPERM, "opération non permise"),
                                          (errno.ENOSPC, "disque plein"),
                                          (errno.EROFS, "disque en lecture seule")])
def test_os_reasons_are_french(code, french):
    assert os_reason(OSError(code, "English reason")) == french
    assert "English" not in os_reason(OSError(code, "English reason"))


def test_a_refused_write_is_said_in_french(run, tmp_path, monkeypatch):
    import os

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    result = run("template", "-o", tmp_path / "vierge.xlsx")
    assert result.exit_code == 2
    assert "disque en lecture seule" in result.stderr and "Read-only" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind
    assert re.fullmatch(r"ctgxl : erreur : .*\n", result.stderr)


def test_help_lists_the_french_name_of_each_command(run):
    from ctgxl.cli import COMMANDS, FRENCH_NAMES

    text = run("--help").stdout
    for name, french in FRENCH_NAMES.items():
        assert f"{name}, {french}" in text
    assert set(FRENCH_NAMES) <= set(COMMANDS)
    assert "ctgxl aide validation" in text and "docs/" not in text


def test_aide_prints_the_help_a_command_s_help_or_a_guide(run):
    assert run("aide").stdout == run("--help").stdout
    assert run("aide", "valider").stdout == run("validate", "--help").stdout
    guide = run("aide", "validation")
    assert guide.exit_code == 0 and guide.stdout.startswith("# Contrôler un classeur")
    assert run("aide", "Comparaison").stdout.startswith("# Comparer")
    unknown = run("aide", "budget")
    assert unknown.exit_code == 2 and "pas de guide « budget »" in unknown.stderr


@pytest.mark.parametrize("subject", ["validation", "comparaison", "consolidation", "bilan",
                                     "export", "complement", "panorama"])
def test_every_guide_is_in_the_package(subject):
    from ctgxl.commands.aide import guide_text

    assert guide_text(subject).startswith("# ")


def test_no_help_points_to_a_folder_the_installed_program_lacks(run):
    from ctgxl.cli import COMMANDS

    for name in COMMANDS:
        assert "docs/" not in run(name, "--help").stdout, name
