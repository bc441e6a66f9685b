"""Bar charts as PNG pictures for the Word export, from core/charts.py's data (Item,
Series): the same numbers the statistics pages draw as SVG, which Word cannot place.

Drawn with Pillow in DejaVu Sans, which has every Vietnamese letter (Debian's
fonts-dejavu-core, on every machine of the project). Nothing is downloaded: when no
DejaVu file is found, Pillow's own font is used, and `font_covers_vietnamese` tells
whether it can draw the diacritics (the tests check the font in use does).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont

from danvan.core.charts import Item, Series, short
from danvan.legal.officialdoc import cell_text

FONT_PATHS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/local/share/fonts/DejaVuSans.ttf"),
)
SCALE = 2  # pixels per point of the layout below: sharp when printed at 16 cm
WIDTH = 760
FONT_PT = 13
_TEXT = (0, 0, 0)
_AXIS = (90, 90, 90)


@functools.cache
def font(size: int = FONT_PT * SCALE) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_PATHS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def font_covers_vietnamese(face: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> bool:
    """Whether *face* draws "Đắk Lắk" with the marks: each marked letter must differ from
    its bare letter (a font without the glyph draws the same box for all of them)."""
    for marked, bare in (("ắ", "a"), ("ệ", "e"), ("ữ", "u"), ("Đ", "D"), ("ơ", "o")):
        if face.getmask(marked).getbbox() == face.getmask(bare).getbbox():
            return False
        if face.getmask(marked).getbbox() == face.getmask("\ufffe").getbbox():
            return False
    return True


def _fill(colour: str) -> tuple[int, int, int]:
    try:
        rgb = ImageColor.getrgb(colour)
    except ValueError:
        return (13, 110, 253)
    return (rgb[0], rgb[1], rgb[2])


def bar_chart_png(title: str, items: Sequence[Item], series: Sequence[Series]) -> bytes:
    """Horizontal bars, one group per item and one bar per series, each with its value,
    a legend above; the PNG's bytes."""
    s = SCALE
    face = font()
    small = font((FONT_PT - 2) * s)
    label_w, plot_x, plot_w = 230 * s, 240 * s, 440 * s
    bar_h, gap, pad = 14 * s, 2 * s, 12 * s
    top = 30 * s + (22 * s if len(series) > 1 else 0)
    group_h = len(series) * bar_h + (len(series) - 1) * gap
    height = top + max(len(items), 1) * (group_h + pad) + 10 * s
    image = Image.new("RGB", (WIDTH * s, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((8 * s, 6 * s), title, font=face, fill=_TEXT)
    if len(series) > 1:
        x = 8 * s
        for one in series:
            draw.rectangle((x, 32 * s, x + 12 * s, 44 * s), fill=_fill(one.fill))
            draw.text((x + 16 * s, 31 * s), one.label, font=small, fill=_TEXT)
            x += 30 * s + int(draw.textlength(one.label, font=small))
    peak = max((item.values.get(k.key, 0) for item in items for k in series), default=0) or 1
    y = top
    for item in items:
        label = short(item.label)
        box = draw.textbbox((0, 0), label, font=small)
        draw.text(
            (label_w - (box[2] - box[0]), y + group_h // 2 - (box[3] - box[1]) // 2 - box[1]),
            label,
            font=small,
            fill=_TEXT,
        )
        for i, one in enumerate(series):
            value = item.values.get(one.key, 0)
            width = int(value / peak * plot_w)
            bar_y = y + i * (bar_h + gap)
            if value:
                draw.rectangle(
                    (plot_x, bar_y, plot_x + max(width, s), bar_y + bar_h - 1), fill=_fill(one.fill)
                )
            text = item.texts.get(one.key) or cell_text(value)
            draw.text((plot_x + width + 4 * s, bar_y), text, font=small, fill=_TEXT)
        y += group_h + pad
    draw.line((plot_x, top - 4 * s, plot_x, y - pad + 4 * s), fill=_AXIS, width=s)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
