"""``ctgxl export PILOTAGE.xlsx -d DOSSIER``: the plan as open data (Data Package)."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ..wording import plural
from ._common import (document_head, echo_json, folder_option, load_rules_vocabulary,
                      overwrite_option, rules_option)


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path), metavar="CLASSEUR")
@folder_option("Dossier où écrire les tables et datapackage.json (créé s'il n'existe pas).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet", "ods", "tet"]),
              default="csv", show_default=True,
              help="csv (une ligne d'en-têtes), json, parquet : une table par feuille et "
                   "un datapackage.json ; ods : le classeur au format OpenDocument "
                   "(LibreOffice) ; tet : le fichier d'import de Territoires en Transitions.")
@click.option("--csv", "flavour", type=click.Choice(["donnees-ouvertes", "bureautique"]),
              default=None, show_default="donnees-ouvertes",
              help="donnees-ouvertes : UTF-8, virgule, point décimal, valeurs telles quelles "
                   "(Grist, portail open data) ; bureautique : pour Excel ou Calc en français "
                   "(UTF-8 avec BOM, point-virgule, virgule décimale, en-têtes en français, "
                   "formules neutralisées par « ' »).")
@click.option("--compte-rendu", "report", type=click.Choice(["texte", "json"]), default="texte",
              show_default=True, help="Présentation du compte rendu : lisible ou JSON.")
@overwrite_option
@rules_option
def command(path: Path, folder: Path, fmt: str, flavour: str | None, report: str,
            overwrite: bool, rules_dir: Path | None) -> None:
    """Exporter le plan en données ouvertes (Grist, Validata, portail open data, CAF).

    Écrit dans DOSSIER une table par feuille (actions, offres, plan, indicateurs,
    suivi) et un datapackage.json (Frictionless Data Package) : pour chaque table,
    les types, les champs obligatoires, les valeurs des listes, la clé primaire et le
    lien ID action → actions. Les colonnes portent les noms courts du modèle
    (id_action, porteur…), stables d'un export à l'autre ; les intitulés français
    sont dans le descripteur. « ctgxl import DOSSIER/datapackage.json -d SORTIE »
    refait le classeur. Avec --format ods : le classeur au format OpenDocument.
    Avec --format tet : le classeur à importer dans Territoires en Transitions (une
    fiche action par action), écrit seulement si la plateforme accepterait chaque
    ligne ; sinon les actions à corriger sont listées et rien n'est écrit.

    Chaque export est un Data Package valide : une contrainte du modèle que des lignes
    ne respectent pas n'est pas déclarée (le compte rendu le dit), et les lignes dont
    l'ID action n'est dans aucune action sont écrites à part (offres_orphelines.csv…).

    Codes de sortie : 0 export écrit ; 1 export tet refusé (des actions seraient
    rejetées par la plateforme) ; 2 classeur inutilisable, LibreOffice absent pour
    .ods, ou sortie impossible.
    """
    from ..export import DESCRIPTOR, OPEN_DATA, export_plan, export_targets, package_name
    from ..outputs import check_targets, make_folder
    from ..reader import read_plan
    from ..validation import load_rules

    if flavour is not None and fmt != "csv":
        raise click.UsageError("--csv ne s'applique qu'au format csv (--format csv)")
    flavour = flavour or OPEN_DATA
    plan = read_plan(path)
    vocabulary = load_rules_vocabulary(rules_dir)
    if fmt == "tet":
        from .export_tet import export_tet

        export_tet(plan, path, folder, load_rules(rules_dir), overwrite=overwrite,
                   report=report)
        return
    if fmt == "ods":
        targets = [folder / f"{path.stem}.ods"]
    else:
        targets = export_targets(folder, fmt)
    refuse_inputs(path, targets)
    check_targets(targets, overwrite=overwrite, folder=folder)
    notes: tuple[str, ...] = ()
    neutralised, orphans = 0, {}
    if fmt == "ods":
        from ..export.ods import write_ods

        make_folder(folder)
        written = [write_ods(plan, targets[0], vocabulary)]
    else:
        rules = load_rules(rules_dir)
        exported = export_plan(plan, folder, fmt, vocabulary, name=package_name(path.stem),
                               source=path.name, multi_value_lists=rules.multi_value_lists,
                               flavour=flavour)
        written, notes = list(exported.written), exported.notes
        neutralised, orphans = exported.neutralised, exported.orphans
    counts = {t.sheet.key: len(t) for t in plan.tables}
    if report == "json":
        document = {**document_head("ctgxl-export"), "file": str(path), "format": fmt,
                    "folder": str(folder), "written": [str(p) for p in written],
                    "rows": counts, "orphelines": orphans, "notes": list(notes)}
        if fmt == "csv":
            document.update({"csv": flavour, "cellules_neutralisees": neutralised})
        echo_json(document)
        return
    for note in notes:
        echo(f"  ▲ {note}")
    shown = ", ".join(f"{n} {key}" for key, n in counts.items())
    kind = f"csv {flavour}" if fmt == "csv" and flavour != OPEN_DATA else fmt
    echo(f"Export {kind} écrit dans {folder} : {plural(len(written), 'fichier')} ({shown}).")
    if fmt == "csv" and flavour != OPEN_DATA:
        echo(f"  Cellules neutralisées (texte commençant par =, +, -, @ : « ' » ajoutée "
             f"devant) : {neutralised}.")
    if fmt != "ods":
        echo(f"  Descripteur : {folder / DESCRIPTOR} (frictionless validate "
             f"{folder / DESCRIPTOR})")


def refuse_inputs(path: Path, targets) -> None:
    from ._common import refuse_overwriting_inputs

    for target in targets:
        refuse_overwriting_inputs(target, [path])
