"""``ctgxl consolidate FICHIERS... -o pilotage.xlsx``: one master file from the services' workbooks."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from ..console import echo
from ..consolidation.pipeline import validation_status
from ..wording import agree, plural
from ..errors import printable
from ._common import (PROGRESS_MIN_FILES, echo_json, format_option, overwrite_option,
                      rules_option)

LISTED_FILES = 30           # per-file lines printed in the text summary, at most
LISTED_FINDINGS = 50        # checks across files printed, at most (all are in « Sources »)
REFUSAL_LIMIT = 30          # validation findings printed per refused file


@click.command("consolidate")
@click.argument("inputs", nargs=-1, required=True, metavar="FICHIERS...")
@click.option("-o", "--sortie", "output", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Fichier de pilotage à écrire (.xlsx).")
@click.option("--forcer", "force", is_flag=True,
              help="Consolider même si des classeurs ont des erreurs de contrôle (le code de "
                   "sortie reste 1).")
@overwrite_option
@format_option()
@rules_option
def command(inputs: tuple[str, ...], output: Path, force: bool, overwrite: bool, fmt: str,
            rules_dir: Path | None) -> None:
    """Rassembler les classeurs des services dans un fichier de pilotage pour le COPIL.

    FICHIERS : des classeurs (.xlsx, .xlsm, .ods), des dossiers (tous leurs classeurs) ou des
    motifs (« retours/*.xlsx »). Chaque classeur est d'abord contrôlé comme par « ctgxl
    validate » : s'il a des erreurs, rien n'est écrit (sauf avec --forcer). Le fichier de
    pilotage contient toutes les lignes de tous les classeurs, chacune avec son fichier et sa
    ligne d'origine (colonnes « Fichier source » et « Ligne source »), une feuille « Synthèse »
    (chiffres et graphiques), un « Calendrier » des actions et une feuille « Sources ».

    \b
    Codes de sortie :
      0  fichier de pilotage écrit, aucune erreur ;
      1  erreurs de contrôle : rien n'est écrit (avec --forcer : écrit quand même) ;
      2  classeur inutilisable ou commande mal formée.
    """
    from ..consolidation.io import gather_inputs
    from ..runtime import paused_gc
    from ..writer import check_output
    from ._common import check_output_file

    check_output(output)
    paths = gather_inputs(inputs, exclude=[output])
    check_output_file(output, paths, overwrite=overwrite)
    # The rows stay alive until the process ends (reports are built from them): the
    # cyclic garbage collector would only walk them again and again.
    with paused_gc():
        _consolidate(paths, output, force, fmt, rules_dir)


def _consolidate(paths, output: Path, force: bool, fmt: str, rules_dir) -> None:
    from ..consolidation.pipeline import UNUSABLE, consolidate_files
    from ..validation import load_rules

    outcome = consolidate_files(paths, output, rules=load_rules(rules_dir), force=force,
                                reading=lambda: _progress(len(paths)),
                                writing=lambda: _writing(len(paths), output))
    loaded, consolidation = outcome.loaded, outcome.consolidation

    if outcome.status == UNUSABLE:
        for item in outcome.unusable:
            echo(f"ctgxl : erreur : {printable(str(item.path))} : {item.error}", err=True)
        _emit(fmt, outcome, None)
        if len(outcome.unusable) > 1:  # one unusable file: its own line says it all
            unusable = len(outcome.unusable)
            echo(f"ctgxl : consolidation impossible : {_files(unusable)} "
                 f"{agree(unusable, 'inutilisable')}.", err=True)
    elif outcome.refused_for == "validation":
        failing = outcome.failing
        _emit(fmt, outcome,
              lambda console: _render_refusal(console, loaded, failing, outcome.rules))
        names = ", ".join(str(item.path.name) for item in failing[:5])
        more = f" et {plural(len(failing) - 5, 'autre')}" if len(failing) > 5 else ""
        echo(f"ctgxl : consolidation refusée : {_files(len(failing))} sur {len(loaded)} "
             f"{'ont' if len(failing) > 1 else 'a'} des erreurs ({names}{more}). "
             "Corrigez-les ou relancez avec --forcer.", err=True)
    elif outcome.refused_for == "cross_file":
        _emit(fmt, outcome,
              lambda console: _render_written(console, loaded, consolidation, None, None))
        echo(f"ctgxl : consolidation refusée : {plural(len(consolidation.errors), 'erreur')}"
             " entre fichiers (voir ci-dessus). Corrigez-les ou relancez avec --forcer.",
             err=True)
    else:
        _emit(fmt, outcome,
              lambda console: _render_written(console, loaded, consolidation, outcome.summary,
                                              output))
    if outcome.exit_code:
        raise click.exceptions.Exit(outcome.exit_code)


# -- steps -----------------------------------------------------------------------------------

def _progress(total: int):
    """A progress bar on stderr (terminal only) from ``PROGRESS_MIN_FILES`` files."""
    from ..console import progress

    return progress(total, "Lecture et contrôle des classeurs", minimum=PROGRESS_MIN_FILES)


def _writing(total: int, output: Path):
    """A spinner on stderr while a big master is written (same threshold as the bar)."""
    from ..console import is_terminal, make_console

    if total < PROGRESS_MIN_FILES or not is_terminal(sys.stderr):
        return nullcontext()
    return make_console(stderr=True).status(f"Écriture du fichier de pilotage {output.name}…")


# -- output ----------------------------------------------------------------------------------

def _files(count: int) -> str:
    return plural(count, "fichier")


def _emit(fmt: str, outcome, render) -> None:
    if fmt == "json":
        echo_json(outcome.to_dict())
        return
    if render is None:
        return
    from ..console import make_console

    render(make_console())


def _render_refusal(console, loaded, failing, rules) -> None:
    from ..validation.render import render
    from ..validation.report import Report

    # Every file counts in the totals; the findings shown are those of the refused files.
    render(Report(tuple(item.report for item in loaded if item.report is not None),
                  rules.to_dict()), console, limit=REFUSAL_LIMIT,
           detail={item.report.file for item in failing})
    others = len(loaded) - len(failing)
    if others:
        console.print(f"{_files(others)} sans erreur.", highlight=False)
    console.print("Rapport complet et copie annotée à renvoyer au service : ctgxl validate "
                  "FICHIER --annoter COPIE.xlsx", style="dim", highlight=False)


def _render_written(console, loaded, consolidation, summary, output) -> None:
    from rich.markup import escape
    from rich.table import Table

    from ..consolidation.pipeline import severity_counts
    from ..validation.render import print_listed, summary as counts_text

    if len(loaded) <= LISTED_FILES:
        table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
        for header, justify in (("Fichier", "left"), ("Thématique", "left"),
                                ("Actions", "right"), ("Offres", "right"),
                                ("Contrôle", "left")):
            table.add_column(header, justify=justify, no_wrap=header == "Fichier")
        for source, item in zip(consolidation.sources, loaded):
            table.add_row(escape(source.name), escape(source.meta.thematique or "—"),
                          str(source.rows.get("actions", 0)), str(source.rows.get("offres", 0)),
                          escape(validation_status(item.report)))
        console.print(table)
    else:
        from ..validation.report import Report

        counts = Report(tuple(item.report for item in loaded)).counts
        console.print(f"{_files(len(loaded))} {agree(len(loaded), 'lu et contrôlé', 'lus et contrôlés')}"
                      f" : {counts_text(counts)}.",
                      highlight=False)
    console.print()
    if consolidation.findings:
        console.print(f"[bold]Contrôles entre fichiers[/] : "
                      f"{counts_text(severity_counts(consolidation.findings))}", highlight=False)
        print_listed(console, consolidation.findings, LISTED_FINDINGS,
                     "(liste complète : feuille Sources du fichier de pilotage, ou --format "
                     "json).")
    else:
        console.print("Contrôles entre fichiers : rien à signaler.", style="green",
                      highlight=False)
    if output is None:
        return
    master = consolidation.master
    console.print()
    console.print(
        f"Fichier de pilotage écrit : [bold]{escape(str(output))}[/] — "
        f"{plural(len(master.actions), 'action')}, {plural(len(master.offres), 'offre')}, "
        f"{plural(len(master.plan), 'ligne')} de plan, {plural(len(master.suivi), 'ligne')} "
        "de suivi "
        f"(feuilles Synthèse, Calendrier et Sources ajoutées).", highlight=False)
    if any(item.report.counts["erreur"] for item in loaded) or consolidation.errors:
        console.print("Écrit malgré des erreurs (--forcer) : corrigez-les dans les classeurs "
                      "des services.", style="bold red", highlight=False)
