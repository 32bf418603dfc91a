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

click_fr.install()

# name -> (module, short French help shown by ``ctgxl --help``)
COMMANDS: dict[str, tuple[str, str]] = {
    "template": ("ctgxl.commands.template", "Créer un classeur vierge à partir du modèle."),
    "info": ("ctgxl.commands.info", "Résumer le contenu d'un classeur du plan."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[name][0])
        return module.command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, short) in COMMANDS.items()]
        with formatter.section("Commandes"):
            formatter.write_dl(rows)


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(cls=LazyGroup, context_settings=CONTEXT)
@click.version_option(__version__, "--version", message="ctgxl %(version)s",
                      help="Afficher la version et quitter.")
@click.option("--debug", is_flag=True, help="Afficher la trace complète en cas d'erreur.")
@click.pass_context
def group(ctx: click.Context, debug: bool) -> None:
    """ctgxl — le plan d'actions de la Convention Territoriale Globale (CTG) dans Excel.

    Codes de sortie : 0 rien à signaler ; 1 erreurs de contrôle, différences ou
    conflits trouvés ; 2 fichier inutilisable ou commande mal formée ; 3 erreur
    interne de ctgxl.
    """
    ctx.obj = {"debug": debug}


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the group, turning errors into one French line."""
    from .errors import EXIT_INTERNAL, CtgxlError

    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        group.main(args=argv, prog_name="ctgxl", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("ctgxl : interrompu.", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except CtgxlError as exc:
        if debug:
            raise
        click.echo(f"ctgxl : erreur : {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("ctgxl : interrompu.", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last line of defence, no traceback for users
        if debug:
            raise
        click.echo(
            f"ctgxl : erreur interne ({type(exc).__name__} : {exc}). "
            "Relancez avec --debug et signalez le problème.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)
    sys.exit(0)
