"""The free-text « Indicateurs d'évaluation » of a legacy plan as indicator rows.

A plan gives each action one cell of indicators. The Indicateurs sheet wants one row per
indicator, so that each can get a reference, a target and yearly values. The cell is cut
where its writer started another indicator, and nowhere else:

- **the document's own structure first.** A cell written as a list, as paragraphs or with
  line breaks (a .docx/.odt: « - Nombre de familles accueillies », « - Taux d'occupation »)
  gives one indicator per item, cut further only at a « ; » — never inside an item on words,
  so that « Augmentation du nombre de places » stays one indicator;
- **one line of text** (a text export, a cell typed on one line) is cut at « ; », at dashes
  between spaces (« – », « - »), at bullets, at a sentence end followed by a capital
  (« … formation. Taux de … »), and before « Nombre de… », « Taux de… », « Nb de… » when
  another indicator precedes it (« Nombre d'actions Nombre de jeunes touchés », « … et
  nombre de … ») — unless what precedes ends with a word that calls for what follows
  (« Augmentation du », « Évolution des », « suivi de l' »): then nothing is cut there.

Commas are not cut: « nombre de familles, d'enfants » is one indicator. The cell is kept,
whole, in « Texte d'origine » of every row made from it; a « Taux… » indicator gets the unit
« % », nothing else is guessed (type, unit, reference and target are left for the service to
fill, and validation asks for them).
"""

from __future__ import annotations

import re

from ..vocabulary import fold

_SEPARATORS = re.compile(r"\s*(?:\n|;|\s[–—-]\s|^[-–•·]\s*|\s[•·]\s)\s*")
_SENTENCE = re.compile(r"(?<=\w\w)\.\s+(?=[A-ZÀ-Ý])")
_COUNT_START = re.compile(r"(?:,\s*|\s+et\s+|\s+)(?=(?:nombre|taux|nb|nbre)\s+(?:de |d'|d’|des |du ))",
                          re.IGNORECASE)
# A text ending with one of these words is not a whole indicator: « Augmentation du ».
_DANGLING = re.compile(r"(?:\b(?:du|de|des|le|la|les|un|une|au|aux|en|par|pour|sur|à|et|ou|"
                       r"dans|avec|entre|vers)|\b[dl]['’])\s*$", re.IGNORECASE)
_ITEM_MARK = re.compile(r"^\s*(?:[-–—•·*]|\d{1,3}[.)]|[a-z][.)])\s+")


def split_indicators(text: str | None) -> list[str]:
    """The indicators written in one cell, in order, without repeats."""
    if not text:
        return []
    lines = [line for line in text.strip().split("\n") if line.strip()]
    if len(lines) > 1:
        items = [piece for line in lines for piece in _ITEM_MARK.sub("", line).split(";")]
    else:
        items = []
        for part in _SEPARATORS.split(text.strip()):
            for sentence in _SENTENCE.split(part):
                items.extend(_count_split(sentence))
    seen: set[str] = set()
    out = []
    for item in items:
        item = item.strip(" -–—•·.,").strip()
        if not _meaningful(item) or fold(item) in seen:
            continue
        seen.add(fold(item))
        out.append(item[0].upper() + item[1:])
    return out


def _count_split(sentence: str) -> list[str]:
    """« Nombre d'actions Nombre de jeunes » → two indicators; « Augmentation du nombre de
    places » → one (what precedes « nombre » is not an indicator by itself)."""
    out: list[str] = []
    start = 0
    for match in _COUNT_START.finditer(sentence):
        before = sentence[start:match.start()]
        if not _meaningful(before) or _DANGLING.search(before):
            continue
        out.append(before)
        start = match.end()
    out.append(sentence[start:])
    return out if all(_meaningful(piece) for piece in out) else [sentence]


def _meaningful(text: str) -> bool:
    return len(re.sub(r"\W", "", text)) >= 3


def indicator_rows(action_id: str, texts: list[str | None]) -> list[dict]:
    """Rows of the Indicateurs sheet for one action, from its cells of indicators (the
    action's own, then its offers'), numbered 1, 2…; an indicator written in several cells
    is one row."""
    rows: list[dict] = []
    seen: set[str] = set()
    for text in texts:
        for item in split_indicators(text):
            if fold(item) in seen:
                continue
            seen.add(fold(item))
            rows.append({"id_action": action_id, "numero_indicateur": len(rows) + 1,
                         "libelle": item, "unite": "%" if fold(item).startswith("taux") else None,
                         "texte_origine": text})
    return rows
