"""Nothing dropped without a word: what became of every piece of the document's text.

The document's text is cut into *units* (``source.Unit``): each non-empty table cell (a merged
cell once) and each non-empty paragraph, or tab-separated part of a paragraph, with where
the user finds it (« tableau 3, ligne 2, colonne 4 », « paragraphe 2 après le tableau 3 »; in
a text export or a sheet, « ligne 12, colonne 3 »). A row of the grid holds units
(``SourceRow.units``: its own cells, or for a fiche action turned into a row of an action
table, the fiche's cells it was made from).

While the importer reads the rows, it marks the units it puts in the plan (``use``): a value
of an action or an offer (intitulé, porteur, indicateurs… — a value identical to one already
imported, or a continuation row merged into its action, counts as imported: its text is in
the plan), or the plan's structure (a thématique, axe or objectif heading and its label, an
objectif opérationnel, a table header, a fiche's labels). Every unit left unmarked goes to
the report's list of *text not imported* (``ImportResult.not_imported``), whole, with its
place.

Characters are counted as the non-whitespace characters of the units' text (``count``:
spaces, tabs and line breaks are not counted, so that the way a cell was wrapped or
indented does not matter): the document's characters are those of all its units, and

    characters imported + characters not imported = characters of the document

for every document, each unit being in exactly one of the two. What a document holds
outside its units is not counted: list numbers and bullets are part of the paragraph they
number (the reader writes them as the word processor shows them), footnotes, comments, text
boxes, headers and footers are not read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .source import SourceRow, Unit


def count(text: str) -> int:
    """The characters of ``text`` that count: all but whitespace."""
    return len("".join(text.split()))     # split() cuts on exactly what isspace() says


@dataclass(frozen=True)
class NotImported:
    """A unit of text that is not in the plan: where it is and all of it."""

    place: str
    text: str
    line: int | None = None
    thematique: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {"place": self.place, "line": self.line, "thematique": self.thematique,
                "text": self.text}


class Ledger:
    """The units of a document and which of them the importer put in the plan."""

    def __init__(self, units: Iterable[Unit], rows: Iterable[SourceRow]) -> None:
        self.units = list(units)
        self.line: dict[tuple, int] = {}          # unit -> line of the first row holding it
        for row in rows:
            for col, text in enumerate(row.cells):
                if text:
                    for unit in row.units(col):
                        self.line.setdefault(unit, row.line)
        self.used: dict[tuple, object] = {}       # unit -> section it was used in
        self.section: object = None               # the section being read (set by the walker)

    @classmethod
    def of_rows(cls, rows: Iterable[SourceRow]) -> Ledger:
        """A ledger whose units are the rows' own cells (a text export, a sheet)."""
        rows = list(rows)
        units = []
        for row in rows:
            many = sum(1 for c in row.cells if c) > 1
            for col, text in enumerate(row.cells):
                if text:
                    place = f"{row.at}, colonne {col + 1}" if many or col else row.at
                    units.extend(Unit(u, place, text) for u in row.units(col))
        return cls(units, rows)

    def use(self, row: SourceRow, cols: Iterable[int] | None = None) -> None:
        """The cells ``cols`` of ``row`` (all its cells when None) went into the plan."""
        for col in (range(len(row.cells)) if cols is None else cols):
            if 0 <= col < len(row.cells) and row.cells[col]:
                for unit in row.units(col):
                    self.used.setdefault(unit, self.section)

    def release(self, row: SourceRow, cols: Iterable[int] | None = None) -> None:
        """Take back ``use``: what was thought imported was not."""
        for col in (range(len(row.cells)) if cols is None else cols):
            if 0 <= col < len(row.cells):
                for unit in row.units(col):
                    self.used.pop(unit, None)

    def release_sections(self, kept: Iterable[object]) -> None:
        """Units used in a section that gives no plan (dropped) were not imported."""
        keep = {id(s) for s in kept} | {id(None)}
        for unit in [u for u, s in self.used.items() if id(s) not in keep]:
            del self.used[unit]

    def not_imported(self, thematique_of) -> tuple[NotImported, ...]:
        """The units not used, in document order; ``thematique_of(line)`` names the thématique
        a line belongs to."""
        out = []
        for unit in self.units:
            if unit.id in self.used:
                continue
            line = self.line.get(unit.id)
            out.append(NotImported(unit.place, unit.text, line,
                                   thematique_of(line) if line is not None else None))
        return tuple(out)

    def characters(self, not_imported: Iterable[NotImported]) -> dict[str, int]:
        """Characters of the document, of its units imported, and of the text not imported
        (see the module docstring)."""
        document = imported = 0
        for unit in self.units:
            n = count(unit.text)
            document += n
            imported += n if unit.id in self.used else 0
        return {"document": document, "importes": imported,
                "non_importes": sum(count(n.text) for n in not_imported)}
