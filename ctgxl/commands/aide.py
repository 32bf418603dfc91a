"""``ctgxl aide [SUJET]``: the help of ctgxl, and the guides shipped inside the package.

``ctgxl aide`` is ``ctgxl --help``; ``ctgxl aide validate`` is ``ctgxl validate --help``;
``ctgxl aide validation`` prints the guide ``ctgxl/guides/validation.md`` (the installed
program has no ``docs/`` folder: the guides live in the package).
"""

from __future__ import annotations

from importlib import resources

import click

from ..console import echo

# subject -> guide file; French words a user may try lead to the same guide
GUIDES = {
    "validation": "validation.md", "controle": "validation.md", "contrôle": "validation.md",
    "regles": "validation.md", "règles": "validation.md",
    "comparaison": "diff-merge.md", "diff": "diff-merge.md", "fusion": "diff-merge.md",
    "merge": "diff-merge.md", "diff-merge": "diff-merge.md",
    "consolidation": "consolidation.md", "pilotage": "consolidation.md",
    "decoupage": "consolidation.md", "découpage": "consolidation.md",
    "bilan": "bilan.md", "copil": "bilan.md",
    "export": "export.md", "grist": "export.md", "donnees": "export.md",
    "données": "export.md", "tet": "export.md",
    "complement": "addin.md", "complément": "addin.md", "addin": "addin.md",
    "excel": "addin.md", "serveur": "addin.md",
    "panorama": "panorama.md", "caf": "panorama.md",
}
SUBJECTS = ("validation", "comparaison", "consolidation", "bilan", "export", "complement",
            "panorama")


def guide_text(subject: str) -> str | None:
    """The text of the guide about ``subject`` (None when there is none)."""
    name = GUIDES.get(subject.casefold().strip())
    if name is None:
        return None
    return resources.files("ctgxl").joinpath("guides", name).read_text(encoding="utf-8")


@click.command("aide")
@click.argument("subject", metavar="[SUJET]", required=False)
@click.pass_context
def command(ctx: click.Context, subject: str | None) -> None:
    """Afficher l'aide de ctgxl, d'une commande (« ctgxl aide validate ») ou un guide
    (« ctgxl aide validation »).

    \b
    Guides : validation (contrôles, règles, JSON), comparaison (diff, fusion),
    consolidation (fichier de pilotage, découpage), bilan, export (données
    ouvertes, Grist, Territoires en Transitions), complement (Excel), panorama.

    \b
    Codes de sortie :
      0  aide affichée ;
      2  sujet inconnu.
    """
    parent = ctx.parent
    group = parent.command if parent is not None else None
    if subject is None:
        echo(group.get_help(parent) if group is not None else ctx.get_help())
        return
    command = group.get_command(parent, subject) if group is not None else None
    if command is not None and command.name != "aide":
        with click.Context(command, info_name=command.name, parent=parent) as sub:
            echo(command.get_help(sub))
        return
    text = guide_text(subject)
    if text is None:
        raise click.BadParameter(
            f"pas de guide « {subject} » ; guides : {', '.join(SUBJECTS)} ; ou le nom d'une "
            "commande (ctgxl aide validate)", param_hint="« SUJET »")
    echo(text.rstrip())
