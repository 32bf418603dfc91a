"""``ctgxl diff ANCIEN NOUVEAU``: what changed between two versions of a workbook."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ._common import echo_json, overwrite_option

FORMATS = ("texte", "json")


@click.command("diff")
@click.argument("old_path", type=click.Path(path_type=Path), metavar="ANCIEN")
@click.argument("new_path", type=click.Path(path_type=Path), metavar="NOUVEAU")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FICHIER.xlsx",
              default=None,
              help="Écrire aussi un classeur des différences (.xlsx) : lignes ajoutées en vert, "
                   "supprimées en rouge, cellules modifiées en couleur avec « ancien → nouveau ».")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="texte", show_default=True,
              help="Format du compte rendu affiché : texte lisible ou JSON (schéma décrit dans "
                   "ctgxl aide comparaison).")
@click.option("--ignorer-forme", "ignore_cosmetic", is_flag=True,
              help="Ignorer les changements qui ne portent que sur les espaces ou les "
                   "majuscules/minuscules (sinon ils sont signalés à part).")
@click.option("--resume", "summary_only", is_flag=True,
              help="N'afficher que le résumé par feuille, sans le détail des lignes.")
@overwrite_option
@click.pass_context
def command(ctx: click.Context, old_path: Path, new_path: Path, output: Path | None, fmt: str,
            ignore_cosmetic: bool, summary_only: bool, overwrite: bool) -> None:
    """Comparer deux versions d'un classeur, action par action.

    Les lignes sont appariées par leur identifiant (ID action ; ID action et N° offre ;
    ID action et année ; codes du plan), jamais par leur position : insérer, supprimer
    ou trier des lignes ne crée pas de fausse différence. Une action qui a changé
    d'identifiant ou de numéro est retrouvée par son contenu et signalée
    « renumérotée » ; une action passée sous un autre axe ou objectif, « déplacée ».

    Codes de sortie : 0 classeurs identiques ; 1 différences trouvées ; 2 fichier
    inutilisable.
    """
    from ..compare import diff_plans
    from ..errors import EXIT_FINDINGS, EXIT_OK
    from ..reader import read_plan

    if output is not None:
        from ._common import check_output_file

        check_output_file(output, (old_path, new_path), overwrite=overwrite)
    old, new = read_plan(old_path), read_plan(new_path)
    diff = diff_plans(old, new, ignore_cosmetic=ignore_cosmetic)
    if output is not None:
        from ..compare.highlight import build_diff_workbook
        from ..writer import save_workbook

        save_workbook(build_diff_workbook(diff, str(old_path), str(new_path)), output)

    if fmt == "json":
        from ..compare.serialize import diff_to_dict

        document = diff_to_dict(diff, str(old_path), str(new_path))
        document["output"] = None if output is None else str(output)
        document["notes"] = {"old": [n.to_dict() for n in old.notes],
                             "new": [n.to_dict() for n in new.notes]}
        echo_json(document)
    else:
        from ..compare.report import diff_lines

        echo_reading_notes(((old_path, old), (new_path, new)))
        for line in diff_lines(diff, str(old_path), str(new_path), details=not summary_only):
            echo(line)
        if output is not None:
            echo(f"Classeur des différences écrit : {output}")
    ctx.exit(EXIT_OK if diff.identical else EXIT_FINDINGS)


def echo_reading_notes(inputs) -> None:
    """Warnings of the reader (ignored columns, missing sheets…) on stderr."""
    for path, plan in inputs:
        for note in plan.notes:
            if note.severity != "information":
                where = f" {note.where} :" if note.where else ""
                echo(f"{path} : [{note.severity}]{where} {note.message}", err=True)
