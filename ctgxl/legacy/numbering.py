"""List numbers as the word processor shows them: « 1. », « a) », « II. », « – ».

Word stores the numbering rules (``numbering.xml``, a paragraph's ``w:numPr`` or its style's),
OpenDocument the list styles (``text:list-style``); neither stores the numbers. Both are
computed here, counting paragraphs as they come. A start value above ``MAX_LIST_NUMBER`` (more
than Word accepts) is refused by the ``Budget``; numbers too large for Roman numerals (above
3 999) are written in digits.
"""

from __future__ import annotations

import re

from .xmlparts import Budget

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
ST = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
BULLET = "- "
_ODF_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
                "I": "upperRoman"}


def w_int(element, default: int, name: str = "val") -> int:
    """An integer attribute ``w:name`` of a Word element (``default`` when absent or bad)."""
    if element is None:
        return default
    try:
        return int(element.get(W + name, default))
    except (TypeError, ValueError):
        return default


class WordNumbering:
    """The labels Word shows before numbered paragraphs."""

    def __init__(self, root, styles, budget: Budget) -> None:
        self.budget = budget
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> lvl -> spec
        self.counters: dict[str, list[int]] = {}
        self.by_style = _style_numbering(styles)     # styleId -> (numId, ilvl)
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.findall(W + "abstractNum"):
            abstract[node.get(W + "abstractNumId", "")] = {
                w_int(lvl, 0, "ilvl"): self._spec(lvl) for lvl in node.findall(W + "lvl")}
        for num in root.findall(W + "num"):
            ref = num.find(W + "abstractNumId")
            levels = dict(abstract.get(ref.get(W + "val", "") if ref is not None else "", {}))
            for override in num.findall(W + "lvlOverride"):
                level = w_int(override, 0, "ilvl")
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels[level] = self._spec(lvl)
                start = override.find(W + "startOverride")
                if start is not None and level in levels:
                    fmt, text, _ = levels[level]
                    levels[level] = (fmt, text, budget.list_number(w_int(start, 1)))
            self.levels[num.get(W + "numId", "")] = levels

    def _spec(self, lvl) -> tuple[str, str, int]:
        fmt = lvl.find(W + "numFmt")
        text = lvl.find(W + "lvlText")
        return (fmt.get(W + "val", "decimal") if fmt is not None else "decimal",
                text.get(W + "val", "") if text is not None else "",
                self.budget.list_number(w_int(lvl.find(W + "start"), 1)))

    def label(self, p) -> str:
        if not self.levels:
            return ""
        props = p.find(f"{W}pPr/{W}numPr")
        style = p.find(f"{W}pPr/{W}pStyle")
        key, level = self.by_style.get(style.get(W + "val", "") if style is not None else "",
                                       ("", 0))
        if props is not None:   # the paragraph's own numbering wins over its style's
            num_id = props.find(W + "numId")
            if num_id is not None:
                key = num_id.get(W + "val", "")
            ilvl = props.find(W + "ilvl")
            if ilvl is not None:
                level = w_int(ilvl, 0)
        levels = self.levels.get(key)
        if not levels or level not in levels:
            return ""
        counters = self.counters.setdefault(key, [0] * 9)
        level = min(max(level, 0), 8)
        fmt, text, start = levels[level]
        counters[level] = (counters[level] + 1) if counters[level] else start
        for deeper in range(level + 1, 9):
            counters[deeper] = 0
        if fmt == "none":
            return ""
        if fmt == "bullet":
            return BULLET

        def shown(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            if not 0 <= at <= level:
                return ""
            value = counters[at] or levels.get(at, ("decimal", "", 1))[2]
            return format_number(value, levels.get(at, (fmt,))[0])

        return re.sub(r"%(\d)", shown, text) + " "


def _style_numbering(styles) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (« List Number »): styleId -> (numId,
    level), following ``basedOn``."""
    if styles is None:
        return {}
    own: dict[str, tuple[str | None, int | None]] = {}
    parents: dict[str, str] = {}
    for style in styles.findall(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        sid = style.get(W + "styleId", "")
        based = style.find(W + "basedOn")
        if based is not None:
            parents[sid] = based.get(W + "val", "")
        props = style.find(f"{W}pPr/{W}numPr")
        if props is not None:
            num_id = props.find(W + "numId")
            ilvl = props.find(W + "ilvl")
            own[sid] = (num_id.get(W + "val") if num_id is not None else None,
                        w_int(ilvl, 0) if ilvl is not None else None)
    resolved: dict[str, tuple[str, int]] = {}
    for sid in set(own) | set(parents):
        num_id, level, seen, at = None, None, set(), sid
        while at and at not in seen:
            seen.add(at)
            mine = own.get(at, (None, None))
            num_id = num_id if num_id is not None else mine[0]
            level = level if level is not None else mine[1]
            at = parents.get(at, "")
        if num_id and num_id != "0":
            resolved[sid] = (num_id, level or 0)
    return resolved


def format_number(value: int, fmt: str) -> str:
    if fmt in ("upperRoman", "lowerRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("upperLetter", "lowerLetter") and value > 0:
        letters = ""
        n = value
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _roman(value: int) -> str:
    out = []
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                            (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                            (4, "IV"), (1, "I")):
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


# -- OpenDocument ---------------------------------------------------------------------------

def odf_int(element, name: str, default: int) -> int:
    try:
        return int(element.get(name, default))
    except (TypeError, ValueError):
        return default


def odf_list_styles(budget: Budget, *roots) -> dict[str, dict[int, tuple]]:
    """List styles by name: level -> (kind, format, prefix + suffix, start, levels shown)."""
    styles: dict[str, dict[int, tuple]] = {}
    for root in roots:
        if root is None:
            continue
        for list_style in root.iter(T + "list-style"):
            levels = styles.setdefault(list_style.get(ST + "name", ""), {})
            for spec in list_style:
                level = odf_int(spec, T + "level", 1)
                if spec.tag == T + "list-level-style-bullet":
                    levels[level] = ("bullet", "", ("", ""), 1, 1)
                elif spec.tag == T + "list-level-style-number":
                    levels[level] = ("number", spec.get(ST + "num-format", "1"),
                                     (spec.get(ST + "num-prefix", ""),
                                      spec.get(ST + "num-suffix", "")),
                                     budget.list_number(odf_int(spec, T + "start-value", 1)),
                                     odf_int(spec, T + "display-levels", 1))
    return styles


def odf_label(spec: tuple, counters: list[int], level: int) -> str:
    kind, fmt, (prefix, suffix), _, shown_levels = spec
    if kind == "bullet":
        return BULLET
    if fmt not in _ODF_FORMATS:
        return ""
    first = max(1, level - shown_levels + 1)
    numbers = ".".join(format_number(max(counters[at - 1], 1), _ODF_FORMATS[fmt])
                       for at in range(first, level + 1))
    return f"{prefix}{numbers}{suffix} "
