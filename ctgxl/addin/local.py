"""Classic local xlwings: the buttons of ``ctgxl.bas`` call these through ``RunPython``.

    RunPython "import ctgxl.addin.local as a; a.verifier()"

Each function takes the calling workbook (``xw.Book.caller()``), runs the
tested action of ``ctgxl.addin`` on it and shows the outcome in a message box.
Nothing here is tested on Linux (no Excel there): keep it this thin.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "ctgxl"


def _caller():
    import xlwings as xw

    return xw.Book.caller()


def _run(book, action) -> None:
    from ..errors import CtgxlError

    try:
        outcome = action()
    except CtgxlError as exc:
        book.app.alert(str(exc), title=TITLE, mode="critical")
        return
    book.app.alert(outcome.message, title=TITLE, mode="info")


def verifier() -> None:
    """Bouton « Vérifier »."""
    from .verifier import verifier as run

    book = _caller()
    _run(book, lambda: run(book))


def comparer(reference: str) -> None:
    """Bouton « Comparer » : ``reference`` est le chemin de la version de référence."""
    from ..errors import UnusableInputError
    from ..reader import read_plan
    from .book import AddinError
    from .comparer import comparer as run

    book = _caller()

    def action():
        try:
            plan = read_plan(Path(reference))
        except UnusableInputError as exc:
            raise AddinError(exc.message) from None
        return run(book, plan, Path(reference).name)

    _run(book, action)


def consolider(*paths: str) -> None:
    """Bouton « Consolider » : classeurs en arguments, sinon ceux de la feuille « Sources »."""
    from .consolider import consolider as run
    from .consolider import listed_sources

    book = _caller()

    def action():
        folder = Path(book.fullname).parent if book.fullname else None
        return run(book, [Path(p) for p in paths] or listed_sources(book, folder))

    _run(book, action)
