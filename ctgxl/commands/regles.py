"""``ctgxl regles -d DOSSIER``: an editable copy of the shipped rules and lists."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ._common import document_head, echo_json, folder_option, format_option, overwrite_option


@click.command("regles")
@folder_option("Dossier où copier regles.toml et listes.toml (créé s'il n'existe pas).",
               legacy_o=True)
@overwrite_option
@format_option()
def command(folder: Path, overwrite: bool, fmt: str) -> None:
    """Copier les règles de contrôle (regles.toml) et les listes déroulantes (listes.toml)
    fournies avec ctgxl dans DOSSIER, pour les adapter au territoire.

    Modifiez ces fichiers texte commentés (période de la convention, champs obligatoires,
    gravités, statuts, thématiques…), puis utilisez-les avec l'option --regles DOSSIER de
    chaque commande, par exemple « ctgxl validate --regles DOSSIER enfance.xlsx ». Après un
    changement de listes, refaites le modèle : « ctgxl template --regles DOSSIER ».

    \b
    Codes de sortie :
      0  fichiers copiés ;
      2  fichiers déjà présents (sans --ecraser) ou dossier impossible à créer.
    """
    from ..outputs import check_targets, make_folder, write_text
    from ..validation.rules import RULES_FILE
    from ..vocabulary import LISTS_FILE, default_rules_dir

    shipped = default_rules_dir()
    names = (RULES_FILE, LISTS_FILE)
    targets = [folder / name for name in names]
    check_targets(targets, overwrite=overwrite, folder=folder)
    make_folder(folder)
    for name, target in zip(names, targets):
        write_text(target, (shipped / name).read_text(encoding="utf-8"))
    if fmt == "json":
        echo_json({**document_head("ctgxl-regles"), "folder": str(folder),
                   "written": [str(t) for t in targets]})
        return
    echo(f"Règles copiées dans {folder} : {', '.join(names)}.")
    echo(f"Modifiez-les, puis : ctgxl validate --regles {folder} CLASSEUR.xlsx")
