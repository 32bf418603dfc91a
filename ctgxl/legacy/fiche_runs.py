"""Runs of fiches actions turned into what the grid importer reads (see ``fiche.py``).

``fiches_to_tables`` walks the document's blocks: a fiche (a table, ``fiche_table.py``, or a
run of paragraphs, ``fiche_text.py``) joins the current run; heading paragraphs are written
when the thématique, axe or objectif a fiche names changes (the document's own axe and
objectif headings are held until the next fiche, so that a thématique named inside a fiche
comes before them); anything else ends the run, which becomes one action table whose cells
keep the units of text they were made from.
"""

from __future__ import annotations

import re

from ..vocabulary import fold
from .fiche import (_HEADERS, HIERARCHY_ROLES, Fiche, _paragraph_units, _vocabulary,
                    fiche_title, split_code)


def fiches_to_tables(blocks: list, vocabulary=None) -> list:
    """``blocks`` (word.Paragraph and word.Table, placed) with each run of fiches replaced by
    heading paragraphs and one action table per run under the same headings; ``vocabulary``
    gives the thématiques (the default lists when None)."""
    from .fiche_table import read_fiche as read_table_fiche
    from .fiche_text import paragraph_fiches
    from .patterns import parse_heading
    from .word import Paragraph, Table

    vocabulary = vocabulary or _vocabulary()
    out: list = []
    numbers: dict[tuple, dict[str, str]] = {}    # codes given to axes / objectifs without one
    context: dict[str, str | None] = {r: None for r in HIERARCHY_ROLES}
    group: list[Fiche] = []
    # The document's own axe and objectif headings, held until what follows them is known:
    # when the next fiche names its thématique, that thématique comes first (an « AXE 1 »
    # heading above a fiche saying « Thématique : Parentalité » is an axe of Parentalité).
    held: list = []

    def flush() -> None:
        if group:
            out.extend(_action_table(group))
            group.clear()

    pending: Paragraph | None = None     # « Fiche action n°3 : … » written above its table
    for block in paragraph_fiches(blocks, vocabulary):
        fiche = block if isinstance(block, Fiche) else (
            read_table_fiche(block, vocabulary) if isinstance(block, Table) else None)
        if fiche is None:
            if isinstance(block, Paragraph):
                if not block.text.strip() and (group or pending or held):
                    if held:                # kept in order with the headings held
                        held.append(block)
                    continue   # empty paragraphs between fiches
                if fiche_title(block.text) is not None and fold(block.text).startswith("fiche"):
                    if pending is not None:
                        flush()
                        out.append(pending)
                    pending = block
                    continue
                heading = parse_heading(block.text.replace("\t", " ").strip(), vocabulary)
                if heading is not None:
                    flush()
                    if pending is not None:
                        out.append(pending)
                        pending = None
                    if heading.kind == "thematique":
                        out.extend(held)
                        held.clear()
                        out.append(block)
                        context.update({"thematique": _thematique_key(
                            heading.label or "", vocabulary), "axe": None, "objectif": None})
                    else:
                        held.append(block)
                        context.update({"axe": None, "objectif": None} if heading.kind != "objectif"
                                       else {"objectif": None})
                    continue
            flush()
            out.extend(held)
            held.clear()
            if pending is not None:
                out.append(pending)
                pending = None
            out.append(block)
            continue
        if pending is not None:
            number, title = fiche_title(pending.text) or (None, "")
            fiche.number = fiche.number or number
            if title and not fiche.has_title():
                fiche.titles.insert(0, title)
            fiche.units.extend(_paragraph_units(pending))
            pending = None
        headings = _headings(fiche, context, numbers, vocabulary)
        if headings or held:
            flush()
        first = [h for h in headings if h[0].startswith("THEMATIQUE ")]
        out.extend(Paragraph(text, fiche.place, sources=[tuple(units)]) for text, units in first)
        out.extend(held)
        held.clear()
        out.extend(Paragraph(text, fiche.place, sources=[tuple(units)])
                   for text, units in headings if (text, units) not in first)
        group.append(fiche)
    flush()
    out.extend(held)
    if pending is not None:
        out.append(pending)
    return out


def _thematique_key(value: str, vocabulary) -> str:
    """What a thématique's name is compared by: the libellé of the list it names, else its
    folded text."""
    from .patterns import match_thematique, named_thematique

    _, name = split_code(value)
    found = named_thematique(name or value, vocabulary) or match_thematique(name or value,
                                                                           vocabulary)
    return found.libelle if found is not None else fold(name or value)


