"""« Fiches actions »: plans written one action at a time, turned into action tables.

Many territories write their CTG plan as one fiche per action rather than one table per
objectif. Three layouts are read (``fiche_table.py``, ``fiche_text.py``):

- one small table per action, labels on the left (two columns) or two « label | value »
  pairs side by side (four columns), with a title row on top (« Fiche action n°3 : … »,
  « THÉMATIQUE : JEUNESSE »); a label merged over several rows keeps every value;
- « Libellé : valeur » paragraphs after a title paragraph (« Action 1.2.1 – … », « Fiche
  n°4 : … »), a value going on over the paragraphs and list items that follow its label;
- either one, under headings of the document itself (« Thématique 2 : Jeunesse »,
  « Enjeu 1 – … », « Objectif 1.2 : … »), which the importer reads as in any plan.

The labels are recognised with the importer's header vocabulary (``header.py``: « Pilote »
is the porteur, « Calendrier » the échéances, « Budget » the moyens financiers…) plus the
words of the hierarchy (thématique, axe, enjeu, objectif) and of the action's number and
description. A run of fiches becomes what the grid importer knows: heading paragraphs when
the thématique, the axe or the objectif a fiche names changes, then one action table (a
header row, one row per fiche, each keeping its fiche's place for the report, and the units
of text it was made from, for the accounting of ``ledger.py``).

Decisions, each written in the import report:

- a label the vocabulary does not know (« Territoire », « Lieu ») is kept, as
  « Libellé : valeur », in the action's Commentaire (``fiche-champ-inconnu``);
- a description (« Description », « Contenu », « Objectifs de l'action ») is added to the
  intitulé on its own line, as plans written in grids do;
- « Moyens » alone (no humains / techniques / financiers) goes to Moyens humains;
- an objectif opérationnel written with its code (« OO2 – Informer les familles ») is added
  to the objectif's operational objectives; one without a code stays in the Commentaire;
- an axe or an objectif named without a number gets the next number in the order the
  fiches give (``fiche-numero-attribue``); « Enjeu 1 », « Axe II », « Objectif 1.2 » keep
  their numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocabulary import fold

_HEADERS = {   # key -> header text the grid importer recognises, in the order of the columns
    "intitule": "ACTIONS", "oo": "OO", "porteur": "PORTEUR DE PROJETS",
    "public": "PUBLIC VISE", "echeances": "ECHEANCES DE REALISATION CALENDRIER",
    "partenaires": "PARTENAIRES", "moyens_humains": "MOYENS HUMAINS",
    "moyens_techniques": "MOYENS TECHNIQUES", "moyens_financiers": "MOYENS FINANCIERS",
    "indicateurs": "INDICATEURS EVALUATION", "parcours": "PARCOURS", "statut": "STATUT",
    "commentaire": "COMMENTAIRE",
}
_HIERARCHY = (   # folded label prefix -> role
    ("thematique", "thematique"), ("service", "thematique"),
    ("axe", "axe"), ("orientation", "axe"), ("enjeu", "axe"), ("priorite", "axe"),
    ("objectif operationnel", "oo"), ("objectifs operationnels", "oo"),
    ("objectif intermediaire", "objectif"), ("objectif general", "objectif"),
    ("objectif strategique", "objectif"), ("objectif", "objectif"),
    ("n", "numero"), ("numero", "numero"), ("fiche", "numero"),
    ("action", "intitule"), ("nom de l action", "intitule"), ("titre de l action", "intitule"),
    ("libelle de l action", "intitule"), ("intitule", "intitule"),
    ("cout", "moyens_financiers"), ("budget", "moyens_financiers"),
    ("financement", "moyens_financiers"), ("moyens materiels", "moyens_techniques"),
    ("duree", "echeances"), ("periode", "echeances"), ("date", "echeances"),
    ("beneficiaires", "public"), ("publics", "public"),
    ("description", "description"), ("descriptif", "description"),
    ("contenu", "description"), ("objectifs de l action", "description"),
    ("deroulement", "description"), ("modalites", "description"),
    ("presentation", "description"),
    ("criteres d evaluation", "indicateurs"), ("evaluation", "indicateurs"),
    ("observations", "commentaire"), ("remarques", "commentaire"),
)
HIERARCHY_ROLES = ("thematique", "axe", "objectif")
_FICHE_TITLE = re.compile(
    r"^\s*(?:fiche(?:\s+action)?|action)\b\s*(?:n\s*°|no\b\.?|num[eé]ro)?\s*"
    r"(?P<num>\d{1,3}(?:\.\d{1,3})*)?\s*(?P<sep>[.:–—-])?\s*(?P<title>.*)$", re.I | re.S)
_CODED = re.compile(
    r"^\s*(?P<word>(?:axe|enjeu|orientation|priorit[eé]|objectif|th[eé]matique)\w*"
    r"(?:\s+(?:strat\w*|interm\w*|g[eé]n[eé]\w*))?\s*)?(?:n\s*°\s*|no\.?\s+)?"
    r"(?P<code>[IVXLC]+|\d{1,2}(?:\.\d{1,2})*|[A-Z])(?=$|[\s.:–—\-)])[\s.:–—\-)]*"
    r"(?P<label>.*)$", re.I | re.S)
_LABEL_LINE = re.compile(r"^\s*(?P<label>[^:\n]{2,60}?)\s*:\s*(?P<value>.*)$", re.S)
MIN_KNOWN_LABELS = 3


def label_role(label: str) -> str | None:
    """The field (catalogue key) or hierarchy role of a fiche label, or None."""
    from .header import GROUP, header_key

    words = fold(label).rstrip(" :")
    if not words or len(label) > 80:
        return None
    for prefix, role in _HIERARCHY:
        if words == prefix or words.startswith(prefix + " "):
            return role
    found = header_key(label.rstrip(" :"))
    if found is None:
        return None
    return "moyens_humains" if found[0] == GROUP else found[0]


def split_label(text: str) -> tuple[str, str] | None:
    """« Pilote : Service enfance » → (« Pilote », « Service enfance »), when the label is
    one a fiche uses; « Pilote⇥Service enfance » (aligned with a tab) too."""
    if "\t" in text:
        label, _, value = text.partition("\t")
        if label_role(label) is not None:
            return label.strip().rstrip(" :"), value.replace("\t", " ").strip()
    match = _LABEL_LINE.match(text)
    if match and label_role(match.group("label")) is not None \
            and not any(ch.isdigit() for ch in match.group("label")):
        # « Objectif 1.2 : … » is a heading, « Objectif : … » a rubric
        return match.group("label").strip(), match.group("value").strip()
    return None


def fiche_title(text: str) -> tuple[str | None, str] | None:
    """« Fiche action n°3 : Créer… », « Action 1.2.1 – Ouvrir… » → (number, title)."""
    match = _FICHE_TITLE.match(text)
    if not match or not (match.group("num") or match.group("sep")):
        return None
    return match.group("num"), match.group("title").strip()


def split_code(text: str) -> tuple[str | None, str]:
    """« Enjeu 1 : Favoriser… » → (« 1 », « Favoriser… »); « II – Accompagner » → (« II », …);
    « Objectif 1.2 Développer » → (« 1.2 », …); a letter is a code only after its keyword."""
    match = _CODED.match(text)
    if not match or (len(match.group("code")) == 1 and match.group("code").isalpha()
                     and match.group("code").upper() not in "IVX" and not match.group("word")):
        return None, text.strip()
    code = match.group("code")
    return (code.upper() if not code[0].isdigit() else code), match.group("label").strip()


@dataclass
class Field:
    """One rubric of a fiche: its label, its role, its value's lines and the units of text
    (label and value) it was read from."""

    label: str
    role: str | None
    lines: list[str] = field(default_factory=list)
    units: list[tuple] = field(default_factory=list)

    @property
    def value(self) -> str:
        return "\n".join(line for line in self.lines if line)


@dataclass
class Fiche:
    place: str                              # where the fiche starts in the document
    fields: list[Field] = field(default_factory=list)
    number: str | None = None
    titles: list[str] = field(default_factory=list)     # title lines without a label
    units: list[tuple] = field(default_factory=list)    # units of the title lines
    notes: list[tuple[str, str]] = field(default_factory=list)   # (code, message)
    vocabulary: object = None               # the thématiques headings are matched against

    def known(self) -> int:
        return sum(1 for f in self.fields if f.role is not None)

    def has_title(self) -> bool:
        return bool(self.titles) or any(f.role == "intitule" and f.value for f in self.fields)

    def title_line(self, text: str, units: list[tuple]) -> None:
        """A line above the fiche's rubrics: « Fiche action n°3 : … », « THÉMATIQUE :
        JEUNESSE », a heading (« Axe 2 – … »), or the action's title."""
        from .patterns import parse_heading

        self.units.extend(units)
        pair = split_label(text)
        if pair is not None:
            self.add(pair[0], pair[1], [])
            return
        titled = fiche_title(text)
        if titled is not None:
            self.number = self.number or titled[0]
            if titled[1]:
                self.titles.append(titled[1])
            return
        heading = parse_heading(text, self.vocabulary or _vocabulary())
        if heading is not None and heading.kind in ("thematique", "axe", "objectif", "group"):
            role = {"group": "axe"}.get(heading.kind, heading.kind)
            value = (heading.label or "") if role == "thematique" else \
                f"{heading.code or ''} {heading.label or ''}".strip()
            self.fields.append(Field(text, role, [value]))
            return
        self.titles.append(text)

    def add(self, label: str, value: str, units: list[tuple]) -> Field:
        rubric = Field(label, label_role(label), [value] if value else [], list(units))
        self.fields.append(rubric)
        return rubric

    def hierarchy(self, role: str) -> str | None:
        values = [f.value for f in self.fields if f.role == role and f.value]
        return values[-1] if values else None


def read_fiche(table, vocabulary=None) -> Fiche | None:
    """The fiche a table holds, or None (``fiche_table.read_fiche``)."""
    from .fiche_table import read_fiche as read

    return read(table, vocabulary)


def _vocabulary():
    from ..vocabulary import load_vocabulary

    return load_vocabulary()


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


def _paragraph_units(paragraph) -> list[tuple]:
    return [(paragraph.index, 0, c) for c, t in enumerate(paragraph.text.split("\t"))
            if t.strip()]


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
