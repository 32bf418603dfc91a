"""``ctgxl info``: what a workbook holds, in a few lines."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ..wording import plural
from ._common import document_head, echo_json, format_option, workbook_argument


@click.command("info")
@workbook_argument
@format_option("résumé")
def command(path: Path, fmt: str) -> None:
    """Résumer le contenu d'un classeur du plan : thématique, territoire, version du modèle,
    nombre de lignes par feuille et remarques de lecture."""
    from ..catalogue import TABLE_SHEETS
    from ..reader import read_plan
    from ..territory import of_meta

    plan = read_plan(path)
    meta = plan.meta
    if fmt == "json":
        echo_json({**document_head("ctgxl-info"), "file": str(path),
                   "thematique": meta.thematique, "service": meta.service,
                   "template_version": meta.template_version,
                   "schema_version": meta.schema_version,
                   "territoire": meta.territoire, "code_territoire": meta.code_territoire,
                   "rows": {s.name: len(plan.table(s.key)) for s in TABLE_SHEETS},
                   "extra_columns": {t.sheet.name: [c.header for c in t.sheet.extra_columns]
                                     for t in plan.tables if t.sheet.extra_columns},
                   "notes": [n.to_dict() for n in plan.notes]})
        return
    echo(f"{path}")
    echo(f"  Thématique : {meta.thematique or '(non renseignée)'}")
    echo(f"  Territoire : {of_meta(meta).label() if of_meta(meta) else '(non renseigné)'}")
    echo(f"  Modèle : version {meta.template_version or '(inconnue)'}")
    for sheet in TABLE_SHEETS:
        echo(f"  {sheet.name} : {plural(len(plan.table(sheet.key)), 'ligne')}")
    for table in plan.tables:
        if table.sheet.extra_columns:
            headers = ", ".join(f"« {c.header} »" for c in table.sheet.extra_columns)
            echo(f"  {table.sheet.name} : colonnes ajoutées {headers}")
    for note in plan.notes:
        where = f" ({note.where})" if note.where else ""
        echo(f"  [{note.severity}]{where} {note.message}")