def _action_table(group: list[Fiche]) -> list:
    """The action table of a run of fiches (with the OO blocks their fiches name first)."""
    from .word import Paragraph, Table

    cells = [_cells(f) for f in group]
    keys = [k for k in _HEADERS if k == "intitule" or any(k in c for c, _ in cells)]
    out: list = []
    for fiche, (_, blocks) in zip(group, cells):
        out.extend(Paragraph(text, fiche.place, sources=[(), tuple(units)])
                   for text, units in blocks)
    rows = [[_HEADERS[k] for k in keys]]
    sources: list[list[tuple]] = [[() for _ in keys]]
    places = [f"{group[0].place} (en-tête déduit des fiches)"]
    notes: list[tuple[str, str, str]] = []
    for fiche, (values, _) in zip(group, cells):
        rows.append([values.get(k, ("", []))[0] for k in keys])
        sources.append([tuple(values.get(k, ("", []))[1]) for k in keys])
        places.append(fiche.place)
        notes.extend((fiche.place, code, message) for code, message in fiche.notes)
    out.append(Table(rows, places, notes=notes, sources=sources))
    return out


def _cells(fiche: Fiche) -> tuple[dict[str, tuple[str, list]], list[tuple[str, list]]]:
    """The action-table cells of a fiche (key -> text, units) and the OO block rows
    (« OBJECTIFS OPERATIONNELS⇥OO2 … ») it adds to its objectif."""
    from .patterns import OO_LABEL, is_oo_numbers

    values: dict[str, tuple[str, list]] = {}
    blocks: list[tuple[str, list]] = []

    def put(key: str, text: str, units: list) -> None:
        before, had = values.get(key, ("", []))
        values[key] = (f"{before}\n{text}" if before and text else before or text, had + units)

    titles = [(t, []) for t in fiche.titles]
    intitules: list[tuple[str, list]] = []
    descriptions: list[tuple[str, list]] = []
    structure = list(fiche.units)        # title lines, hierarchy, empty rubrics
    for rubric in fiche.fields:
        text = rubric.value.replace("\t", " ")
        if rubric.role in HIERARCHY_ROLES or rubric.role == "numero" or not text:
            structure.extend(rubric.units)
            if rubric.role == "numero" and text:
                digits = re.search(r"\d{1,3}(?:\.\d{1,3})*", text)
                fiche.number = digits.group(0) if digits else fiche.number
            continue
        if rubric.role == "intitule":
            intitules.append((text, rubric.units))
        elif rubric.role == "description":
            descriptions.append((text, rubric.units))
        elif rubric.role == "oo" and OO_LABEL.match(text):
            blocks.append((f"OBJECTIFS OPERATIONNELS\t{text}", rubric.units))
            put("oo", " ".join(re.findall(r"(?i)OO\s*(\d{1,2})", text)), [])
        elif rubric.role == "oo" and is_oo_numbers(text):
            put("oo", text, rubric.units)
        elif rubric.role in _HEADERS and rubric.role != "oo":
            put(rubric.role, text, rubric.units)
        else:
            label = rubric.label.rstrip(" :")
            put("commentaire", f"{label} : {text}", rubric.units)
            if rubric.role is None:
                fiche.notes.append(("fiche-champ-inconnu",
                                    f"Rubrique « {label} » de la fiche : gardée dans le "
                                    "commentaire de l'action."))
    title = titles + intitules + descriptions
    heading = "\n".join(t for t, _ in title if t)
    if fiche.number:     # « 3. Titre »; a reference « 1.2.1 Titre » as printed
        heading = (f"{fiche.number}{'' if '.' in fiche.number else '.'} {heading}"
                   if heading else fiche.number)
    values["intitule"] = (heading, [u for _, units in title for u in units] + structure)
    return values, blocks


def _headings(fiche: Fiche, context: dict, numbers: dict,
              vocabulary) -> list[tuple[str, list]]:
    """Heading paragraphs (text, units) to write before ``fiche``: the levels that change."""
    out: list[tuple[str, list]] = []
    changed = False
    for role, word in (("thematique", "THEMATIQUE"), ("axe", "AXE STRATEGIQUE"),
                       ("objectif", "OBJECTIF INTERMEDIAIRE")):
        value = fiche.hierarchy(role)
        key = _thematique_key(value, vocabulary) if value and role == "thematique" else value
        if value is None or (not changed and key == context[role]):
            continue
        changed = True
        context[role] = key
        units = [u for f in fiche.fields if f.role == role for u in f.units]
        if role == "thematique":
            _, name = split_code(value)
            out.append((f"{word} {name or value}", units))
            continue
        code, label = split_code(value)
        if code is None:
            scope = (role, context["thematique"], context["axe"] if role == "objectif" else None)
            given = numbers.setdefault(scope, {})
            code = given.setdefault(fold(value), _next_code(role, len(given)))
            label = value
            fiche.notes.append(("fiche-numero-attribue",
                                f"{'Axe' if role == 'axe' else 'Objectif'} « {value} » écrit "
                                f"sans numéro : numéro {code} attribué dans l'ordre des fiches."))
        out.append((f"{word} {code} {label}".strip(), units))
    return out


def _next_code(role: str, taken: int) -> str:
    if role == "axe":
        return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")[min(taken, 9)]
    return str(taken + 1)
