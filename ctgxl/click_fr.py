"""French for click's own messages (usage, help, option errors).

click marks its strings with gettext but ships no catalogue; users of ctgxl
read French, so the CLI swaps click's translation functions for this table.
Unknown strings pass through unchanged.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types
import click.utils

FRENCH = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour obtenir de l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing command.": "Commande manquante.",
    "No such option {name!r}.": "Option inconnue : « {name} ».",
    "No such command {name!r}.": "Commande inconnue : « {name} ».",
    "No such option: {name}": "Option inconnue : « {name} »",
    "Option {name!r} does not take a value.": "L'option « {name} » ne prend pas de valeur.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Aborted!": "Interrompu.",
    "default: {default}": "par défaut : {default}",
    "{name} {filename!r} does not exist.": "{name} « {filename} » introuvable.",
    "{name} {filename!r} is a directory.": "{name} « {filename} » est un dossier.",
    "{name} {filename!r} is a file.": "{name} « {filename} » est un fichier.",
    "{value!r} is not a valid {number_type}.": "« {value} » n'est pas un {number_type} valide.",
    "{value!r} is not a valid boolean.": "« {value} » n'est pas oui/non.",
    "integer": "entier",
    "float": "nombre",
    "{value} is not in the range {range}.": "« {value} » est hors des limites ({range}).",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "required": "obligatoire",
    "{name} {filename!r} is not readable.": "{name} « {filename} » illisible.",
    "{name} {filename!r} is not writable.": "{name} « {filename} » non modifiable.",
    "{name} {filename!r} is not executable.": "{name} « {filename} » non exécutable.",
    "Option {name!r} requires an argument.": "L'option « {name} » attend une valeur.",
    "Argument {name!r} takes {nargs} values.": "L'argument « {name} » attend {nargs} valeurs.",
    "env var: {var}": "variable : {var}",
    "(deprecated)": "(obsolète)",
    "Got unexpected extra argument ({args})": "Argument en trop ({args})",
    "Got unexpected extra arguments ({args})": "Arguments en trop ({args})",
    "Option {name!r} requires {nargs} arguments.": "L'option « {name} » attend {nargs} valeurs.",
    "Did you mean {possibility}?": "Vouliez-vous dire « {possibility} » ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire {possibilities} ?)",
}


def gettext(message: str) -> str:
    return FRENCH.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


# Names of click's value types, shown upper-cased as metavars (TEXTE, ENTIER…).
TYPE_NAMES = {
    "StringParamType": "texte",
    "IntParamType": "entier",
    "IntRange": "entier",
    "FloatParamType": "nombre",
    "FloatRange": "nombre",
    "BoolParamType": "oui/non",
}


def _format_possibilities(possibilities: list[str]) -> str:
    shown = ", ".join(f"« {p} »" for p in sorted(possibilities))
    return f"Vouliez-vous dire {shown} ?"


def _invalid_choice(self, value, ctx) -> str:
    choices = ", ".join(str(c) for c in self._normalized_mapping(ctx=ctx).values())
    return f"« {value} » n'est pas une valeur possible (valeurs : {choices})."


def _describe_range(self) -> str:
    """French for click's « x>=0 », shown in help: « 0 ou plus », « de 1 à 65535 »."""
    low = None if self.min is None else f"{'plus de' if self.min_open else ''} {self.min}".strip()
    high = None if self.max is None else f"{'moins de' if self.max_open else ''} {self.max}".strip()
    if low is None:
        return f"au plus {self.max}" if not self.max_open else f"moins de {self.max}"
    if high is None:
        return f"{self.min} ou plus" if not self.min_open else f"plus de {self.min}"
    return f"de {self.min} à {self.max}"


class FrenchFormatter(click.formatting.HelpFormatter):
    """« Options : » (French spacing) instead of « Options: »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


def _join_param_hints(param_hint) -> str | None:
    """« -o » / « --sortie »: each name in French quotes (click writes « '-o' / '--sortie' »
    when it joins them itself)."""
    if param_hint is not None and not isinstance(param_hint, str):
        return " / ".join(f"« {x} »" for x in param_hint)
    if isinstance(param_hint, str) and param_hint.startswith("'") and param_hint.endswith("'"):
        return " / ".join(f"« {x} »" for x in param_hint[1:-1].split("' / '"))
    return param_hint


def _french_help_record(original):
    """« [par défaut : 200 ; 0 ou plus] »: French spacing in the bracket click appends."""
    def get_help_record(self, ctx):
        record = original(self, ctx)
        if record is None:
            return None
        names, text = record
        start = text.rfind("  [")
        if start != -1 and text.endswith("]"):
            text = text[:start] + text[start:].replace("; ", " ; ")
        return names, text

    get_help_record._french = True
    return get_help_record


def install() -> None:
    if not getattr(click.core.Option.get_help_record, "_french", False):
        click.core.Option.get_help_record = _french_help_record(click.core.Option.get_help_record)
    click.exceptions._format_possibilities = _format_possibilities
    click.exceptions._join_param_hints = _join_param_hints
    click.types.Choice.get_invalid_choice_message = _invalid_choice
    click.types._NumberRangeBase._describe_range = _describe_range
    click.core.Context.formatter_class = FrenchFormatter
    for type_name, french in TYPE_NAMES.items():
        setattr(getattr(click.types, type_name), "name", french)
    for module in (click.core, click.decorators, click.exceptions, click.formatting,
                   click.parser, click.termui, click.types, click.utils):
        module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
