"""What ctgxl prints: any console encoding, no wrapping into files, progress on terminals only.

French Windows consoles use cp850 or cp1252, a redirected output may be
ASCII: a character the encoding cannot show (▲, →, box lines, œ…) is
replaced by a look-alike (^, ->, -, oe) instead of crashing. Output that is
not a terminal (a file, a pipe) is not wrapped at 80 columns: a table row or
a suggested command stays on one line. Progress bars go to stderr, and only
when stderr is a terminal.

A file name is printed harmless (``harmless``): its control characters (ESC
sequences would recolour or rewrite the terminal) become « ? », its bytes that
are not UTF-8 « � ». Rich consoles (``make_console``) and ``echo`` do it.
"""

from __future__ import annotations

import codecs
import functools
import re
import sys
import unicodedata
from contextlib import contextmanager

ERRORS = "ctgxl-replace"
REPLACEMENT = "\ufffd"   # « � »: a byte of a file name that is not UTF-8 (see values.encodable)
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
    return "".join(_stand_in(c, error.encoding) for c in text), error.end


def _stand_in(char: str, encoding: str) -> str:
    if "\ud800" <= char <= "\udfff":   # a byte of a file name that is not UTF-8
        return REPLACEMENT if _encodes(REPLACEMENT, encoding) else "?"
    return look_alike(char)


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


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


# What must not reach a terminal as it is: control characters (ESC starts the sequences that
# recolour or rewrite the screen; C1 holds a one-byte ESC [), line breaks and tabs aside.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def harmless(text: str) -> str:
    """``text`` safe to print: each control character (a file name holding ESC) becomes « ? »,
    each undecodable byte of a file name « � » (``values.encodable``); line breaks and tabs
    are kept."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: "?" if m.group() < "\ud800" else REPLACEMENT, text)


def echo(message: object = "", *, err: bool = False) -> None:
    """``click.echo`` of a line that may quote a file name or a cell (``harmless``)."""
    import click

    click.echo(harmless(str(message)), err=err)


def is_terminal(stream=None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_console(*, stderr: bool = False):
    """A rich console on stdout (or stderr): terminal width on a terminal, no wrapping otherwise."""
    stream = sys.stderr if stderr else sys.stdout
    width = None if is_terminal(stream) else UNWRAPPED_WIDTH
    return _harmless_console()(file=stream, highlight=False, soft_wrap=False, width=width)


@functools.cache
def _harmless_console():
    """A rich ``Console`` whose text passes through ``harmless``: rich keeps the control
    characters of a text (a file name holding ESC would recolour the terminal); its own
    styles are added afterwards and stay."""
    from rich.console import Console
    from rich.segment import Segment

    class HarmlessConsole(Console):
        def render(self, renderable, options=None):
            for segment in super().render(renderable, options):
                if not segment.control and _UNSAFE.search(segment.text):
                    segment = Segment(harmless(segment.text), segment.style, segment.control)
                yield segment

    return HarmlessConsole


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
