"""North American phone numbers in their usual written forms, with an extension if one follows;
a local number without its area code ("555-0164") where it reads as one: after a word for a
phone, with an extension, or alone on its line (a signature's contact lines)."""

import re

KIND = "phone"
NEEDS_DIGIT = True
EXTENSION = r"(?:,?\s*(?:ext\.?|x)\s*\d{1,5}\b)?"
PATTERN = re.compile(
    rf"(?<![\w$.-])(?:\+?1[\s.-]?)?(?:\(\d{{3}}\)\s?|\d{{3}}[\s.-]?)\d{{3}}[\s.-]?\d{{4}}(?![\w-]|\.\d){EXTENSION}"
)
# A number from abroad, as family and WhatsApp numbers are written: "+52 1 33 1845 2297", "+503 7012-3456".
INTERNATIONAL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\w-]|\.\d)")
LOCAL = re.compile(rf"(?<![\w$.-])\d{{3}}-\d{{4}}(?![\w-]|\.\d){EXTENSION}")
PHONE_WORD = re.compile(r"\b(?:call|text|phone|tel|cell|mobile|number|ph|llame|llamar|marque|tel[eé]fono|celular|cel|"
                        r"whatsapp)\b[^\d\n]{0,12}$", re.IGNORECASE)
# Three digits, at most two other characters, three digits: what every form above holds.
CUE = re.compile(r"\d{3}\D{0,2}\d{3}")


def find(text: str, words: frozenset | None = None):
    if not CUE.search(text):  # a cheap test before the costly pattern
        return
    for match in PATTERN.finditer(text):
        yield match.start(), match.end()
    if "+" in text:
        for match in INTERNATIONAL.finditer(text):
            if 10 <= sum(c.isdigit() for c in match.group()) <= 15:
                yield match.start(), match.end()
    for match in LOCAL.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line = text[line_start:len(text) if line_end < 0 else line_end]
        if PHONE_WORD.search(text[line_start:match.start()]) or match.end() - match.start() > 8 or line.strip() == match.group():
            yield match.start(), match.end()
