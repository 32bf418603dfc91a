"""Table headers of a legacy plan: which column holds what.

A legacy table names its columns in one or two rows: « PORTEUR DE PROJETS »,
« PUBLIC VISE », « ECHEANCES DE REALISATION CALENDRIER » (also spelt
ECHANGES, ECHANCES, EHEANCES, ECHANES, ECEANCES…), « MOYENS – LEVIERS
D'ACTIONS » spanning « HUMAINS / TECHNIQUES / FINANCIERS » on the next row…
Columns are located from each table's own header, never by fixed position.

Headers are matched against the catalogue (headers and synonyms of the
Actions and Offres sheets), then against the longer forms legacy plans use,
then by a close spelling of their first word. A ``Layout`` is the ordered
list of the table's fields; the data rows are placed from the column of their
action cell (see ``Layout.column_of``), because a Word export often shifts a
whole header row by one column while its sub-header and its data stay put.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field

from ..catalogue import ACTIONS, OFFRES
from ..vocabulary import fold

GROUP = "moyens"
MEANS = ("moyens_humains", "moyens_techniques", "moyens_financiers")
TITLE = "intitule"
# Columns whose presence makes a row a table header.
CORE = frozenset({"porteur", "public", "echeances", "partenaires", "indicateurs", GROUP, *MEANS})
FRAGMENT_KEYS = frozenset({GROUP, "indicateurs", "parcours", *MEANS})

_PREFIXES = (
    ("liste d actions", TITLE), ("liste des actions", TITLE), ("n et intitule", TITLE),
    ("actions", TITLE), ("intitule", TITLE),
    ("exemple d offres", "offre"), ("exemples d offres", "offre"), ("offres", "offre"),
    ("porteur", "porteur"), ("pilote", "porteur"), ("structure pilote", "porteur"),
    ("public", "public"), ("cible", "public"),
    ("partenaire", "partenaires"),
    ("moyens humains", "moyens_humains"), ("moyens techniques", "moyens_techniques"),
    ("moyens financiers", "moyens_financiers"), ("moyens", GROUP),
    ("humains", "moyens_humains"), ("techniques", "moyens_techniques"),
    ("financiers", "moyens_financiers"),
    ("indicateur", "indicateurs"), ("resultats attendus", "indicateurs"),
    ("parcours", "parcours"),
)
_FUZZY_WORDS = {
    "echeances": "echeances", "porteur": "porteur", "partenaires": "partenaires",
    "indicateurs": "indicateurs", "humains": "moyens_humains",
    "techniques": "moyens_techniques", "financiers": "moyens_financiers",
    "parcours": "parcours",
}
_SCHEDULE_WORDS = ("echeance", "echeances", "echeancier", "calendrier")


def _catalogue_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for sheet in (ACTIONS, OFFRES):
        for column in sheet.columns:
            if column.key in ("id_action", "thematique", "axe", "objectif", "numero_offre",
                              "annee_debut", "annee_fin"):
                continue
            for label in (column.header, *column.synonyms):
                lookup.setdefault(fold(label), column.key)
    return lookup


_LOOKUP = _catalogue_lookup()


@dataclass(frozen=True)
class HeaderCell:
    col: int
    key: str
    text: str
    variant: bool = False  # recognised from a misspelt word
    span: int = 1          # columns the cell covers (a merged cell of a .docx/.odt)


@functools.lru_cache(maxsize=8192)
def header_key(text: str) -> tuple[str, bool] | None:
    """(column key or ``moyens``, spelt-differently flag) of a header cell, or None."""
    words = fold(text)
    if not words or len(text) > 90:
        return None
    if words in _LOOKUP:
        return _LOOKUP[words], False
    for prefix, key in _PREFIXES:
        if words == prefix or words.startswith(prefix + " "):
            return key, False
    split = words.split()
    first = split[0]
    if "realisation" in split or "calendrier" in split:
        return "echeances", first not in _SCHEDULE_WORDS
    if len(first) >= 5:
        close = _close_word(first)
        if close:
            return _FUZZY_WORDS[close], True
    return None


@functools.lru_cache(maxsize=8192)
def _close_word(word: str) -> str | None:
    """The header word ``word`` is a misspelling of (« ECHANCES », « PARTENIARES »), or None;
    cached: the first words of a document's cells repeat (« Nombre », « Service »…)."""
    close = difflib.get_close_matches(word, _FUZZY_WORDS, n=1, cutoff=0.8)
    return close[0] if close else None


