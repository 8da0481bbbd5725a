"""Values named by a cue word: "badge 4471", "case # CR-2023-0117", "mi licencia de Texas es 41170382".

A recognizer gives the words that name its kind (the cue, a regular expression) and the form of
a value. Between them may stand a few filler words ("number", "no.", "#", "is", "was", a state's
name, "de", "es", punctuation); after a plural cue ("badges", "plates") a list of values follows
("Badges 3345, 5129 and 0288"), as after "numbers" ("badge numbers 2291 and 1874").
"""

import re

WORD = re.compile(r"[^\W\d_]+")


def words_of(text: str) -> frozenset:
    """The text's lower-case words: what find_pii passes each recognizer (see pii/__init__.py)."""
    return frozenset(WORD.findall(text.lower()))

# What may stand between a cue and its value.
FILLER = re.compile(
    r"(?:[\s:#,.()\-–—]|\b(?:numbers?|nums?|nos?|número|numero|nro|is|was|are|were|under|as|reads?|read|said|says|shows|"
    r"es|era|fue|son|de|del|la|el|my|mi|su|the)\b|"
    r"\b[A-Z][a-zéíóúñ]+\b)*",  # a state's or a country's name: "de Maryland es", "New York license"
)
LIST_JOIN = re.compile(r"\s*(?:,\s*(?:and\s+|y\s+|&\s+)?|\s+(?:and|y|&|or|o)\s+)")
MAX_FILLER = 40  # characters between a cue and its value
PLURAL_FILLER = re.compile(r"\b(?i:numbers|n[uú]meros|nos)\b")


def after_cues(text: str, cue: re.Pattern, value: re.Pattern, plural: re.Pattern | None = None):
    """(start, end) of each value that follows a cue, and of the values listed after a plural cue."""
    for found in cue.finditer(text):
        position = found.end()
        filler = FILLER.match(text, position)
        if filler.end() - position > MAX_FILLER:
            continue
        match = value.match(text, filler.end())
        if match is None:
            continue
        yield match.start("value"), match.end("value")
        listed = plural is not None and (plural.search(found.group(0)) or PLURAL_FILLER.search(text, position, filler.end()))
        if listed:  # "Badges 3345, 5129 and 0288", "badge numbers 2291 and 1874"
            while (join := LIST_JOIN.match(text, match.end())) and (match := value.match(text, join.end())):
                yield match.start("value"), match.end("value")
