"""``ctgxl export PILOTAGE.xlsx -d DOSSIER``: the plan as open data (Data Package)."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ._common import (document_head, echo_json, folder_option, load_rules_vocabulary,
                      overwrite_option, rules_option)


@click.command("export")
@click.argument("path", type=click.Path(path_type=Path), metavar="CLASSEUR")
@folder_option("Dossier où écrire les tables et datapackage.json (créé s'il n'existe pas).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "parquet", "ods"]),
              default="csv", show_default=True,
              help="csv (UTF-8, une ligne d'en-têtes), json, parquet : une table par feuille et "
                   "un datapackage.json ; ods : le classeur au format OpenDocument (LibreOffice).")
@click.option("--compte-rendu", "report", type=click.Choice(["texte", "json"]), default="texte",
              show_default=True, help="Présentation du compte rendu : lisible ou JSON.")
@overwrite_option
@rules_option
def command(path: Path, folder: Path, fmt: str, report: str, overwrite: bool,
            rules_dir: Path | None) -> None:
    """Exporter le plan en données ouvertes (Grist, Validata, portail open data, CAF).

    Écrit dans DOSSIER une table par feuille (actions, offres, plan, indicateurs,
    suivi) et un datapackage.json (Frictionless Data Package) : pour chaque table,
    les types, les champs obligatoires, les valeurs des listes, la clé primaire et le
    lien ID action → actions. Les colonnes portent les noms courts du modèle
    (id_action, porteur…), stables d'un export à l'autre ; les intitulés français
    sont dans le descripteur. « ctgxl import DOSSIER/datapackage.json -d SORTIE »
    refait le classeur. Avec --format ods : le classeur au format OpenDocument.

    Codes de sortie : 0 export écrit ; 2 classeur inutilisable, LibreOffice absent pour
    .ods, ou sortie impossible.
    """
    from ..export import DESCRIPTOR, export_plan, export_targets, package_name
    from ..outputs import check_targets, make_folder
    from ..reader import read_plan
    from ..validation import load_rules

    plan = read_plan(path)
    vocabulary = load_rules_vocabulary(rules_dir)
    if fmt == "ods":
        targets = [folder / f"{path.stem}.ods"]
    else:
        targets = export_targets(folder, fmt)
    _refuse_inputs(path, targets)
    check_targets(targets, overwrite=overwrite, folder=folder)
    notes: tuple[str, ...] = ()
    if fmt == "ods":
        from ..export.ods import write_ods

        make_folder(folder)
        written = [write_ods(plan, targets[0], vocabulary)]
    else:
        rules = load_rules(rules_dir)
        exported = export_plan(plan, folder, fmt, vocabulary, name=package_name(path.stem),
                               source=path.name, multi_value_lists=rules.multi_value_lists)
        written, notes = list(exported.written), exported.notes
    counts = {t.sheet.key: len(t) for t in plan.tables}
    if report == "json":
        echo_json({**document_head("ctgxl-export"), "file": str(path), "format": fmt,
                   "folder": str(folder), "written": [str(p) for p in written],
                   "rows": counts, "notes": list(notes)})
        return
    for note in notes:
        echo(f"  ▲ {note}")
    shown = ", ".join(f"{n} {key}" for key, n in counts.items())
    echo(f"Export {fmt} écrit dans {folder} : {len(written)} fichiers ({shown}).")
    if fmt != "ods":
        echo(f"  Descripteur : {folder / DESCRIPTOR} (frictionless validate "
             f"{folder / DESCRIPTOR})")


def _refuse_inputs(path: Path, targets) -> None:
    from ._common import refuse_overwriting_inputs

    for target in targets:
        refuse_overwriting_inputs(target, [path])
