"""``ctgxl merge BASE LOCAL DISTANT -o FUSION.xlsx``: three-way merge of two edited copies;
``ctgxl merge --resoudre FUSION.xlsx -o SORTIE.xlsx``: apply the choices of its « Conflits »
sheet."""

from __future__ import annotations

from pathlib import Path

import click

from ..wording import agree, plural

from ..console import echo
from ._common import echo_json, overwrite_option, rules_option
from .diff import FORMATS, echo_reading_notes

SIDES = ("BASE", "LOCAL", "DISTANT")


class MergeCommand(click.Command):
    """Its usage shows both forms of the command."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] BASE LOCAL DISTANT -o FUSION.xlsx")
        formatter.write_usage(ctx.command_path, "--resoudre FUSION.xlsx -o SORTIE.xlsx [OPTIONS]",
                              prefix=f"{'ou : ':>{len('Utilisation : ')}}")


@click.command("merge", cls=MergeCommand)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path), metavar="BASE LOCAL DISTANT")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FICHIER.xlsx", required=True,
              help="Classeur à écrire (.xlsx) : le classeur fusionné, ou avec --resoudre le "
                   "classeur où les choix sont appliqués.")
@click.option("--resoudre", "resolve", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FUSION.xlsx",
              help="Appliquer les choix faits dans un classeur fusionné (colonne « Valeur à "
                   "garder » de la feuille « Conflits ») ; sans BASE, LOCAL ni DISTANT.")
@click.option("--preferer", "prefer", type=click.Choice(["local", "distant"]), default="local",
              show_default=True,
              help="Version dont la valeur est conservée dans une cellule en conflit.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="texte", show_default=True,
              help="Format du compte rendu affiché : texte lisible ou JSON (schéma décrit dans "
                   "ctgxl aide comparaison).")
@overwrite_option
@rules_option
@click.pass_context
def command(ctx: click.Context, inputs: tuple[Path, ...], output: Path, resolve: Path | None,
            prefer: str, fmt: str, overwrite: bool, rules_dir: Path | None) -> None:
    """Fusionner deux versions modifiées d'un même classeur (fusion à trois).

    BASE est la version de départ, LOCAL et DISTANT deux copies modifiées
    chacune de leur côté. Les changements de chaque copie sont appliqués champ
    par champ ; les cellules reprises sans conflit sont sur fond vert, avec un
    commentaire « Modifié dans LOCAL » ou « Modifié dans DISTANT ». Il y a
    conflit quand les deux copies ont changé la même cellule différemment, ou
    quand l'une a supprimé une ligne que l'autre a modifiée : la valeur de
    LOCAL est alors conservée (ou celle de DISTANT avec --preferer distant), la
    cellule est surlignée en orange avec un commentaire. Le classeur fusionné
    commence par la feuille « Conflits » : chaque conflit, ses trois valeurs
    et un lien vers sa cellule.

    Pour régler les conflits, écrivez dans la colonne « Valeur à garder » de
    la feuille « Conflits » Base, Local, Distant ou la valeur voulue, puis :

      ctgxl merge --resoudre FUSION.xlsx -o FUSION_RESOLUE.xlsx

    Chaque choix est écrit dans la bonne cellule (la ligne est retrouvée par
    sa clé, même si les feuilles ont été triées) ; choisir le côté qui a
    supprimé une ligne la supprime. FUSION.xlsx n'est pas modifié ; le
    classeur écrit ne garde que les conflits restants (et n'a plus de feuille
    « Conflits » s'il n'en reste aucun).

    Codes de sortie : 0 fusion sans conflit, ou tous les conflits réglés ;
    1 conflits à régler ; 2 fichier inutilisable (ou, avec --resoudre, sans
    feuille « Conflits »).
    """
    if resolve is not None:
        if inputs:
            ctx.fail("--resoudre s'emploie sans BASE, LOCAL ni DISTANT : "
                     "ctgxl merge --resoudre FUSION.xlsx -o SORTIE.xlsx")
        if ctx.get_parameter_source("prefer") is click.core.ParameterSource.COMMANDLINE:
            ctx.fail("--preferer ne s'emploie pas avec --resoudre : la feuille « Conflits » "
                     "dit déjà quelle valeur garder")
        ctx.exit(_resolve(resolve, output, fmt, overwrite, rules_dir))
    if len(inputs) < 3:
        ctx.fail(f"Argument manquant « {SIDES[len(inputs)]} » "
                 "(ctgxl merge BASE LOCAL DISTANT -o FUSION.xlsx).")
    if len(inputs) > 3:
        ctx.fail(f"Arguments en trop ({' '.join(map(str, inputs[3:]))}) : ctgxl merge prend "
                 "trois classeurs, BASE LOCAL DISTANT.")
    ctx.exit(_merge(inputs, output, prefer, fmt, overwrite, rules_dir))


def _resolve_hint(output: Path) -> str:
    """The command that applies the choices written in ``output``."""
    stem = output.stem
    target = f"{stem}_suite" if "resolu" in stem else f"{stem}_resolu"
    return f"ctgxl merge --resoudre {output.name} -o {target}{output.suffix}"


def _merge(inputs: tuple[Path, ...], output: Path, prefer: str, fmt: str, overwrite: bool,
           rules_dir: Path | None) -> int:
    from ..compare import merge_plans
    from ..compare.conflicts_sheet import (change_marks, conflict_cells, conflict_rows,
                                           conflicts_sheet, merge_marks, summary_sheet)
    from ..compare.report import applied_lines
    from ..errors import EXIT_FINDINGS, EXIT_OK
    from ..reader import read_plan
    from ..writer import write_plan
    from ._common import check_output_file, load_rules_vocabulary

    base, local, remote = inputs
    check_output_file(output, inputs, overwrite=overwrite)
    vocabulary = load_rules_vocabulary(rules_dir)
    plans = tuple(read_plan(p) for p in inputs)
    result = merge_plans(*plans, prefer=prefer)
    rows = conflict_rows(result, plans)
    merged = len(change_marks(result.changes, result.plan))
    names = (str(base), str(local), str(remote))
    if result.conflicts:
        extra = (conflicts_sheet(rows, merged=merged, resolve_hint=_resolve_hint(output)),)
    elif merged:
        extra = (summary_sheet("Fusion sans conflit", [
            f"Fusion de « {local.name} » (LOCAL) et « {remote.name} » (DISTANT), version de "
            f"départ « {base.name} » (BASE).", *applied_lines(result, (local.name, remote.name))],
            merged=merged),)
    else:
        extra = ()
    write_plan(result.plan, output, vocabulary=vocabulary, marks=merge_marks(result, rows),
               extra_sheets=extra)
    cells = conflict_cells(result)
    if fmt == "json":
        from ..compare.serialize import merge_to_dict

        echo_json(merge_to_dict(result, names, str(output), plans, cells))
    else:
        from ..compare.report import merge_lines

        echo_reading_notes(zip(inputs, plans))
        for line in merge_lines(result, names, str(output), cells):
            echo(line)
        if result.conflicts:
            echo("Pour les régler : choisissez la valeur à garder dans la feuille "
                 f"« Conflits », puis lancez : {_resolve_hint(output)}")
    return EXIT_FINDINGS if result.conflicts or result.notes else EXIT_OK


def _resolve(source: Path, output: Path, fmt: str, overwrite: bool,
             rules_dir: Path | None) -> int:
    from ..compare.conflicts_sheet import (conflict_cell, conflict_marks, conflicts_sheet,
                                           resolved_marks, summary_sheet)
    from ..compare.choices import CONFLICTS_SHEET, ResolveError, read_choices
    from ..compare.resolve import resolve_plan
    from ..errors import EXIT_FINDINGS, EXIT_OK
    from ..loading import sheet_rows
    from ..reader import read_plan
    from ..writer import write_plan
    from ._common import check_output_file, load_rules_vocabulary

    check_output_file(output, (source,), overwrite=overwrite)
    vocabulary = load_rules_vocabulary(rules_dir)
    plan = read_plan(source)
    rows = sheet_rows(source, CONFLICTS_SHEET)
    if rows is None:
        raise ResolveError(f"{source} : pas de feuille « {CONFLICTS_SHEET} » : aucun conflit à "
                           "régler (fusion sans conflit, ou conflits déjà réglés)")
    resolution = resolve_plan(plan, read_choices(rows, str(source)), str(source))
    green = resolved_marks(resolution.resolved)
    if resolution.remaining:
        extra = (conflicts_sheet(resolution.remaining, merged=len(green), resolved=True,
                                 resolve_hint=_resolve_hint(output),
                                 title=f"Conflits restants : {len(resolution.remaining)}"),)
    elif green:
        extra = (summary_sheet("Conflits réglés", [
            f"{plural(len(resolution.resolved), 'conflit')} de « {source.name} » "
            f"{agree(len(resolution.resolved), 'réglé')} par ctgxl merge --resoudre."],
            merged=len(green), resolved=True),)
    else:
        extra = ()
    write_plan(resolution.plan, output, vocabulary=vocabulary,
               marks={**green, **conflict_marks(resolution.remaining)}, extra_sheets=extra)
    if fmt == "json":
        from ..compare.serialize import resolution_to_dict

        echo_json(resolution_to_dict(resolution, str(source), str(output), conflict_cell))
    else:
        from ..compare.report import resolve_lines

        echo_reading_notes([(source, plan)])
        for line in resolve_lines(resolution, str(source), str(output), conflict_cell):
            echo(line)
    return EXIT_FINDINGS if resolution.remaining else EXIT_OK
