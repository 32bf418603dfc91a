"""``ctgxl import``: a legacy plan (Word tables as tab-separated text, or pasted in a sheet)
becomes one canonical workbook per thématique, with an import report."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import load_rules_vocabulary, rules_option


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("-o", "--sortie", "output", required=True,
              type=click.Path(file_okay=False, path_type=Path), metavar="DOSSIER",
              help="Dossier où écrire un classeur par thématique (créé s'il n'existe pas).")
@click.option("--rapport", "--report", "report_path", default=None, metavar="RAPPORT.json",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Écrire aussi le rapport d'import complet au format JSON.")
@click.option("--thematique", default=None, metavar="THÉMATIQUE",
              help="Thématique des lignes écrites avant tout titre « THEMATIQUE … » (document "
                   "qui ne contient que le plan d'un service).")
@click.option("--force", is_flag=True,
              help="Remplacer les classeurs de même nom déjà présents dans le dossier de sortie.")
@rules_option
def command(source: Path, output: Path, report_path: Path | None, thematique: str | None,
            force: bool, rules_dir: Path | None) -> None:
    """Importer un plan existant : tableaux Word enregistrés en texte tabulé (.txt) ou
    collés dans une feuille de classeur (.xlsx, .ods).

    Écrit dans DOSSIER un classeur canonique par thématique (petite_enfance.xlsx,
    enfance.xlsx, jeunesse.xlsx…) et affiche le rapport d'import : chaque ligne du
    document que ctgxl n'a pas pu placer ou a dû interpréter, avec son numéro de
    ligne. Le document source n'est jamais modifié.

    \b
    Codes de sortie :
      0  import réalisé (le rapport d'import est informatif) ;
      2  document inutilisable, dossier de sortie impossible ou commande mal formée.
    """
    from ..errors import OutputError
    from ..legacy import import_legacy
    from ..writer import write_plan

    vocabulary = load_rules_vocabulary(rules_dir)
    result = import_legacy(source, vocabulary=vocabulary, thematique=thematique)
    targets = [output / t.file_name for t in result.thematiques]
    _check_outputs(source, output, targets, report_path, force)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output} : impossible de créer le dossier ({exc.strerror})") from None
    written = [write_plan(t.plan, target, vocabulary=vocabulary)
               for t, target in zip(result.thematiques, targets, strict=True)]
    if report_path is not None:
        _write_json(report_path, {**result.to_dict(), "written": [str(p) for p in written]})
    _render(result, written, report_path)


def _check_outputs(source: Path, output: Path, targets: list[Path], report_path: Path | None,
                   force: bool) -> None:
    from ..errors import OutputError

    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} : est un fichier, pas un dossier")
    src = source.resolve()
    for target in [*targets, *([report_path] if report_path else [])]:
        if target.resolve() == src:
            raise OutputError(f"{target} : la sortie remplacerait le document source")
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(t.name for t in existing)
        raise OutputError(f"{output} : contient déjà {names} ; relancez avec --force pour les "
                          "remplacer, ou choisissez un autre dossier")


def _write_json(path: Path, data: dict) -> None:
    import json
    import os
    import tempfile

    from ..errors import OutputError

    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".ctgxl-", suffix=".json", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"{path} : écriture du rapport impossible ({exc.strerror})") from None


def _render(result, written: list[Path], report_path: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..legacy.report import CODE_TITLES, WARNING

    console = Console(highlight=False, soft_wrap=False)
    encoding = f" (encodage {result.encoding})" if result.encoding else ""
    console.print(Text(f"Import de {result.source}{encoding}", style="bold"))
    folder = written[0].parent if written else None
    console.print(f"Classeurs écrits dans {folder} :")
    table = Table(show_edge=False, pad_edge=False)
    for title, justify in (("Thématique", "left"), ("Classeur", "left"),
                           ("Actions", "right"), ("Offres", "right"),
                           ("Lignes Plan", "right")):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for t, path in zip(result.thematiques, written, strict=True):
        table.add_row(t.thematique.libelle, path.name, str(len(t.plan.actions)),
                      str(len(t.plan.offres)), str(len(t.plan.plan)))
    console.print(table)

    warnings = [e for e in result.entries if e.severity == WARNING]
    infos = [e for e in result.entries if e.severity != WARNING]
    console.print(Text(f"Rapport d'import : {len(warnings)} point(s) à vérifier dans le "
                       f"document source, {len(infos)} information(s).", style="bold"))
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
                where = ", ".join(str(e.line) for e in entries if e.line is not None)
                line.append(f" ({len(entries)} fois" + (f" ; lignes {where})" if where else ")"),
                            style="dim")
            console.print(line)
    if report_path is not None:
        console.print(f"Rapport complet (JSON) : {report_path}")
