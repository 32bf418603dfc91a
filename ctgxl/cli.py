"""Command line: ``ctgxl COMMANDE …``.

This module imports only click and the standard library so that
``ctgxl --help`` answers at once; each command lives in ``ctgxl.commands``
and is imported only when it runs (or when its own help is asked for).
Commands parse options, make one library call, and render its result;
library exceptions become one French line on stderr and an exit code.
"""

from __future__ import annotations

import importlib
import sys

import click

from . import __version__, click_fr
from .errors import EXIT_INTERNAL, CtgxlError, printable

click_fr.install()

# name -> (module, short French help shown by ``ctgxl --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "template": ("ctgxl.commands.template", "Créer un classeur vierge à partir du modèle."),
    "info": ("ctgxl.commands.info", "Résumer le contenu d'un classeur du plan."),
    "import": ("ctgxl.commands.import_",
               "Importer un plan existant (document Word ou .odt, texte tabulé, tableaux collés)."),
    "diff": ("ctgxl.commands.diff", "Comparer deux versions d'un classeur, action par action."),
    "merge": ("ctgxl.commands.merge",
              "Fusionner deux versions modifiées d'un même classeur (fusion à trois)."),
    "validate": ("ctgxl.commands.validate",
                 "Contrôler un ou plusieurs classeurs et signaler chaque cellule en défaut."),
    "consolidate": ("ctgxl.commands.consolidate",
                    "Rassembler les classeurs des services dans un fichier de pilotage."),
    "split": ("ctgxl.commands.split",
              "Redécouper un fichier de pilotage en un classeur par thématique ou par service."),
    "panorama": ("ctgxl.commands.panorama",
                 "Rassembler les plans de plusieurs territoires en un panorama pour la CAF."),
    "bilan": ("ctgxl.commands.bilan",
              "Écrire le bilan du plan pour le comité de pilotage (document Word, .odt, .pdf)."),
    "export": ("ctgxl.commands.export",
               "Exporter le plan : données ouvertes (CSV, JSON, Parquet + datapackage.json), .ods, "
               "ou import Territoires en Transitions."),
    "regles": ("ctgxl.commands.regles",
               "Copier les règles et les listes fournies dans un dossier, pour les modifier."),
    "serve": ("ctgxl.commands.serve",
              "Démarrer le serveur du complément Excel (boutons Vérifier, Consolider, Comparer)."),
    "aide": ("ctgxl.commands.aide",
             "Afficher l'aide, celle d'une commande ou un guide (ctgxl aide validation)."),
}

# The French name shown beside each command by --help (every one of ALIASES works).
FRENCH_NAMES: dict[str, str] = {
    "template": "modele", "info": "resumer", "import": "importer", "diff": "comparer",
    "merge": "fusionner", "validate": "valider", "consolidate": "consolider",
    "split": "decouper", "export": "exporter", "serve": "servir",
}

# French names accepted for the commands (the first of each is shown by --help).
ALIASES: dict[str, str] = {
    "help": "aide",
    "modele": "template", "modèle": "template", "importer": "import", "comparer": "diff",
    "fusionner": "merge", "valider": "validate", "verifier": "validate", "vérifier": "validate",
    "controler": "validate", "contrôler": "validate", "consolider": "consolidate",
    "decouper": "split", "découper": "split", "regle": "regles", "règles": "regles",
    "servir": "serve", "resumer": "info", "résumer": "info", "exporter": "export",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        name = ALIASES.get(name.casefold(), name)
        if name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[name][0])
        return module.command

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """An unknown command suggests the nearest one (``valide`` -> ``validate``)."""
        name = args[0]
        if self.get_command(ctx, name) is None and not ctx.resilient_parsing:
            from difflib import get_close_matches

            known = [*COMMANDS, *ALIASES]
            near = get_close_matches(name.casefold(), known, n=3, cutoff=0.6)
            near = list(dict.fromkeys(ALIASES.get(n, n) for n in near))
            hint = (" Vouliez-vous dire " + " ou ".join(f"« {n} »" for n in near) + " ?"
                    if near else " Commandes : " + ", ".join(COMMANDS) + ".")
            ctx.fail(f"Commande inconnue : « {name} ».{hint}")
        cmd_name, cmd, rest = super().resolve_command(ctx, args)
        return ALIASES.get(cmd_name.casefold(), cmd_name) if cmd_name else cmd_name, cmd, rest

    def invoke(self, ctx: click.Context):
        """Run the command; a library error becomes one French line and its exit code.

        A one-shot command runs without the cyclic garbage collector (``paused_gc``): its
        objects live until the process ends anyway, and the collector walking a
        100,000-finding report over and over costs half a second. The add-in server is
        long-running and keeps it.
        """
        from contextlib import nullcontext

        from .runtime import paused_gc

        long_running = ctx.invoked_subcommand in LONG_RUNNING
        try:
            with nullcontext() if long_running else paused_gc():
                return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except CtgxlError as exc:
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(f"ctgxl : erreur : {printable(exc.message)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("ctgxl : interrompu.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # output piped into `head` and the like: stop quietly
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - last line of defence: no traceback for users
            if (ctx.obj or {}).get("debug"):
                raise
            click.echo(f"ctgxl : erreur interne ({type(exc).__name__} : {printable(str(exc))}). "
                       "Relancez avec --debug et signalez le problème.", err=True)
            ctx.exit(EXIT_INTERNAL)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(f"{name}, {FRENCH_NAMES[name]}" if name in FRENCH_NAMES else name, short)
                for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commandes"):
            formatter.write_dl(rows)


LONG_RUNNING = {"serve"}   # commands that keep the cyclic garbage collector on
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT,
             subcommand_metavar="COMMANDE [ARGUMENTS]...")
@click.version_option(__version__, "--version", message="ctgxl %(version)s",
                      help="Afficher la version et quitter.")
@click.option("--debug", is_flag=True, help="Afficher la trace complète en cas d'erreur.")
@click.pass_context
def group(ctx: click.Context, debug: bool) -> None:
    """ctgxl — le plan d'actions de la Convention Territoriale Globale (CTG) dans Excel.

    Codes de sortie : 0 rien à signaler ; 1 erreurs de contrôle, différences ou
    conflits trouvés ; 2 fichier inutilisable ou commande mal formée ; 3 erreur
    interne de ctgxl.

    Chaque commande s'appelle aussi par son nom français (ctgxl valider
    enfance.xlsx). Guides : ctgxl aide validation, comparaison, consolidation,
    bilan, export, complement, panorama ; ctgxl aide COMMANDE = ctgxl COMMANDE --help.
    """
    ctx.obj = {"debug": debug}


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``ctgxl`` console script.

    Once the command is done (outputs are written and renamed by then), the
    process ends at once: letting Python tear down pandas and pyarrow costs a
    tenth of a second a service agent would wait for nothing.
    """
    import os

    from . import console

    console.install()
    try:
        group.main(args=argv, prog_name="ctgxl")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
    os._exit(code)
