"""``ctgxl bilan PILOTAGE.xlsx -o bilan.docx``: the document the COPIL reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..console import echo
from ..wording import agree, plural
from ._common import (document_head, echo_json, format_option, overwrite_option,
                      refuse_overwriting_inputs, rules_option)


@click.command("bilan")
@click.argument("path", type=click.Path(path_type=Path), metavar="PILOTAGE")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, metavar="FICHIER",
              help="Document à écrire : .docx (Word), .odt ou .pdf (ces deux derniers avec "
                   "LibreOffice installé).")
@click.option("--annee", "year", type=click.IntRange(1900, 2100), default=None, metavar="ANNÉE",
              help="Année du bilan, dans la période du plan (celle de la convention, "
                   "élargie aux années de la feuille Suivi) ; par défaut : la dernière année "
                   "de la feuille Suivi. Sans statut de cette année dans la feuille Suivi, "
                   "le bilan présente les statuts actuels (feuille Actions) et le dit.")
@click.option("--depuis", "previous", type=click.Path(path_type=Path), default=None,
              metavar="ANCIEN_PILOTAGE",
              help="Fichier de pilotage présenté au dernier COPIL : ajoute la partie "
                   "« Évolutions depuis le dernier COPIL ».")
@click.option("--modele", "template", type=click.Path(path_type=Path), default=None,
              metavar="MODELE.docx",
              help="Modèle de document à utiliser (copie du modèle fourni obtenue par "
                   "« ctgxl template -o modele_bilan.docx », puis modifiée).")
@click.option("--delai", "timeout", type=click.IntRange(1, 86400), default=None,
              metavar="SECONDES",
              help="Temps laissé à LibreOffice pour convertir le bilan en .pdf ou .odt (par "
                   "défaut : 2 minutes plus un quart de seconde par fiche action) ; au-delà, "
                   "la conversion est arrêtée (code 2).")
@click.option("--territoire", default=None, metavar="NOM",
              help="Nom du territoire en page de titre (par défaut : celui des règles, "
                   "[convention] territoire).")
@overwrite_option
@format_option()
@rules_option
def command(path: Path, output: Path, year: int | None, previous: Path | None,
            template: Path | None, timeout: int | None, territoire: str | None,
            overwrite: bool, fmt: str, rules_dir: Path | None) -> None:
    """Écrire le bilan du plan d'actions pour le comité de pilotage.

    Le document reprend, à partir du fichier de pilotage : une page de titre, la
    synthèse de l'avancement (actions par thématique et par statut, parts
    réalisées et en cours, graphique), les évolutions depuis le dernier COPIL
    (--depuis), puis par thématique, axe et objectif la fiche de chaque action :
    porteur, public, partenaires, échéances, moyens, statut de l'année,
    commentaire, indicateurs avec référence, cible et valeurs de chaque année
    (graphique dès deux années de valeurs).

    Codes de sortie : 0 bilan écrit ; 2 fichier inutilisable, année hors de la
    période du plan, conversion impossible ou trop longue, ou sortie impossible.
    """
    from ..bilan import FORMATS, build_bilan, load_template, write_bilan
    from ..errors import OutputError
    from ..outputs import check_target
    from ..reader import read_plan
    from ..validation import load_rules

    if output.suffix.lower() not in FORMATS:
        raise OutputError(f"{output} : le bilan s'écrit en .docx, .odt ou .pdf")
    refuse_overwriting_inputs(output, [p for p in (path, previous, template) if p])
    check_target(output, overwrite=overwrite)
    rules = load_rules(rules_dir)
    model = load_template(template)
    master = read_plan(path)
    old = read_plan(previous) if previous is not None else None
    vocabulary = rules.vocabulary
    gaps = figure_gaps(path, master, rules)
    bilan = build_bilan(master, year=year, previous=old,
                        previous_name=previous.name if previous else "",
                        period=rules.period, thematiques=vocabulary.values("thematiques"),
                        statuts=vocabulary.values("statuts"),
                        territoire=territoire if territoire is not None else rules.territory,
                        today=dt.date.today(), source=path.name, gaps=gaps)
    written = write_bilan(bilan, output, template=model, timeout=timeout)
    fiches = sum(len(s.fiches) for s in bilan.sections)
    if fmt == "json":
        ev = bilan.evolutions
        echo_json({**document_head("ctgxl-bilan"), "file": str(path), "output": str(written),
                   "annee": bilan.year, "actions": bilan.total, "fiches": fiches,
                   "statuts_de_l_annee": bilan.statuts_of_year,
                   "statuts_actuels": bilan.current_statuts,
                   "par_thematique": bilan.by_thematique,
                   "indicateurs": bilan.counts,
                   "evolutions": None if ev is None else {
                       "depuis": str(previous), "actions_nouvelles": len(ev.added),
                       "actions_retirees": len(ev.removed),
                       "changements_de_statut": len(ev.statuts),
                       "actions_modifiees": len(ev.changed),
                       "valeurs_d_indicateurs": len(ev.values)},
                   "chiffres_incomplets": list(gaps),
                   "notes": [n.to_dict() for n in master.notes]})
        return
    for note in master.notes:
        echo(f"  [{note.severity}] {note.message}")
    for gap in gaps:
        echo(f"  [chiffres incomplets] {gap}")
    done = bilan.total_of("Réalisée")
    echo(f"Bilan {bilan.year} écrit : {written} ({plural(fiches, 'fiche action', 'fiches actions')}"
         f", {done} {agree(done, 'réalisée')} sur {bilan.total}).")
    current = bilan.current_statuts
    if bilan.total and not bilan.statuts_of_year:
        echo(f"Aucun statut de {bilan.year} dans la feuille Suivi : le bilan présente les "
             "statuts actuels (feuille Actions), pas ceux de cette année.")
    elif current:
        echo(f"Sans statut de {bilan.year} dans la feuille Suivi, {plural(current, 'action')} "
             f"{agree(current, 'figure', 'figurent')} avec {agree(current, 'son', 'leur')} "
             "statut actuel (feuille Actions).")


def figure_gaps(path: Path, plan, rules) -> tuple[str, ...]:
    """What the figures of the bilan lack, in French: the columns the files of a master
    lacked when it was consolidated with --forcer (its Sources sheet says so), or, for a
    service's workbook, the columns it lacks itself (renamed or deleted: validation)."""
    from ..consolidation.io import read_gaps
    from ..consolidation.summary import figure_gaps as gaps_of
    from ..validation import validate_plan

    found = read_gaps(path)
    if found or not any(n.code in ("colonne-absente", "colonne-ajoutee") for n in plan.notes):
        return found
    report = validate_plan(plan, rules).files[0]
    return tuple(gap.sentence() for gap in gaps_of([(path.name, report)]))
