"""The bilan's charts as PNG images, drawn with Pillow (a few milliseconds each).

matplotlib would take 0.6 s to import and 30 ms per chart; a bilan has one chart per
indicator followed over two years or more, so the charts are drawn here: bars, lines,
labels, with the DejaVu Sans shipped in ``ctgxl/data/polices`` (subset to Latin
characters) so that accents print the same on every machine.

Images are drawn at twice the size they are shown (``SCALE``) to stay sharp in print.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

from ..values import Value

SCALE = 2
INK, GRID, MUTED = (64, 64, 64), (217, 217, 217), (128, 128, 128)
BAR = (46, 117, 182)
TARGET, REFERENCE = (84, 130, 53), (128, 128, 128)
NO_STATUT_FILL, NO_STATUT_HATCH = (242, 242, 242), (166, 166, 166)


@lru_cache(maxsize=16)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    with resources.files("ctgxl").joinpath("data", "polices", name).open("rb") as handle:
        return ImageFont.truetype(io.BytesIO(handle.read()), size * SCALE)


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def number_text(value: Value) -> str:
    """« 1 200 », « 12,5 »: numbers as a French reader writes them."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "" if value is None else str(value)
    if isinstance(value, float) and not value.is_integer():
        whole, _, decimals = f"{value:,.2f}".rstrip("0").partition(".")
        return whole.replace(",", "\u202f") + ("," + decimals if decimals else "")
    return f"{int(value):,}".replace(",", "\u202f")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)   # 4x faster than 6, 20 % larger
    return out.getvalue()


@lru_cache(maxsize=1)
def _indicator_palette() -> Image.Image:
    """The colours of an indicator chart: white, greys from INK to near white (MUTED and
    REFERENCE among them), BAR and TARGET blended with white in steps (anti-aliased
    text). No entry sits near white, so that Pillow's approximate mapping keeps the
    background white; the pure colours map to themselves."""
    def blends(colour):
        steps = [tuple(round(255 + (v - 255) * k / 24) for v in colour) for k in range(1, 25)]
        return [c for c in steps if max(255 - v for v in c) >= 12]

    colours = [(255, 255, 255), *((g, g, g) for g in range(64, 245, 4)), *blends(BAR),
               *blends(TARGET)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for c in colours for v in c])
    return palette


def _palette_png(image: Image.Image) -> bytes:
    """``image`` as a PNG with the indicator charts' palette: encoding an RGB PNG took
    two thirds of a 5,000-chart bilan; a palette image encodes 6x faster and is half
    the size (anti-aliased edges move by at most 8 levels)."""
    return _png(image.quantize(palette=_indicator_palette(), dither=Image.Dither.NONE))


def _text_width(draw: ImageDraw.ImageDraw, text: str, face) -> float:
    return draw.textlength(text, font=face)


def _fit(draw, text: str, face, width: float) -> str:
    """``text``, or its longest beginning that fits ``width`` with « … » after it.

    Prefixes only are measured, of doubling lengths until one is too wide, then by
    bisection between the last that fits and it: about 2 log2(n) measurements of at
    most twice what fits, whatever the length of ``text`` (a 32,767-character
    thématique, the most a cell holds, took 54 s one character at a time)."""
    end = 8
    while end < len(text) and _text_width(draw, text[:end], face) <= width:
        end *= 2
    if end >= len(text) and _text_width(draw, text, face) <= width:
        return text
    fits, too_wide = 0, min(end, len(text))   # text[:too_wide] is too wide even without « … »
    while too_wide - fits > 1:
        middle = (fits + too_wide) // 2
        if _text_width(draw, text[:middle] + "…", face) <= width:
            fits = middle
        else:
            too_wide = middle
    return text[:fits].rstrip() + "…"


def statut_chart(rows: Mapping[str, Mapping[str, int]], statuts: Sequence[str],
                 colours: Mapping[str, str], no_statut: str) -> bytes:
    """One horizontal bar per thématique, cut by statut, with the count in each part wide
    enough to hold it and the share of the thématique's actions at the end; « Non
    renseigné » is hatched, so that it never reads as a statut of its own colour."""
    s = SCALE
    label_face, small, bold = font(9), font(8), font(8, bold=True)
    width, label_w, bar_h, gap, top = 520 * s, 140 * s, 18 * s, 8 * s, 6 * s
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    shown = [(st, colours[st]) for st in statuts if any(c.get(st) for c in rows.values())]
    legend_lines = len(_legend_rows(probe, shown, width - 16 * s, small))
    height = top + len(rows) * (bar_h + gap) + legend_lines * 18 * s + 10 * s
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    largest = max((sum(c.values()) for c in rows.values()), default=0) or 1
    bar_w = width - label_w - 34 * s
    y = top
    for theme, counts in rows.items():
        draw.text((label_w - 8 * s, y + bar_h / 2), _fit(draw, theme, label_face, label_w - 12 * s),
                  font=label_face, fill=INK, anchor="rm")
        x = label_w
        total = sum(counts.values())
        for statut in statuts:
            n = counts.get(statut, 0)
            if not n:
                continue
            w = bar_w * n / largest
            box = (x, y, x + w, y + bar_h)
            if statut == no_statut:
                _hatched(draw, box)
            else:
                draw.rectangle(box, fill=rgb(colours[statut]), outline="white", width=s)
            text = str(n)
            if _text_width(draw, text, bold) + 6 * s < w:
                light = statut != no_statut and sum(rgb(colours[statut])) < 450
                draw.text((x + w / 2, y + bar_h / 2), text, font=bold,
                          fill="white" if light else INK, anchor="mm")
            x += w
        draw.text((x + 6 * s, y + bar_h / 2), f"{total}", font=small, fill=MUTED, anchor="lm")
        y += bar_h + gap
    for line in _legend_rows(draw, shown, width - 16 * s, small):
        _legend(draw, line, 8 * s, y + 4 * s, no_statut, small)
        y += 18 * s
    return _png(image)


