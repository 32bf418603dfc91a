"""``ctgxl template``: a blank workbook built from the catalogue."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ._common import (check_output_file, document_head, echo_json, format_option,
                      load_rules_vocabulary, overwrite_option, rules_option, territory_of_options,
                      territory_options)

DEFAULT_OUTPUT = Path("plan_template.xlsx")


@click.command("template")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_OUTPUT, show_default=True,
              help="Classeur à créer (.xlsx) ; ou, avec un nom en .docx, le modèle de document "
                   "du bilan (« ctgxl bilan --modele »), à personnaliser dans Word ou LibreOffice.")
@click.option("--thematique", default=None,
              help="Thématique du classeur (ex. « Enfance ») : renseignée dans le classeur "
                   "et dans son titre.")
@territory_options
@overwrite_option
@format_option()
@rules_option
def command(output: Path, thematique: str | None, territoire: str | None,
            code_territoire: str | None, overwrite: bool, fmt: str,
            rules_dir: Path | None) -> None:
    """Créer un classeur vierge à partir du modèle canonique.

    Le classeur contient les feuilles Lisez-moi, Actions, Offres, Plan, Indicateurs,
    Suivi et Listes, avec listes déroulantes, aide sur chaque colonne et mise en page
    prête à imprimer.

    La coordination y indique une fois son territoire (--territoire et --code-territoire) :
    chaque classeur fait à partir de ce modèle le porte, et « ctgxl panorama » s'en sert.

    Avec -o NOM.docx, écrit le modèle de document du bilan (page de titre, styles,
    en-tête et pied de page) : modifiez-le, puis « ctgxl bilan --modele NOM.docx ».
    """
    from dataclasses import replace

    from ..catalogue import META_SHEET, SHEET_ORDER
    from ..errors import CtgxlError
    from ..model import Meta, Plan
    from ..writer import write_plan

    if output.suffix.lower() == ".docx":
        _write_bilan_template(output, overwrite, fmt)
        return
    territory = territory_of_options(territoire, code_territoire)
    check_output_file(output, overwrite=overwrite)
    vocabulary = load_rules_vocabulary(rules_dir)
    meta = Meta(territoire=territory.name, code_territoire=territory.code)
    if thematique:
        found = vocabulary.thematique(thematique)
        if found is None:
            known = ", ".join(vocabulary.values("thematiques"))
            raise CtgxlError(f"thématique « {thematique} » inconnue (thématiques : {known})")
        meta = replace(meta, thematique=found.libelle, service=found.libelle)
    written = write_plan(Plan(meta=meta), output, vocabulary=vocabulary)
    if fmt == "json":
        echo_json({**document_head("ctgxl-template"), "output": str(written),
                   "thematique": meta.thematique, "territoire": meta.territoire,
                   "code_territoire": meta.code_territoire,
                   "sheets": [name for name in SHEET_ORDER if name != META_SHEET]})
        return
    echo(f"Modèle écrit : {written}")


def _write_bilan_template(output: Path, overwrite: bool, fmt: str) -> None:
    from ..bilan.template import PLACEHOLDERS, template_bytes
    from ..outputs import check_target, write_atomically

    check_target(output, overwrite=overwrite)
    data = template_bytes()
    written = write_atomically(output, lambda tmp: Path(tmp).write_bytes(data))
    if fmt == "json":
        echo_json({**document_head("ctgxl-template"), "output": str(written),
                   "thematique": None, "sheets": [],
                   "champs": [f"{{{name}}}" for name in PLACEHOLDERS]})
        return
    echo(f"Modèle du bilan écrit : {written}")
    echo("  Champs remplacés à l'écriture du bilan : "
         + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
         + " ; « {contenu} » marque la place du bilan.")
