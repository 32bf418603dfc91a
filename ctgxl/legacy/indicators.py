"""The free-text « Indicateurs d'évaluation » of a legacy plan as indicator rows.

A plan written in Word gives each action one cell of indicators: « Nombre de
participants – Nombre d'actions mises en place », « Taux de participation,
adhésion des enfants », « Nombre de jeunes touchés Ateliers mis en œuvre ». The
Indicateurs sheet wants one row per indicator, so that each can get a
reference, a target and yearly values. The cell is cut where its writer
clearly started another indicator, and nowhere else:

- line breaks, « ; », dashes between spaces (« – », « - »), bullets;
- a sentence end followed by a capital (« … formation. Taux de … »);
- before « Nombre de… », « Taux de… », « Nb de… » when another indicator
  precedes it (« Nombre d'actions Nombre de jeunes touchés », « … et nombre de
  … »).

Commas are not cut: « nombre de familles, d'enfants » is one indicator. The cell
is kept, whole, in « Texte d'origine » of every row made from it; a « Taux… »
indicator gets the unit « % », nothing else is guessed (type, unit, reference
and target are left for the service to fill, and validation asks for them).
"""

from __future__ import annotations

import re

from ..vocabulary import fold

_SEPARATORS = re.compile(r"\s*(?:\n|;|\s[–—-]\s|^[-–•·]\s*|\s[•·]\s)\s*")
_SENTENCE = re.compile(r"(?<=\w\w)\.\s+(?=[A-ZÀ-Ý])")
_COUNT_START = re.compile(r"(?:,\s*|\s+et\s+|\s+)(?=(?:nombre|taux|nb|nbre)\s+(?:de |d'|d’|des |du ))",
                          re.IGNORECASE)


def split_indicators(text: str | None) -> list[str]:
    """The indicators written in one cell, in order, without repeats."""
    if not text:
        return []
    items: list[str] = []
    for part in _SEPARATORS.split(text.strip()):
        for sentence in _SENTENCE.split(part):
            pieces = _COUNT_START.split(sentence)
            items.extend(pieces if all(_meaningful(p) for p in pieces) else [sentence])
    seen: set[str] = set()
    out = []
    for item in items:
        item = item.strip(" -–—•·.,").strip()
        if not _meaningful(item) or fold(item) in seen:
            continue
        seen.add(fold(item))
        out.append(item[0].upper() + item[1:])
    return out


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