def _hatched(draw, box) -> None:
    x0, y0, x1, y1 = box
    draw.rectangle(box, fill=NO_STATUT_FILL)
    step = 6 * SCALE
    for start in range(int(x0) - int(y1 - y0), int(x1), step):
        # a diagonal from (start, y1) to (start + h, y0), clipped to the box
        a = (max(start, x0), y1 - (max(start, x0) - start))
        b = (min(start + (y1 - y0), x1), y1 - (min(start + (y1 - y0), x1) - start))
        draw.line((a, b), fill=NO_STATUT_HATCH, width=SCALE)
    draw.rectangle(box, outline=NO_STATUT_HATCH, width=SCALE)


def _legend_item_width(draw, label: str, face) -> float:
    return 16 * SCALE + _text_width(draw, label, face) + 16 * SCALE


def _legend_rows(draw, items, width: float, face) -> list[list]:
    """The legend's items cut into lines that fit ``width``."""
    lines: list[list] = [[]]
    used = 0.0
    for item in items:
        w = _legend_item_width(draw, item[0], face)
        if lines[-1] and used + w > width:
            lines.append([])
            used = 0.0
        lines[-1].append(item)
        used += w
    return lines


def _legend(draw, items, x, y, no_statut, face) -> None:
    s = SCALE
    for label, colour in items:
        box = (x, y, x + 12 * s, y + 12 * s)
        if label == no_statut:
            _hatched(draw, box)
        else:
            draw.rectangle(box, fill=rgb(colour))
        draw.text((x + 16 * s, y + 6 * s), label, font=face, fill=INK, anchor="lm")
        x += _legend_item_width(draw, label, face)


def indicator_chart(values: Mapping[int, Value], *, reference: Value = None,
                    reference_year: Value = None, target: Value = None,
                    target_year: Value = None, unit: str | None = None) -> bytes:
    """Bars of the values reached per year, the reference and the target as dashed
    lines with their labels; each bar carries its value."""
    s = SCALE
    face, small = font(10), font(9)
    width, height = 400 * s, 130 * s
    left, right, top, bottom = 30 * s, 112 * s, 16 * s, 20 * s
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    numbers = [v for v in values.values() if _number(v)]
    lines = [(v, label, colour) for v, label, colour in (
        (reference, f"Référence{_year(reference_year)} : {number_text(reference)}", REFERENCE),
        (target, f"Cible{_year(target_year)} : {number_text(target)}", TARGET)) if _number(v)]
    high = max([*numbers, *(v for v, _, _ in lines), 0]) or 1
    low = min([*numbers, *(v for v, _, _ in lines), 0])
    span = (high - low) * 1.15 or 1
    plot_h = height - top - bottom

    def y_of(v: float) -> float:
        return top + plot_h * (1 - (v - low) / span)

    label_ys: list[float] = []
    for value, label, colour in lines:   # behind the bars; labels kept apart
        y = y_of(value)
        for x in range(left, width - right, 8 * s):
            draw.line((x, y, min(x + 4 * s, width - right), y), fill=colour, width=2 * s)
        shown = y
        for other in label_ys:
            if abs(shown - other) < 11 * s:
                shown = other + (11 * s if shown >= other else -11 * s)
        label_ys.append(shown)
        draw.text((width - right + 5 * s, shown), label, font=small, fill=colour, anchor="lm")
    draw.line((left, y_of(0), width - right, y_of(0)), fill=INK, width=s)
    years = sorted(values)
    slot = (width - left - right) / max(len(years), 1)
    bar_w = min(slot * 0.55, 60 * s)
    for k, year in enumerate(years):
        centre = left + slot * (k + 0.5)
        value = values[year]
        if _number(value):
            draw.rectangle((centre - bar_w / 2, min(y_of(value), y_of(0)), centre + bar_w / 2,
                            max(y_of(value), y_of(0))), fill=BAR)
            text, at = number_text(value), (centre, y_of(value) - 3 * s)
            x0, y0, x1, y1 = draw.textbbox(at, text, font=face, anchor="md")
            draw.rectangle((x0 - 2 * s, y0 - s, x1 + 2 * s, y1 + s), fill="white")
            draw.text(at, text, font=face, fill=INK, anchor="md")
        draw.text((centre, height - bottom + 5 * s), str(year), font=face, fill=INK,
                  anchor="mt")
    if unit:
        draw.text((4 * s, top - 4 * s), _fit(draw, unit, small, left + 60 * s), font=small,
                  fill=MUTED, anchor="lt")
    return _palette_png(image)


def _number(value: object) -> bool:
    return type(value) in (int, float)


def _year(year: Value) -> str:
    return f" {year}" if year else ""
