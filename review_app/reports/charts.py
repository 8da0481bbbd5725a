"""Bar charts laid out in Python, so the template only draws what is computed here.

Each row is a label, on as many lines as it needs, with its bar below and the number to the
bar's right. The value axis is scaled so the largest bar and the widest number still fit, and
text is sized so that a chart drawn 328 px wide (a 360 px phone minus margins) shows it at
least 12 px tall. Text widths are estimated, generously, as characters x font size x 0.6.
"""

import math
import textwrap
from dataclasses import dataclass

WIDTH = 330  # viewBox units; drawn at 100% of a 328 px column, 1 unit is about 1 px
FONT_SIZE = 13  # 13 x 328 / 330 = 12.9 px on a 360 px phone
CHAR_WIDTH = 0.6  # of the font size, per character: generous for sans-serif text and digits
LINE_HEIGHT = 17
BAR_HEIGHT = 16
GAP = 6  # between a bar and its number
ROW_GAP = 10


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    text: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    lines: tuple[Text, ...]  # the label, wrapped at word boundaries
    x: float
    y: float
    width: float
    height: float
    number: Text  # the value, right of the bar


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    font_size: float
    bars: tuple[Bar, ...]


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """An estimate on the wide side: no glyph run in the app's fonts is this wide per character."""
    return len(text) * font_size * CHAR_WIDTH


def wrap_label(label: str, width: float = WIDTH, font_size: float = FONT_SIZE) -> list[str]:
    """Whole words per line; a word longer than a line is split rather than cut off."""
    chars = max(1, math.floor(width / (font_size * CHAR_WIDTH)))
    return textwrap.wrap(str(label), chars, break_on_hyphens=False) or [""]


def format_value(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart_layout(rows, width: float = WIDTH, font_size: float = FONT_SIZE) -> Chart | None:
    """rows: [(label, number)]. None when there is nothing to draw."""
    rows = list(rows)
    if not rows:
        return None
    numbers = [format_value(value) for _, value in rows]
    top = max(max(value for _, value in rows), 0)
    # The longest bar ends where the widest number still fits after it.
    longest = width - GAP - max(text_width(n, font_size) for n in numbers)
    bars, y = [], 0.0
    for (label, value), number in zip(rows, numbers, strict=True):
        lines = tuple(Text(0, round(y + LINE_HEIGHT * (i + 1) - 4, 1), line)
                      for i, line in enumerate(wrap_label(label, width, font_size)))
        bar_y = y + LINE_HEIGHT * len(lines) + 2
        bar_width = round(longest * max(value, 0) / top, 1) if top else 0
        bars.append(Bar(label=str(label), value=value, lines=lines, x=0, y=round(bar_y, 1), width=bar_width,
                        height=BAR_HEIGHT, number=Text(round(bar_width + GAP, 1), round(bar_y + 12, 1), number)))
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return Chart(width=width, height=round(y - ROW_GAP + 4, 1), font_size=font_size, bars=tuple(bars))


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    value: int
    x: float
    width: float


def stacked_bar_layout(parts, width: float = WIDTH) -> tuple[Segment, ...]:
    """parts: [(key, label, number)] -> one bar BAR_HEIGHT tall and `width` wide, split in
    proportion; empty when every number is 0. The numbers are printed beside it, in words."""
    parts = [(key, label, max(value, 0)) for key, label, value in parts]
    total = sum(value for _, _, value in parts)
    segments, x = [], 0.0
    for key, label, value in parts:
        if total and value:
            share = round(width * value / total, 1)
            segments.append(Segment(key, str(label), value, round(x, 1), share))
            x += share
    return tuple(segments)


HEAT_LEVELS = 4  # shades heat-1 .. heat-4 in site.css, each dark text on a light enough blue


def heat_level(value, top: int) -> int:
    """0 for nothing (or a withheld count), else 1..HEAT_LEVELS in proportion to the largest."""
    if not isinstance(value, int) or value <= 0 or top <= 0:
        return 0
    return max(1, math.ceil(HEAT_LEVELS * value / top))
