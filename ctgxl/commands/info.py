"""``ctgxl info``: what a workbook holds, in a few lines."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import workbook_argument


@click.command("info")
@workbook_argument
def command(fichier: Path) -> None:
    """Résumer le contenu d'un classeur du plan : thématique, version du modèle,
    nombre de lignes par feuille et remarques de lecture."""
    from ..catalogue import TABLE_SHEETS
    from ..reader import read_plan

    plan = read_plan(fichier)
    meta = plan.meta
    click.echo(f"{fichier}")
    click.echo(f"  Thématique : {meta.thematique or '(non renseignée)'}")
    click.echo(f"  Modèle : version {meta.template_version or '(inconnue)'}")
    for sheet in TABLE_SHEETS:
        click.echo(f"  {sheet.name} : {len(plan.table(sheet.key))} ligne(s)")
    for note in plan.notes:
        where = f" ({note.where})" if note.where else ""
        click.echo(f"  [{note.severity}]{where} {note.message}")
