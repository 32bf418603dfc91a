"""Options and helpers shared by the commands (click only; nothing heavy)."""

from __future__ import annotations

from pathlib import Path

import click

rules_option = click.option(
    "--regles", "rules_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Dossier de règles et de listes à utiliser à la place de celui fourni avec ctgxl.")

workbook_argument = click.argument("fichier", type=click.Path(path_type=Path))


def load_rules_vocabulary(rules_dir: Path | None):
    from ..vocabulary import load_vocabulary

    if rules_dir is not None and not rules_dir.is_dir():
        from ..errors import CtgxlError

        raise CtgxlError(f"{rules_dir} : dossier de règles introuvable")
    return load_vocabulary(rules_dir)


def refuse_overwriting_inputs(output: Path, inputs) -> None:
    """Outputs never replace an input file."""
    from ..errors import OutputError

    out = output.resolve()
    for item in inputs:
        if Path(item).resolve() == out:
            raise OutputError(f"{output} : le fichier de sortie ne peut pas être un fichier d'entrée")
