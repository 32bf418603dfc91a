"""``ctgxl merge BASE LOCAL DISTANT -o FUSION.xlsx``: three-way merge of two edited copies."""

from __future__ import annotations

from pathlib import Path

import click

from ._common import echo_json, overwrite_option, rules_option
from .diff import FORMATS, echo_reading_notes


@click.command("merge")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("local", type=click.Path(path_type=Path))
@click.argument("remote", type=click.Path(path_type=Path), metavar="DISTANT")
@click.option("-o", "--sortie", "output", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FICHIER.xlsx",
              required=True, help="Classeur fusionné à écrire (.xlsx).")
@click.option("--preferer", "prefer", type=click.Choice(["local", "distant"]), default="local",
              show_default=True,
              help="Version dont la valeur est conservée dans une cellule en conflit.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="texte", show_default=True,
              help="Format du compte rendu affiché : texte lisible ou JSON (schéma décrit dans "
                   "docs/diff-merge.md).")
@overwrite_option
@rules_option
@click.pass_context
def command(ctx: click.Context, base: Path, local: Path, remote: Path, output: Path, prefer: str,
            fmt: str, overwrite: bool, rules_dir: Path | None) -> None:
    """Fusionner deux versions modifiées d'un même classeur (fusion à trois).

    BASE est la version de départ, LOCAL et DISTANT deux copies modifiées
    chacune de leur côté. Les changements de chaque copie sont appliqués champ
    par champ. Il y a conflit quand les deux copies ont changé la même cellule
    différemment, ou quand l'une a supprimé une ligne que l'autre a modifiée :
    la valeur de LOCAL est alors conservée (ou celle de DISTANT avec
    --preferer distant), la cellule est surlignée en orange avec un commentaire
    et la feuille « Conflits » du classeur fusionné liste chaque conflit avec un
    lien vers sa cellule.

    Codes de sortie : 0 fusion sans conflit ; 1 conflits à régler ; 2 fichier
    inutilisable.
    """
    from ..compare import merge_plans
    from ..compare.conflicts_sheet import conflict_cells, conflict_marks, conflicts_sheet
    from ..errors import EXIT_FINDINGS, EXIT_OK
    from ..reader import read_plan
    from ..writer import write_plan
    from ._common import check_output_file, load_rules_vocabulary

    check_output_file(output, (base, local, remote), overwrite=overwrite)
    vocabulary = load_rules_vocabulary(rules_dir)
    plans = tuple(read_plan(p) for p in (base, local, remote))
    result = merge_plans(*plans, prefer=prefer)
    extra = (conflicts_sheet(result),) if result.conflicts else ()
    write_plan(result.plan, output, vocabulary=vocabulary, marks=conflict_marks(result),
               extra_sheets=extra)
    cells = conflict_cells(result)
    names = (str(base), str(local), str(remote))
    if fmt == "json":
        from ..compare.serialize import merge_to_dict

        document = merge_to_dict(result, names, str(output), plans, cells)
        echo_json(document)
    else:
        from ..compare.report import merge_lines

        echo_reading_notes(zip((base, local, remote), plans))
        for line in merge_lines(result, names, str(output), cells):
            click.echo(line)
    ctx.exit(EXIT_FINDINGS if result.conflicts or result.notes else EXIT_OK)
