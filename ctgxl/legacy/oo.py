"""Objectifs opérationnels: read them however they are laid out, then key them.

Legacy plans list the OOs of an objectif in many ways: vertically (« 1 » then
« OO1. label »), number and label in one cell (« 1 OO1. label »), numbers in
one row and labels in the next, spread across columns, numbers without any
label, or labels whose printed code repeats (« OO4 » twice). The parser
collects raw ``OOEntry`` items; ``resolve_oos`` keys them once the objectif is
complete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .header import header_key
from .patterns import BARE_NUMBER, OO_LABEL
from .source import SourceRow


@dataclass
class OOEntry:
    kind: str            # "number" or "label"
    code: int | None
    label: str | None
    col: int
    row: SourceRow
    after_header: bool = False
    same_cell: bool = False  # « 1 OO1. label »


def parse_oo_cells(cells: list[tuple[int, str]], row: SourceRow, *, free_text: bool,
                   after_header: bool) -> list[OOEntry] | None:
    """The OO entries of a row's cells, or None if a cell is not OO material.

    ``free_text`` accepts a label without « OO » after a number (« 1 | Développer… »),
    as written in an explicit « OBJECTIFS OPERATIONNELS » block. Header words
    (« HUMAINS », « MOYENS ») are ignored.
    """
    entries: list[OOEntry] = []
    for col, text in cells:
        if m := OO_LABEL.match(text):
            label = " ".join(m["label"].split()) or None
            entries.append(OOEntry("label", int(m["code"]), label, col, row, after_header,
                                   same_cell=bool(m["num"])))
        elif BARE_NUMBER.match(text):
            entries.append(OOEntry("number", int(text), None, col, row, after_header))
        elif header_key(text) is not None:
            continue
        elif free_text and entries and entries[-1].kind == "number" and entries[-1].row is row:
            number = entries.pop()
            entries.append(OOEntry("label", number.code, " ".join(text.split()), col, row,
                                   after_header, same_cell=False))
        else:
            return None
    return entries


@dataclass(frozen=True)
class ResolvedOO:
    code: str            # "OO1"
    label: str | None


@dataclass(frozen=True)
class OONote:
    row: SourceRow
    code: str
    message: str
    warning: bool


def resolve_oos(entries: list[OOEntry]) -> tuple[list[ResolvedOO], list[OONote]]:
    """Key the OOs of one objectif: codes from labels, numbers, or position.

    A label's own « OOn » prefix gives its code; a label without prefix takes the
    number printed in its column, else the next unused number. When printed
    codes collide (Mont de Marsan, Enfance axe III objectif 2 prints « 1 2 3 4 »
    above the labels « OO2 », « OO3 », « OO4 », « OO4 »), the labels take the
    printed numbers in order if there are as many (OO1 to OO4 here: the
    prefixes were shifted, the lost « OO1 » slot holds the title of action 69,
    and the actions' own OO numbers — 69 and 70 in 1, 71 in 2, 72 in 3, 73 in
    4 — match those labels); otherwise the repeated code takes the next free
    number. Either way the renumbering is reported. Numbers without any label
    give OOs with an empty label, also reported.
    """
    notes: list[OONote] = []
    numbers = [e for e in entries if e.kind == "number"]
    labels = [e for e in entries if e.kind == "label"]
    number_codes = sorted({e.code for e in numbers if e.code is not None})
    printed = [e.code for e in labels if e.code is not None]
    if len(printed) != len(set(printed)):
        counts = Counter(printed)
        twice = sorted(c for c, n in counts.items() if n > 1)
        old = [f"OO{e.code}" for e in labels]
        if len(number_codes) == len(labels):
            for e, code in zip(labels, number_codes, strict=True):
                e.code = code
            how = ("les numéros imprimés au-dessus ("
                   + ", ".join(str(c) for c in number_codes) + ") sont repris dans l'ordre")
        else:
            seen: set[int] = set()
            top = max([*number_codes, *printed])
            for e in labels:
                if e.code in seen:
                    top += 1     # every code seen so far is at most ``top``
                    e.code = top
                seen.add(e.code)  # type: ignore[arg-type]
            how = "le doublon prend le numéro libre suivant"
        new = [f"OO{e.code}" for e in labels]
        pairs = zip(old, new, strict=True)
        mapping = ", ".join(f"{a} → {b}" for a, b in pairs if a != b) or "inchangés"
        dup = ", ".join(f"OO{c}" for c in twice)
        notes.append(OONote(labels[0].row, "oo-renumerotes",
                            f"{dup} imprimé plusieurs fois avec des intitulés différents : "
                            f"{how} ({mapping}).", True))
    label_codes = {x.code for x in labels}
    free_numbers = [e for e in numbers if e.code not in label_codes]
    used_top = max((x.code for x in entries if x.code is not None), default=0)
    for e in labels:
        if e.code is None:
            same_col = next((n for n in free_numbers if n.col == e.col), None)
            pick = same_col or (free_numbers[0] if free_numbers else None)
            if pick is not None:
                free_numbers.remove(pick)
                e.code = pick.code
            else:
                used_top += 1
                e.code = used_top
    resolved: dict[int, str | None] = {}
    for e in labels:
        resolved.setdefault(e.code, e.label)  # type: ignore[arg-type]
    missing = []
    for e in numbers:
        if e.code not in resolved:
            resolved[e.code] = None  # type: ignore[index]
            missing.append(e)
    if missing:
        codes = ", ".join(f"OO{e.code}" for e in missing)
        notes.append(OONote(missing[0].row, "oo-sans-intitule",
                            f"Objectifs opérationnels numérotés sans intitulé ({codes}) : "
                            "intitulés laissés vides dans la feuille Plan.", True))
    if any(n > 1 for n in Counter(id(e.row) for e in numbers).values()) or \
            any(n > 1 for n in Counter(id(e.row) for e in labels).values()):
        first = min((e for e in entries), key=lambda e: e.row.line)
        notes.append(OONote(first.row, "oo-en-colonnes",
                            "Objectifs opérationnels écrits côte à côte sur une ligne : "
                            "numéros et intitulés associés.", False))
    if any(e.same_cell for e in labels):
        first = next(e for e in labels if e.same_cell)
        notes.append(OONote(first.row, "oo-numero-et-intitule",
                            "Numéro et intitulé d'objectif opérationnel dans la même cellule "
                            "(« 1 OO1. … »).", False))
    if any(e.after_header for e in entries):
        first = next(e for e in entries if e.after_header)
        notes.append(OONote(first.row, "oo-apres-en-tete",
                            "Objectifs opérationnels écrits sous l'en-tête du tableau des "
                            "actions : rattachés à l'objectif intermédiaire en cours.", False))
    return [ResolvedOO(f"OO{code}", resolved[code]) for code in sorted(resolved)], notes
