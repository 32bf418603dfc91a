"""``ctgxl import``: a legacy plan (the .docx/.odt document, its tables as tab-separated
text, or pasted in a sheet) becomes one canonical workbook per thématique, with an import
report."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ..wording import agree, plural
from ._common import (document_head, echo_json, folder_option, format_option,
                      load_rules_vocabulary, overwrite_option, rules_option, territory_of_options,
                      territory_options)


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@folder_option("Dossier où écrire un classeur par thématique (créé s'il n'existe pas).",
               legacy_o=True)
@click.option("--rapport", "--report", "report_path", default=None, metavar="RAPPORT.json",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Écrire aussi le rapport d'import complet au format JSON.")
@click.option("--thematique", default=None, metavar="THÉMATIQUE",
              help="Thématique des lignes écrites avant tout titre « THEMATIQUE … » (document "
                   "qui ne contient que le plan d'un service).")
@territory_options
@overwrite_option
@format_option("rapport d'import")
@rules_option
def command(source: Path, folder: Path, report_path: Path | None, thematique: str | None,
            territoire: str | None, code_territoire: str | None, overwrite: bool, fmt: str,
            rules_dir: Path | None) -> None:
    """Importer un plan existant : le document Word (.docx) ou OpenDocument (.odt) qui
    le contient, ses tableaux enregistrés en texte tabulé (.txt), ou collés dans une
    feuille de classeur (.xlsx, .ods). Les fiches actions (un tableau « rubrique |
    valeur » ou des paragraphes « Libellé : valeur » par action) sont reconnues. Un export de ctgxl (datapackage.json, ou son
    dossier) redonne son classeur canonique.

    Écrit dans DOSSIER un classeur canonique par thématique (petite_enfance.xlsx,
    enfance.xlsx, jeunesse.xlsx…) et affiche le rapport d'import : chaque ligne du
    document que ctgxl n'a pas pu placer ou a dû interpréter, avec sa ligne (ou, dans
    un .docx/.odt, son tableau et sa ligne), puis le texte du document qui n'est pas
    dans le plan, avec sa place. Le document source n'est jamais modifié.
    Un .doc (Word 97-2003) se convertit d'abord : soffice --headless --convert-to docx.
    --territoire et --code-territoire écrivent le territoire dans chaque classeur.

    \b
    Codes de sortie :
      0  import réalisé (le rapport d'import est informatif) ;
      2  document inutilisable, dossier de sortie impossible ou commande mal formée.
    """
    from ..export import is_package
    from ..legacy import import_legacy
    from ..outputs import make_folder, write_json
    from ..writer import write_plan

    territory = territory_of_options(territoire, code_territoire)
    vocabulary = load_rules_vocabulary(rules_dir)
    if is_package(source):
        _import_package(source, folder, vocabulary, overwrite, fmt, territory)
        return
    result = import_legacy(source, vocabulary=vocabulary, thematique=thematique)
    targets = [folder / t.file_name for t in result.thematiques]
    _check_outputs(source, folder, targets, report_path, overwrite)
    make_folder(folder)
    written = [write_plan(with_territory(t.plan, territory), target, vocabulary=vocabulary)
               for t, target in zip(result.thematiques, targets, strict=True)]
    document = {**document_head("ctgxl-import"), **result.to_dict(),
                "written": [str(p) for p in written]}
    if report_path is not None:
        write_json(report_path, document)
    if fmt == "json":
        echo_json(document)
        return
    _render(result, written, report_path)


def with_territory(plan, territory):
    """``plan`` with the territory of the options, when they give one."""
    from dataclasses import replace

    if not territory:
        return plan
    return plan.replace(meta=replace(plan.meta, territoire=territory.name or plan.meta.territoire,
                                     code_territoire=territory.code or plan.meta.code_territoire))


def _import_package(source: Path, folder: Path, vocabulary, overwrite: bool, fmt: str,
                    territory=None) -> None:
    """A data package made by ``ctgxl export`` back into its canonical workbook."""
    from ..export import read_package
    from ..outputs import make_folder
    from ..writer import write_plan

    package = read_package(source)
    target = folder / package.workbook_name
    _check_outputs(source, folder, [target], None, overwrite)
    make_folder(folder)
    written = write_plan(with_territory(package.plan, territory), target, vocabulary=vocabulary)
    counts = {t.sheet.key: len(t) for t in package.plan.tables}
    if fmt == "json":
        echo_json({**document_head("ctgxl-import"), "source": str(source), "format": "datapackage",
                   "rows": counts, "written": [str(written)]})
        return
    shown = ", ".join(f"{n} {key}" for key, n in counts.items())
    echo(f"Données ouvertes relues ({shown}) : classeur écrit : {written}")


def _check_outputs(source: Path, folder: Path, targets: list[Path], report_path: Path | None,
                   overwrite: bool) -> None:
    from ..errors import OutputError
    from ..outputs import check_target, check_targets

    from ._common import resolved_path

    src = resolved_path(source)
    for target in [*targets, *([report_path] if report_path else [])]:
        if resolved_path(target) == src:
            raise OutputError(f"{target} : la sortie remplacerait le document source")
    check_targets(targets, overwrite=overwrite, folder=folder)
    if report_path is not None:
        check_target(report_path, overwrite=overwrite)


def _render(result, written: list[Path], report_path: Path | None) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..legacy.report import CODE_TITLES, WARNING

    from ..console import make_console

    console = make_console()
    encoding = f" (encodage {result.encoding})" if result.encoding else ""
    console.print(Text(f"Import de {result.source}{encoding}", style="bold"))
    folder = written[0].parent if written else None
    console.print(f"Classeurs écrits dans {folder} :")
    table = Table(show_edge=False, pad_edge=False)
    for title, justify in (("Thématique", "left"), ("Classeur", "left"),
                           ("Actions", "right"), ("Offres", "right"),
                           ("Indicateurs", "right"), ("Lignes Plan", "right")):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for t, path in zip(result.thematiques, written, strict=True):
        table.add_row(t.thematique.libelle, path.name, str(len(t.plan.actions)),
                      str(len(t.plan.offres)), str(len(t.plan.indicateurs)),
                      str(len(t.plan.plan)))
    console.print(table)

    warnings = [e for e in result.entries if e.severity == WARNING]
    infos = [e for e in result.entries if e.severity != WARNING]
    console.print(Text(f"Rapport d'import : {plural(len(warnings), 'point')} à vérifier dans "
                       f"le document source, {plural(len(infos), 'information')}.",
                       style="bold"))
    current = object()
    for entry in warnings:
        if entry.thematique != current:
            current = entry.thematique
            console.print(Text(f"  {current or 'Hors thématique'}", style="bold"))
        line = Text(f"    {entry.where} ", style="cyan")
        line.append(f"[{entry.code}] ", style="yellow")
        line.append(entry.message)
        console.print(line)
    if infos:
        console.print(Text("  Informations (variantes de mise en page lues sans doute) :",
                           style="bold"))
        groups: dict[str, list] = {}
        for entry in infos:
            groups.setdefault(entry.code, []).append(entry)
        for code, entries in groups.items():
            line = Text(f"    [{code}] ", style="yellow")
            if len(entries) == 1:
                line.append(f"{entries[0].where} : " if entries[0].line else "")
                line.append(entries[0].message)
            else:
                line.append(CODE_TITLES.get(code, entries[0].message))
                line.append(f" ({len(entries)} fois{_places(entries)})", style="dim")
            console.print(line)
    _render_not_imported(console, result)
    if report_path is not None:
        console.print(f"Rapport complet (JSON) : {report_path}")


SHOWN_NOT_IMPORTED = 40


def _render_not_imported(console, result) -> None:
    """The document's text that is not in the plan, each passage with its place."""
    from rich.text import Text

    from ..legacy.report import excerpt

    counts = result.characters
    if not counts:
        return
    missing = result.not_imported

    def n(value: int) -> str:
        return f"{value:,}".replace(",", "\u202f")

    total = n(counts["document"])
    if not missing:
        console.print(Text(f"Texte non importé : aucun ({total} "
                           f"{agree(counts['document'], 'caractère')} du document, tous dans le "
                           "plan).", style="bold"))
        return
    chars = counts["non_importes"]
    console.print(Text(f"Texte non importé : {plural(len(missing), 'passage')}, "
                       f"{n(chars)} {agree(chars, 'caractère')} sur {total} (ni valeur ni titre "
                       "du plan ; à reprendre à la main si besoin) :", style="bold"))
    for item in missing[:SHOWN_NOT_IMPORTED]:
        line = Text(f"    {item.place} : ", style="cyan")
        line.append(f"« {excerpt(item.text, 100)} »")
        console.print(line)
    if len(missing) > SHOWN_NOT_IMPORTED:
        console.print(f"    … et {plural(len(missing) - SHOWN_NOT_IMPORTED, 'autre passage')}"
                      " : le "
                      "rapport JSON (--rapport) les donne tous, en entier.")


def _places(entries, shown: int = 8) -> str:
    """« ; lignes 3, 8, 12 » (a text export) or « : tableau 2, ligne 1 ; tableau 5, ligne 3 ;
    … » (a .docx/.odt), for a summary line."""
    if any(e.place for e in entries):
        places = list(dict.fromkeys(e.where for e in entries if e.where))
        more = " ; …" if len(places) > shown else ""
        return " : " + " ; ".join(places[:shown]) + more if places else ""
    lines = ", ".join(str(e.line) for e in entries if e.line is not None)
    return f" ; lignes {lines}" if lines else ""
