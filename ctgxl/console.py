"""What ctgxl prints: any console encoding, no wrapping into files, progress on terminals only.

French Windows consoles use cp850 or cp1252, a redirected output may be
ASCII: a character the encoding cannot show (▲, →, box lines, œ…) is
replaced by a look-alike (^, ->, -, oe) instead of crashing. Output that is
not a terminal (a file, a pipe) is not wrapped at 80 columns: a table row or
a suggested command stays on one line. Progress bars go to stderr, and only
when stderr is a terminal.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from contextlib import contextmanager

ERRORS = "ctgxl-replace"
UNWRAPPED_WIDTH = 4000   # "no wrapping" for rich, which needs some width

LOOK_ALIKES = {
    "▲": "^", "▼": "v", "●": "*", "•": "*", "■": "#", "◆": "*", "✓": "v", "✔": "v",
    "✗": "x", "✘": "x", "✖": "x", "ℹ": "i", "⚠": "!", "≈": "~", "›": ">", "‹": "<",
    "·": "-", "⏎": "/", "→": "->", "←": "<-", "↔": "<->", "⇒": "=>",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'",
    "—": "-", "–": "-", "‑": "-", "…": "...", "≥": ">=", "≤": "<=", "≠": "!=", "×": "x",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE",
    "€": "EUR", "°": "o", "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+",
    "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+", "═": "=",
    "║": "|", "╭": "+", "╮": "+", "╯": "+", "╰": "+", "█": "#", "░": ".", "▕": "|", "▏": "|",
}


def look_alike(char: str) -> str:
    """An ASCII stand-in for ``char``: a table entry, the letter without its accent, or « ? »."""
    if char in LOOK_ALIKES:
        return LOOK_ALIKES[char]
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if base and base.isascii() else "?"


def _replace(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start:error.end]
    return "".join(look_alike(c) for c in text), error.end


codecs.register_error(ERRORS, _replace)


def install() -> None:
    """Make stdout and stderr replace what their encoding cannot show (called by the CLI)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=ERRORS)
            except (ValueError, OSError):  # pragma: no cover - closed or exotic stream
                pass
    _keep_click_on_our_streams()


def _keep_click_on_our_streams() -> None:
    """click.echo re-wraps an ASCII stdout as UTF-8 (it takes ASCII for a misconfigured
    locale), which an ASCII reader then shows as « ThÃ©matique ». The encoding asked for
    (``PYTHONIOENCODING=ascii``) is kept instead, with our replacements.

    This uses click's private ``_compat._stream_is_misconfigured``; ``tests/test_console.py``
    fails loudly if click drops it.
    """
    import click._compat as compat

    if hasattr(compat, "_stream_is_misconfigured"):
        compat._stream_is_misconfigured = lambda stream: False


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(*, stderr: bool = False):
    """A rich console on stdout (or stderr): terminal width on a terminal, no wrapping otherwise."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None if is_terminal(stream) else UNWRAPPED_WIDTH
    return Console(file=stream, highlight=False, soft_wrap=False, width=width)


@contextmanager
def progress(total: int, description: str, *, minimum: int = 2):
    """A progress bar on stderr, shown only on a terminal and for ``minimum`` items or more.

    Yields ``advance()``, to call once per item done.
    """
    if total < minimum or not is_terminal(sys.stderr):
        yield lambda: None
        return
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=make_console(stderr=True),
                  transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
