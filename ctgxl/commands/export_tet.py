"""``ctgxl export CLASSEUR -d DOSSIER --format tet``: the import file of Territoires en
Transitions, written only when the platform would take every row."""

from __future__ import annotations

from pathlib import Path

from ..console import echo
from ..errors import EXIT_FINDINGS
from ..wording import agree, plural
from ._common import document_head, echo_json


def tet_target(path: Path, folder: Path) -> Path:
    return folder / f"{path.stem}_territoires_en_transitions.xlsx"


def export_tet(plan, path: Path, folder: Path, rules, *, overwrite: bool, report: str) -> None:
    import click

    from ..export.tet import TET_COLUMNS, tet_rows
    from ..outputs import check_targets
    from .export import refuse_inputs

    target = tet_target(path, folder)
    refuse_inputs(path, [target])
    check_targets([target], overwrite=overwrite, folder=folder)
    export = tet_rows(plan, rules.vocabulary, rules.synonyms)
    written = []
    if not export.erreurs:
        from ..export.tet_workbook import write_tet
        from ..outputs import staged_folder

        with staged_folder(folder) as stage:      # all or nothing, as every export
            write_tet(export, stage / target.name)
        written.append(target)
    columns = {h: export.filled.get(h, 0) for h in dict.fromkeys(TET_COLUMNS)}
    if report == "json":
        echo_json({**document_head("ctgxl-export"), "file": str(path), "format": "tet",
                   "folder": str(folder), "written": [str(p) for p in written],
                   "rows": {"actions": len(export.rows)},
                   "erreurs": [{"id_action": ident, "ligne": line, "message": message}
                               for ident, line, message in export.erreurs],
                   "colonnes": columns, "notes_complementaires": export.notes})
    else:
        _render(export, columns, target, written)
    if export.erreurs:
        raise click.exceptions.Exit(EXIT_FINDINGS)


def _render(export, columns: dict, target: Path, written) -> None:
    from ..export.tet import NOTES

    if export.erreurs:
        for ident, line, message in export.erreurs:
            echo(f"  ✖ {ident or 'action sans ID'} (ligne {line} du fichier) : {message}")
        actions = len({(ident, line) for ident, line, _ in export.erreurs})
        echo(f"Export Territoires en Transitions refusé : {plural(actions, 'action')} "
             f"{agree(actions, 'serait rejetée', 'seraient rejetées')} par la plateforme, qui "
             "refuse alors tout le fichier. Corrigez-les dans "
             f"le classeur puis relancez ; rien n'a été écrit ({target.name}).")
        return
    echo(f"Fichier d'import Territoires en Transitions écrit : {written[0]} "
         f"({plural(len(export.rows), 'fiche action', 'fiches action')}).")
    filled = [f"{h} {n}" for h, n in columns.items() if n and h != NOTES]
    echo("  Colonnes remplies (nombre de fiches) : " + ", ".join(filled) + ".")
    if export.notes:
        shown = ", ".join(f"{label} {n}" for label, n in export.notes.items())
        echo(f"  Dans « {NOTES} » (nombre de fiches) : {shown}.")
