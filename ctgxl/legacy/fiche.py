"""« Fiches actions »: one two-column table per action, turned into an action table.

Many territories write their CTG plan as one small table per action, label on the
left, value on the right::

    | Fiche action n°3                                  |
    | Thématique        | Enfance                       |
    | Axe stratégique   | II – Favoriser l'accès…       |
    | Objectif          | 1 – Développer l'offre…       |
    | Intitulé de l'action | Créer un accueil du mercredi |
    | Pilote            | Service enfance               |
    | Public            | 6-11 ans                      |
    | Calendrier        | 2023-2025                     |
    | Partenaires       | CAF, communes                 |
    | Indicateurs       | Nombre d'enfants accueillis   |

The labels are recognised with the importer's header vocabulary (``header.py``:
« Pilote » is the porteur, « Calendrier » the échéances, « Budget » the moyens
financiers, « Coût » too…), plus the words of the hierarchy (thématique, axe, objectif) and of
the action's number and description. A run of fiches becomes what the grid
importer knows: heading paragraphs when the thématique, the axe or the objectif
changes, then one action table (a header row, one row per fiche, each row keeping
its fiche's place « tableau 7, ligne 1 » for the report).

Decisions, each written in the import report:

- a label the vocabulary does not know (« Territoire », « Lieu ») is kept, as
  « Libellé : valeur », in the action's Commentaire (``fiche-champ-inconnu``);
- a description (« Description », « Contenu », « Objectifs de l'action ») is
  added to the intitulé on its own line, as plans written in grids do;
- « Moyens » alone (no humains / techniques / financiers) goes to Moyens humains;
- an axe or an objectif named without a number gets the next number in the
  order the fiches give (``fiche-numero-attribue``).

A table is a fiche when at least three of its rows are « label | value » pairs
with a known label, one of them the intitulé, and no row has more than two
filled cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..vocabulary import fold

MIN_KNOWN_LABELS = 3
_HEADERS = {   # key -> header text the grid importer recognises
    "oo": "OO", "intitule": "ACTIONS", "porteur": "PORTEUR DE PROJETS",
    "public": "PUBLIC VISE", "echeances": "ECHEANCES DE REALISATION CALENDRIER",
    "partenaires": "PARTENAIRES", "moyens_humains": "MOYENS HUMAINS",
    "moyens_techniques": "MOYENS TECHNIQUES", "moyens_financiers": "MOYENS FINANCIERS",
    "indicateurs": "INDICATEURS EVALUATION", "parcours": "PARCOURS", "statut": "STATUT",
    "commentaire": "COMMENTAIRE",
}
_HIERARCHY = (   # folded label prefix -> role
    ("thematique", "thematique"), ("service", "thematique"),
    ("axe", "axe"), ("orientation", "axe"), ("enjeu", "axe"),
    ("objectif intermediaire", "objectif"), ("objectif general", "objectif"),
    ("objectif strategique", "objectif"), ("objectif", "objectif"),
    ("n", "numero"), ("numero", "numero"), ("fiche", "numero"),
    ("cout", "moyens_financiers"), ("duree", "echeances"), ("periode", "echeances"),
    ("description", "description"), ("contenu", "description"),
    ("objectifs de l action", "description"), ("deroulement", "description"),
    ("modalites", "description"), ("presentation", "description"),
)
_FICHE_TITLE = re.compile(r"^\s*fiche(?:\s+action)?\s*(?:n\s*°|no|n°|num[eé]ro)?\s*"
                          r"(?P<num>\d{1,3})?\s*[.:–—-]*\s*(?P<title>.*)$", re.I | re.S)
_CODED = re.compile(r"^\s*(?:(?:axe|objectif)\w*\s*(?:strat\w*|interm\w*|g[eé]n\w*)?\s*)?"
                    r"(?:n\s*°\s*)?(?P<code>[IVXLC]+|\d{1,2})(?=$|[\s.:–—\-)])[\s.:–—\-)]*"
                    r"(?P<label>.*)$", re.I | re.S)


@dataclass
class Fiche:
    table: object                   # the word.Table it was read from
    values: dict[str, str] = field(default_factory=dict)
    number: str | None = None
    thematique: str | None = None
    axe: str | None = None
    objectif: str | None = None
    notes: list[tuple[str, str]] = field(default_factory=list)   # (code, message)


def label_role(label: str) -> str | None:
    """The field (catalogue key) or hierarchy role of a fiche label, or None."""
    from .header import GROUP, header_key

    words = fold(label).rstrip(" :")
    if not words:
        return None
    for prefix, role in _HIERARCHY:
        if words == prefix or words.startswith(prefix + " "):
            if role == "objectif" and "operationnel" in words:
                return "oo"
            return role
    found = header_key(label.rstrip(" :"))
    if found is None:
        return None
    return "moyens_humains" if found[0] == GROUP else found[0]


def read_fiche(table) -> Fiche | None:
    """The fiche a table holds, or None when the table is not a fiche."""
    pairs: list[tuple[str, str]] = []
    title_row: str | None = None
    for number, row in enumerate(table.rows):
        filled = [c for c in row if c.strip()]
        if len(filled) > 2:
            return None
        if not filled:
            continue
        if len(filled) == 1:
            if number == 0 or (not pairs and title_row is None):
                title_row = filled[0]
                continue
            pairs.append((filled[0], ""))
            continue
        pairs.append((filled[0], filled[1]))
    roles = [label_role(label) for label, _ in pairs]
    known = [r for r in roles if r is not None]
    if len(known) < MIN_KNOWN_LABELS or "intitule" not in known:
        return None
    fiche = Fiche(table)
    if title_row:
        match = _FICHE_TITLE.match(title_row)
        if match and fold(title_row).startswith("fiche"):
            fiche.number = match.group("num")
            if match.group("title").strip():
                fiche.values["titre"] = match.group("title").strip()
        else:
            fiche.values["titre"] = title_row.strip()
    unknown: list[str] = []
    for (label, value), role in zip(pairs, roles):
        value = value.strip()
        if role is None:
            if value:
                unknown.append(f"{label.rstrip(' :')} : {value}")
                fiche.notes.append(("fiche-champ-inconnu",
                                    f"Rubrique « {label.rstrip(' :')} » de la fiche : "
                                    "gardée dans le commentaire de l'action."))
            continue
        if not value:
            continue
        if role == "numero":
            digits = re.search(r"\d{1,3}", value)
            fiche.number = digits.group(0) if digits else fiche.number
        elif role in ("thematique", "axe", "objectif"):
            setattr(fiche, role, value)
        elif role == "description":
            fiche.values["description"] = _joined(fiche.values.get("description"), value)
        else:
            fiche.values[role] = _joined(fiche.values.get(role), value)
    if unknown:
        fiche.values["commentaire"] = _joined(fiche.values.get("commentaire"),
                                              "\n".join(unknown))
    return fiche


def _joined(before: str | None, text: str) -> str:
    return f"{before}\n{text}" if before else text


def fiches_to_tables(blocks: list) -> list:
    """``blocks`` (word.Paragraph and word.Table, placed) with each run of fiches replaced by
    heading paragraphs and one action table per objectif."""
    from .word import Paragraph, Table

    out: list = []
    numbers: dict[tuple, dict[str, str]] = {}    # codes given to axes / objectifs without one
    context: dict[str, str | None] = {"thematique": None, "axe": None, "objectif": None}
    group: list[Fiche] = []

    def flush() -> None:
        if not group:
            return
        keys = [k for k in _HEADERS if any(k in f.values for f in group) or k == "intitule"]
        first = group[0].table
        rows = [[_HEADERS[k] for k in keys]]
        places = [f"{first.places[0]} (en-tête déduit des fiches)"]
        notes: list[tuple[str, str, str]] = []
        for fiche in group:
            rows.append([_cell(fiche, k) for k in keys])
            place = fiche.table.places[0]
            places.append(place)
            notes.extend((place, code, message) for code, message in fiche.notes)
        out.append(Table(rows, places, notes=notes))
        group.clear()

    pending: Paragraph | None = None     # « Fiche action n°3 : … » written above its table
    for block in blocks:
        fiche = read_fiche(block) if isinstance(block, Table) else None
        if fiche is None:
            if isinstance(block, Paragraph):
                if not block.text.strip() and (group or pending):
                    continue   # empty paragraphs between fiches
                if fold(block.text).startswith("fiche") and _FICHE_TITLE.match(block.text):
                    if pending is not None:
                        flush()
                        out.append(pending)
                    pending = block
                    continue
            flush()
            if pending is not None:
                out.append(pending)
                pending = None
            out.append(block)
            continue
        if pending is not None:
            match = _FICHE_TITLE.match(pending.text)
            fiche.number = fiche.number or match.group("num")
            if match.group("title").strip() and "titre" not in fiche.values:
                fiche.values["titre"] = match.group("title").strip()
            pending = None
        headings = _headings(fiche, context, numbers)
        if headings:
            flush()
            out.extend(Paragraph(text, fiche.table.places[0]) for text in headings)
        group.append(fiche)
    flush()
    if pending is not None:
        out.append(pending)
    return out


def _cell(fiche: Fiche, key: str) -> str:
    if key != "intitule":
        return fiche.values.get(key, "")
    title = fiche.values.get("intitule") or fiche.values.get("titre") or ""
    if fiche.values.get("description"):
        title = _joined(title, fiche.values["description"])
    return f"{fiche.number}. {title}" if fiche.number else title


def _headings(fiche: Fiche, context: dict, numbers: dict) -> list[str]:
    """Heading paragraphs to write before ``fiche``: the levels that change."""
    out: list[str] = []
    changed = False
    for role, word in (("thematique", "THEMATIQUE"), ("axe", "AXE STRATEGIQUE"),
                       ("objectif", "OBJECTIF INTERMEDIAIRE")):
        value = getattr(fiche, role)
        if value is None or (not changed and value == context[role]):
            continue
        changed = True
        context[role] = value
        if role == "thematique":
            out.append(f"{word} {value}")
            continue
        match = _CODED.match(value)
        if match and match.group("code"):
            code, label = match.group("code"), match.group("label").strip()
        else:
            scope = (role, context["thematique"], context["axe"] if role == "objectif" else None)
            given = numbers.setdefault(scope, {})
            code = given.setdefault(fold(value), _next_code(role, len(given)))
            label = value
            fiche.notes.append(("fiche-numero-attribue",
                                f"{'Axe' if role == 'axe' else 'Objectif'} « {value} » écrit "
                                f"sans numéro : numéro {code} attribué dans l'ordre des fiches."))
        out.append(f"{word} {code} {label}".strip())
    return out


def _next_code(role: str, taken: int) -> str:
    if role == "axe":
        return ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")[min(taken, 9)]
    return str(taken + 1)
