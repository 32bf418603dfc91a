"""French wording shared by every message ctgxl writes: counted nouns and their agreement,
numbers and percentages.

Every counted noun goes through ``plural`` (« 0 erreur », « 1 fichier », « 2 fichiers ») or
``counted`` when adjectives or participles agree with it (« 1 ligne identique », « 3 conflits
réglés »); a verb or a word elsewhere in the sentence agrees through ``agree``. In French,
0 and 1 take the singular. ``tests/test_wording.py`` fails on « (s) » and on a number
written before a noun by hand.
"""

from __future__ import annotations


def _plural_word(word: str) -> str:
    """The plural of one French word: « ligne » → « lignes », « nouveau » → « nouveaux »,
    « choix » → « choix »; hyphenated or apostrophised words agree on their last part."""
    if not word or word[-1] in "sxz" or not word[-1].isalpha():
        return word
    if word.endswith(("eau", "au", "eu")) and word not in ("bleu", "pneu"):
        return word + "x"
    return word + "s"


_LINKS = frozenset({"de", "d'", "du", "des", "à", "au", "aux", "en", "sur", "par", "pour",
                    "dans", "sans", "avec", "et", "ou", "«", "(", "—", ":", ";"})


# words that never agree (« non affiché » → « non affichés »)
_INVARIABLE = frozenset({"non", "pas", "plus", "très", "bien", "mal", "ne", "y", "ci", "là",
                         "jamais", "toujours", "déjà", "encore"})


def plural_of(text: str) -> str:
    """``text`` (a noun with its adjectives, singular) in the plural; words from the first
    linking word on are left as written: « ligne identique » → « lignes identiques »,
    « ligne de suivi » → « lignes de suivi »."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if word in _LINKS or word.startswith(("d'", "l'", "«", "(")):
            return " ".join([*map(_agreeing, words[:i]), *words[i:]])
    return " ".join(map(_agreeing, words))


def _agreeing(word: str) -> str:
    return word if word in _INVARIABLE else _plural_word(word)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 fichier``, ``2 fichiers``, ``0 erreur``, ``3 autres colonnes`` (0 and 1 take the
    singular in French; every word before a linking word agrees)."""
    return counted(count, singular, plural_form)


def counted(count: int, words: str, plural_form: str | None = None) -> str:
    """``count`` and ``words`` (a noun and the words that agree with it, written in the
    singular) agreed: « 0 ligne identique », « 2 lignes identiques », « 3 conflits réglés »,
    « 2 lignes de suivi »; ``plural_form`` for an irregular plural."""
    return f"{count} {words if count < 2 else (plural_form or plural_of(words))}"


def agree(count: int, singular: str, plural_form: str | None = None) -> str:
    """A word agreed with ``count`` without the number: « a »/« ont » (``agree(n, "a",
    "ont")``), « réalisée »/« réalisées »."""
    return singular if count < 2 else (plural_form or plural_of(singular))


def plural_s(count: int) -> str:
    """The « s » of a plural agreement, for words around a counted noun."""
    return "s" if count > 1 else ""


def number(value: float | int) -> str:
    """A number as French readers write it: « 12,5 », « 1 200 », « 3 »."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ")
    text = f"{value:,.10f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",")


def decimal(value: object) -> str:
    """A cell's value as text, a decimal number with a comma (« 12,5 ») and never a
    thousands separator (a year stays « 2024 »)."""
    if isinstance(value, float) and not isinstance(value, bool):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")
    return str(value)


# The Excel number format of a share shown as « 40 % » (the space is French typography).
PERCENT_FORMAT = '0\\ %'


def percent(share: float) -> str:
    """« 40 % », « 0 % » (a share from 0 to 1, rounded to the unit)."""
    return f"{round(share * 100)} %"


_NO_BREAK = (("« ", "«\u00a0"), (" »", "\u00a0»"), (" :", "\u00a0:"), (" ;", "\u00a0;"),
             (" ?", "\u00a0?"), (" !", "\u00a0!"))


def typeset(text: str) -> str:
    """``text`` for a printed document: the spaces inside « » and before : ; ? ! do not
    break, so that a line never starts with « » » or « : » (French typography)."""
    for plain, kept in _NO_BREAK:
        if plain in text:
            text = text.replace(plain, kept)
    return text
