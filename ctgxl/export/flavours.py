"""The two CSV flavours of an export, what each writes and how its dialect is declared.

Open data (« donnees-ouvertes », RFC 4180): UTF-8 without BOM, comma, double quotes where
needed, CRLF, numbers with a decimal point, every value as the workbook holds it. Office
(« bureautique », for a double-click in a French Excel or LibreOffice Calc): UTF-8 with BOM,
semicolon, every text quoted (Calc proposes comma, semicolon and tab together as separators),
decimal comma, CRLF, the French headers, and a text that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return prefixed with « ' » (OWASP, CSV injection), so that no cell
is taken for a formula. A text that begins with « ' » gets one more, so that ``ctgxl import``
takes exactly one « ' » off every text that begins with one and gives back the values as
they were.
"""

from __future__ import annotations

OPEN_DATA, OFFICE = "donnees-ouvertes", "bureautique"
FLAVOURS = (OPEN_DATA, OFFICE)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralised(text: str) -> str:
    """``text`` that no spreadsheet takes for a formula (OWASP « CSV injection »), and that
    ``restored`` gives back."""
    return "'" + text if text.startswith(FORMULA_STARTS) or text.startswith("'") else text


def restored(text: str) -> str:
    """The text ``neutralised`` was given."""
    return text[1:] if text.startswith("'") else text


def dialect(flavour: str) -> dict:
    """The CSV dialect of ``flavour``, as the Data Package descriptor declares it."""
    return {"delimiter": ";" if flavour == OFFICE else ",", "quoteChar": '"',
            "doubleQuote": True, "lineTerminator": "\r\n", "header": True}
