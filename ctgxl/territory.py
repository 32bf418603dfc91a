"""The territory a plan belongs to: its name and official code, checked.

A CTG is signed by an intercommunality (EPCI), named by its SIREN — nine digits, the last
a Luhn check key — or by a commune, named by its INSEE code — five characters: the
département (01 to 95, 2A and 2B for Corsica, 971 to 976 overseas) then the commune's
number. The territory is written once by the coordinator in the template (``ctgxl
template --territoire NOM --code-territoire CODE``, hidden sheet « _ctgxl ») and every
workbook made from it carries it; workbooks of templates before 1.2 take it from the
rules (``[convention] territoire`` and ``code_territoire``).

Everything here is pure: ``check_code`` says what is wrong with a code, ``same_territory``
compares two, ``workbook_territory`` gives a workbook's (its own, or for an older one the
rules'), ``territory_clashes`` finds the workbooks of one set that name another territory
than the others.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

SIREN, INSEE = "SIREN", "INSEE"
_INSEE = re.compile(r"(?:0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])\d{3}|97[1-6]\d{2}")
_SPACES = re.compile(r"[\s\u00a0\u202f.\-]+")


@dataclass(frozen=True)
class Territory:
    """A territory as a workbook names it; ``code`` as written (spaces removed)."""

    name: str | None = None
    code: str | None = None

    @property
    def key(self) -> str | None:
        """What tells two territories apart: the code, else the name (case, accents and
        spacing ignored); None when neither is known."""
        if self.code:
            return self.code
        if self.name:
            from .vocabulary import fold

            return "nom:" + fold(self.name)
        return None

    @property
    def kind(self) -> str | None:
        """« SIREN » or « INSEE » for a code of the right form, else None."""
        return code_kind(self.code)

    def label(self) -> str:
        """« Mont de Marsan Agglomération (SIREN 244000865) »."""
        name = self.name or "territoire sans nom"
        if not self.code:
            return name
        kind = self.kind
        return f"{name} ({kind} {self.code})" if kind else f"{name} (code {self.code})"

    def __bool__(self) -> bool:
        return bool(self.name or self.code)


def of_meta(meta) -> Territory:
    """The territory a workbook's metadata names."""
    return Territory(meta.territoire, meta.code_territoire)


# Templates that had no place for the territory: their workbooks take the rules'.
BEFORE_TERRITORY = frozenset({"1.0", "1.1"})


def workbook_territory(meta, fallback: Territory = Territory()) -> Territory:
    """The territory of a workbook: the one it names; for a workbook of a template before
    1.2, which cannot name one, ``fallback`` (the rules' ``[convention]``). A current
    workbook left without a territory stays without: it was made so."""
    own = of_meta(meta)
    if own or meta.template_version not in BEFORE_TERRITORY:
        return own
    return fallback


def normalize_code(raw: object) -> str | None:
    """The code as ctgxl keeps it: spaces and dots removed, Corsica's letter in capitals;
    a number typed in a cell (244000865.0) as its digits. None when empty."""
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _SPACES.sub("", str(raw)).upper()
    return text or None


def luhn_valid(digits: str) -> bool:
    """Whether ``digits`` passes the Luhn check (the SIREN's last digit is its key)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def code_kind(code: str | None) -> str | None:
    """« SIREN » (nine digits, valid key), « INSEE » (a commune's code), or None."""
    if not code:
        return None
    if len(code) == 9 and code.isdigit() and code.isascii():
        return SIREN if luhn_valid(code) else None
    if _INSEE.fullmatch(code):
        return INSEE
    return None


def check_code(code: str | None) -> str | None:
    """None when ``code`` is a valid SIREN or INSEE code (or empty); else why not, as the
    variant of the finding ``code-territoire-invalide``: « siren » (nine digits whose
    check key is wrong) or « forme » (neither form)."""
    if not code or code_kind(code) is not None:
        return None
    if len(code) == 9 and code.isdigit():
        return "siren"
    return "forme"


def code_problem(code: str) -> str:
    """The French reason a code is refused (for a command-line option or a rule file)."""
    if check_code(code) == "siren":
        return (f"le SIREN « {code} » a une clé de contrôle fausse (9e chiffre) : "
                "vérifiez-le sur l'avis de situation SIRENE ou la convention signée")
    return (f"« {code} » n'est ni un SIREN (9 chiffres) ni un code INSEE de commune "
            "(5 caractères, ex. 40192 ou 2A004)")


def same_territory(a: Territory, b: Territory) -> bool:
    """Two territories are the same when their codes are equal, or, when one has no code,
    their names (case and accents ignored); a territory with neither matches any."""
    if a.code and b.code:
        return a.code == b.code
    if not a.key or not b.key:
        return True
    from .vocabulary import fold

    return bool(a.name and b.name and fold(a.name) == fold(b.name))


@dataclass(frozen=True)
class Clash:
    """A workbook (``name``) naming ``found`` among workbooks of ``expected``."""

    name: str
    found: Territory
    expected: Territory
    others: tuple[str, ...]     # the workbooks of ``expected``


def common_territory(named: Sequence[tuple[str, Territory]]) -> Territory:
    """The territory of a set of workbooks: the one most of them name (the first named on
    a tie), in its most complete spelling (a name beside its code); empty when none
    names one."""
    named = [(n, t) for n, t in named if t]
    if not named:
        return Territory()
    votes = Counter(t.key for _, t in named)
    best = max(votes.values())
    winner = next(t for _, t in named if votes[t.key] == best)
    return next((t for _, t in named if t.key == winner.key and t.name and t.code), winner)


def territory_clashes(named: Sequence[tuple[str, Territory]]) -> list[Clash]:
    """The workbooks that name another territory than the set's (``common_territory``);
    a workbook naming none is not compared."""
    expected = common_territory(named)
    if not expected:
        return []
    agreeing = tuple(n for n, t in named if t and same_territory(t, expected))
    return [Clash(n, t, expected, agreeing) for n, t in named
            if t and not same_territory(t, expected)]

QUOTED = 6   # workbooks named in one message, at most


def quote_names(names: Sequence[str]) -> str:
    """« a.xlsx », « a.xlsx et b.xlsx », « a.xlsx, b.xlsx et 4 autres »."""
    names = list(names)
    if len(names) > QUOTED:
        return ", ".join(names[:QUOTED]) + f" et {len(names) - QUOTED} autres"
    if len(names) > 1:
        return ", ".join(names[:-1]) + f" et {names[-1]}"
    return names[0] if names else ""


def clash_findings(clashes: Sequence[Clash], rules) -> list:
    """One ``territoire-different`` finding per workbook of another territory, worded and
    graded by ``rules`` (``[messages]``, ``[gravites]``); none when the rules ignore it."""
    import string

    from .findings import Finding

    severity = rules.severity("territoire-different", "erreur")
    if severity not in ("erreur", "avertissement", "information"):
        return []
    template = rules.message("territoire-different")

    class Params(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    out = []
    for clash in clashes:
        params = Params(territoire=clash.found.label(), attendu=clash.expected.label(),
                        autres=quote_names(clash.others) or "les autres classeurs",
                        verbe="sont" if len(clash.others) > 1 else "est",
                        valeur=clash.found.code or clash.found.name or "")
        try:
            message = string.Formatter().vformat(template, (), params)
        except (ValueError, IndexError, AttributeError, KeyError):
            message = template
        out.append(Finding("territoire-different", severity, message, file=clash.name,
                           value=clash.found.code or clash.found.name,
                           suggestion=f"Retirer ce classeur, ou corriger son territoire : "
                                      f"{clash.expected.label()}."))
    return out