@dataclass(frozen=True)
class HeaderRow:
    kind: str  # "header", "subheader", "fragment"
    cells: tuple[HeaderCell, ...]
    block_cols: tuple[int, ...] = ()    # « OBJECTIFS OPERATIONNELS » cells of the row


def classify_header(filled: list[tuple[int, str]], row=None) -> HeaderRow | None:
    """Whether a row is a table header, the sub-header of MOYENS, or a stray fragment.

    ``row`` (a ``SourceRow``) gives the columns each cell covers, when they are known."""
    cells = []
    block_cols = []
    others = 0
    for col, text in filled:
        if len(text) > 90:     # never a header (``header_key``): spare folding a long text
            found = None
        elif fold(text) == "objectifs operationnels":
            block_cols.append(col)
            continue
        else:
            found = header_key(text)
        if found is None:
            others += 1
            if others > len(filled) / 2:   # more than half the cells: not a header row
                return None
        else:
            cells.append(HeaderCell(col, found[0], text, found[1],
                                    row.span(col) if row is not None else 1))
    if not cells or others > len(cells) / 2:
        return None
    keys = {c.key for c in cells}
    if keys <= set(MEANS) and len(keys) >= 2 and not others:
        return HeaderRow("subheader", tuple(cells), tuple(block_cols))
    if len(keys & CORE - set(MEANS) - {GROUP, "indicateurs"}) >= 2 or (
            len(keys & CORE) >= 3 and len(cells) >= 4):
        return HeaderRow("header", tuple(cells), tuple(block_cols))
    if keys <= FRAGMENT_KEYS and not others:
        return HeaderRow("fragment", tuple(cells), tuple(block_cols))
    return None


@dataclass
class Layout:
    """The ordered fields of one table; ``title_index`` is the position of the action column."""

    keys: list[str]
    line: int
    header_title_col: int
    title_index: int
    implicit_title: bool = False
    default_means: bool = False
    inherited: list[str] = field(default_factory=list)
    inherited_from: str | None = None   # where the previous header is
    inherited_noted: bool = False
    means_noted: bool = False
    row: object = None  # the SourceRow of the header, for the report

    @property
    def at(self) -> str:
        """Where the header is (« ligne 12 », « tableau 3, ligne 1 »)."""
        return self.row.at if self.row is not None else f"ligne {self.line}"

    @property
    def has_offers(self) -> bool:
        return "offre" in self.keys

    @property
    def has_parcours(self) -> bool:
        return "parcours" in self.keys

    def column_of(self, anchor: int) -> dict[int, str]:
        """Column index -> field, for data whose action cell sits in column ``anchor``."""
        start = anchor - self.title_index
        return {start + i: key for i, key in enumerate(self.keys) if start + i >= 0}


def build_layout(header: HeaderRow, subheader: HeaderRow | None, line: int,
                 previous: Layout | None) -> Layout:
    """The fields of a table from its header row(s); missing trailing ones from ``previous``."""
    keys: list[str] = []
    default_means = False
    cells = sorted(header.cells, key=lambda c: c.col)
    for cell in cells:
        if cell.key == GROUP:
            if subheader is not None:
                keys.extend(c.key for c in sorted(subheader.cells, key=lambda c: c.col)
                            if c.key not in keys)
            else:
                keys.extend(k for k in MEANS if k not in keys)
                default_means = True
        else:
            # A merged header cell names every column under it (a .docx/.odt).
            keys.extend([cell.key] * (cell.span if cell.key != TITLE else 1))
    implicit = TITLE not in keys
    if implicit:
        keys.insert(0, TITLE)
    first_col = cells[0].col
    title_col = next((c.col for c in cells if c.key == TITLE), max(first_col - 1, 0))
    layout = Layout(keys, line, title_col, keys.index(TITLE), implicit, default_means)
    if previous is not None and len(previous.keys) > len(keys) \
            and previous.keys[:len(keys)] == keys:
        layout.inherited = previous.keys[len(keys):]
        layout.keys = keys + layout.inherited
        layout.inherited_from = previous.at
    return layout
