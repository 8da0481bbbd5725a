"""A text's shape, for the recognizers' cheap tests before their patterns.

Each ASCII character becomes its class: a digit "0", a capital "A", a small letter "a", any
whitespace " ", others stay as they are. "Case 2023-00481" has the shape b"Aaaa 0000-00000",
so "five digits in a row" is b"00000" in the shape: a substring search, ten times as fast as
re's scan for \\d{5} (most comments hold a number, and each recognizer needing one tested
the whole text for it). Non-ASCII text has no shape (its digits and spaces need re's Unicode
classes): every cheap test passes and the patterns decide, as before.
"""

import re


def _class_of(byte: int) -> int:
    if byte > 127:  # part of a non-ASCII character: such text has no shape
        return byte
    for pattern, shape in ((r"\d", "0"), (r"[A-Z]", "A"), (r"[a-z]", "a"), (r"\s", " ")):
        if re.fullmatch(pattern, chr(byte)):  # re's own classes, so a shape test agrees with the patterns
            return ord(shape)
    return byte


SHAPES = bytes(map(_class_of, range(256)))


def shape_of(text: str) -> bytes | None:
    return text.encode().translate(SHAPES) if text.isascii() else None


def may_hold(shape: bytes | None, piece: bytes) -> bool:
    """False only if the text surely holds nothing of this shape."""
    return shape is None or piece in shape


def digit_count(shape: bytes | None) -> float:
    """How many digits the text holds (infinity when it has no shape: unknown)."""
    return float("inf") if shape is None else shape.count(b"0")
