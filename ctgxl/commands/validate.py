"""``ctgxl validate``: check one or more workbooks and point at every faulty cell."""

from __future__ import annotations

from pathlib import Path

import click

from ..console import echo
from ..errors import printable
from ._common import (PROGRESS_MIN_FILES, echo_json, format_option, overwrite_option,
                      refuse_overwriting_inputs, rules_option)


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="FICHIERS...")
@rules_option
@format_option("rapport")
@click.option("--strict", is_flag=True,
              help="Compter aussi les avertissements : code de sortie 1 s'il y en a.")
@click.option("--annoter", "annotate_to", type=click.Path(path_type=Path), default=None,
              metavar="COPIE.xlsx",
              help="Écrire une copie du classeur où chaque cellule en défaut est colorée et "
                   "commentée, précédée d'une feuille « Contrôles » (avec plusieurs classeurs : "
                   "un dossier).")
@click.option("--limite", "limit", type=click.IntRange(min=0), default=200, show_default=True,
              help="Nombre maximal de constats affichés un à un par classeur (0 : tous).")
@click.option("--detail", is_flag=True,
              help="Afficher chaque avertissement et information un à un (par défaut : une "
                   "ligne par contrôle, avec les premières cellules).")
@overwrite_option
def command(paths: tuple[Path, ...], rules_dir: Path | None, fmt: str, strict: bool,
            annotate_to: Path | None, limit: int, detail: bool, overwrite: bool) -> None:
    """Contrôler un ou plusieurs classeurs du plan (.xlsx, .xlsm, .ods) et signaler chaque
    cellule en défaut, avec la règle enfreinte et une suggestion quand c'est possible.

    \b
    Codes de sortie :
      0  aucune erreur (les avertissements sont permis, sauf avec --strict) ;
      1  des erreurs (ou, avec --strict, des avertissements) ont été trouvées ;
      2  un classeur est inutilisable ou la commande est mal formée.
    """
    from ..console import progress
    from ..errors import CtgxlError
    from ..validation import load_rules, validate_files, verify_rules

    paths = _expanded(paths)
    outputs = _annotation_targets(paths, annotate_to, overwrite)
    rules = verify_rules(load_rules(rules_dir))   # a typo in the rules, before any reading
    with progress(len(paths), "Contrôle des classeurs", minimum=PROGRESS_MIN_FILES) as advance:
        report = validate_files(paths, rules, advance=advance)
    for file in report.files:
        if file.error is not None:
            echo(f"ctgxl : erreur : {printable(str(file.file))} : {file.error}", err=True)

    notices = []
    for file, target in zip(report.files, outputs):
        if target is None or file.error is not None:
            continue
        from ..validation.annotate import annotate

        try:
            done = annotate(Path(file.file), file.findings, target)
        except CtgxlError as exc:
            echo(f"ctgxl : erreur : {exc.message}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None
        notices.extend(done.notes)
        notices.append(f"Copie annotée : {done.path}")

    if fmt == "json":
        echo_json(report.to_dict(strict=strict, objects=True))
        for line in notices:
            echo(line, err=True)
    else:
        from ..console import make_console
        from ..validation.render import render

        console = make_console()
        render(report, console, strict=strict, limit=limit, grouped=not detail)
        for line in notices:
            console.print(line, soft_wrap=True, markup=False)
    code = report.exit_code(strict)
    if code:
        raise click.exceptions.Exit(code)


def _expanded(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    """Folders become their workbooks and patterns (« retours/*.xlsx ») their matches, as for
    consolidate; any other path is kept as given (a missing file is reported with the others)."""
    import glob

    out: list[Path] = []
    for path in paths:
        if path.is_dir() or (not path.exists() and glob.has_magic(str(path))):
            from ..consolidation.io import gather_inputs

            out += gather_inputs([path])
        else:
            out.append(path)
    return tuple(dict.fromkeys(out))


def _annotation_targets(inputs: tuple[Path, ...], out: Path | None,
                        overwrite: bool) -> list[Path | None]:
    """The annotated copy of each input (None: none asked); checked before any work."""
    if out is None:
        return [None] * len(inputs)
    from ..errors import OutputError
    from ..outputs import check_target, check_targets
    from ..writer import check_output

    if len(inputs) == 1:
        target = out
        if inputs[0].suffix.lower() == ".ods" and out.suffix.lower() != ".xlsx":
            raise OutputError(f"{out} : la copie annotée d'un classeur .ods est un fichier .xlsx")
        check_output(target)
        refuse_overwriting_inputs(target, inputs)
        check_target(target, overwrite=overwrite)
        return [target]
    if out.suffix.lower() in (".xlsx", ".xlsm", ".ods") and not out.is_dir():
        raise OutputError(f"{out} : avec plusieurs classeurs, --annoter attend un dossier "
                          "(une copie annotée par classeur y est écrite)")
    if not out.is_dir():
        from ..errors import os_reason

        try:
            out.mkdir(parents=True)
        except OSError as exc:
            raise OutputError(f"{out} : dossier impossible à créer ({os_reason(exc)})") from None
    targets = []
    for path in inputs:
        suffix = ".xlsm" if path.suffix.lower() == ".xlsm" else ".xlsx"
        target = out / f"{path.stem}-controles{suffix}"
        refuse_overwriting_inputs(target, inputs)
        targets.append(target)
    check_targets(targets, overwrite=overwrite, folder=out)
    return targets
