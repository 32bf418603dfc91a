"""Small pieces of French wording shared by every message ctgxl writes."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 fichier``, ``2 fichiers``, ``0 erreur`` (0 and 1 take the singular in French)."""
    return f"{count} {singular if count < 2 else (plural_form or singular + 's')}"


def plural_s(count: int) -> str:
    """The « s » of a plural agreement, for words around a counted noun."""
    return "s" if count > 1 else ""
