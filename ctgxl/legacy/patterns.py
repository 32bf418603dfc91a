"""Recognise the pieces of a legacy plan in cell texts.

Headings (« THEMATIQUE ENFANCE », « AXE STRATEGIQUE II », « OBJECTIF
INTERMEDIAIRE 2 … », « THEMATIQUE 3 … » groups), action labels (« 15. »,
« 12,10. », « 3.13.10. »), objectifs opérationnels (« OO1. … », « 1 OO1. … »,
bare numbers). Matching ignores case and accents; labels keep their text as
written. Pure functions on strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..vocabulary import Thematique, Vocabulary, fold

_E = "[EÉÈÊeéèê]"
_SEP = r"[\s.:–—\-]*"

THEMATIQUE_HEADING = re.compile(rf"^TH{_E}MATIQUE\s+(?P<name>\D.*)$", re.I | re.S)
GROUP_HEADING = re.compile(rf"^TH{_E}MATIQUE\s+(?:N°\s*)?(?P<code>\d+)\b{_SEP}(?P<label>.*)$",
                           re.I | re.S)
AXE_HEADING = re.compile(
    rf"^(?:AXE(?:\s+STRAT{_E}GIQUE)?|ENJEU|ORIENTATION(?:\s+STRAT{_E}GIQUE)?|PRIORIT{_E})"
    rf"\s*(?:N°\s*)?(?P<code>[IVXLC]+|\d+|[A-Z])(?=$|[\s.:–—\-])"
    rf"{_SEP}(?P<label>.*)$", re.I | re.S)
# « OBJECTIF INTERMEDIAIRE 2 … », « Objectif 1.2 : … » (numbered within its enjeu)
OBJECTIF_HEADING = re.compile(
    rf"^OBJECTIF\s+(?:INTERM{_E}DIAIRE|G{_E}N{_E}RAL|STRAT{_E}GIQUE)?\s*(?:N°\s*)?"
    rf"(?P<num>\d+(?:\.\d+)*)\b{_SEP}(?P<label>.*)$", re.I | re.S)
OO_BLOCK = "objectifs operationnels"

# « 15. Participation… », « 12,10. A l'échelle… », « 3.13.10. A l'échelle… »
ACTION_LABEL = re.compile(
    r"^(?P<label>\d{1,3}(?:\s*[.,]\s*\d{1,3})*)\s*[.)]?(?<=[.)\d])\s+(?P<title>\S.*)$", re.S)
# « OO1. label », « OO 2 : label », « 1 OO1. label »
OO_LABEL = re.compile(
    r"^(?:(?P<num>\d{1,2})\s+)?OO\s*(?P<code>\d{1,2})\b\s*[.:)–\-]?\s*(?P<label>.*)$", re.I | re.S)
OO_NUMBERS = re.compile(r"^\d{1,2}(?:\s*[,;/ et]+\s*\d{1,2})*$")
BARE_NUMBER = re.compile(r"^\d{1,2}$")

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


@dataclass(frozen=True)
class Heading:
    kind: str  # "thematique", "group", "axe", "objectif"
    code: str | None
    label: str | None
    thematique: Thematique | None = None
    keyword: bool = True  # False for a bare label such as « COHESION SOCIALE »


def strip_emphasis(text: str) -> tuple[str, bool]:
    """Text without the Markdown-like ``**`` a copy may wrap headings in."""
    cleaned = text.strip()
    had = "**" in cleaned
    cleaned = cleaned.replace("**", "").strip()
    return cleaned, had


def match_thematique(name: str, vocabulary: Vocabulary) -> Thematique | None:
    """The vocabulary thématique a heading names: exact, then the longest label prefix.

    « JEUNESSE ET VIE ETUDIANTE 12-30 ANS » is « Jeunesse et vie étudiante »;
    « JEUNESSE » alone is too, as the only label starting with that word.
    """
    wanted = fold(name)
    if not wanted:
        return None
    found = vocabulary.thematique(name)
    if found:
        return found
    best: Thematique | None = None
    for t in vocabulary.thematiques:
        label = fold(t.libelle)
        longer = best is None or len(label) > len(fold(best.libelle))
        if wanted.startswith(label + " ") and longer:
            best = t
    if best:
        return best
    starting = [t for t in vocabulary.thematiques if fold(t.libelle).startswith(wanted + " ")]
    return starting[0] if len(starting) == 1 else None


_AGES = re.compile(r"^[\d ]*(?:ans?)?$")


def named_thematique(label: str, vocabulary: Vocabulary) -> Thematique | None:
    """The thématique a numbered heading's label names by itself (« Jeunesse », « Petite
    enfance », « Jeunesse (12-25 ans) »), not a label that merely starts with one
    (« Enfance et parentalité : créer un comité… » is a group of actions)."""
    bare = re.sub(r"\([^)]*\)", " ", label)          # « Jeunesse (12-25 ans) »
    found = vocabulary.thematique(label) or vocabulary.thematique(bare)
    if found is not None:
        return found
    wanted = fold(bare)
    for t in vocabulary.thematiques:
        name = fold(t.libelle)
        if wanted.startswith(name + " ") and _AGES.match(wanted[len(name) + 1:]):
            return t
    starting = [t for t in vocabulary.thematiques if fold(t.libelle).startswith(wanted + " ")]
    return starting[0] if len(starting) == 1 else None


def objectif_rank(code: str | None) -> tuple[int, ...]:
    """« 2 » → (2,), « 1.2 » → (1, 2): the order of objectif numbers."""
    try:
        return tuple(int(part) for part in (code or "").split("."))
    except ValueError:
        return ()


def parse_heading(text: str, vocabulary: Vocabulary) -> Heading | None:
    """The heading written in ``text``, if it is one (label possibly empty)."""
    if m := GROUP_HEADING.match(text):
        label = _label(m["label"])
        named = named_thematique(label, vocabulary) if label else None
        if named is not None:      # « Thématique 2 : Jeunesse »: a numbered thématique
            return Heading("thematique", None, label, named)
        return Heading("group", m["code"], label)
    if m := THEMATIQUE_HEADING.match(text):
        return Heading("thematique", None, m["name"].strip(),
                       match_thematique(m["name"], vocabulary))
    if m := AXE_HEADING.match(text):
        return Heading("axe", m["code"].upper(), _label(m["label"]))
    if m := OBJECTIF_HEADING.match(text):
        return Heading("objectif", m["num"], _label(m["label"]))
    return None


def bare_thematique(text: str, vocabulary: Vocabulary) -> Heading | None:
    """« COHESION SOCIALE », « PARENTALITE »: a thématique named without the word."""
    if len(text) > 80 or not text.isupper():
        return None
    found = vocabulary.thematique(text)
    if found is None:
        return None
    return Heading("thematique", None, text.strip(), found, keyword=False)


def _label(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split()) if "\n" not in (text or "") else (text or "").strip()
    return cleaned or None


@dataclass(frozen=True)
class ActionLabel:
    label: str          # as printed, without the final dot of a single number: "15", "12,10."
    number: int | None  # the number of a simply numbered action (15), else None
    title: str


def parse_action_label(text: str) -> ActionLabel | None:
    """« 15. Participation… » → ("15", 15, "Participation…"); lists keep their text."""
    m = ACTION_LABEL.match(text.strip())
    if not m:
        return None
    raw = m["label"]
    after = text.strip()[len(raw):].lstrip()
    punct = after[0] if after and after[0] in ".)" else ""
    if "." not in raw and "," not in raw:
        if not punct:
            return None  # « 3 animateurs… » is text, not a label
        return ActionLabel(raw, int(raw), m["title"].strip())
    return ActionLabel(raw + punct, None, m["title"].strip())


def is_oo_numbers(text: str) -> bool:
    """« 1 », « 1 2 3 », « 4 5 »: the objectifs opérationnels an action serves."""
    return bool(OO_NUMBERS.match(text.strip()))


def oo_codes(text: str) -> list[str]:
    """« 1 2 3 » → ["OO1", "OO2", "OO3"]; « OO1 OO3 » too."""
    return [f"OO{int(n)}" for n in re.findall(r"\d{1,2}", text)]


def next_axe_code(code: str | None) -> str | None:
    """The code after ``code`` in its own numbering (II → III, 2 → 3, B → C)."""
    if code is None:
        return None
    if code in ROMAN and ROMAN.index(code) + 1 < len(ROMAN):
        return ROMAN[ROMAN.index(code) + 1]
    if code.isdigit():
        return str(int(code) + 1)
    if len(code) == 1 and code.isalpha() and code.upper() != "Z":
        return chr(ord(code.upper()) + 1)
    return None


def looks_like_heading_text(text: str) -> bool:
    """An upper-case line such as « SIX GRANDES THEMATIQUES »: a title, not an action."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters) and len(text.split()) >= 2
