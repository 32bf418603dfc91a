"""``ctgxl split pilotage.xlsx -d DOSSIER``: one workbook per thématique or per source file."""

from __future__ import annotations

from pathlib import Path

import click

from ..wording import plural, plural_s
from ._common import (document_head, echo_json, folder_option, format_option,
                      overwrite_option, rules_option, workbook_argument)

CHOICES = {"thematique": "thematique", "fichier": "source"}


@click.command("split")
@workbook_argument
@folder_option("Dossier où écrire les classeurs (créé s'il n'existe pas).")
@click.option("--par", "by", type=click.Choice(list(CHOICES)), default="thematique",
              show_default=True,
              help="Un classeur par thématique, ou un par fichier d'origine (colonne « Fichier "
                   "source » remplie par ctgxl consolidate).")
@overwrite_option
@format_option()
@rules_option
def command(fichier: Path, folder: Path, by: str, overwrite: bool, fmt: str,
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
    from ..consolidation import split_plan
    from ..consolidation.io import read_sources
    from ..reader import read_plan
    from ..outputs import make_folder
    from ..writer import write_plan
    from ._common import load_rules_vocabulary

    vocabulary = load_rules_vocabulary(rules_dir)
    master = read_plan(fichier)
    sources = read_sources(fichier)
    parts = split_plan(master, CHOICES[by], sources)
    targets = _targets(parts, CHOICES[by], folder, vocabulary)
    _check_targets(targets.values(), fichier, overwrite)
    make_folder(folder)
    for label, plan in parts.items():
        write_plan(plan, targets[label], vocabulary=vocabulary)

    if fmt == "json":
        echo_json(_document(fichier, folder, by, parts, targets))
        return
    _render(fichier, folder, by, parts, targets)


def output_name(label: str, by: str, vocabulary) -> str:
    """File name of a split workbook: the service's file name, or a slug of the thématique."""
    from ..vocabulary import fold

    if by == "source":
        stem = Path(label.replace("/", "_").replace("\\", "_")).stem
    else:
        known = vocabulary.thematique(label)
        stem = known.fichier if known is not None else fold(label).replace(" ", "_")
    return f"{stem or 'classeur'}.xlsx"


def _targets(parts, by: str, folder: Path, vocabulary) -> dict[str, Path]:
    targets: dict[str, Path] = {}
    used: set[str] = set()
    for label in parts:
        name = output_name(label, by, vocabulary)
        stem, n = name[:-5], 2
        while name.casefold() in used:
            name, n = f"{stem}_{n}.xlsx", n + 1
        used.add(name.casefold())
        targets[label] = folder / name
    return targets


def _check_targets(targets, master: Path, overwrite: bool) -> None:
    from ..errors import OutputError
    from ..outputs import check_targets

    targets = list(targets)

    for target in targets:
        if target.resolve() == master.resolve():
            raise OutputError(f"{target} : serait écrit à la place du fichier de pilotage ; "
                              "choisissez un autre dossier")
    check_targets(targets, overwrite=overwrite)


def _document(master: Path, folder: Path, by: str, parts, targets) -> dict:
    return {
        **document_head("ctgxl-split"),
        "input": str(master),
        "folder": str(folder),
        "by": by,
        "files": [{"file": str(targets[label]), "group": label,
                   "thematique": plan.meta.thematique, "service": plan.meta.service,
                   "rows": {t.sheet.name: len(t) for t in plan.tables}}
                  for label, plan in parts.items()],
    }


def _render(master: Path, folder: Path, by: str, parts, targets) -> None:
    from ..consolidation import NO_SOURCE, NO_THEMATIQUE

    count = len(parts)
    how = "par thématique" if by == "thematique" else "par fichier d'origine"
    click.echo(f"{plural(count, 'classeur')} écrit{plural_s(count)} "
               f"dans {folder} ({how}) :")
    width = max((len(t.name) for t in targets.values()), default=0)
    for label, plan in parts.items():
        actions, offres = len(plan.actions), len(plan.offres)
        click.echo(f"  {targets[label].name:<{width}}  {plan.meta.thematique or label} — "
                   f"{plural(actions, 'action')}, {plural(offres, 'offre')}")
    for leftover in (NO_SOURCE, NO_THEMATIQUE):
        if leftover in parts:
            what = "aucun fichier d'origine" if leftover == NO_SOURCE else "aucune thématique"
            click.echo(f"Attention : des lignes de {master.name} n'ont pu être rattachées à "
                       f"{what} ; elles sont dans {targets[leftover].name}.", err=True)
