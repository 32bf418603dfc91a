"""The legacy document as the parser sees it: sections, axes, objectifs, printed actions.

These mutable records are internal to the importer: ``grid`` fills them while
walking the rows, ``build`` turns them into canonical ``Plan`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..vocabulary import Thematique
from .oo import OOEntry
from .patterns import ActionLabel
from .source import SourceRow


# The fields of an action or an offer the plan keeps, besides its title, number and OO codes.
DESCRIPTIVE = ("porteur", "public", "echeances", "partenaires", "moyens_humains",
               "moyens_techniques", "moyens_financiers", "indicateurs", "parcours", "statut",
               "commentaire")
KEPT = frozenset(DESCRIPTIVE) | {"offre"}


@dataclass(eq=False)
class Objectif:
    number: str | None
    label: str | None
    row: SourceRow | None
    oo_entries: list[OOEntry] = field(default_factory=list)
    has_actions: bool = False
    header_seen: bool = False


@dataclass(eq=False)
class Axe:
    code: str | None
    label: str | None
    row: SourceRow | None
    inferred: bool = False
    objectifs: list[Objectif] = field(default_factory=list)

    def objectif_numbered(self, number: str | None) -> Objectif | None:
        """The first objectif of this axe numbered ``number``."""
        return first_with(self, self.objectifs, "number", number)


@dataclass(eq=False)
class Offer:
    row: SourceRow
    values: dict[str, str]


@dataclass(eq=False)
class Print:
    """One printing of an action: its title row and, for offer tables, its offer rows.

    ``orphan`` prints are rows of a table without offers whose title cell is
    empty: a lost title, or the second row of the previous action (decided in
    ``build``).
    """

    row: SourceRow
    label: ActionLabel | None
    title: str | None
    axe: Axe | None
    objectif: Objectif | None
    oo: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    offers: list[Offer] = field(default_factory=list)
    with_offers: bool = False
    orphan: bool = False
    in_oo_block: bool = False

    @property
    def number(self) -> int | None:
        return self.label.number if self.label else None

    def add_oo(self, codes: list[str]) -> list[str]:
        """Add codes not yet listed; return those added."""
        added = [c for c in codes if c not in self.oo]
        self.oo.extend(added)
        return added


@dataclass(eq=False)
class Section:
    thematique: Thematique
    row: SourceRow
    axes: list[Axe] = field(default_factory=list)
    prints: list[Print] = field(default_factory=list)

    def axe_named(self, code: str | None) -> Axe | None:
        """The first axe of this section coded ``code``."""
        return first_with(self, self.axes, "code", code)


def first_with(owner: object, items: list, attribute: str, value: object):
    """The first of ``items`` whose ``attribute`` is ``value``, through an index kept on
    ``owner`` that follows ``items`` as they are appended to (lists of axes and objectifs only
    grow): a document with thousands of headings is read in linear time."""
    seen, index = owner.__dict__.setdefault(f"_index_{attribute}", [0, {}])
    for item in items[seen:]:
        index.setdefault(getattr(item, attribute), item)
    owner.__dict__[f"_index_{attribute}"][0] = len(items)
    return index.get(value)


def add_value(values: dict[str, str], key: str, text: str) -> None:
    """Put ``text`` in ``values[key]``, after what is there (never lose a value)."""
    if values.get(key):
        values[key] = f"{values[key]}\n{text}"
    else:
        values[key] = text
