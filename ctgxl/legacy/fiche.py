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


def _paragraph_units(paragraph) -> list[tuple]:
    return [(paragraph.index, 0, c) for c, t in enumerate(paragraph.text.split("\t"))
            if t.strip()]


def fiches_to_tables(blocks: list, vocabulary=None) -> list:
    """See ``fiche_runs.fiches_to_tables``."""
    from .fiche_runs import fiches_to_tables as convert

    return convert(blocks, vocabulary)
