"""``ctgxl panorama ENTREES... -o panorama.xlsx``: every territory's plan in one workbook."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from ..console import echo
from ..wording import counted, percent, plural
from ..errors import printable
from ._common import PROGRESS_MIN_FILES, echo_json, overwrite_option, rules_option

LISTED_TERRITORIES = 30     # per-territory lines printed in the text summary, at most
LISTED_FINDINGS = 50


@click.command("panorama")
@click.argument("inputs", nargs=-1, required=True, metavar="ENTREES...")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Classeur du panorama à écrire (.xlsx).")
@click.option("-d", "--dossier", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=None, metavar="DOSSIER",
              help="Dossier où écrire le panorama en données ouvertes (avec --format csv ou "
                   "parquet).")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "parquet"]), default=None,
              help="xlsx (classeur, avec -o ; par défaut), csv ou parquet (une table par "
                   "fichier et un datapackage.json, avec -d).")
@click.option("--compte-rendu", "report", type=click.Choice(["texte", "json"]), default="texte",
              show_default=True, help="Présentation du compte rendu : lisible ou JSON.")
@overwrite_option
@rules_option
def command(inputs: tuple[str, ...], output: Path | None, folder: Path | None, fmt: str | None,
            report: str, overwrite: bool, rules_dir: Path | None) -> None:
    """Rassembler les plans de plusieurs territoires en un panorama pour la CAF.

    ENTREES : une par territoire — son fichier de pilotage (ctgxl consolidate), ou le
    dossier des classeurs de ses services ; un motif (« pilotages/*.xlsx ») donne une
    entrée par fichier ou dossier trouvé. Le panorama a une ligne par territoire (actions
    par statut et par thématique, part réalisée, budget lisible, indicateurs, dernière
    année de suivi, contrôle de ses fichiers), chaque action avec son territoire (code du
    territoire et ID action), une Synthèse avec graphiques, les fichiers lus et les
    constats. Avec --format csv ou parquet et -d DOSSIER : les mêmes tables en données
    ouvertes (datapackage.json), pour Grist, un outil d'analyse ou DuckDB.

    \b
    Codes de sortie :
      0  panorama écrit, chaque entrée comptée telle quelle ;
      1  panorama écrit sans ce qui est dit dans les constats (fichier inutilisable,
         classeur d'un autre territoire, code invalide, territoire en double…) ;
      2  aucun classeur lisible, sortie impossible ou commande mal formée.
    """
    from ..errors import CtgxlError
    from ..panorama.inputs import gather_entries
    from ..validation import load_rules, verify_rules

    fmt = fmt or ("xlsx" if folder is None else "csv")
    targets = _check_outputs(fmt, output, folder, inputs, overwrite)
    entries, notes = gather_entries(inputs)
    skip = {p.resolve() for p in targets}
    entries = [e for e in entries if not {p.resolve() for p in e.paths} & skip]
    rules = verify_rules(load_rules(rules_dir))
    if not entries:
        for note in notes:
            echo(f"ctgxl : erreur : {printable(note.message)}", err=True)
        raise CtgxlError("panorama impossible : aucun classeur à lire")
    _panorama(entries, notes, rules, rules_dir, fmt, output, folder, report)


def _check_outputs(fmt: str, output: Path | None, folder: Path | None, inputs,
                   overwrite: bool) -> list[Path]:
    """The files to write, checked before any reading (exit 2 when they cannot be)."""
    from ..errors import OutputError
    from ..outputs import check_targets
    from ._common import check_output_file

    if fmt == "xlsx":
        if output is None or folder is not None:
            raise OutputError("le panorama en classeur s'écrit avec -o PANORAMA.xlsx ; en "
                              "données ouvertes, avec -d DOSSIER --format csv (ou parquet)")
        check_output_file(output, [p for p in inputs if Path(p).is_file()], overwrite=overwrite)
        return [output]
    if folder is None or output is not None:
        raise OutputError(f"--format {fmt} écrit un dossier : indiquez -d DOSSIER (et non -o)")
    from ..panorama.package import package_targets

    targets = package_targets(folder, fmt)
    check_targets(targets, overwrite=overwrite, folder=folder)
    return targets


def _panorama(entries, notes, rules, rules_dir, fmt, output, folder, report) -> None:
    from ..console import progress
    from ..errors import CtgxlError
    from ..panorama.pipeline import build_panorama
    from ..runtime import paused_gc

    files = sum(len(e.paths) for e in entries)
    where = output.parent if output is not None else folder.parent
    with paused_gc(), progress(files, "Lecture des classeurs",
                               minimum=PROGRESS_MIN_FILES) as advance:
        panorama = build_panorama(entries, notes, rules, rules_dir=rules_dir, advance=advance,
                                  spool_folder=where if where.is_dir() else None)
    try:
        if not panorama.territories:
            for finding in panorama.findings:
                echo(f"ctgxl : erreur : {printable(finding.message)}", err=True)
            raise CtgxlError("panorama impossible : aucun classeur lisible")
        with _writing(files, output or folder):
            if fmt == "xlsx":
                from ..panorama.workbook import write_workbook

                written = [write_workbook(panorama, output,
                                          vocabulary_order=rules.vocabulary.values("thematiques"))]
            else:
                from ..panorama.package import write_package

                written = write_package(panorama, folder, fmt)
    finally:
        panorama.spool.close()
    if report == "json":
        echo_json(_document(panorama, fmt, written))
    else:
        _render(panorama, written)
    if panorama.exit_code:
        raise click.exceptions.Exit(panorama.exit_code)


def _writing(files: int, target: Path):
    from ..console import is_terminal, make_console

    if files < PROGRESS_MIN_FILES or not is_terminal(sys.stderr):
        return nullcontext()
    return make_console(stderr=True).status(f"Écriture du panorama {target.name}…")


def _document(panorama, fmt: str, written) -> dict:
    from ..panorama.tables import territory_fields, territory_rows
    from ._common import document_head

    names = [f.name for f in territory_fields(panorama)]
    return {
        **document_head("ctgxl-panorama"), "format": fmt, "exit_code": panorama.exit_code,
        "written": [str(p) for p in written],
        "totals": {"territories": len(panorama.territories), "files": len(panorama.files),
                   "files_read": panorama.read_files, "actions": panorama.spool.count},
        "territories": [dict(zip(names, row)) for row in territory_rows(panorama)],
        "findings": [f.to_dict() for f in panorama.findings],
    }


def _render(panorama, written) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..console import make_console
    from ..validation.render import print_listed

    console = make_console()
    rows = panorama.territories
    if len(rows) <= LISTED_TERRITORIES:
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
        for header, justify in (("Territoire", "left"), ("Code", "left"), ("Fichiers", "right"),
                                ("Actions", "right"), ("Réalisées", "right"),
                                ("Contrôle", "left")):
            table.add_column(header, justify=justify)
        for row in rows:
            total = row.figures.total
            done = row.figures.of_statut("Réalisée") / total if total else 0
            table.add_row(escape(row.name), row.territory.code or "—", str(row.files),
                          str(total), percent(done), escape(row.status))
        console.print(table)
        console.print()
    print_listed(console, panorama.findings, LISTED_FINDINGS,
                 "(feuille Constats, ou --compte-rendu json).")
    shown = escape(str(written[0] if len(written) == 1 else written[0].parent))
    console.print(f"Panorama écrit : [bold]{shown}[/] — {plural(len(rows), 'territoire')}, "
                  f"{counted(panorama.read_files, 'classeur lu')}, "
                  f"{plural(panorama.spool.count, 'action')}.", highlight=False)
