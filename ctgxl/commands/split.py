"""``ctgxl split pilotage.xlsx -d DOSSIER``: one workbook per thématique or per source file."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ..wording import plural, plural_s
from ._common import echo_json, folder_option, format_option, overwrite_option, rules_option

CHOICES = {"thematique": "thematique", "fichier": "source"}


@click.command("split")
@click.argument("master", type=click.Path(path_type=Path), metavar="FICHIER")
@folder_option("Dossier où écrire les classeurs (créé s'il n'existe pas).")
@click.option("--par", "by", type=click.Choice(list(CHOICES)), default="thematique",
              show_default=True,
              help="Un classeur par thématique, ou un par fichier d'origine (colonne « Fichier "
                   "source » remplie par ctgxl consolidate).")
@overwrite_option
@format_option()
@rules_option
def command(master: Path, folder: Path, by: str, overwrite: bool, fmt: str,
            rules_dir: Path | None) -> None:
    """Redécouper un fichier de pilotage en un classeur par thématique ou par service.

    Chaque classeur écrit est un classeur ordinaire du modèle, que le service peut
    remplir à nouveau : ses lignes sont celles du fichier de pilotage, dans le même ordre,
    colonnes « Fichier source » et « Ligne source » vidées. Les offres et le suivi suivent
    leur action. Une ligne qui ne peut être rattachée à rien va dans « Sans thématique » /
    « Sans fichier source » : aucune ligne n'est perdue.

    \b
    Codes de sortie :
      0  classeurs écrits ;
      2  fichier inutilisable, classeur déjà présent (sans --ecraser) ou commande mal formée.
    """
    from ..consolidation.pipeline import split_files
    from ._common import load_rules_vocabulary

    outcome = split_files(master, folder, CHOICES[by], vocabulary=load_rules_vocabulary(rules_dir),
                          overwrite=overwrite)
    if fmt == "json":
        echo_json(outcome.to_dict())
        return
    _render(outcome)


def _render(outcome) -> None:
    from ..consolidation import NO_SOURCE, NO_THEMATIQUE

    master, folder, parts, targets = outcome.input, outcome.folder, outcome.parts, outcome.targets
    count = len(parts)
    how = "par thématique" if outcome.by == "thematique" else "par fichier d'origine"
    echo(f"{plural(count, 'classeur')} écrit{plural_s(count)} "
         f"dans {folder} ({how}) :")
    width = max((len(t.name) for t in targets.values()), default=0)
    for label, plan in parts.items():
        actions, offres = len(plan.actions), len(plan.offres)
        echo(f"  {targets[label].name:<{width}}  {plan.meta.thematique or label} — "
             f"{plural(actions, 'action')}, {plural(offres, 'offre')}")
    for leftover in (NO_SOURCE, NO_THEMATIQUE):
        if leftover in parts:
            what = "aucun fichier d'origine" if leftover == NO_SOURCE else "aucune thématique"
            echo(f"Attention : des lignes de {master.name} n'ont pu être rattachées à "
                 f"{what} ; elles sont dans {targets[leftover].name}.", err=True)
