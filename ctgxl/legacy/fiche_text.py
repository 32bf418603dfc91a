"""A fiche action written as « Libellé : valeur » paragraphs.

::

    Action 1.2.1 – Ouvrir un accueil de loisirs le mercredi      <- the fiche's title
    Pilote : Service enfance                                       <- a rubric
    Public visé : enfants de 3 à 11 ans
    Partenaires : CAF, communes                                    <- (or « Partenaires⇥CAF »)
    Indicateurs :
    - Nombre d'enfants accueillis                                  <- the value goes on
    - Taux de remplissage

A fiche starts at a title paragraph (« Fiche action n°4 : … », « Action 1.2.1 – … »,
« Action : … ») or at an « Intitulé de l'action : … » rubric, and goes on over rubrics whose
label the importer knows; a paragraph that is not a rubric continues the value above it when
it follows it directly (a list item, a second line). It ends at a heading (« Objectif
1.2 : … »), at the next fiche's title, at a table, or at the first other paragraph after an
empty one (« Fait à …, le … » stays outside). It is a fiche when it has a title and at least
``MIN_RUBRICS`` known rubrics besides it; otherwise its paragraphs are left as they were.
"""

from __future__ import annotations

import re

from .fiche import Fiche, _LABEL_LINE, _paragraph_units, _vocabulary, fiche_title, split_label

MIN_RUBRICS = 2
_LIST_ITEM = re.compile(r"^\s*(?:[-–—•·*]|\d{1,3}[.)]|[a-z][.)])\s")


def paragraph_fiches(blocks: list, vocabulary=None) -> list:
    """``blocks`` with each run of paragraphs that is a fiche replaced by its ``Fiche``."""
    from .word import Paragraph

    out: list = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if isinstance(block, Paragraph) and _starts_fiche(block.text):
            fiche, end = _read(blocks, i, vocabulary or _vocabulary())
            if fiche is not None:
                out.append(fiche)
                i = end
                continue
        out.append(block)
        i += 1
    return out


def _starts_fiche(text: str) -> bool:
    if fiche_title(text) is not None:
        return True
    pair = split_label(text)
    return pair is not None and _role(pair[0]) == "intitule"


def _role(label: str) -> str | None:
    from .fiche import label_role

    return label_role(label)


def _read(blocks: list, start: int, vocabulary) -> tuple[Fiche | None, int]:
    """The fiche starting at ``blocks[start]`` and the index after its last paragraph."""
    from .patterns import parse_heading
    from .word import Paragraph

    first = blocks[start]
    fiche = Fiche(first.place, vocabulary=vocabulary)
    pair = split_label(first.text)
    current = None
    if pair is not None and _role(pair[0]) == "intitule":
        current = fiche.add(pair[0], pair[1], _paragraph_units(first))
    else:
        fiche.title_line(first.text.replace("\t", " "), _paragraph_units(first))
    end = start + 1
    blank = False
    for j in range(start + 1, len(blocks)):
        block = blocks[j]
        if not isinstance(block, Paragraph):
            break
        text = block.text
        if not text.strip():
            blank = True
            continue
        flat = text.replace("\t", " ").strip()
        pair = split_label(text)
        if pair is None and (fiche_title(flat) is not None
                             or parse_heading(flat, vocabulary) is not None):
            break
        if pair is not None and _role(pair[0]) == "intitule" and fiche.has_title():
            break                                   # the next fiche's « Intitulé : … »
        if pair is not None:
            current = fiche.add(pair[0], pair[1], _paragraph_units(block))
        elif current is not None and not blank and (
                _LIST_ITEM.match(flat) or not _LABEL_LINE.match(flat)):
            current.lines.append(flat)
            current.units.extend(_paragraph_units(block))
        elif current is not None and not blank and (match := _LABEL_LINE.match(flat)):
            current = fiche.add(match.group("label"), match.group("value").strip(),
                                _paragraph_units(block))      # a rubric not known: kept
        else:
            break
        blank = False
        end = j + 1
    rubrics = sum(1 for f in fiche.fields if f.role not in (None, "intitule", "description"))
    if rubrics < MIN_RUBRICS or not fiche.has_title():
        return None, start + 1
    return fiche, end
